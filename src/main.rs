//! The `ingot` command line: a thin layer over the library.
//!
//! Each subcommand lives in its own file under `src/cli/`, exporting `Args`
//! (its clap arguments) and `run(&Args, &GlobalArgs) -> ExitCode`.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "ingot", version, about = "Simulate, lint and test Elasticsearch ingest pipelines without a cluster")]
struct Cli {
    #[command(flatten)]
    global: cli::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run pipeline tests offline, like `elastic-package test pipeline`.
    Test(cli::test::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Test(args) => cli::test::run(args, &cli.global),
    }
}
