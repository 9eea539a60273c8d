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
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
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

/// Whether a flattened key is, contains or lies inside the focused path
/// (the first difference, whose array positions are dropped).
fn touches(key: &str, focus: Option<&str>) -> bool {
    let Some(focus) = focus else { return false };
    let focus = focus.split('[').next().unwrap_or(focus);
    key == focus || key.starts_with(&format!("{focus}.")) || focus.starts_with(&format!("{key}."))
}

/// One line per processor run, with the fields it added, changed or
/// removed; changes to `focus` (a field path) are marked with `label`.
pub fn render(event: &Json, simulated: &Simulated, focus: Option<&str>, label: &str) -> String {
    let mut out = String::new();
    let mut before = fields_of_event(event);
    let last = simulated.trace.len().saturating_sub(1);
    for (position, entry) in simulated.trace.iter().enumerate() {
        let tag = entry
            .tag
            .as_deref()
            .map(|t| format!(" [{t}]"))
            .unwrap_or_default();
        let _ = write!(
            out,
            "  {} #{} {}{tag}: ",
            entry.pipeline, entry.index, entry.processor_type
        );
        match entry.status {
            TraceStatus::Skipped => {
                let cond = entry
                    .condition
                    .as_ref()
                    .map(|(s, _)| s.as_str())
                    .unwrap_or("");
                let _ = writeln!(out, "skipped, `if` was false: {cond}");
                continue;
            }
            TraceStatus::Success => out.push_str("ran\n"),
            TraceStatus::Dropped => out.push_str("dropped the document\n"),
            TraceStatus::ErrorIgnored => {
                let e = entry
                    .error
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                let _ = writeln!(out, "failed, ignored (ignore_failure): {e}");
            }
            TraceStatus::Error => {
                let e = entry
                    .error
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                let unhandled = position == last && simulated.error.is_some();
                let what = if unhandled {
                    "not handled"
                } else {
                    "handled by the on_failure processors below"
                };
                let _ = writeln!(out, "failed: {e} ({what})");
            }
        }
        let Some(doc) = &entry.doc else { continue };
        let mut after = BTreeMap::new();
        flatten("", &doc.ctx, &mut after);
        let mark = |k: &str| {
            if touches(k, focus) {
                format!("   <== {label}")
            } else {
                String::new()
            }
        };
        for (k, v) in &after {
            match before.get(k) {
                None => {
                    let _ = writeln!(out, "      + {k} = {v}{}", mark(k));
                }
                Some(old) if old != v => {
                    let _ = writeln!(out, "      ~ {k}: {old} -> {v}{}", mark(k));
                }
                _ => {}
            }
        }
        for k in before.keys().filter(|k| !after.contains_key(*k)) {
            let _ = writeln!(out, "      - {k}{}", mark(k));
        }
        before = after;
    }
    match (&simulated.error, simulated.doc.is_null()) {
        (Some(e), _) => {
            let _ = writeln!(
                out,
                "  result: unhandled failure, the document becomes null: {e}"
            );
        }
        (None, true) => out.push_str("  result: dropped, the document becomes null\n"),
        (None, false) => out.push_str("  result: document kept\n"),
    }
    out
}
