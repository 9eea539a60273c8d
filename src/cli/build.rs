//! `ingot build`: compiles every integration into its package and files;
//! `ingot build --check` compares instead of writing and fails on drift.

use ingot::package::command::{self, BuildRequest};
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

/// `ingot build` over the integrations compiled into ingot.
pub fn run(args: &BuildArgs) -> i32 {
    let request = BuildRequest {
        check: args.check,
        root: args.root.clone(),
        ecs_dir: args.ecs_dir.clone(),
        names: args.names.clone(),
    };
    command::run(&request, &ingot::integrations::all())
}
