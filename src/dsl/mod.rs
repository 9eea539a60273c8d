//! The integration DSL: an Elastic integration written as typed Rust.
//!
//! A mapping declares its fields ([`field`]), writes its pipeline as a list
//! of processors ([`processors`], [`processor`]) guarded by typed conditions
//! ([`condition`]), and describes the package around it ([`integration`]).
//! [`crate::package`] compiles it: static checks ([`check`]), then the
//! package files. See docs/dsl.md for a guide.

pub mod check;
pub mod condition;
#[rustfmt::skip]
pub mod ecs;
pub mod ecs_gen;
pub mod field;
pub mod integration;
pub mod pipeline;
pub mod processor;
pub mod processors;

/// Everything a mapping needs: `use ingot::dsl::prelude::*;`.
pub mod prelude {
    pub use super::condition::{painless, Cond};
    pub use super::ecs;
    pub use super::field::{Field, FieldDecl, FieldType, Group};
    pub use super::integration::{Image, 
        Check, DataStream, Input, Integration, PolicyTemplate, Release, Stream, Var,
    };
    pub use super::pipeline::Pipeline;
    pub use super::processor::Processor;
    pub use super::processors::*;
    pub use crate::value::Value;
}
