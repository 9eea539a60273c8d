//! The Microsoft Exchange Online Message Trace pipeline at speed, and the
//! memory `ingot simulate` needs for it.
//!
//! Generates Message Trace events (default 200 000, `INGOT_BENCH_EVENTS` to
//! change) as the integration receives them: each NDJSON line is a document
//! whose `message` holds one record, either a legacy PascalCase Reporting
//! Web Service record or a Graph camelCase one. They run through the full
//! pipeline, GeoIP and ASN lookups included, with `simulate_ndjson`: the
//! streaming code `ingot simulate --pipeline` runs. The floor is what any
//! simulator has to do at least, measured in the same run on the same input:
//! parse each line with serde_json and serialise it again.
//!
//! Both run on one thread, then on `INGOT_BENCH_THREADS` threads (default:
//! one per available core; `1` skips this part): ingot with
//! `simulate_ndjson_parallel`, the floor with its lines split between the
//! threads. Each is compared with the floor on as many threads.
//!
//! Memory: the real `ingot simulate` binary runs as a child process over an
//! NDJSON file of each size in `INGOT_BENCH_RSS_EVENTS` (default
//! `200000,1000000`; `0` skips) with its default threads, and its peak RSS
//! is reported.
//!
//! The pipeline comes from `INGOT_BENCH_PIPELINE`; by default our own
//! compiled Message Trace pipeline under `pipelines/`, else the upstream seed
//! pipeline in the shared reference checkout. The GeoIP databases are built
//! here from our own records with `ingot::geoip::writer`.
//!
//! Run with `cargo bench --bench message_trace`.

use ingot::geoip::writer;
use ingot::pipeline::{BuildContext, Pipeline, PipelineRegistry};
use ingot::simulate::{default_threads, simulate_ndjson, simulate_ndjson_parallel};
use serde_json::json;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "support/mod.rs"]
mod support;
use support::best_of;

// The same allocator as the `ingot` binary, so the library runs here as it runs there.
#[global_allocator]
static ALLOCATOR: ingot::allocator::Mimalloc = ingot::allocator::Mimalloc;

const SEED_PIPELINE: &str =
    "shared/reference/upstream/seed/microsoft_exchange_online_message_trace/data_stream/log/elasticsearch/ingest_pipeline/default.yml";

fn main() {
    let n: usize = env_number("INGOT_BENCH_EVENTS").unwrap_or(200_000);
    if let Some(dir) = std::env::var_os("INGOT_BENCH_DUMP") {
        dump(Path::new(&dir), n);
        return;
    }
    let Some(pipeline_path) = pipeline_path() else {
        println!(
            "message_trace benchmark skipped: no Message Trace pipeline found. Set INGOT_BENCH_PIPELINE to one \
             (our compiled pipeline under pipelines/, or the upstream seed's default.yml)."
        );
        return;
    };
    let work =
        std::env::temp_dir().join(format!("ingot-bench-message-trace-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("creating the bench directory");
    let geoip_dir = work.join("geoip");
    write_geoip_databases(&geoip_dir);

    let ctx = BuildContext {
        registry: Arc::new(PipelineRegistry::with_dirs(vec![pipeline_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()])),
        geoip_dir: Some(geoip_dir.clone()),
    };
    let pipeline = Pipeline::load(&pipeline_path, &ctx)
        .unwrap_or_else(|e| panic!("{} does not load: {e:?}", pipeline_path.display()));

    let mut input = Vec::with_capacity(n * 700);
    Events::new(0)
        .write(n, &mut input)
        .expect("writing to a Vec");
    println!(
        "message_trace benchmark: {n} events, {:.1} MB of NDJSON",
        input.len() as f64 / 1e6
    );
    println!(
        "pipeline: {} ({} processors)",
        pipeline_path.display(),
        pipeline.processors.len()
    );

    let mut floor_bytes = 0;
    let floor = best_of(3, || floor_bytes = floor_run(&input));

    let mut counts = None;
    let mut out_bytes = 0;
    let simulate = best_of(3, || {
        let mut out = Counting::default();
        counts = Some(
            simulate_ndjson(&pipeline, input.as_slice(), &mut out, |m| {
                panic!("{}", m.message)
            })
            .expect("counting"),
        );
        out_bytes = out.0;
    });
    let counts = counts.expect("ran at least once");
    assert_eq!(
        counts.output + counts.failed + counts.dropped,
        n as u64,
        "every event gives a line"
    );

    // The same work on `threads` threads: the floor split across them (each
    // thread a contiguous share of the lines, no ordering to keep), and
    // ingot's parallel streaming.
    let threads = env_number("INGOT_BENCH_THREADS").unwrap_or_else(default_threads).max(1);
    let parallel = (threads > 1).then(|| {
        let shares = split_lines(&input, threads);
        let floor = best_of(3, || {
            std::thread::scope(|scope| {
                for share in &shares {
                    scope.spawn(move || floor_run(share));
                }
            });
        });
        let mut parallel_counts = None;
        let mut parallel_bytes = 0;
        let simulate = best_of(3, || {
            let mut out = Counting::default();
            parallel_counts = Some(
                simulate_ndjson_parallel(&pipeline, input.as_slice(), &mut out, threads, |m| {
                    panic!("{}", m.message)
                })
                .expect("counting"),
            );
            parallel_bytes = out.0;
        });
        assert_eq!(parallel_counts, Some(counts), "the same counts on {threads} threads");
        assert_eq!(parallel_bytes, out_bytes, "the same output on {threads} threads");
        (floor, simulate)
    });

    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!("1 thread:");
    println!(
        "  serde_json parse + serialise (floor): {:>10.0} events/s  {:>7.1} MB/s out",
        rate(floor),
        floor_bytes as f64 / 1e6 / floor.as_secs_f64()
    );
    println!(
        "  ingot simulate --pipeline:            {:>10.0} events/s  {:>7.1} MB/s out",
        rate(simulate),
        out_bytes as f64 / 1e6 / simulate.as_secs_f64()
    );
    let ratio = simulate.as_secs_f64() / floor.as_secs_f64();
    println!(
        "  ratio: ingot takes {ratio:.2}x the floor's time (target 5x: {}) ({} out, {} failed, {} dropped)",
        if ratio <= 5.0 { "met" } else { "NOT met" },
        counts.output,
        counts.failed,
        counts.dropped
    );
    if let Some((parallel_floor, parallel)) = parallel {
        println!("{threads} threads:");
        println!(
            "  serde_json parse + serialise (floor): {:>10.0} events/s",
            rate(parallel_floor)
        );
        println!(
            "  ingot simulate --pipeline:            {:>10.0} events/s  ({:.2}x its 1-thread rate)",
            rate(parallel),
            simulate.as_secs_f64() / parallel.as_secs_f64()
        );
        println!(
            "  ratio: ingot takes {:.2}x the {threads}-thread floor's time, {:.2}x the 1-thread floor's",
            parallel.as_secs_f64() / parallel_floor.as_secs_f64(),
            parallel.as_secs_f64() / floor.as_secs_f64()
        );
    }

    memory(&pipeline_path, &geoip_dir, &work);
    let _ = std::fs::remove_dir_all(&work);
}

/// Writes the benchmark's input where `ingot simulate` can read it, so that
/// two builds' outputs on the same events can be compared byte for byte:
/// `events.ndjson` and the GeoIP databases under `geoip/`.
fn dump(dir: &Path, n: usize) {
    write_geoip_databases(&dir.join("geoip"));
    let file = dir.join("events.ndjson");
    let mut out = io::BufWriter::new(std::fs::File::create(&file).expect("creating the events file"));
    Events::new(0).write(n, &mut out).expect("writing the events file");
    out.flush().expect("writing the events file");
    println!("wrote {n} events to {} and GeoIP databases to {}", file.display(), dir.join("geoip").display());
}

/// The floor: each line parsed into a `serde_json::Value` and written back.
/// Gives the bytes written.
fn floor_run(input: &[u8]) -> u64 {
    let mut out = Counting::default();
    let mut buf = Vec::with_capacity(4096);
    for line in input.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        buf.clear();
        let v: serde_json::Value = serde_json::from_slice(line).expect("generated events are JSON");
        serde_json::to_writer(&mut buf, &v).expect("writing to a Vec");
        buf.push(b'\n');
        out.write_all(&buf).expect("counting");
    }
    out.0
}

/// `input` cut at line ends into `parts` shares of about the same size.
fn split_lines(input: &[u8], parts: usize) -> Vec<&[u8]> {
    let mut shares = Vec::with_capacity(parts);
    let mut rest = input;
    for left in (1..=parts).rev() {
        let want = rest.len() / left;
        let cut = rest[want..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(rest.len(), |i| want + i + 1);
        let (share, tail) = rest.split_at(cut);
        shares.push(share);
        rest = tail;
    }
    shares
}

/// Peak RSS of the `ingot simulate` binary over files of each size.
fn memory(pipeline_path: &Path, geoip_dir: &Path, work: &Path) {
    let sizes: Vec<usize> = std::env::var("INGOT_BENCH_RSS_EVENTS")
        .unwrap_or_else(|_| "200000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|&n| n > 0)
        .collect();
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_ingot"));
    for n in sizes {
        let file = work.join(format!("events-{n}.ndjson"));
        {
            let mut out =
                io::BufWriter::new(std::fs::File::create(&file).expect("creating the events file"));
            Events::new(0)
                .write(n, &mut out)
                .expect("writing the events file");
            out.flush().expect("writing the events file");
        }
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let start = Instant::now();
        let child = Command::new(&binary)
            .arg("simulate")
            .arg("--geoip-dir")
            .arg(geoip_dir)
            .arg("--pipeline")
            .arg(pipeline_path)
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(work.join("stderr.txt")).expect("creating the stderr file"),
            )
            .spawn()
            .expect("starting ingot simulate");
        let (status, peak_kib) = wait_with_peak_rss(child);
        let elapsed = start.elapsed();
        let _ = std::fs::remove_file(&file);
        assert!(
            status,
            "ingot simulate failed on {}: {}",
            file.display(),
            std::fs::read_to_string(work.join("stderr.txt")).unwrap_or_default()
        );
        match peak_kib {
            Some(kib) => println!(
                "ingot simulate binary ({} threads), {n} events ({:.0} MB): peak RSS {:.1} MiB (target 64 MiB: {}), {:.0} events/s",
                default_threads(),
                size as f64 / 1e6,
                kib as f64 / 1024.0,
                if kib <= 64 * 1024 { "met" } else { "NOT met" },
                n as f64 / elapsed.as_secs_f64()
            ),
            None => println!("ingot simulate binary, {n} events: peak RSS not measurable here (no /proc)"),
        }
    }
}

/// Waits for the child and gives whether it succeeded and its peak resident
/// set in KiB: the largest `VmHWM` (the kernel's high-water mark of the
/// process's RSS since its `exec`) read from `/proc` while it runs. Not
/// `ru_maxrss`: for a child it also counts the parent's pages from before
/// the `exec`, here the whole NDJSON input the benchmark holds.
fn wait_with_peak_rss(mut child: std::process::Child) -> (bool, Option<u64>) {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(vm_hwm_kib)
        {
            peak = Some(peak.unwrap_or(0).max(kib));
        }
        match child.try_wait() {
            Ok(Some(status)) => return (status.success(), peak),
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => return (false, peak),
        }
    }
}

fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line["VmHWM:".len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// `INGOT_BENCH_PIPELINE`, else our own compiled pipeline, else the seed's.
fn pipeline_path() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("INGOT_BENCH_PIPELINE") {
        return Some(PathBuf::from(p));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for candidate in [
        "pipelines/log/default.json",
        "pipelines/log/default.yml",
        "pipelines/default.json",
    ] {
        let p = root.join(candidate);
        if p.is_file() {
            return Some(p);
        }
    }
    if let Some(p) = find_message_trace_pipeline(&root.join("pipelines")) {
        return Some(p);
    }
    root.ancestors()
        .map(|dir| dir.join(SEED_PIPELINE))
        .find(|p| p.is_file())
}

/// A pipeline file under `dir` that reads Message Trace records.
fn find_message_trace_pipeline(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if let Some(found) = find_message_trace_pipeline(&path) {
                return Some(found);
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yml" | "yaml")
        ) && std::fs::read_to_string(&path)
            .is_ok_and(|t| t.contains("online_message_trace"))
        {
            return Some(path);
        }
    }
    None
}

/// Networks the generated addresses come from: (prefix, city record, ASN).
/// The last few are left out of the databases so some lookups miss.
const NETWORKS: &[(&str, &str, &str, &str, f64, f64, u32, &str)] = &[
    (
        "81.2",
        "GB",
        "Europe",
        "London",
        51.5142,
        -0.0931,
        20712,
        "Andrews & Arnold Ltd",
    ),
    (
        "216.160",
        "US",
        "North America",
        "Milton",
        47.2513,
        -122.3149,
        209,
        "CenturyLink Communications",
    ),
    (
        "40.107",
        "US",
        "North America",
        "Boydton",
        36.6676,
        -78.3875,
        8075,
        "Microsoft Corporation",
    ),
    (
        "52.100",
        "IE",
        "Europe",
        "Dublin",
        53.3331,
        -6.2489,
        8075,
        "Microsoft Corporation",
    ),
    (
        "104.47",
        "NL",
        "Europe",
        "Amsterdam",
        52.3759,
        4.8975,
        8075,
        "Microsoft Corporation",
    ),
    (
        "209.85",
        "US",
        "North America",
        "Mountain View",
        37.4056,
        -122.0775,
        15169,
        "Google LLC",
    ),
    (
        "89.160",
        "SE",
        "Europe",
        "Stockholm",
        59.3294,
        18.0686,
        8473,
        "Bahnhof AB",
    ),
    (
        "175.45",
        "JP",
        "Asia",
        "Tokyo",
        35.6893,
        139.6899,
        2516,
        "KDDI Corporation",
    ),
    (
        "2.125",
        "FR",
        "Europe",
        "Paris",
        48.8582,
        2.3387,
        3215,
        "Orange S.A.",
    ),
    (
        "177.71",
        "BR",
        "South America",
        "Sao Paulo",
        -23.5335,
        -46.6359,
        28573,
        "Claro NXT Telecomunicacoes Ltda",
    ),
    // Not in the databases.
    ("10.20", "", "", "", 0.0, 0.0, 0, ""),
    ("192.168", "", "", "", 0.0, 0.0, 0, ""),
];
const COVERED: usize = 10;

fn write_geoip_databases(dir: &Path) {
    std::fs::create_dir_all(dir).expect("creating the GeoIP directory");
    let mut city = Vec::new();
    let mut asn = Vec::new();
    for &(prefix, country, continent, city_name, lat, lon, number, org) in &NETWORKS[..COVERED] {
        let cidr = format!("{prefix}.0.0/16");
        city.push((
            cidr.clone(),
            json!({
                "city": {"names": {"en": city_name}},
                "continent": {"code": &continent[..2].to_uppercase(), "names": {"en": continent}},
                "country": {"iso_code": country, "names": {"en": country}},
                "location": {"latitude": lat, "longitude": lon, "time_zone": "Etc/UTC", "accuracy_radius": 50},
                "registered_country": {"iso_code": country, "names": {"en": country}},
                "subdivisions": [{"iso_code": "XX", "names": {"en": format!("{city_name} Region")}}]
            }),
        ));
        asn.push((
            cidr,
            json!({"autonomous_system_number": number, "autonomous_system_organization": org}),
        ));
    }
    // One IPv6 network for the Graph records that carry IPv6 addresses.
    city.push((
        "2a01:111::/32".into(),
        json!({"continent": {"code": "EU", "names": {"en": "Europe"}}, "country": {"iso_code": "IE", "names": {"en": "Ireland"}},
               "location": {"latitude": 53.0, "longitude": -8.0}}),
    ));
    asn.push(("2a01:111::/32".into(), json!({"autonomous_system_number": 8075, "autonomous_system_organization": "Microsoft Corporation"})));
    std::fs::write(
        dir.join("GeoLite2-City.mmdb"),
        writer::build("GeoLite2-City", &as_refs(&city)).expect("building the City database"),
    )
    .expect("writing the City database");
    std::fs::write(
        dir.join("GeoLite2-ASN.mmdb"),
        writer::build("GeoLite2-ASN", &as_refs(&asn)).expect("building the ASN database"),
    )
    .expect("writing the ASN database");
}

/// A deterministic generator of Message Trace events.
struct Events {
    state: u64,
}

const USERS: &[&str] = &[
    "linus",
    "ada.lovelace",
    "grace",
    "alan.turing",
    "margaret.hamilton",
    "ken",
    "dennis.ritchie",
    "barbara",
    "noreply",
    "azure-noreply",
    "it-helpdesk",
    "payroll",
    "j.doe",
    "m.mustermann",
    "s.tanaka",
    "o.dupont",
];
const DOMAINS: &[&str] = &[
    "contoso.com",
    "contoso.com",
    "contoso.com",
    "fabrikam.com",
    "azure.microsoft.com",
    "microsoft.com",
    "example.co.uk",
    "mail.example.org",
    "partner.com.au",
    "newsletter.shop.example.de",
    "gmail.com",
];
const STATUSES: &[&str] = &[
    "Delivered",
    "Delivered",
    "Delivered",
    "Delivered",
    "Failed",
    "Pending",
    "Expanded",
    "FilteredAsSpam",
    "Quarantined",
    "GettingStatus",
];
const SUBJECTS: &[&str] = &[
    "PIM: A privileged directory role was assigned outside of PIM",
    "testmail",
    "Re: Quarterly report – Q3 numbers",
    "Your invoice #{} is ready",
    "Meeting: \"Architecture review\" moved to 15:00",
    "Fw: Café opening / Eröffnung 🎉",
    "[JIRA] (OPS-{}) Disk usage above 90% on host db-{}",
    "",
];

impl Events {
    fn new(seed: u64) -> Events {
        Events {
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D,
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn address(&mut self) -> String {
        format!("{}@{}", self.pick(USERS), self.pick(DOMAINS))
    }

    fn ip(&mut self) -> String {
        let r = self.next();
        if r % 50 == 0 {
            return format!(
                "2a01:111:f400:{:x}::{:x}",
                (r >> 8) & 0xffff,
                (r >> 24) & 0xfff
            );
        }
        let (prefix, ..) = NETWORKS[(r >> 8) as usize % NETWORKS.len()];
        format!("{prefix}.{}.{}", (r >> 16) & 0xff, 1 + (r >> 24) % 254)
    }

    fn guid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    fn subject(&mut self, i: usize) -> String {
        let s = self.pick(SUBJECTS);
        s.replacen("{}", &(i % 9973).to_string(), 1)
            .replacen("{}", &(i % 17).to_string(), 1)
    }

    /// `2022-09-05T18:10:13.4907658` with a varying number of fraction digits.
    fn timestamp(&mut self, i: usize, zulu: bool) -> String {
        let secs = 1_662_400_000 + i as i64 * 7 + self.below(5) as i64;
        let t = chrono::DateTime::from_timestamp(secs, 0)
            .expect("in range")
            .naive_utc();
        let digits = [7, 7, 7, 6, 0][self.below(5)];
        let mut s = t.format("%Y-%m-%dT%H:%M:%S").to_string();
        if digits > 0 {
            let frac = self.next() % 10_000_000;
            let _ = write!(
                s,
                ".{:0width$}",
                frac / 10u64.pow(7 - digits as u32),
                width = digits
            );
        }
        if zulu {
            s.push('Z');
        }
        s
    }

    /// A legacy Reporting Web Service record, PascalCase, keys in varying order.
    fn legacy(&mut self, i: usize) -> String {
        let to_ip = if self.below(4) == 0 {
            "null".to_string()
        } else {
            json_string(&self.ip())
        };
        let zulu = self.below(2) == 0;
        let received = self.timestamp(i, zulu);
        let fields = [
            format!(r#""Organization":"contoso.com""#),
            format!(
                r#""MessageId":{}"#,
                json_string(&format!(
                    "<{}@{}.prod.outlook.com>",
                    self.guid(),
                    self.pick(&[
                        "GVAP278MB0375",
                        "AM6PR04MB",
                        "az.uksouth.production.microsoft.com"
                    ])
                ))
            ),
            format!(r#""Received":"{received}""#),
            format!(r#""SenderAddress":{}"#, json_string(&self.address())),
            format!(r#""RecipientAddress":{}"#, json_string(&self.address())),
            format!(r#""Subject":{}"#, json_string(&self.subject(i))),
            format!(r#""Status":"{}""#, self.pick(STATUSES)),
            format!(r#""ToIP":{to_ip}"#),
            format!(r#""FromIP":{}"#, json_string(&self.ip())),
            format!(r#""Size":{}"#, 1_000 + self.below(5_000_000)),
            format!(r#""MessageTraceId":"{}""#, self.guid()),
            format!(
                r#""StartDate":"{}""#,
                self.timestamp(i.saturating_sub(100_000), true)
            ),
            format!(r#""EndDate":"{}""#, self.timestamp(i + 10_000, true)),
            format!(r#""Index":{}"#, i % 1000),
        ];
        let rotate = self.below(fields.len());
        let mut out = String::from("{");
        for k in 0..fields.len() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(&fields[(k + rotate) % fields.len()]);
        }
        out.push('}');
        out
    }

    /// A Microsoft Graph messageTrace record, camelCase.
    fn graph(&mut self, i: usize) -> String {
        let status = self.pick(STATUSES).to_ascii_lowercase();
        let to_ip = if self.below(3) == 0 {
            "null".to_string()
        } else {
            json_string(&self.ip())
        };
        format!(
            r#"{{"id":"{}","messageId":{},"receivedDateTime":"{}","senderAddress":{},"recipientAddress":{},"subject":{},"status":"{}","size":{},"fromIP":{},"toIP":{}}}"#,
            self.guid(),
            json_string(&format!("<{}@{}>", self.guid(), self.pick(DOMAINS))),
            self.timestamp(i, true),
            json_string(&self.address()),
            json_string(&self.address()),
            json_string(&self.subject(i)),
            status,
            500 + self.below(20_000_000),
            json_string(&self.ip()),
            to_ip
        )
    }

    /// One NDJSON document: the record in `message`, plus what the
    /// integration's agent adds (the tests' common config: `tags` and
    /// `_conf.local_domains`) on most of them.
    fn event(&mut self, i: usize) -> String {
        let record = match self.below(1000) {
            0..=3 => r#"{"value":[]}"#.to_string(), // the "no results" page, dropped
            4..=599 => self.legacy(i),
            _ => self.graph(i),
        };
        let mut line = format!(r#"{{"message":{}"#, json_string(&record));
        match self.below(10) {
            0..=5 => line.push_str(r#","tags":["preserve_original_event","forwarded"],"_conf":{"local_domains":["contoso.com","fabrikam.com"]}"#),
            6..=7 => line.push_str(r#","tags":["forwarded"],"_conf":{"local_domains":"contoso.com"}"#),
            _ => line.push_str(r#","tags":["forwarded"]"#),
        }
        line.push_str(r#","input":{"type":"httpjson"},"data_stream":{"type":"logs","dataset":"microsoft_exchange_online_message_trace.log","namespace":"default"}}"#);
        line
    }

    fn write(&mut self, n: usize, out: &mut impl Write) -> io::Result<()> {
        for i in 0..n {
            let line = self.event(i);
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

fn as_refs(v: &[(String, serde_json::Value)]) -> Vec<(&str, serde_json::Value)> {
    v.iter().map(|(c, j)| (c.as_str(), j.clone())).collect()
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}


/// A writer that keeps only the count of bytes, so neither run pays for
/// growing an output buffer.
#[derive(Default)]
struct Counting(u64);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
