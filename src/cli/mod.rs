//! Subcommands of the `ingot` binary: argument parsing, output and exit codes only.

pub mod test;
