//! `ingot lint`: report everything Elasticsearch would refuse in pipelines.

use super::{build_context, search_dir, GlobalArgs, EXIT_OK, EXIT_REFUSED};
use ingot::lint::{self, Problem};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Check pipeline files: every processor built, every template and Painless script compiled",
    after_help = "Each problem prints as `FILE: processors[i] (type, tag \"t\"): message`. A directory \
stands for the .json, .yml and .yaml files directly in it.\n\n\
Exit status: 0 when no pipeline has a problem, 1 otherwise."
)]
pub struct Args {
    /// Pipeline files (JSON or YAML), or directories of them.
    #[arg(value_name = "PIPELINE", required = true)]
    pub pipelines: Vec<PathBuf>,

    /// Directory of pipelines that `pipeline` processors refer to; repeatable.
    #[arg(long, value_name = "DIR")]
    pub pipelines_dir: Vec<PathBuf>,
}

pub fn run(args: &Args, global: &GlobalArgs) -> ExitCode {
    let files = expand(&args.pipelines);
    let mut problems = 0usize;
    let mut bad_files = 0usize;
    for file in &files {
        let found: Vec<Problem> = match file {
            Err(problem) => vec![problem.clone()],
            Ok(path) => {
                let mut dirs = args.pipelines_dir.clone();
                dirs.push(search_dir(path));
                lint::lint_file(path, &build_context(global, dirs))
            }
        };
        if !found.is_empty() {
            bad_files += 1;
            problems += found.len();
        }
        for p in &found {
            println!("{p}");
        }
    }
    if problems == 0 {
        eprintln!("ingot: {} pipeline{} OK", files.len(), plural(files.len()));
        ExitCode::from(EXIT_OK)
    } else {
        eprintln!(
            "ingot: {problems} problem{} in {bad_files} of {} pipeline{}",
            plural(problems),
            files.len(),
            plural(files.len())
        );
        ExitCode::from(EXIT_REFUSED)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Files to lint, directories replaced by the pipeline files in them; a
/// directory that cannot be read is itself a problem.
fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, Problem>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(Ok(path.clone()));
            continue;
        }
        match std::fs::read_dir(path) {
            Err(e) => files.push(Err(Problem {
                file: path.display().to_string(),
                location: None,
                processor_type: None,
                tag: None,
                message: format!("cannot read the directory: {e}"),
            })),
            Ok(entries) => {
                let mut found: Vec<PathBuf> =
                    entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| is_pipeline_file(p)).collect();
                found.sort();
                files.extend(found.into_iter().map(Ok));
            }
        }
    }
    files
}

fn is_pipeline_file(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "json" || e == "yml" || e == "yaml")
}
