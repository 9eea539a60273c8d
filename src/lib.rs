//! ingot: write, compile, simulate and test Elastic integrations without a cluster.
//!
//! See ARCHITECTURE.md for the map of modules.

pub mod allocator;
pub mod dissect;
pub mod date;
pub mod document;
pub mod dsl;
pub mod error;
pub mod geoip;
pub mod grok;
pub mod harness;
pub mod inet;
pub mod integrations;
pub mod lint;
pub mod package;
pub mod painless;
pub mod pipeline;
pub mod processors;
pub mod simulate;
pub mod template;
pub mod user_agent;
pub mod value;
#[cfg(test)]
mod xorshift;
