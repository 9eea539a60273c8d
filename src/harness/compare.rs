//! Comparing simulated documents with `<case>-expected.json` as
//! elastic-package does: dynamic fields removed from both sides, both sides
//! normalised (sorted keys, 4-space indent, literal numbers), then compared
//! structurally with numbers compared by value.

use super::json::Json;
use std::collections::BTreeMap;

/// The `{"expected": [...]}` document in its normalised text form.
pub fn normalised(docs: &[Json], escape_html: bool) -> String {
    let wrapper = Json::Object(BTreeMap::from([(
        "expected".to_string(),
        Json::Array(docs.to_vec()),
    )]));
    wrapper.to_pretty(escape_html)
}

/// The `expected` list of an expected file's text (a missing or null list
/// reads as no documents).
pub fn parse_expected(text: &str) -> Result<Vec<Json>, String> {
    let doc =
        Json::parse(text).map_err(|e| format!("unmarshalling expected test result failed: {e}"))?;
    match doc.as_object().and_then(|o| o.get("expected")) {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(items)) => Ok(items.clone()),
        Some(_) => {
            Err("unmarshalling expected test result failed: \"expected\" is not a list".into())
        }
    }
}

/// Deletes each dynamic field from every non-null document.
pub fn remove_dynamic_fields<'a>(
    docs: &mut [Json],
    fields: impl IntoIterator<Item = &'a String> + Clone,
) -> Result<(), String> {
    for doc in docs.iter_mut() {
        let Json::Object(map) = doc else { continue };
        for field in fields.clone() {
            delete_path(map, field).map_err(|e| format!("can't remove dynamic field: {e}"))?;
        }
    }
    Ok(())
}

fn delete_path(map: &mut BTreeMap<String, Json>, path: &str) -> Result<(), String> {
    match path.split_once('.') {
        None => {
            map.remove(path);
            Ok(())
        }
        Some((first, rest)) => match map.get_mut(first) {
            None => Ok(()),
            Some(Json::Object(inner)) => delete_path(inner, rest),
            Some(other) => Err(format!("expected map but type is {}", other.go_type())),
        },
    }
}

/// The value at a dotted path, descending through objects only.
pub fn get_path<'a>(doc: &'a Json, path: &str) -> Option<&'a Json> {
    let mut current = doc;
    for part in path.split('.') {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// Structural equality with numbers compared by value.
pub fn equivalent(a: &Json, b: &Json) -> bool {
    first_difference(a, b, String::new()).is_none()
}

/// The path of the first difference between `want` and `got` (in sorted-key
/// order), or `None` when they are equivalent. The root is the empty path.
pub fn first_difference(want: &Json, got: &Json, path: String) -> Option<String> {
    match (want, got) {
        (Json::Number(a), Json::Number(b)) => (!numbers_equal(a, b)).then_some(path),
        (Json::Object(a), Json::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(p) = first_difference(x, y, child) {
                            return Some(p);
                        }
                    }
                    _ => return Some(child),
                }
            }
            None
        }
        (Json::Array(a), Json::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if let Some(p) = first_difference(x, y, format!("{path}[{i}]")) {
                    return Some(p);
                }
            }
            (a.len() != b.len()).then(|| format!("{path}[{}]", a.len().min(b.len())))
        }
        (a, b) => (a != b).then_some(path),
    }
}

/// elastic-package's number equality: integers as integers when either side
/// is one, otherwise as doubles.
pub fn numbers_equal(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x == y,
        (Ok(x), Err(_)) => b.parse::<f64>().is_ok_and(|y| x as f64 == y),
        (Err(_), Ok(y)) => a.parse::<f64>().is_ok_and(|x| x == y as f64),
        (Err(_), Err(_)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
    }
}

/// A failed comparison, ready to report.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// go-difflib style unified diff, `--- want` / `+++ got`, 3 context lines.
    pub diff: String,
    /// Index of the first differing document, and the first differing path in it.
    pub document: Option<usize>,
    pub path: Option<String>,
}

/// Compares documents after dynamic-field removal; `None` when equivalent.
pub fn compare(want: &[Json], got: &[Json], escape_html: bool) -> Option<Mismatch> {
    let w = Json::Array(want.to_vec());
    let g = Json::Array(got.to_vec());
    first_difference(&w, &g, String::new())?;
    let (document, path) = locate(want, got);
    let diff = unified_diff(
        &normalised(want, escape_html),
        &normalised(got, escape_html),
    );
    Some(Mismatch {
        diff,
        document,
        path,
    })
}

fn locate(want: &[Json], got: &[Json]) -> (Option<usize>, Option<String>) {
    for i in 0..want.len().max(got.len()) {
        match (want.get(i), got.get(i)) {
            (Some(a), Some(b)) => {
                if let Some(p) = first_difference(a, b, String::new()) {
                    return (Some(i), Some(p).filter(|p| !p.is_empty()));
                }
            }
            _ => return (Some(i), None),
        }
    }
    (None, None)
}

/// Unified diff of two texts with go-difflib's headers.
pub fn unified_diff(want: &str, got: &str) -> String {
    let want = format!("{want}\n");
    let got = format!("{got}\n");
    let diff = similar::TextDiff::from_lines(&want, &got);
    diff.unified_diff()
        .context_radius(3)
        .header("want", "got")
        .to_string()
}

/// Colours a unified diff for a terminal: removals red, additions green, hunks cyan.
pub fn colourise(diff: &str) -> String {
    let mut out = String::new();
    for line in diff.lines() {
        let colour = if line.starts_with("---") || line.starts_with("+++") {
            "\x1b[1m"
        } else if line.starts_with('-') {
            "\x1b[31m"
        } else if line.starts_with('+') {
            "\x1b[32m"
        } else if line.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        if colour.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(colour);
            out.push_str(line);
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Json {
        Json::parse(s).unwrap()
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(numbers_equal("42", "42.0"));
        assert!(numbers_equal("6920071768563516847", "6.920071768563516E18"));
        assert!(!numbers_equal("1", "2"));
        assert!(!equivalent(&j(r#"{"a":1}"#), &j(r#"{"a":"1"}"#)));
        assert!(!equivalent(&j(r#"{"a":null}"#), &j(r#"{}"#)));
    }

    #[test]
    fn first_difference_names_the_path() {
        let a = j(r#"{"event":{"category":["web"],"kind":"event"}}"#);
        let b = j(r#"{"event":{"category":["web","x"],"kind":"event"}}"#);
        assert_eq!(
            first_difference(&a, &b, String::new()).as_deref(),
            Some("event.category[1]")
        );
    }

    #[test]
    fn dynamic_fields_are_removed_and_checked_for_maps() {
        let mut docs = vec![j(r#"{"event":{"ingested":"x","kind":"k"}}"#), Json::Null];
        let fields = vec!["event.ingested".to_string(), "missing.path".to_string()];
        remove_dynamic_fields(&mut docs, &fields).unwrap();
        assert_eq!(docs[0].to_compact(), r#"{"event":{"kind":"k"}}"#);
        let mut docs = vec![j(r#"{"event":"s"}"#)];
        let err = remove_dynamic_fields(&mut docs, &fields[..1]).unwrap_err();
        assert_eq!(
            err,
            "can't remove dynamic field: expected map but type is string"
        );
    }

    #[test]
    fn diff_has_want_and_got_headers() {
        let m = compare(&[j(r#"{"a":1}"#)], &[j(r#"{"a":2}"#)], false).unwrap();
        assert_eq!(m.document, Some(0));
        assert_eq!(m.path.as_deref(), Some("a"));
        insta::assert_snapshot!(m.diff);
    }
}
