//! What the integration tests share: finding the reference data in
//! `../shared`, and validating packages against the package spec.
#![allow(dead_code)]

pub mod package_spec;

use std::path::{Path, PathBuf};

/// The shared reference data beside the repository (`INGOT_SHARED_DIR`
/// overrides the place). `None`, after saying so, when it is missing; with
/// `INGOT_REQUIRE_SHARED=1` (as CI sets it) a missing directory fails the test.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("INGOT_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("INGOT_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!("{} is missing and INGOT_REQUIRE_SHARED=1", dir.display());
    } else {
        eprintln!("skipping: {} is missing (the shared reference data lives beside the repository)", dir.display());
        None
    }
}
