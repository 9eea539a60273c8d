//! The `ingot` command line: a thin layer over the library.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "ingot", version, about = "Write, compile, simulate and test Elastic integrations without a cluster")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run pipeline tests offline, like `elastic-package test pipeline`.
    Test(ingot::cli::test::TestArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Test(args) => ingot::cli::test::run(args),
    };
    std::process::exit(code);
}
