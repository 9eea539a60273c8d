//! A small deterministic generator for the robustness tests: no dependency,
//! the same cases on every run (a seed can be given with `INGOT_ROBUST_SEED`).
#![allow(dead_code)]

use ingot::value::{Map, Value};
use std::sync::mpsc;
use std::time::Duration;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let seed = std::env::var("INGOT_ROBUST_SEED")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .map(|s| s ^ seed)
            .unwrap_or(seed);
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Field names: plain, dotted, empty, odd, templated, metadata.
pub const FIELDS: &[&str] = &[
    "message", "a", "a.b", "a.b.c", "x", "list", "list.0", "list.1", "list.-1", "list.99999999999",
    "num", "n", "@timestamp", "ünï", "", " ", ".", "..", "a..b", "a.", ".a", "_source.message",
    "_ingest.timestamp", "_ingest._value", "_ingest", "_index", "_id", "_version", "_routing",
    "{{message}}", "{{{a}}}", "{{", "m.{{x}}", "_value", "_source", "k", "deep.deep.deep",
    "a.b.c.d.e.f.g.h.i.j", "map", "map.k", "ip", "url", "date",
];

/// String values: the shapes processors parse, and broken variants.
pub const STRINGS: &[&str] = &[
    "", " ", "a", "hello world", "x=1 y=2", "a=1&b=2", "k:v,k2:v2", "a,b,\"c", "\"", "a,\"b\"\"c\",d",
    "{\"a\": 1}", "{\"a\":", "[1,2", "[1, 2, 3]", "null", "true", "12", "-0", "0", "1e400", "-1e-400",
    "0x1F", "0X1f", "NaN", "Infinity", "-Infinity", "2147483648", "-9223372036854775809",
    "9223372036854775807", "3.4028235E39", "1kb", "-1gb", "99999999999tb", "1.5mb", "kb", "1 KB",
    "1.2.3.4", "::1", "1.2.3.4.5", "fe80::1%eth0", "256.0.0.1", "192.168.0.1/24", "::ffff:1.2.3.4",
    "http://user:pw@host:80/p/a.th?q=1&r#frag", "https://[::1]:99999/", "ftp://", "://", "http://%zz",
    "mailto:a@b", "/just/path?x", "%E0%A4%A", "%", "%zz", "a+b%20c", "<b>bold</b>", "<script>x</script>",
    "&amp;&#x41;&#", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123456789+05:30", "2024-13-45",
    "1700000000", "1700000000000", "@4000000065a1b2c3000000000", "01/Jan/2024:10:11:12 +0100",
    "Jan  2 03:04:05", "9999999999999999999", "-1", "é", "日本語", "😀", "\u{0}", "\u{feff}x",
    "\t\n\r", "a\nb", "\\", "\\u0000", "%{WORD:x}", "{{message}}", "a.b", "COMMUNITY", "TCP", "udp",
    "6", "17", "-5", "65536", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
    "10.0.0.1 55 10.0.0.2 80", "user@example.com", "www.example.co.uk", "..co.uk", "localhost",
];

pub const INTS: &[i64] = &[
    0, 1, -1, 2, 7, 255, 256, 65535, 65536, i32::MAX as i64, i32::MIN as i64, i32::MAX as i64 + 1,
    i64::MAX, i64::MIN, i64::MAX - 1, 1_000_000_000_000,
];

pub const DOUBLES: &[f64] = &[
    0.0, -0.0, 0.5, -1.5, 1e300, -1e300, f64::MAX, f64::MIN, f64::MIN_POSITIVE, 5e-324,
    9.223372036854776e18, 2147483647.5, 1e21, 1e-7, 123456789.123, f64::NAN, f64::INFINITY,
    f64::NEG_INFINITY,
];

pub fn string(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => random_chars(rng, 12),
        1 => {
            // A long string.
            let n = 1 + rng.below(20_000);
            rng.pick(STRINGS).repeat(1 + n / 8).chars().take(n).collect()
        }
        2 => format!("{}{}", rng.pick(STRINGS), rng.pick(STRINGS)),
        _ => rng.pick(STRINGS).to_string(),
    }
}

pub fn random_chars(rng: &mut Rng, max: usize) -> String {
    const CHARS: &[char] = &[
        'a', 'Z', '0', '9', ' ', '.', ',', '=', ':', '"', '\'', '\\', '{', '}', '[', ']', '(', ')', '%',
        '$', '#', '^', '/', '&', '<', '>', '?', '*', '+', '|', '-', '_', '\n', '\t', '\0', 'é', 'ß',
        '日', '😀', '\u{202e}', '\u{fffd}', '\u{10ffff}', 'İ', 'ﬀ',
    ];
    let n = rng.below(max + 1);
    (0..n).map(|_| *rng.pick(CHARS)).collect()
}

pub fn number(rng: &mut Rng) -> Value {
    match rng.below(5) {
        0 => Value::Int(*rng.pick(INTS) as i32),
        1 => Value::integer(*rng.pick(INTS)),
        2 => Value::Long(*rng.pick(INTS)),
        3 => Value::Double(*rng.pick(DOUBLES)),
        _ => Value::Float(*rng.pick(DOUBLES) as f32),
    }
}

pub fn scalar(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 | 3 => number(rng),
        _ => Value::String(string(rng)),
    }
}

pub fn value(rng: &mut Rng, depth: usize) -> Value {
    if depth == 0 {
        return scalar(rng);
    }
    match rng.below(10) {
        0 | 1 => {
            let n = rng.below(5);
            Value::List((0..n).map(|_| value(rng, depth - 1)).collect())
        }
        2 | 3 => Value::Map(map(rng, depth - 1, 5)),
        _ => scalar(rng),
    }
}

pub fn key(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => random_chars(rng, 6),
        _ => {
            let f = rng.pick(FIELDS);
            // Keys are usually the first segment of a field name; sometimes dotted.
            if rng.chance(70) {
                f.split('.').next().unwrap_or("").to_string()
            } else {
                f.to_string()
            }
        }
    }
}

pub fn map(rng: &mut Rng, depth: usize, width: usize) -> Map {
    let n = rng.below(width + 1);
    let mut m = Map::default();
    for _ in 0..n {
        m.insert(key(rng), value(rng, depth));
    }
    m
}

/// A document: the usual fields filled with odd values, plus random ones.
pub fn document(rng: &mut Rng) -> Map {
    let mut m = Map::default();
    for name in ["message", "a", "x", "list", "num", "ip", "url", "date", "map"] {
        if rng.chance(60) {
            let v = match name {
                "list" => Value::List((0..rng.below(4)).map(|_| value(rng, 2)).collect()),
                "map" | "a" if rng.chance(50) => Value::Map(map(rng, 2, 4)),
                _ => value(rng, 2),
            };
            m.insert(name.to_string(), v);
        }
    }
    if rng.chance(20) {
        // Deep nesting.
        let mut v = scalar(rng);
        for _ in 0..rng.below(120) {
            let mut inner = Map::default();
            inner.insert("deep".into(), v);
            v = if rng.chance(10) { Value::List(vec![Value::Map(inner)]) } else { Value::Map(inner) };
        }
        m.insert("deep".into(), v);
    }
    if rng.chance(20) {
        // Wide.
        for i in 0..rng.below(300) {
            m.insert(format!("w{i}"), scalar(rng));
        }
    }
    for (k, v) in map(rng, 2, 3) {
        m.insert(k, v);
    }
    m
}

/// Runs `f` on a thread with its own stack, failing when it takes longer than
/// `limit` (a hang) or panics; returns the panic message.
pub fn run_bounded<F>(label: &str, limit: Duration, f: F)
where
    F: FnOnce() + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .stack_size(4 << 20)
        .spawn(move || {
            f();
            let _ = tx.send(());
        })
        .expect("spawn");
    match rx.recv_timeout(limit) {
        Ok(()) => {
            handle.join().expect("worker");
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The worker panicked: surface its message.
            if let Err(p) = handle.join() {
                std::panic::resume_unwind(p);
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{label}: still running after {limit:?} (hang?)");
        }
    }
}

/// Catches a panic from one case and describes it, so a run reports every
/// distinct panic rather than stopping at the first.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "non-string panic".into())
    })
}

/// Silences the default panic hook's output but records the location.
pub fn quiet_panics() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let loc = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = loc);
        }));
    });
}

thread_local! {
    pub static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

pub fn last_panic_location() -> String {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// A short rendering of a case for failure messages.
pub fn show(v: &Value) -> String {
    let s = v.to_json();
    if s.len() > 600 {
        let cut: String = s.chars().take(600).collect();
        format!("{cut}…")
    } else {
        s
    }
}
