//! What `ingot build` does, as a library function the binary's thin
//! `src/cli/build.rs` and the tests share: compile each integration, then
//! write its files or, with `check`, compare them and report drift.

use crate::dsl::integration::Integration;
use crate::package::{compile, drift, BuildSettings};
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct BuildRequest {
    /// Compare instead of writing; drift makes the exit code 1.
    pub check: bool,
    /// Where `package/`, `pipelines/`, `fields/` and `sample_events/` live.
    pub root: PathBuf,
    /// Directory with `ecs_flat-<version>.yml`, if given.
    pub ecs_dir: Option<PathBuf>,
    /// Package names to build; empty means all.
    pub names: Vec<String>,
}

/// Runs the build over `integrations`; returns the exit code: 0 when done
/// (or up to date), 1 on build errors or drift, 2 for unknown names.
pub fn run(request: &BuildRequest, integrations: &[Integration]) -> i32 {
    let unknown: Vec<&String> = request
        .names
        .iter()
        .filter(|n| !integrations.iter().any(|i| &i.name == *n))
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = integrations.iter().map(|i| i.name.as_str()).collect();
        eprintln!("ingot build: unknown integration(s) {unknown:?}; known: {known:?}");
        return 2;
    }
    if integrations.is_empty() {
        println!("ingot build: no integrations are listed in src/integrations/mod.rs");
        return 0;
    }
    let settings = BuildSettings::new(&request.root, request.ecs_dir.clone());
    let mut failed = false;
    for integration in integrations
        .iter()
        .filter(|i| request.names.is_empty() || request.names.contains(&i.name))
    {
        let output = match compile(integration, &settings) {
            Ok(o) => o,
            Err(errors) => {
                for e in &errors {
                    eprintln!("{}: {e}", integration.name);
                }
                eprintln!(
                    "ingot build: {} failed with {} error(s)",
                    integration.name,
                    errors.len()
                );
                failed = true;
                continue;
            }
        };
        for w in &output.warnings {
            eprintln!("{}: {w}", integration.name);
        }
        if request.check {
            let drifts = drift::compare(&settings.root, &output);
            for d in &drifts {
                println!("{d}");
            }
            if drifts.is_empty() {
                println!(
                    "{}: {} generated files are up to date",
                    integration.name,
                    output.files.len()
                );
            } else {
                eprintln!(
                    "ingot build --check: {} file(s) of {} drifted; run `ingot build`",
                    drifts.len(),
                    integration.name
                );
                failed = true;
            }
        } else {
            match drift::write(&settings.root, &output) {
                Ok(touched) => {
                    for p in &touched {
                        println!("wrote {}", p.display());
                    }
                    println!(
                        "{}: {} files, {} changed",
                        integration.name,
                        output.files.len(),
                        touched.len()
                    );
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
