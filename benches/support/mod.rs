//! Helpers shared by the benchmarks (each bench includes this file with
//! `#[path]`, since bench targets are separate crates).

use std::time::{Duration, Instant};

/// The fastest of `runs` timed calls: the least disturbed by the machine's other work.
pub fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}
