//! ingot: write, compile, simulate and test Elastic integrations without a cluster.
//!
//! See ARCHITECTURE.md for the map of modules.

pub mod cli;
pub mod document;
pub mod dsl;
pub mod error;
pub mod integrations;
pub mod package;
pub mod painless;
pub mod pipeline;
pub mod processors;
pub mod template;
pub mod value;
