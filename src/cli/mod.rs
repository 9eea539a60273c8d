//! The command line's subcommands, one file each; `main.rs` dispatches.

pub mod build;
