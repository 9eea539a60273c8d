//! `--verbose`: what each processor did to a document, rendered as text.

use super::json::Json;
use super::runner::Simulated;
use crate::document::METADATA_KEYS;
use crate::pipeline::exec::TraceStatus;
use crate::value::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn flatten(prefix: &str, map: &Map, out: &mut BTreeMap<String, String>) {
    for (k, v) in map {
        if prefix.is_empty() && METADATA_KEYS.contains(&k.as_str()) {
            continue;
        }
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            Value::Map(inner) if !inner.is_empty() => flatten(&key, inner, out),
            other => {
                out.insert(key, other.to_json());
            }
        }
    }
}

fn fields_of_event(event: &Json) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(Value::Map(m)) = Value::from_json_str(&event.to_compact()) {
        flatten("", &m, &mut out);
    }
    out
}

/// One line per processor run, with the fields it added, changed or removed.
pub fn render(event: &Json, simulated: &Simulated) -> String {
    let mut out = String::new();
    let mut before = fields_of_event(event);
    for entry in &simulated.trace {
        let tag = entry.tag.as_deref().map(|t| format!(" [{t}]")).unwrap_or_default();
        let _ = write!(out, "{} #{} {}{tag}: ", entry.pipeline, entry.index, entry.processor_type);
        match entry.status {
            TraceStatus::Skipped => {
                let cond = entry.condition.as_ref().map(|(s, _)| s.as_str()).unwrap_or("");
                let _ = writeln!(out, "skipped, `if` was false: {cond}");
                continue;
            }
            TraceStatus::Success => out.push_str("ran\n"),
            TraceStatus::Dropped => out.push_str("dropped the document\n"),
            TraceStatus::ErrorIgnored => {
                let e = entry.error.as_ref().map(|e| e.to_string()).unwrap_or_default();
                let _ = writeln!(out, "failed, ignored (ignore_failure): {e}");
            }
            TraceStatus::Error => {
                let e = entry.error.as_ref().map(|e| e.to_string()).unwrap_or_default();
                let _ = writeln!(out, "failed: {e} (on_failure handlers, if any, follow)");
            }
        }
        let Some(doc) = &entry.doc else { continue };
        let mut after = BTreeMap::new();
        flatten("", &doc.ctx, &mut after);
        for (k, v) in &after {
            match before.get(k) {
                None => {
                    let _ = writeln!(out, "    + {k} = {v}");
                }
                Some(old) if old != v => {
                    let _ = writeln!(out, "    ~ {k}: {old} -> {v}");
                }
                _ => {}
            }
        }
        for k in before.keys().filter(|k| !after.contains_key(*k)) {
            let _ = writeln!(out, "    - {k}");
        }
        before = after;
    }
    match (&simulated.error, simulated.doc.is_null()) {
        (Some(e), _) => {
            let _ = writeln!(out, "result: unhandled failure, the document becomes null: {e}");
        }
        (None, true) => out.push_str("result: dropped, the document becomes null\n"),
        (None, false) => out.push_str("result: document kept\n"),
    }
    out
}
