//! Painless: the scripting language of `if` conditions and the `script` processor.
//!
//! The engine follows jaq's layout: [`lexer`] turns source into tokens,
//! [`parser`] builds the [`ast`] with spans, [`resolve`] binds every name to a
//! frame slot, a script function or a whitelisted class and refuses what we
//! do not support, [`compile`] turns the resolved tree into closures once,
//! and [`interp`] is the runtime they run with. The Java class library
//! Painless exposes lives in [`lib`], one file per family of classes.
//!
//! Runtime values ([`val::Val`]) have Java reference semantics. `execute`
//! copies `ctx`'s maps and lists into shared objects (strings stay borrowed,
//! a map's entries are copied when first used) and patches the differences
//! back on exit ([`doc_patch`]); `condition`
//! evaluates against the borrowed map, so a null-safe field test costs a few
//! map lookups and no allocation. See `README.md` in this directory for where
//! the supported library ends.

pub mod ast;
pub mod compile;
pub mod ctx_keys;
pub mod direct_condition;
pub mod doc_patch;
pub mod flow;
pub mod interp;
pub mod lexer;
pub mod lib;
pub mod parser;
pub mod resolve;
pub mod types;
pub mod val;

#[cfg(test)]
mod tests;

use crate::document::metadata;
use crate::error::EsError;
use crate::value::{Map, Value};
use std::sync::Arc;

/// Where a script runs decides what `ctx` allows: conditions see it read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptContext {
    /// A processor's `if`: must return a boolean, `ctx` is read-only.
    Condition,
    /// The `script` processor: `ctx` is the document, read-write.
    Ingest,
}

/// A compiled script, parsed and checked once per pipeline load.
#[derive(Debug, Clone)]
pub struct Script {
    source: Arc<str>,
    program: Arc<ast::Program>,
    context: ScriptContext,
    /// The only top-level `ctx` fields an ingest script can reach, when
    /// that is known: only they are copied in and out.
    ctx_keys: Option<Arc<[String]>>,
    /// A condition's direct form, when it lies in the subset
    /// [`direct_condition`] evaluates without the interpreter.
    direct: Option<Arc<direct_condition::DirectCondition>>,
}

/// A compile-time failure at a byte offset of the source.
#[derive(Debug, Clone)]
pub struct CompileError {
    pub offset: usize,
    /// Exception name, e.g. `illegal_argument_exception`.
    pub kind: &'static str,
    pub message: String,
}

/// A Java exception thrown while a script runs. Boxed: every evaluation
/// step returns `Result<Val, Exc>`, and a pointer-sized error keeps that
/// result as small as the value, which the rare exception pays for.
#[derive(Debug, Clone)]
pub struct Exc(Box<ExcData>);

/// What an [`Exc`] carries; reached through `Deref`, so `e.class` reads it.
#[derive(Debug, Clone)]
pub struct ExcData {
    /// Simple Java class name: `NullPointerException`.
    pub class: &'static str,
    pub message: Option<String>,
    /// Where in the source it was raised; filled in by the innermost node.
    pub offset: Option<u32>,
    /// `Debug.explain(x)`: the Java class (none for null) and `toString` of `x`.
    pub explain: Option<Box<(Option<String>, String)>>,
}

impl std::ops::Deref for Exc {
    type Target = ExcData;
    fn deref(&self) -> &ExcData {
        &self.0
    }
}

impl std::ops::DerefMut for Exc {
    fn deref_mut(&mut self) -> &mut ExcData {
        &mut self.0
    }
}

impl From<ExcData> for Exc {
    fn from(data: ExcData) -> Exc {
        Exc(Box::new(data))
    }
}

impl Exc {
    pub fn new(class: &'static str, message: impl Into<String>) -> Exc {
        Exc::from(ExcData { class, message: Some(message.into()), offset: None, explain: None })
    }
    /// An exception without a message (Java's `null`).
    pub fn bare(class: &'static str) -> Exc {
        Exc::from(ExcData { class, message: None, offset: None, explain: None })
    }
    pub fn npe(message: impl Into<String>) -> Exc {
        Exc::new("NullPointerException", message)
    }
    pub fn illegal_arg(message: impl Into<String>) -> Exc {
        Exc::new("IllegalArgumentException", message)
    }
    pub fn class_cast(message: impl Into<String>) -> Exc {
        Exc::new("ClassCastException", message)
    }
    pub fn unsupported(message: impl Into<String>) -> Exc {
        Exc::new("UnsupportedOperationException", message)
    }
    pub fn index_oob(index: i64, len: usize) -> Exc {
        Exc::new("IndexOutOfBoundsException", format!("Index {index} out of bounds for length {len}"))
    }
    /// `PainlessError` (not catchable by scripts).
    pub fn painless_error(message: impl Into<String>) -> Exc {
        Exc::new("PainlessError", message)
    }
    /// Bytes of string a script may build; doubling a string in a loop
    /// stops here (as a JVM heap would) instead of exhausting this process.
    pub const MAX_STRING_BYTES: usize = 1 << 26;
    /// Elements of one list or array, for the same reason.
    pub const MAX_ELEMENTS: usize = 1 << 22;

    /// `OutOfMemoryError` when a string would exceed [`Exc::MAX_STRING_BYTES`].
    pub fn check_size(len: usize) -> Result<(), Exc> {
        if len > Exc::MAX_STRING_BYTES {
            Err(Exc::new("OutOfMemoryError", "Java heap space"))
        } else {
            Ok(())
        }
    }

    /// `OutOfMemoryError` when a collection would exceed [`Exc::MAX_ELEMENTS`].
    pub fn check_len(len: usize) -> Result<(), Exc> {
        if len > Exc::MAX_ELEMENTS {
            Err(Exc::new("OutOfMemoryError", "Java heap space"))
        } else {
            Ok(())
        }
    }

    pub fn at(mut self, offset: u32) -> Exc {
        if self.offset.is_none() {
            self.offset = Some(offset);
        }
        self
    }
}

/// Java class name → Elasticsearch's snake-case exception type.
pub fn exception_type(class: &str) -> String {
    let mut out = String::new();
    for (i, c) in class.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Compiles `source`; errors are `script_exception`s as Elasticsearch reports them.
pub fn compile(source: &str, context: ScriptContext) -> Result<Script, EsError> {
    match compile_program(source, context) {
        Ok(program) => {
            let (ctx_keys, direct) = match context {
                ScriptContext::Ingest => (ctx_keys::top_level_keys(&program).map(Arc::from), None),
                ScriptContext::Condition => (None, direct_condition::DirectCondition::compile(&program).map(Arc::new)),
            };
            Ok(Script { source: Arc::from(source), program: Arc::new(program), context, ctx_keys, direct })
        }
        Err(e) => Err(compile_error(source, &e)),
    }
}

fn compile_program(source: &str, context: ScriptContext) -> Result<ast::Program, CompileError> {
    let tokens = lexer::lex(source).map_err(|e| CompileError { offset: e.offset, kind: "illegal_argument_exception", message: e.message })?;
    let mut parser = parser::Parser::new(&tokens);
    let (functions, body) = parser.program()?;
    let mut starts = std::mem::take(&mut parser.statement_starts);
    starts.sort_unstable();
    starts.dedup();
    let mut program = ast::Program { functions, body, frame_size: 0, statement_starts: starts, code: Default::default() };
    resolve::resolve(&mut program, source, context)?;
    program.code = Arc::new(compile::compile(&program));
    Ok(program)
}

/// `script_exception` for a compile error: a ±25 character snippet, as
/// PainlessScriptEngine renders it.
fn compile_error(source: &str, e: &CompileError) -> EsError {
    let chars: Vec<char> = source.chars().collect();
    let offset = char_index(source, e.offset);
    let start = offset.saturating_sub(25);
    let end = (offset + 25).min(chars.len());
    let mut snippet = String::new();
    if start > 0 {
        snippet.push_str("... ");
    }
    snippet.extend(&chars[start..end]);
    if end < chars.len() {
        snippet.push_str(" ...");
    }
    let mut pointer = String::new();
    if start > 0 {
        pointer.push_str("    ");
    }
    pointer.extend(std::iter::repeat_n(' ', offset - start));
    pointer.push_str("^---- HERE");
    script_exception(EsError::new("script_exception", "compile error"), source, vec![snippet, pointer], offset, start, end)
        .caused_by(EsError::new(e.kind, e.message.clone()))
}

/// Where Elasticsearch fails writing a document a script nested too deep.
fn document_too_deep(depth: usize) -> EsError {
    EsError::illegal_state(format!(
        "Document nesting depth ({depth}) exceeds the maximum allowed ({}, from `StreamWriteConstraints.getMaxNestingDepth()`)",
        val::MAX_DOCUMENT_DEPTH
    ))
}

/// How many maps and lists deep `m` nests (`ctx` itself is 1), without recursing.
fn map_nesting_depth(m: &Map) -> usize {
    1 + doc_patch::max_nesting_depth(m.values())
}

fn char_index(source: &str, byte_offset: usize) -> usize {
    let b = byte_offset.min(source.len());
    source.char_indices().take_while(|(i, _)| *i < b).count()
}

fn script_exception(base: EsError, source: &str, stack: Vec<String>, offset: usize, start: usize, end: usize) -> EsError {
    let mut position = Map::default();
    position.insert("offset".into(), Value::from(offset as i64));
    position.insert("start".into(), Value::from(start as i64));
    position.insert("end".into(), Value::from(end as i64));
    base.with("script_stack", Value::List(stack.into_iter().map(Value::String).collect()))
        .with("script", source)
        .with("lang", "painless")
        .with("position", Value::Map(position))
}

impl Script {
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn context(&self) -> ScriptContext {
        self.context
    }

    /// Evaluates a condition against `ctx` (source and metadata): directly
    /// when its direct form answers, else (and for every error) in the interpreter.
    pub fn condition(&self, ctx: &Map, params: &Map) -> Result<bool, EsError> {
        if let Some(answer) = self.direct.as_ref().and_then(|d| d.evaluate(ctx, params)) {
            return Ok(answer);
        }
        self.interpret_condition(ctx, params)
    }

    /// A condition evaluated by the interpreter.
    fn interpret_condition(&self, ctx: &Map, params: &Map) -> Result<bool, EsError> {
        let mut it = interp::Interp::new(&self.program, true);
        let result = val::with_condition_ctx(ctx, || it.run(val::Val::Map(val::MapRef::Doc(ctx)), val::Val::Map(val::MapRef::Doc(params))));
        // A condition that ends without returning answers false: Painless
        // ends an `execute` that may end so with a return of its type's
        // default (`PainlessUserTreeToIRTreePhase.visitFunction`).
        let answer = |returned: Option<val::Val>| returned.map_or(Ok(false), |v| interp::to_boolean(&v).map_err(|e| e.at(0)));
        match result.and_then(answer) {
            Ok(b) => Ok(b),
            Err(e) => Err(self.runtime_error(&e)),
        }
    }

    /// Runs an ingest script that may modify `ctx`.
    pub fn execute(&self, ctx: &mut Map, params: &Map) -> Result<(), EsError> {
        if let Some(keys) = &self.ctx_keys {
            if let Some(result) = self.interpret_fields(ctx, params, keys) {
                return result;
            }
        }
        self.interpret(ctx, params)
    }

    /// Runs the script on a `ctx` holding only the fields it can reach,
    /// then puts them back: the same document as running it on the whole
    /// `ctx`. `None` (with `ctx` untouched) when the result cannot be put
    /// back exactly, because a field the document had moved after others
    /// (which the syntax allowed here cannot do, but the check is cheap);
    /// the caller then runs the script on all of `ctx`.
    fn interpret_fields(&self, ctx: &mut Map, params: &Map, keys: &[String]) -> Option<Result<(), EsError>> {
        // Indices in `ctx` of the fields the script can reach, in order.
        let mut present: Vec<usize> = keys.iter().filter_map(|k| ctx.get_index_of(k.as_str())).collect();
        present.sort_unstable();
        // The other fields stay as they are, and so does their depth.
        let mut reachable = present.iter().peekable();
        let untouched = doc_patch::max_nesting_depth(ctx.values().enumerate().filter(|(i, _)| reachable.next_if_eq(&i).is_none()).map(|(_, v)| v));
        let mut walk = doc_patch::Walk::default();
        let (patch, outcome) = {
            let mut part = val::JMap::with_capacity(val::MapKind::Ctx, present.len());
            for &i in &present {
                let (k, v) = ctx.get_index(i).expect("index in range");
                part.insert(val::Key(val::Val::Str(val::Str::Doc(k))), val::Val::from_doc_copy(v));
            }
            let shared = val::Val::new_map(part);
            let mut it = interp::Interp::new(&self.program, false);
            let changes_before = val::container_changes();
            let outcome = it.run(shared.clone(), val::Val::Map(val::MapRef::Doc(params))).map(drop);
            let ctx: &Map = ctx;
            let fits = || 1 + doc_patch::max_nesting_depth(present.iter().map(|&i| &ctx[i])) <= val::MAX_DOCUMENT_DEPTH;
            if val::container_changes() == changes_before && fits() {
                // Nothing to write back, and the depth check below passes.
                (Some(doc_patch::MapPatch::default()), outcome)
            } else {
                let field = |i: usize| ctx.get_index(present[i]).map(|(k, v)| (k.as_str(), v)).expect("index in range");
                (doc_patch::diff_map(&shared, None, present.len(), field, &mut walk), outcome)
            }
        };
        let patch = patch?;
        // The fields that were there and still are must come first, in
        // their order; new fields follow, as they would at the end of ctx.
        // A field added back after removal would land elsewhere.
        let removed_key = |key: &str| patch.removed.iter().any(|&i| ctx.get_index(present[i]).is_some_and(|(k, _)| k == key));
        if patch.added.iter().any(|(k, _)| removed_key(k)) {
            return None;
        }
        let touched = patch.changed.iter().map(|(i, _)| *i).chain(patch.removed.iter().copied());
        let touched = touched.map(|i| ctx.get_index(present[i]).map(|(k, _)| k.as_str()).expect("index in range"));
        let metadata = metadata_before(ctx, touched.chain(patch.added.iter().map(|(k, _)| k.as_str())));
        // Changes made before an exception stay, as with the whole ctx.
        for (i, p) in patch.changed {
            if let Some((_, v)) = ctx.get_index_mut(present[i]) {
                p.apply(v);
            }
        }
        for &i in patch.removed.iter().rev() {
            ctx.shift_remove_index(present[i]);
        }
        for (k, v) in patch.added {
            ctx.insert(k, v);
        }
        let refused = refuse_metadata_writes(ctx, metadata);
        if let Err(e) = outcome {
            return Some(Err(self.runtime_error(&e)));
        }
        if let Some(message) = refused {
            return Some(Err(self.runtime_error(&Exc::illegal_arg(message))));
        }
        // The same check as after a run on the whole ctx.
        let depth = walk.deepest().max(1 + untouched);
        if depth > val::MAX_DOCUMENT_DEPTH {
            return Some(Err(document_too_deep(depth)));
        }
        Some(Ok(()))
    }

    /// Runs an ingest script on all of `ctx`.
    pub fn interpret(&self, ctx: &mut Map, params: &Map) -> Result<(), EsError> {
        let (patch, result) = {
            let shared = val::Val::new_map(val::ctx_from_doc(ctx));
            let mut it = interp::Interp::new(&self.program, false);
            let changes_before = val::container_changes();
            let result = it.run(shared.clone(), val::Val::Map(val::MapRef::Doc(params))).map(drop);
            let doc: &Map = ctx;
            let unchanged_depth = (val::container_changes() == changes_before).then(|| map_nesting_depth(doc));
            let patch = match unchanged_depth {
                Some(depth) if depth <= val::MAX_DOCUMENT_DEPTH => Ok((doc_patch::MapPatch::default(), depth)),
                _ => {
                    let entry = |i: usize| doc.get_index(i).map(|(k, v)| (k.as_str(), v)).expect("index in range");
                    let mut walk = doc_patch::Walk::default();
                    match doc_patch::diff_map(&shared, Some(doc), doc.len(), entry, &mut walk) {
                        Some(p) => Ok((p, walk.deepest())),
                        None => Err(shared.to_value()),
                    }
                }
            };
            (patch, result)
        };
        // Elasticsearch mutates the document in place, so changes made before
        // an exception stay (visible with `ignore_failure` or `on_failure`).
        let (depth, metadata) = match patch {
            Ok((p, depth)) if p.is_empty() => (depth, Vec::new()),
            Ok((p, depth)) => {
                let touched = p.changed.iter().map(|(i, _)| *i).chain(p.removed.iter().copied());
                let touched = touched.map(|i| ctx.get_index(i).map(|(k, _)| k.as_str()).expect("index in range"));
                let metadata = metadata_before(ctx, touched.chain(p.added.iter().map(|(k, _)| k.as_str())));
                p.apply(ctx);
                (depth, metadata)
            }
            Err(value) => {
                let metadata = metadata_before(ctx, crate::document::METADATA_KEYS.iter().chain(&["_type"]).copied());
                if let Value::Map(m) = value {
                    *ctx = m;
                }
                (map_nesting_depth(ctx), metadata)
            }
        };
        let refused = refuse_metadata_writes(ctx, metadata);
        result.map_err(|e| self.runtime_error(&e))?;
        if let Some(message) = refused {
            return Err(self.runtime_error(&Exc::illegal_arg(message)));
        }
        if depth > val::MAX_DOCUMENT_DEPTH {
            return Err(document_too_deep(depth));
        }
        Ok(())
    }

    /// `script_exception` for a runtime error: the snippet runs from the
    /// statement containing the failure to the next statement, as
    /// PainlessScript renders it.
    fn runtime_error(&self, e: &Exc) -> EsError {
        let source = &*self.source;
        let byte_offset = e.offset.unwrap_or(0) as usize;
        let starts = &self.program.statement_starts;
        let stmt_start = starts.iter().rev().find(|s| **s as usize <= byte_offset).copied().unwrap_or(0) as usize;
        let stmt_end = starts.iter().find(|s| **s as usize > stmt_start).map(|s| *s as usize).unwrap_or(source.len());
        let snippet = source.get(stmt_start..stmt_end).unwrap_or("").to_string();
        let offset = char_index(source, byte_offset);
        let start = char_index(source, stmt_start);
        let end = char_index(source, stmt_end);
        let mut pointer = " ".repeat(offset.saturating_sub(start));
        pointer.push_str("^---- HERE");
        let cause_kind = exception_type(e.class);
        let cause = EsError::new(&cause_kind, e.message.clone().unwrap_or_default());
        // Debug.explain's headers print before the script fields, sorted by name.
        let mut base = EsError::new("script_exception", "runtime error");
        if let Some(explain) = &e.explain {
            if let Some(class) = &explain.0 {
                base = base.with("java_class", class.as_str()).with("painless_class", class.as_str());
            }
            base = base.with("to_string", explain.1.as_str());
        }
        script_exception(base, source, vec![snippet, pointer], offset, start, end).caused_by(cause)
    }
}

/// The metadata keys of `ctx` (see `document::metadata`) among the keys a
/// script's write-back changes, adds or removes, with their values before.
fn metadata_before<'k>(ctx: &Map, touched: impl Iterator<Item = &'k str>) -> Vec<(String, Option<Value>)> {
    touched.filter(|k| metadata::is_checked_key(k)).map(|k| (k.to_string(), ctx.get(k).cloned())).collect()
}

/// Elasticsearch's `ctx` checks each write of a metadata key as the script
/// makes it (`CtxMap.put`, `CtxMap.remove`) and throws at a refused one,
/// which never reaches the document. Here the script's changes are checked
/// once it has run: a refused change is undone, and the first refusal is
/// the script's failure.
fn refuse_metadata_writes(ctx: &mut Map, before: Vec<(String, Option<Value>)>) -> Option<String> {
    if before.is_empty() {
        return None;
    }
    let mut first = None;
    for (key, old) in before {
        let refusal = match ctx.get(key.as_str()) {
            Some(new) if old.as_ref() != Some(new) => metadata::check_put(&key, new).err(),
            Some(_) => None,
            None => old.as_ref().and_then(|_| metadata::check_remove(&key).err()),
        };
        if let Some(message) = refusal {
            match old {
                Some(value) => {
                    ctx.insert(key, value);
                }
                None => {
                    ctx.shift_remove(key.as_str());
                }
            }
            first.get_or_insert(message);
        }
    }
    first
}

/// The cause (its type and message) and the offset of the compile error
/// Elasticsearch would report for `src`, for the load-time passes' tests.
#[cfg(test)]
pub(crate) fn compile_refusal(src: &str, context: ScriptContext) -> (String, String, i64) {
    let e = compile(src, context).err().unwrap_or_else(|| panic!("{src}: compiled"));
    assert_eq!((e.kind.as_str(), e.reason.as_str()), ("script_exception", "compile error"), "{src}");
    let cause = e.caused_by.as_ref().expect("a cause");
    let offset = e.extra["position"].as_map().unwrap()["offset"].as_i64().unwrap();
    (cause.kind.clone(), cause.reason.clone(), offset)
}

/// Runs `statements` then `ctx.r = expr` as an ingest script on an empty
/// document: the value stored in `r`, or the type and message of the
/// exception that ended the script, for the library's tests.
#[cfg(test)]
pub(crate) fn script_result(statements: &str, expr: &str) -> Result<Value, (String, String)> {
    let source = format!("{statements} ctx.r = {expr}");
    let script = compile(&source, ScriptContext::Ingest).unwrap_or_else(|e| panic!("{source}: {e:?}"));
    let mut ctx = Map::default();
    match script.execute(&mut ctx, &Map::default()) {
        Ok(()) => Ok(ctx.get("r").cloned().unwrap_or(Value::Null)),
        Err(e) => {
            let cause = e.caused_by.expect("a cause");
            Err((cause.kind, cause.reason))
        }
    }
}

/// [`script_result`] of `"s1; s2; expr"`: what comes after the last `; `
/// is the expression stored.
#[cfg(test)]
pub(crate) fn script_result_of(source: &str) -> Result<Value, (String, String)> {
    match source.rsplit_once("; ") {
        Some((statements, expr)) => script_result(&format!("{statements};"), expr),
        None => script_result("", source),
    }
}

/// [`script_result_of`] as one string: the value stored, as JSON, or the
/// error's type and reason.
#[cfg(test)]
pub(crate) fn script_outcome(source: &str) -> String {
    match script_result_of(source) {
        Ok(v) => v.to_json(),
        Err((kind, reason)) => format!("{kind}: {reason}"),
    }
}
