//! `ingot build`: compiles every integration into its package and files;
//! `ingot build --check` compares instead of writing and fails on drift.

use ingot::dsl::integration::Integration;
use ingot::package::{compile, drift, BuildSettings};
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct BuildArgs {
    /// Compare the generated files with the tree, print a unified diff of
    /// each difference and exit 1 on drift; write nothing.
    #[arg(long)]
    pub check: bool,
    /// Where `package/`, `pipelines/`, `fields/` and `sample_events/` live.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Directory holding `ecs_flat-<version>.yml` (default: INGOT_ECS_DIR,
    /// then ../shared/ecs beside the root; without one, the lock file).
    #[arg(long)]
    pub ecs_dir: Option<PathBuf>,
    /// Integrations to build, by package name (default: all).
    pub names: Vec<String>,
}

/// Runs the command on the integrations given; returns the exit code.
pub fn run_with(args: &BuildArgs, integrations: &[Integration]) -> i32 {
    let unknown: Vec<&String> = args.names.iter().filter(|n| !integrations.iter().any(|i| &i.name == *n)).collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = integrations.iter().map(|i| i.name.as_str()).collect();
        eprintln!("ingot build: unknown integration(s) {unknown:?}; known: {known:?}");
        return 2;
    }
    let settings = BuildSettings::new(&args.root, args.ecs_dir.clone());
    let mut failed = false;
    for integration in integrations.iter().filter(|i| args.names.is_empty() || args.names.contains(&i.name)) {
        let output = match compile(integration, &settings) {
            Ok(o) => o,
            Err(errors) => {
                for e in &errors {
                    eprintln!("{}: {e}", integration.name);
                }
                eprintln!("ingot build: {} failed with {} error(s)", integration.name, errors.len());
                failed = true;
                continue;
            }
        };
        for w in &output.warnings {
            eprintln!("{}: {w}", integration.name);
        }
        if args.check {
            let drifts = drift::compare(&settings.root, &output);
            for d in &drifts {
                println!("{d}");
            }
            if drifts.is_empty() {
                println!("{}: {} generated files are up to date", integration.name, output.files.len());
            } else {
                eprintln!("ingot build --check: {} file(s) of {} drifted; run `ingot build`", drifts.len(), integration.name);
                failed = true;
            }
        } else {
            match drift::write(&settings.root, &output) {
                Ok(touched) => {
                    for p in &touched {
                        println!("wrote {}", p.display());
                    }
                    println!("{}: {} files, {} changed", integration.name, output.files.len(), touched.len());
                }
                Err(e) => {
                    eprintln!("ingot build: {e}");
                    failed = true;
                }
            }
        }
    }
    i32::from(failed)
}

/// `ingot build` over the integrations compiled into ingot.
pub fn run(args: &BuildArgs) -> i32 {
    run_with(args, &ingot::integrations::all())
}
