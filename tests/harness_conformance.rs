//! Conformance of `ingot test` with elastic-package on the upstream
//! reference package in `../shared` (skipped when that directory is absent).

use ingot::harness::discovery;
use ingot::harness::json::Json;
use ingot::harness::{self, Options, Status};
use std::path::{Path, PathBuf};

mod support;
use support::shared_dir as shared;

fn seed_package(shared: &Path) -> PathBuf {
    shared.join("reference/upstream/seed/microsoft_exchange_online_message_trace")
}

fn options(shared: &Path) -> Options {
    Options {
        geoip_dir: Some(shared.join("geoip")),
        ecs: Some(shared.join("ecs/ecs_nested-8.11.0.yml")),
        ..Options::default()
    }
}

/// The expected documents pass our field validation once ECS fields are
/// known. The reconstructed seed has no `fields/ecs.yml` and its Kibana
/// constraint (`^8.12.0`) keeps elastic-package from importing the whole ECS
/// schema, so the ECS fields need `import_ecs` here.
#[test]
fn seed_expected_documents_pass_field_validation() {
    let Some(shared) = shared() else { return };
    let package = seed_package(&shared);
    for ecs in ["ecs_nested-8.11.0.yml", "ecs_flat-8.11.0.yml"] {
        let mut opts = options(&shared);
        opts.import_ecs = true;
        opts.ecs = Some(shared.join("ecs").join(ecs));
        let folders = discovery::test_folders(&package, &[]).unwrap();
        assert_eq!(folders.len(), 1);
        let folder = &folders[0];
        let validator = harness::runner::validator_for_case(folder, "test-log.log", &opts).unwrap();
        let text = std::fs::read_to_string(folder.path.join("test-log.log-expected.json")).unwrap();
        let docs = harness::compare::parse_expected(&text).unwrap();
        assert!(!docs.is_empty());
        for (i, doc) in docs
            .iter()
            .enumerate()
            .filter(|(_, d)| !matches!(d, Json::Null))
        {
            let f = validator.validate(doc);
            assert!(f.errors.is_empty(), "{ecs}: document {i}: {:#?}", f.errors);
        }
    }
}

/// The whole run on the upstream package passes: every processor, the
/// comparison with the expected file, and field validation. Like the test
/// above, this needs `import_ecs`: by elastic-package's own rules the
/// reconstructed seed leaves its ECS fields undefined.
#[test]
fn seed_package_passes() {
    let Some(shared) = shared() else { return };
    let report = harness::run(
        &[seed_package(&shared)],
        &Options {
            import_ecs: true,
            ..options(&shared)
        },
    );
    assert!(!report.results.is_empty());
    for r in &report.results {
        assert_eq!(
            r.status,
            Status::Pass,
            "{}/{}/{}: {}\n{}",
            r.package,
            r.data_stream,
            r.case,
            r.message,
            r.details
        );
    }
}

/// `external: ecs` resolves from a schema file (nested or flat) or from a
/// directory by the build manifest's reference, with ECS's `normalize`,
/// `allowed_values` and expected event types.
#[test]
fn external_ecs_fields_resolve_from_file_or_directory() {
    let Some(shared) = shared() else { return };
    let package = PathBuf::from("tests/fixtures/harness/bad/broken");
    for ecs in [
        shared.join("ecs"),
        shared.join("ecs/ecs_nested-8.11.0.yml"),
        shared.join("ecs/ecs_flat-8.11.0.yml"),
    ] {
        let options = Options {
            ecs: Some(ecs.clone()),
            data_streams: vec!["external".into()],
            ..Options::default()
        };
        let run = harness::run(std::slice::from_ref(&package), &options);
        assert_eq!(run.results.len(), 1);
        let r = &run.results[0];
        assert_eq!(r.status, Status::Fail, "{}: {}", ecs.display(), r.message);
        assert_eq!(
            r.details,
            "[0] field \"event.type\" value \"creation\" is not one of the expected values (access, error, info) for any of the values of \"event.category\" (web)"
        );
    }
}

/// Without `import_ecs` elastic-package's rules apply: `^8.12.0` admits Kibana
/// releases without `ecs@mappings`, so the ECS fields the pipeline writes are
/// undefined and the case fails (only) on field validation.
#[test]
fn seed_package_without_the_ecs_import_fails_on_fields_only() {
    let Some(shared) = shared() else { return };
    let report = harness::run(&[seed_package(&shared)], &options(&shared));
    assert_eq!(report.results.len(), 1);
    let r = &report.results[0];
    assert_eq!(r.status, Status::Fail);
    assert_eq!(
        r.message,
        "test case failed: one or more problems with fields found in documents"
    );
    assert!(
        r.details
            .contains("[0] field \"destination.as.number\" is undefined"),
        "{}",
        r.details
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
            std::fs::write(&target, std::fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

/// `--generate` on a copy of the seed writes its expected file as
/// elastic-package wrote it. The stored upstream text lacks the final
/// newline elastic-package appends (the reference store drops it), so the
/// comparison ignores that one byte.
#[test]
fn generate_on_the_seed_reproduces_its_expected_file() {
    let Some(shared) = shared() else { return };
    let tmp_guard = tempfile::tempdir().unwrap();
    let tmp = tmp_guard.path().to_path_buf();
    let copy = tmp.join("microsoft_exchange_online_message_trace");
    copy_dir(&seed_package(&shared), &copy);
    let relative = "data_stream/log/_dev/test/pipeline/test-log.log-expected.json";
    std::fs::remove_file(copy.join(relative)).unwrap();
    let opts = Options {
        import_ecs: true,
        generate: harness::Generate::All,
        ..options(&shared)
    };
    let report = harness::run(std::slice::from_ref(&copy), &opts);
    assert_eq!(
        report.results[0].status,
        Status::Pass,
        "{}",
        report.results[0].details
    );
    let generated = std::fs::read_to_string(copy.join(relative)).unwrap();
    let upstream = std::fs::read_to_string(seed_package(&shared).join(relative)).unwrap();
    std::fs::remove_dir_all(&tmp).unwrap();
    assert!(generated.ends_with("}\n"));
    assert_eq!(
        generated.trim_end_matches('\n'),
        upstream.trim_end_matches('\n')
    );
}
