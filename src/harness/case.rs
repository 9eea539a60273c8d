//! Turning a test-case file into the events sent to the pipeline: raw `.log`
//! lines (optionally joined by a multiline pattern) become `{"message": …}`,
//! lines before the first first-line make an entry of their own, as in
//! elastic-package's `readRawInputEntries`;
//! `.json` files give their `events`; then the config's `fields` are put in.

use super::config::CaseConfig;
use super::json::Json;
use std::collections::BTreeMap;

/// bufio.Scanner's default maximum token size.
const MAX_LINE: usize = 64 * 1024;

/// The kind of case, from the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    Raw,
    Events,
}

/// The case kind for a file name, or elastic-package's error for others.
pub fn case_kind(file_name: &str) -> Result<CaseKind, String> {
    let ext = std::path::Path::new(file_name)
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    match ext.as_str() {
        ".log" => Ok(CaseKind::Raw),
        ".json" => Ok(CaseKind::Events),
        _ => Err(format!(
            "unsupported extension for test case file (ext: {ext})"
        )),
    }
}

/// Splits a raw file into entries, one per line or per multiline group.
pub fn raw_entries(text: &str, first_line_pattern: Option<&str>) -> Result<Vec<String>, String> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') || text.is_empty() {
        lines.pop();
    }
    let lines: Vec<&str> = lines
        .into_iter()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if lines.iter().any(|l| l.len() > MAX_LINE) {
        return Err("reading raw input entries failed: reading raw input test file failed: bufio.Scanner: token too long".into());
    }
    let Some(pattern) = first_line_pattern else {
        return Ok(lines.into_iter().map(str::to_string).collect());
    };
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let re = regex::Regex::new(pattern).map_err(|e| {
        format!(
            "reading raw input entries failed: regexp matching failed (pattern: {pattern}): error parsing regexp: {}",
            one_line(&e.to_string())
        )
    })?;
    let mut entries = Vec::new();
    let mut buffer = String::new();
    for line in lines {
        let first = re.is_match(line);
        let previous = if first {
            std::mem::take(&mut buffer)
        } else {
            String::new()
        };
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(line);
        if first && !previous.is_empty() {
            entries.push(previous);
        }
    }
    if !buffer.is_empty() {
        entries.push(buffer);
    }
    Ok(entries)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The events of a case file, with the config's `fields` applied. Errors
/// carry elastic-package's wording, `path` naming the case file.
pub fn load_events(
    kind: CaseKind,
    text: &str,
    config: &CaseConfig,
    path: &str,
) -> Result<Vec<Json>, String> {
    let mut events = match kind {
        CaseKind::Raw => raw_entries(text, config.multiline.as_deref())
            .map_err(|e| {
                format!(
                    "creating test case entries for raw input failed (testCasePath: {path}): {e}"
                )
            })?
            .into_iter()
            .map(|m| Json::Object(BTreeMap::from([("message".to_string(), Json::String(m))])))
            .collect(),
        CaseKind::Events => {
            let doc = Json::parse(text).map_err(|e| {
                format!("reading test case entries for events failed (testCasePath: {path}): unmarshalling input data failed: {e}")
            })?;
            match doc.as_object().and_then(|o| o.get("events")) {
                None | Some(Json::Null) => Vec::new(),
                Some(Json::Array(items)) => items.clone(),
                Some(other) => {
                    return Err(format!(
                        "reading test case entries for events failed (testCasePath: {path}): unmarshalling input data failed: json: cannot unmarshal {} into Go struct field testCaseDefinition.events of type []json.RawMessage",
                        json_kind(other)
                    ))
                }
            }
        }
    };
    for event in &mut events {
        let Json::Object(map) = event else {
            return Err(format!(
                "can't create test case (testCasePath: {path}): can't unmarshal test case entry: json: cannot unmarshal {} into Go value of type common.MapStr",
                json_kind(event)
            ));
        };
        for (key, value) in &config.fields {
            put_field(map, key, value.clone()).map_err(|e| {
                format!(
                    "can't create test case (testCasePath: {path}): can't set custom field: {e}"
                )
            })?;
        }
    }
    Ok(events)
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// mapstr's `Put`: a literal key wins, else descend at the first dot,
/// creating objects; the value replaces whatever is at the end.
pub fn put_field(map: &mut BTreeMap<String, Json>, key: &str, value: Json) -> Result<(), String> {
    if map.contains_key(key) {
        map.insert(key.to_string(), value);
        return Ok(());
    }
    match key.split_once('.') {
        None => {
            map.insert(key.to_string(), value);
            Ok(())
        }
        Some((first, rest)) => {
            let child = map
                .entry(first.to_string())
                .or_insert_with(|| Json::Object(BTreeMap::new()));
            match child {
                Json::Object(inner) => put_field(inner, rest, value),
                Json::Null => {
                    *child = Json::Object(BTreeMap::new());
                    match child {
                        Json::Object(inner) => put_field(inner, rest, value),
                        _ => Ok(()),
                    }
                }
                other => Err(format!("expected map but type is {}", other.go_type())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_lines_keep_empty_lines_but_not_the_final_newline() {
        assert_eq!(raw_entries("a\r\n\nb\n", None).unwrap(), vec!["a", "", "b"]);
    }

    #[test]
    fn multiline_keeps_inner_and_trailing_blank_lines() {
        let text = "x\nA 1\n c\n\nA 2\n\n";
        assert_eq!(
            raw_entries(text, Some("^A")).unwrap(),
            vec!["x", "A 1\n c\n", "A 2\n"]
        );
        assert_eq!(raw_entries("\n\nA 1\n", Some("^A")).unwrap(), vec!["A 1"]);
    }

    #[test]
    fn unsupported_extensions_are_named() {
        assert_eq!(
            case_kind("test-a.txt").unwrap_err(),
            "unsupported extension for test case file (ext: .txt)"
        );
        assert_eq!(case_kind("test-a.log").unwrap(), CaseKind::Raw);
    }

    #[test]
    fn fields_replace_and_create_objects() {
        let mut config = CaseConfig::default();
        config
            .fields
            .insert("ecs.version".into(), Json::String("8.11.0".into()));
        config
            .fields
            .insert("tags".into(), Json::Array(vec![Json::String("t".into())]));
        let events = load_events(
            CaseKind::Events,
            r#"{"events":[{"ecs":{"x":1},"message":"m"}]}"#,
            &config,
            "t",
        )
        .unwrap();
        assert_eq!(
            events[0].to_compact(),
            r#"{"ecs":{"version":"8.11.0","x":1},"message":"m","tags":["t"]}"#
        );
    }

    #[test]
    fn fields_into_a_string_fail() {
        let mut config = CaseConfig::default();
        config.fields.insert("message.x".into(), Json::Bool(true));
        let err = load_events(CaseKind::Raw, "m\n", &config, "t").unwrap_err();
        assert!(
            err.ends_with("can't set custom field: expected map but type is string"),
            "{err}"
        );
    }
}
