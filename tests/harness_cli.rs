//! `ingot test` on the fixture packages in tests/fixtures/harness.

use ingot::harness::{self, report, Generate, Options, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

const GOOD: &str = "tests/fixtures/harness/good/sample";
const BAD: &str = "tests/fixtures/harness/bad/broken";

/// Replaces wall-clock timestamps (from `_ingest.timestamp`) so output is stable.
fn redact(text: &str) -> String {
    let re = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z").unwrap();
    re.replace_all(text, "[timestamp]").into_owned()
}

#[test]
fn good_package_passes() {
    let run = harness::run(&[PathBuf::from(GOOD)], &Options::default());
    assert_eq!(run.results.len(), 3);
    for r in &run.results {
        assert_eq!(
            r.status,
            Status::Pass,
            "{}: {}\n{}",
            r.case,
            r.message,
            r.details
        );
    }
    assert_eq!(report::summary_line(&run.results), "3 passed, 0 failed");
}

#[test]
fn broken_package_reports_every_problem() {
    let options = Options {
        verbose: true,
        ..Options::default()
    };
    let run = harness::run(&[PathBuf::from(BAD)], &options);
    insta::assert_snapshot!(redact(&report::human(&run.results, false)));
}

#[test]
fn strict_reports_what_elastic_package_lets_through() {
    let options = Options {
        strict: true,
        data_streams: vec!["access".into()],
        ..Options::default()
    };
    let run = harness::run(&[PathBuf::from(GOOD)], &options);
    insta::assert_snapshot!(report::human(&run.results, false));
}

#[test]
fn data_stream_filter_and_unknown_data_streams() {
    let options = Options {
        data_streams: vec!["failures".into()],
        ..Options::default()
    };
    let run = harness::run(&[PathBuf::from(BAD)], &options);
    assert_eq!(run.results.len(), 1);
    assert_eq!(run.results[0].case, "test-failures.json");
    let options = Options {
        data_streams: vec!["nope".into()],
        ..Options::default()
    };
    let run = harness::run(&[PathBuf::from(BAD)], &options);
    assert_eq!(run.results[0].status, Status::Error);
    assert!(
        run.results[0]
            .message
            .starts_with("stat directory failed (path: "),
        "{}",
        run.results[0].message
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn expected_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            expected_files(&path, out);
        } else if path.to_string_lossy().ends_with("-expected.json") {
            out.push(path);
        }
    }
}

#[test]
fn generate_reproduces_expected_files_byte_for_byte() {
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    let copy = tmp.join("sample");
    copy_dir(Path::new(GOOD), &copy);
    let mut originals = Vec::new();
    expected_files(Path::new(GOOD), &mut originals);
    assert_eq!(originals.len(), 3);
    let mut copies = Vec::new();
    expected_files(&copy, &mut copies);
    for c in &copies {
        std::fs::remove_file(c).unwrap();
    }
    let run = harness::run(
        std::slice::from_ref(&copy),
        &Options {
            generate: Generate::All,
            ..Options::default()
        },
    );
    assert!(
        run.results.iter().all(|r| r.status == Status::Pass),
        "{:#?}",
        run.results
    );
    for original in originals {
        let relative = original.strip_prefix(GOOD).unwrap();
        let generated = std::fs::read(copy.join(relative)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&generated),
            String::from_utf8_lossy(&std::fs::read(&original).unwrap()),
            "{}",
            relative.display()
        );
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn generate_one_case_touches_only_that_file() {
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    let copy = tmp.join("sample");
    copy_dir(Path::new(GOOD), &copy);
    let folder = copy.join("data_stream/access/_dev/test/pipeline");
    std::fs::write(
        folder.join("test-access.log-expected.json"),
        "{\"expected\": []}\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("test-events.json-expected.json"),
        "{\"expected\": []}\n",
    )
    .unwrap();
    let only = folder.join("test-access.log").canonicalize().unwrap();
    let run = harness::run(
        std::slice::from_ref(&copy),
        &Options {
            generate: Generate::Only(only),
            ..Options::default()
        },
    );
    assert_eq!(run.results.len(), 1);
    assert_eq!(run.results[0].status, Status::Pass);
    assert_eq!(
        std::fs::read_to_string(folder.join("test-events.json-expected.json")).unwrap(),
        "{\"expected\": []}\n"
    );
    assert_ne!(
        std::fs::read_to_string(folder.join("test-access.log-expected.json")).unwrap(),
        "{\"expected\": []}\n"
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}

fn ingot(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ingot"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn cli_exit_codes_and_formats() {
    let (code, out) = ingot(&["test", GOOD]);
    assert_eq!(code, 0);
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");
    let (code, out) = ingot(&["test", BAD, "--format", "json"]);
    assert_eq!(code, 1);
    let records: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &records[0];
    assert_eq!(first["package"], "broken");
    assert_eq!(first["data_stream"], "checks");
    assert_eq!(first["case"], "test-badconfig.log");
    assert_eq!(first["status"], "error");
    assert!(first["duration_ms"].is_u64());
    let (code, out) = ingot(&["test", BAD, "--format", "junit", "-d", "failures"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "<testcase name=\"pipeline test: test-failures.json\" classname=\"broken.failures\""
        ),
        "{out}"
    );
    assert!(out.contains("<failure message=\"test case failed: one or more problems with fields found in documents\">"), "{out}");
}

#[test]
fn coverage_lists_processors_that_never_ran() {
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    std::fs::create_dir_all(&tmp).unwrap();
    let good = Path::new(GOOD).canonicalize().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ingot"))
        .args(["test", "--coverage", "--color", "never"])
        .arg(&good)
        .current_dir(&tmp)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("default.yml: 8/8 processors ran (100.0%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("user.yml: 0/2 processors ran (0.0%)"),
        "{stdout}"
    );
    let reports: Vec<_> = std::fs::read_dir(tmp.join("build/test-coverage"))
        .unwrap()
        .collect();
    assert_eq!(reports.len(), 1);
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn coverage_does_not_count_on_failure_handlers_as_top_level_processors() {
    let options = Options {
        coverage: true,
        data_streams: vec!["failures".into()],
        ..Options::default()
    };
    let run = harness::run(&[PathBuf::from(BAD)], &options);
    let (source, hits) = run
        .coverage
        .pipelines
        .values()
        .find(|(s, _)| {
            s.file
                .ends_with("failures/elasticsearch/ingest_pipeline/default.yml")
        })
        .unwrap();
    assert_eq!(source.processors.len(), 2);
    // Three documents reach the first processor; the handler of document 3
    // (a `set` at index 0 of its on_failure list) is not counted for it.
    assert_eq!(hits, &vec![3, 3]);
}

#[test]
fn verbose_trace_shows_handled_and_unhandled_failures() {
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    let copy = tmp.join("broken");
    copy_dir(Path::new(BAD), &copy);
    let expected =
        copy.join("data_stream/failures/_dev/test/pipeline/test-failures.json-expected.json");
    let options = Options {
        verbose: true,
        data_streams: vec!["failures".into()],
        ..Options::default()
    };
    std::fs::write(
        &expected,
        r#"{"expected":[{"name": "n1", "uid": "u1", "user": {"id": "u1", "name": "n1"}},{},{}]}"#,
    )
    .unwrap();
    let unhandled = report::human(
        &harness::run(std::slice::from_ref(&copy), &options).results,
        false,
    );
    std::fs::write(
        &expected,
        r#"{"expected":[{"name": "n1", "uid": "u1", "user": {"id": "u1", "name": "n1"}},null,{}]}"#,
    )
    .unwrap();
    let handled = report::human(
        &harness::run(std::slice::from_ref(&copy), &options).results,
        false,
    );
    std::fs::remove_dir_all(&tmp).unwrap();
    insta::assert_snapshot!(format!("{unhandled}\n{handled}"));
}

#[test]
fn link_files_stand_for_the_files_they_name() {
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    let copy = tmp.join("sample");
    copy_dir(Path::new(GOOD), &copy);
    let ds = copy.join("data_stream/access");
    std::fs::create_dir_all(tmp.join("shared")).unwrap();
    std::fs::rename(
        ds.join("elasticsearch/ingest_pipeline/default.yml"),
        tmp.join("shared/pipeline.yml"),
    )
    .unwrap();
    std::fs::write(
        ds.join("elasticsearch/ingest_pipeline/default.yml.link"),
        "../../../../../shared/pipeline.yml 0123abcd\n",
    )
    .unwrap();
    std::fs::rename(ds.join("fields/fields.yml"), tmp.join("shared/fields.yml")).unwrap();
    std::fs::write(
        ds.join("fields/fields.yml.link"),
        "../../../../shared/fields.yml\n",
    )
    .unwrap();
    let run = harness::run(std::slice::from_ref(&copy), &Options::default());
    std::fs::remove_dir_all(&tmp).unwrap();
    assert_eq!(
        report::summary_line(&run.results),
        "3 passed, 0 failed",
        "{:#?}",
        run.results
    );
}

#[test]
fn routing_rules_become_reroute_processors_of_the_default_pipeline() {
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    let copy = tmp.join("sample");
    copy_dir(Path::new(GOOD), &copy);
    std::fs::write(
        copy.join("data_stream/access/routing_rules.yml"),
        "- source_dataset: sample.access\n  rules:\n    - target_dataset: sample.other\n      if: ctx.message == 'x'\n      namespace: ['{{labels.ns}}', default]\n",
    )
    .unwrap();
    let run = harness::run(std::slice::from_ref(&copy), &Options::default());
    std::fs::remove_dir_all(&tmp).unwrap();
    // The pipeline installs with its reroute processor; no document matches
    // the rule's condition, so every case passes as before.
    assert!(!run.results.is_empty());
    for r in &run.results {
        assert_eq!(r.status, Status::Pass, "{}: {}", r.message, r.details);
    }
}

/// The README's main job on a fresh clone: our package's pipeline tests pass
/// with nothing from outside the repository — GeoIP databases built from the
/// source JSON in sample_events/geoip, ECS definitions from the package's
/// lock file.
#[test]
fn message_trace_package_passes_with_repository_data_only() {
    let options = Options { geoip_dir: Some(PathBuf::from("sample_events/geoip")), ..Options::default() };
    let run = harness::run(&[PathBuf::from("package/microsoft_exchange_online_message_trace")], &options);
    assert!(!run.results.is_empty());
    for r in &run.results {
        assert_eq!(r.status, Status::Pass, "{}: {}\n{}", r.case, r.message, r.details);
    }
}

/// A lock recording another ECS version than build.yml names is an error
/// that says how to fix it, not a silent validation against the wrong ECS.
#[test]
fn a_stale_ecs_lock_is_refused() {
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let status = Command::new("cp")
        .args(["-r", "package/microsoft_exchange_online_message_trace"])
        .arg(&tmp)
        .status()
        .unwrap();
    assert!(status.success());
    let lock = std::fs::read_to_string("package/microsoft_exchange_online_message_trace.ecs-lock.yml").unwrap();
    let lock = lock.replace("ecs_version: 8.11.0", "ecs_version: 8.17.0");
    std::fs::write(tmp.join("microsoft_exchange_online_message_trace.ecs-lock.yml"), lock).unwrap();
    let options = Options { geoip_dir: Some(PathBuf::from("sample_events/geoip")), ..Options::default() };
    let run = harness::run(&[tmp.join("microsoft_exchange_online_message_trace")], &options);
    assert!(run.results.iter().all(|r| r.status == Status::Error));
    assert!(run.results[0].message.contains("records ECS 8.17.0"), "{}", run.results[0].message);
    std::fs::remove_dir_all(&tmp).ok();
}
