//! The `ingot` command line: a thin layer over the library.
//!
//! Each subcommand lives in its own file under `src/cli/`, exporting `Args`
//! (its clap arguments) and `run(&Args, &GlobalArgs) -> ExitCode`. To add
//! one: create the file, declare it in `src/cli/mod.rs`, add a variant to
//! [`Command`] and its arm in `main`.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "ingot", version, about = "Simulate, lint and test Elasticsearch ingest pipelines without a cluster")]
struct Cli {
    #[command(flatten)]
    global: cli::GlobalArgs,
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "ingot", version, about = "Write, compile, simulate and test Elastic integrations without a cluster")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run documents through a pipeline as `_ingest/pipeline/_simulate` does.
    Simulate(cli::simulate::Args),
    /// Check pipeline files: every processor built, every script compiled.
    Lint(cli::lint::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Simulate(args) => cli::simulate::run(args, &cli.global),
        Command::Lint(args) => cli::lint::run(args, &cli.global),
    }
    /// Run pipeline tests offline, like `elastic-package test pipeline`.
    Test(ingot::cli::test::TestArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Test(args) => ingot::cli::test::run(args),
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "ingot", version, about = "Write, compile, simulate and test Elastic integrations without a cluster")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile the integrations into their packages (`--check`: compare only).
    Build(ingot::cli::build::BuildArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build(args) => ingot::cli::build::run(&args),
    };
    std::process::exit(code);
}
