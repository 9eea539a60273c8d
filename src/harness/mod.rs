//! `ingot test`: elastic-package's pipeline tests, offline.
//!
//! Data flows `discovery` (packages → test folders → case files) →
//! `config` + `case` (events to send) → `runner` (install pipelines,
//! simulate, verify with `compare` and `validate` against `fields`) →
//! `report` and `coverage`. JSON goes through `json`, which keeps numbers as
//! their literal text the way elastic-package's Go code does.

pub mod case;
pub mod compare;
pub mod config;
pub mod coverage;
pub mod discovery;
pub mod fields;
pub mod json;
pub mod report;
pub mod runner;
pub mod semver;
pub mod trace;
pub mod validate;

pub use runner::{run, CaseResult, Generate, Options, RunReport, Status};
