//! Painless: the scripting language of `if` conditions and the `script` processor.
//!
//! The engine is not written yet; every entry point refuses with a clear
//! error so a pipeline that needs Painless fails when it loads.

use crate::error::EsError;
use crate::value::Map;

/// Where a script runs decides what `ctx` allows: conditions see it read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptContext {
    /// A processor's `if`: must return a boolean, `ctx` is read-only.
    Condition,
    /// The `script` processor: `ctx` is the document, read-write.
    Ingest,
}

/// A compiled script, parsed and checked once per pipeline load.
#[derive(Debug)]
pub struct Script {
    _private: (),
}

/// Compiles `source`; errors are `script_exception`s as Elasticsearch reports them.
pub fn compile(_source: &str, _context: ScriptContext) -> Result<Script, EsError> {
    Err(EsError::illegal_argument("painless is not supported yet"))
}

impl Script {
    /// Evaluates a condition against `ctx` (source and metadata).
    pub fn condition(&self, _ctx: &Map, _params: &Map) -> Result<bool, EsError> {
        Err(EsError::illegal_argument("painless is not supported yet"))
    }

    /// Runs an ingest script that may modify `ctx`.
    pub fn execute(&self, _ctx: &mut Map, _params: &Map) -> Result<(), EsError> {
        Err(EsError::illegal_argument("painless is not supported yet"))
    }
}
