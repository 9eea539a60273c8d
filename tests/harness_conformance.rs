//! Conformance of `ingot test` with elastic-package on the upstream
//! reference package in `../shared` (skipped when that directory is absent).

use ingot::harness::discovery;
use ingot::harness::json::Json;
use ingot::harness::{self, Options, Status};
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    // `INGOT_SHARED_DIR` lets a git worktree elsewhere point at the data.
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
        for (i, doc) in docs.iter().enumerate().filter(|(_, d)| !matches!(d, Json::Null)) {
            let f = validator.validate(doc);
            assert!(f.errors.is_empty(), "{ecs}: document {i}: {:#?}", f.errors);
        }
    }
}

/// The whole run on the upstream package passes.
/// Like the validation test above, this needs `import_ecs`: by elastic-package's
/// own rules the reconstructed seed leaves its ECS fields undefined.
#[test]
#[ignore = "needs the rename, script (Painless), date, grok, user_agent etc. processors, which are not on main yet"]
fn seed_package_passes() {
    let Some(shared) = shared() else { return };
    let report = harness::run(&[seed_package(&shared)], &Options { import_ecs: true, ..options(&shared) });
    assert!(!report.results.is_empty());
    for r in &report.results {
        assert_eq!(r.status, Status::Pass, "{}/{}/{}: {}\n{}", r.package, r.data_stream, r.case, r.message, r.details);
    }
}
