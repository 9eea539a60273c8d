//! ingot: write, compile, simulate and test Elastic integrations without a cluster.
//!
//! See ARCHITECTURE.md for the map of modules.

pub mod document;
pub mod error;
pub mod geoip;
pub mod harness;
pub mod painless;
pub mod pipeline;
pub mod processors;
pub mod template;
pub mod value;
