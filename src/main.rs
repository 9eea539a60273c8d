//! The `ingot` command line: a thin layer over the library.
//!
//! Each subcommand lives in its own file under `src/cli/`, exporting its clap
//! arguments and a `run` function. To add one: create the file, declare it in
//! `src/cli/mod.rs`, add a variant to [`Command`] and its arm in `main`.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

// The simulator allocates many small maps and strings per event; mimalloc
// serves them from thread-local free lists where glibc's malloc spends a
// fifth of a pipeline run.
#[global_allocator]
static ALLOCATOR: ingot::allocator::Mimalloc = ingot::allocator::Mimalloc;

#[derive(Debug, Parser)]
#[command(name = "ingot", version, about = "Write, compile, simulate and test Elastic integrations without a cluster")]
struct Cli {
    #[command(flatten)]
    global: cli::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile the integrations into their packages (`--check`: compare only).
    Build(cli::build::BuildArgs),
    /// Run pipeline tests offline, like `elastic-package test pipeline`.
    Test(cli::test::TestArgs),
    /// Run documents through a pipeline as `_ingest/pipeline/_simulate` does.
    Simulate(cli::simulate::Args),
    /// Check pipeline files: every processor built, every script compiled.
    Lint(cli::lint::Args),
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => exit_code(cli::build::run(&args)),
        Command::Test(args) => exit_code(cli::test::run(args, &cli.global)),
        Command::Simulate(args) => cli::simulate::run(&args, &cli.global),
        Command::Lint(args) => cli::lint::run(&args, &cli.global),
    }
}
