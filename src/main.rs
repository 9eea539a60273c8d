//! The `ingot` command line: a thin layer over the library.

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
