//! Validating result documents against field definitions with
//! elastic-package's checks and messages, plus `--strict` warnings for what
//! elastic-package lets through.

use super::fields::{find_ancestor, find_definition, find_parent, FieldDef};
use super::json::Json;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Format versions that change validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let core = s.trim().trim_start_matches('v').split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        Some(Version(major, minor, patch))
    }
}

/// Everything a case's validation needs.
#[derive(Debug, Clone)]
pub struct Validator {
    pub schema: Vec<FieldDef>,
    pub spec_version: Version,
    pub expected_datasets: Vec<String>,
    pub numeric_keyword_fields: Vec<String>,
    pub string_number_fields: Vec<String>,
    /// Only the dataset check runs (data streams with an `otelcol` input).
    pub dataset_check_only: bool,
    /// Report what elastic-package accepts silently.
    pub strict: bool,
}

const ALLOWED_CIDRS: &[&str] = &[
    "1.128.0.0/11",
    "175.16.199.0/24",
    "216.160.83.56/29",
    "81.2.69.142/31",
    "81.2.69.144/31",
    "81.2.69.192/28",
    "89.160.20.112/28",
    "89.160.20.128/25",
    "67.43.156.0/24",
    "2a02:cf40::/29",
];

/// Problems found in one document: errors fail the case, warnings
/// (only with `--strict`) are reported and fail it too.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Findings {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl Validator {
    /// Validates one non-null document.
    pub fn validate(&self, doc: &Json) -> Findings {
        let mut f = Findings::default();
        let Json::Object(map) = doc else { return f };
        if let Some(msg) = pipeline_error(map) {
            f.errors.push(msg);
            return f;
        }
        if self.spec_version >= Version(2, 0, 0) {
            self.check_datasets(doc, &mut f);
        }
        if !self.dataset_check_only {
            self.walk("", map, doc, &mut f);
        }
        f
    }

    fn check_datasets(&self, doc: &Json, f: &mut Findings) {
        if self.expected_datasets.is_empty() {
            return;
        }
        for field in ["event.dataset", "data_stream.dataset"] {
            let Some(value) = super::compare::get_path(doc, field) else {
                continue;
            };
            let rendered: Vec<String> = self
                .expected_datasets
                .iter()
                .map(|d| render_mustache(d, doc))
                .collect();
            let ok = value
                .as_str()
                .is_some_and(|s| rendered.iter().any(|r| r == s));
            if !ok {
                let list: Vec<String> =
                    self.expected_datasets.iter().map(|d| go_quote(d)).collect();
                f.errors.push(format!(
                    "field {} should have value in [{}], it has \"{}\"",
                    go_quote(field),
                    list.join(" "),
                    value.go_display()
                ));
            }
        }
    }

    fn walk(&self, root: &str, map: &BTreeMap<String, Json>, doc: &Json, f: &mut Findings) {
        for (name, value) in map {
            let key = if root.is_empty() {
                name.clone()
            } else {
                format!("{root}.{name}")
            };
            match value {
                Json::Object(inner) => {
                    if find_definition(&key, &self.schema)
                        .is_some_and(|d| d.field_type == "flattened")
                    {
                        continue;
                    }
                    self.walk(&key, inner, doc, f);
                }
                _ => {
                    if self.skip_leaf_of_object(root, name) {
                        continue;
                    }
                    self.scalar(&key, value, doc, f);
                }
            }
        }
    }

    fn skip_leaf_of_object(&self, root: &str, name: &str) -> bool {
        if self.spec_version >= Version(3, 0, 1) || !name.contains('.') {
            return false;
        }
        let key = if root.is_empty() {
            name.to_string()
        } else {
            format!("{root}.{name}")
        };
        let mut k = key.as_str();
        while let Some((parent, _)) = k.rsplit_once('.') {
            k = parent;
            if k.len() < root.len() {
                return false;
            }
            if let Some(d) = find_definition(k, &self.schema) {
                if matches!(
                    d.field_type.as_str(),
                    "group" | "object" | "nested" | "flattened"
                ) {
                    return true;
                }
            }
        }
        false
    }

    fn scalar(&self, key: &str, value: &Json, doc: &Json, f: &mut Findings) {
        let Some(def) = find_definition(key, &self.schema) else {
            if skip_family(key) {
                if self.strict {
                    f.warnings.push(format!("field {} is undefined (accepted by elastic-package under an exempt prefix)", go_quote(key)));
                }
                return;
            }
            if find_ancestor(key, &self.schema, |_, d| d.field_type == "flattened").is_some() {
                return;
            }
            if is_array_of_objects(value) {
                f.errors.push(format!(
                    "field {} is used as array of objects, expected explicit definition with type group or nested",
                    go_quote(key)
                ));
                return;
            }
            let parent = find_parent(key, &self.schema);
            if let Some(p) = &parent {
                if !matches!(p.field_type.as_str(), "" | "group" | "nested" | "object") {
                    f.errors.push(format!(
                        "field {} is undefined, could be a multifield",
                        go_quote(key)
                    ));
                    return;
                }
                if p.enabled == Some(false) {
                    return;
                }
            }
            f.errors
                .push(format!("field {} is undefined", go_quote(key)));
            return;
        };
        if self.spec_version >= Version(2, 0, 0)
            && def.normalize.iter().any(|n| n == "array")
            && !matches!(value, Json::Null | Json::Array(_))
        {
            f.errors.push(format!(
                "field {} is not normalized as expected: expected array, found {} ({})",
                go_quote(key),
                go_q_verb(value),
                value.go_type()
            ));
            return;
        }
        let mut errs = Vec::new();
        self.for_each_element(key, &def, value, doc, &mut errs, f);
        if self.spec_version >= Version(2, 0, 0)
            && matches!(
                def.field_type.as_str(),
                "constant_keyword" | "keyword" | "text"
            )
        {
            if let Some(e) = expected_event_type(key, value, &def, doc) {
                errs.push(e);
            }
        }
        if self.strict && errs.is_empty() {
            self.strict_checks(key, &def, value, f);
        }
        for e in errs {
            if !f.errors.contains(&e) {
                f.errors.push(e);
            }
        }
    }

    fn for_each_element(
        &self,
        key: &str,
        def: &FieldDef,
        value: &Json,
        doc: &Json,
        errs: &mut Vec<String>,
        f: &mut Findings,
    ) {
        match value {
            Json::Array(items) => {
                for item in items {
                    self.single(key, def, item, doc, errs, f);
                }
            }
            _ => self.single(key, def, value, doc, errs, f),
        }
    }

    fn single(
        &self,
        key: &str,
        def: &FieldDef,
        value: &Json,
        doc: &Json,
        errs: &mut Vec<String>,
        f: &mut Findings,
    ) {
        let type_error = || {
            format!(
                "field {}'s Go type, {}, does not match the expected field type: {} (field value: {})",
                go_quote(key),
                value.go_type(),
                def.field_type,
                value.go_display()
            )
        };
        let string_value = || -> Option<String> {
            match value {
                Json::String(s) => Some(s.clone()),
                Json::Bool(_) | Json::Number(_)
                    if self.numeric_keyword_fields.iter().any(|k| k == key) =>
                {
                    Some(value.go_display())
                }
                _ => None,
            }
        };
        let mut push = |e: String| {
            if !errs.contains(&e) {
                errs.push(e);
            }
        };
        match def.field_type.as_str() {
            "constant_keyword" | "keyword" | "text" => {
                let Some(s) = string_value() else {
                    push(type_error());
                    return;
                };
                if self.strict && !matches!(value, Json::String(_)) {
                    f.warnings.push(format!(
                        "field {} holds {} {}, accepted only because it is listed in numeric_keyword_fields",
                        go_quote(key),
                        value.go_type(),
                        value.go_display()
                    ));
                }
                if def.field_type == "constant_keyword" && !def.value.is_empty() && s != def.value {
                    push(format!(
                        "field {}'s value {} does not match the declared constant_keyword value {}",
                        go_quote(key),
                        go_quote(&s),
                        go_quote(&def.value)
                    ));
                    return;
                }
                if let Some(e) = pattern_error(key, &s, &def.pattern) {
                    push(e);
                    return;
                }
                if let Some(e) = allowed_values_error(key, &s, def) {
                    push(e);
                }
            }
            "date" => match value {
                Json::String(s) => {
                    if let Some(e) = pattern_error(key, s, &def.pattern) {
                        push(e);
                    }
                }
                Json::Number(_) => {
                    if !def.pattern.is_empty() {
                        push(format!(
                            "numeric date in field {}, but pattern defined",
                            go_quote(key)
                        ));
                    }
                }
                _ => push(type_error()),
            },
            "ip" => {
                let Json::String(s) = value else {
                    push(type_error());
                    return;
                };
                if let Some(e) = pattern_error(key, s, &def.pattern) {
                    push(e);
                    return;
                }
                if !is_allowed_ip(s) {
                    push(format!(
                        "the IP {} is not one of the allowed test IPs (see: https://github.com/elastic/elastic-package/blob/main/docs/howto/ingest_geoip.md)",
                        go_quote(s)
                    ));
                }
            }
            "group" | "nested" | "object" => match value {
                Json::Object(inner) => {
                    if self.spec_version >= Version(3, 0, 1) {
                        let mut sub = Findings::default();
                        self.walk(key, inner, doc, &mut sub);
                        for e in sub.errors {
                            push(e);
                        }
                        f.warnings.extend(sub.warnings);
                    }
                }
                Json::Array(items) => {
                    if self.spec_version >= Version(3, 0, 1) {
                        for item in items {
                            self.single(key, def, item, doc, errs, f);
                        }
                    }
                }
                Json::Null => {}
                _ => {
                    if def.field_type == "object" && !def.object_type.is_empty() {
                        let mut adapted = def.clone();
                        adapted.field_type = def.object_type.clone();
                        adapted.object_type = String::new();
                        self.single(key, &adapted, value, doc, errs, f);
                    } else if def.field_type != "object" {
                        push(format!(
                            "field {} is a group of fields of type {}, it cannot store values",
                            go_quote(key),
                            def.field_type
                        ));
                    }
                }
            },
            "float" | "long" | "double" => match value {
                // elastic-package takes any number here, whatever its
                // range (a float64 or json.Number in Go): an integer beyond
                // a long (a BigInteger in the pipeline) passes.
                Json::Number(n) => {
                    if self.strict && def.field_type == "long" && n.parse::<i64>().is_err() {
                        let value = n.parse::<f64>().unwrap_or(f64::NAN);
                        let integral = !n.contains(['.', 'e', 'E']);
                        if integral || (value.fract() == 0.0 && value.abs() >= -(i64::MIN as f64)) {
                            f.warnings.push(format!(
                                "field {} is a long but holds {n}, beyond a long's range; Elasticsearch would refuse to index it",
                                go_quote(key)
                            ));
                        } else if value.fract() != 0.0 {
                            f.warnings.push(format!(
                                "field {} is a long but holds {n}; Elasticsearch would truncate it",
                                go_quote(key)
                            ));
                        }
                    }
                }
                Json::String(s) => {
                    let listed = self.string_number_fields.iter().any(|k| k == key);
                    if !listed || s.trim().parse::<f64>().is_err() || s.trim() != s {
                        push(type_error());
                    }
                }
                _ => push(type_error()),
            },
            _ => {}
        }
    }

    /// `--strict`: type checks elastic-package does not make.
    fn strict_checks(&self, key: &str, def: &FieldDef, value: &Json, f: &mut Findings) {
        let items: Vec<&Json> = match value {
            Json::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let ok = match (def.field_type.as_str(), item) {
                (_, Json::Null) => false,
                // An unsigned long holds 0 to 2^64 - 1; an integer literal
                // outside that would be refused when indexed.
                ("unsigned_long", Json::Number(n)) if !n.contains(['.', 'e', 'E']) => n.parse::<u64>().is_ok(),
                (
                    "integer" | "short" | "byte" | "unsigned_long" | "scaled_float" | "half_float",
                    Json::Number(_),
                ) => true,
                (
                    "integer" | "short" | "byte" | "unsigned_long" | "scaled_float" | "half_float",
                    Json::String(s),
                ) => s.parse::<f64>().is_ok(),
                (
                    "integer" | "short" | "byte" | "unsigned_long" | "scaled_float" | "half_float",
                    _,
                ) => false,
                ("boolean", Json::Bool(_)) => true,
                ("boolean", Json::String(s)) => s == "true" || s == "false" || s.is_empty(),
                ("boolean", _) => false,
                _ => true,
            };
            if !ok {
                let what = if item.is_null() {
                    "null".to_string()
                } else {
                    format!("{} {}", item.go_type(), item.go_display())
                };
                f.warnings.push(format!(
                    "field {} holds {what}, which does not fit its type {} (elastic-package does not check this)",
                    go_quote(key),
                    if def.field_type.is_empty() { "(none)" } else { def.field_type.as_str() }
                ));
            }
        }
    }
}

fn skip_family(key: &str) -> bool {
    [
        "agent",
        "elastic_agent",
        "cloud",
        "event",
        "host",
        "metricset",
    ]
    .iter()
    .any(|f| key == *f || key.starts_with(&format!("{f}.")))
}

fn is_array_of_objects(v: &Json) -> bool {
    matches!(v, Json::Array(items) if items.iter().any(|i| matches!(i, Json::Object(_))))
}

fn pattern_error(key: &str, value: &str, pattern: &str) -> Option<String> {
    if pattern.is_empty() {
        return None;
    }
    match regex::Regex::new(pattern) {
        Err(e) => Some(format!(
            "invalid pattern: error parsing regexp: {}",
            e.to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )),
        Ok(re) if !re.is_match(value) => Some(format!(
            "field {}'s value, {value}, does not match the expected pattern: {pattern}",
            go_quote(key)
        )),
        Ok(_) => None,
    }
}

fn allowed_values_error(key: &str, value: &str, def: &FieldDef) -> Option<String> {
    if !def.allowed_values.is_empty() && !def.allowed_values.iter().any(|a| a.name == value) {
        let names: Vec<&str> = def.allowed_values.iter().map(|a| a.name.as_str()).collect();
        return Some(format!(
            "field {}'s value {} is not one of the allowed values ({})",
            go_quote(key),
            go_quote(value),
            names.join(", ")
        ));
    }
    if !def.expected_values.is_empty() && !def.expected_values.iter().any(|e| e == value) {
        return Some(format!(
            "field {}'s value {} is not one of the expected values ({})",
            go_quote(key),
            go_quote(value),
            def.expected_values.join(", ")
        ));
    }
    None
}

fn strings_of(v: Option<&Json>) -> Vec<String> {
    match v {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(items)) => items.iter().map(Json::go_display).collect(),
        Some(other) => vec![other.go_display()],
    }
}

fn expected_event_type(key: &str, value: &Json, def: &FieldDef, doc: &Json) -> Option<String> {
    let event_types = strings_of(super::compare::get_path(doc, "event.type"));
    let values = strings_of(Some(value));
    let mut expected: Vec<String> = Vec::new();
    for v in &values {
        for t in def.expected_event_types(v) {
            if !expected.contains(t) {
                expected.push(t.clone());
            }
        }
    }
    if expected.is_empty() {
        return None;
    }
    event_types.iter().find(|t| !expected.contains(t)).map(|t| {
        format!(
            "field \"event.type\" value {} is not one of the expected values ({}) for any of the values of {} ({})",
            go_quote(t),
            expected.join(", "),
            go_quote(key),
            values.join(", ")
        )
    })
}

/// The pipeline-error check that runs before field validation.
fn pipeline_error(map: &BTreeMap<String, Json>) -> Option<String> {
    let error = map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("error"))
        .map(|(_, v)| v)?;
    let obj = match error {
        Json::Object(o) => o,
        Json::Null => return None,
        other => {
            return Some(format!(
                "can't unmarshal event to check pipeline error: json: cannot unmarshal {} into Go struct field .error of type struct {{ Message interface {{}} }}",
                match other {
                    Json::String(_) => "string",
                    Json::Number(_) => "number",
                    Json::Bool(_) => "bool",
                    _ => "array",
                }
            ))
        }
    };
    let message = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("message"))
        .map(|(_, v)| v)?;
    Some(match message {
        Json::Null => return None,
        Json::String(s) => format!("unexpected pipeline error: {s}"),
        Json::Array(items) => match items.iter().position(|i| !matches!(i, Json::String(_))) {
            None => format!("unexpected pipeline error: {}", message.go_display()),
            Some(i) => format!(
                "unexpected pipeline error (unexpected error.message type {} at position {i}): {}",
                match &items[i] {
                    Json::Number(_) => "json.Number",
                    other => other.go_type(),
                },
                message.go_display()
            ),
        },
        Json::Number(n) => {
            format!("unexpected pipeline error (unexpected error.message type json.Number): {n}")
        }
        other => format!(
            "unexpected pipeline error (unexpected error.message type {}): {}",
            other.go_type(),
            other.go_display()
        ),
    })
}

/// Minimal Mustache rendering of `{{a.b}}` against the document.
fn render_mustache(template: &str, doc: &Json) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim().trim_start_matches('&').trim();
        if let Some(v) = super::compare::get_path(doc, name) {
            match v {
                Json::String(s) => out.push_str(s),
                Json::Null => {}
                other => out.push_str(&other.to_compact()),
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Go's `%q` of a string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` verb applied to a decoded JSON value.
fn go_q_verb(v: &Json) -> String {
    match v {
        Json::String(s) => go_quote(s),
        Json::Bool(b) => format!("%!q(bool={b})"),
        Json::Number(_) => format!("%!q(float64={})", v.go_display()),
        other => go_quote(&other.go_display()),
    }
}

fn in_cidr(ip: IpAddr, cidr: &str) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            (u32::from(a) & mask) == (u32::from(b) & mask)
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            (u128::from(a) & mask) == (u128::from(b) & mask)
        }
        _ => false,
    }
}

/// elastic-package's allowed test IPs.
pub fn is_allowed_ip(s: &str) -> bool {
    let Ok(ip) = s.parse::<IpAddr>() else {
        return false;
    };
    // Go treats IPv4-mapped IPv6 addresses as IPv4.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    if ALLOWED_CIDRS.iter().any(|c| in_cidr(ip, c)) {
        return true;
    }
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_unspecified()
                || v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || (o[0] == 192 && o[1] == 0 && o[2] == 2)
                || (o[0] == 198 && o[1] == 51 && o[2] == 100)
                || (o[0] == 203 && o[1] == 0 && o[2] == 113)
                || (o[0] == 233 && o[1] == 252 && o[2] == 0)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] & 0xfff0) == 0x3ff0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_yaml_ng::Value as Yaml;

    fn validator(yaml: &str) -> Validator {
        let y: Yaml = serde_yaml_ng::from_str(yaml).unwrap();
        let schema = y
            .as_sequence()
            .unwrap()
            .iter()
            .map(|i| FieldDef::from_yaml(i).unwrap())
            .collect();
        Validator {
            schema,
            spec_version: Version(3, 0, 2),
            expected_datasets: vec!["pkg.ds".into()],
            numeric_keyword_fields: vec!["nk".into()],
            string_number_fields: vec![],
            dataset_check_only: false,
            strict: false,
        }
    }

    fn errors(v: &Validator, doc: &str) -> Vec<String> {
        let mut e = v.validate(&Json::parse(doc).unwrap()).errors;
        e.sort();
        e
    }

    #[test]
    fn messages_match_elastic_package() {
        let v = validator(
            "- name: example.long\n  type: long\n- name: k\n  type: keyword\n- name: nk\n  type: keyword\n\
             - name: src\n  type: ip\n- name: g\n  type: group\n  fields: [{name: x, type: keyword}]\n\
             - name: tags\n  type: keyword\n  normalize: [array]\n",
        );
        insta::assert_debug_snapshot!(errors(
            &v,
            r#"{"example":{"long":"42"},"k":1.5,"nk":42,"src":"8.8.8.8","g":"v","tags":"t","k2":{"x":1},"event":{"dataset":"foo","other":1},"arr":[{"a":1}]}"#
        ));
    }

    #[test]
    fn pipeline_errors_stop_validation() {
        let v = validator("[]");
        assert_eq!(
            errors(&v, r#"{"error":{"message":"boom"},"x":1}"#),
            vec!["unexpected pipeline error: boom"]
        );
        assert_eq!(
            errors(&v, r#"{"error":{"message":["a",5]}}"#),
            vec!["unexpected pipeline error (unexpected error.message type json.Number at position 1): [a 5]"]
        );
    }

    #[test]
    fn allowed_ips() {
        assert!(is_allowed_ip("89.160.20.128"));
        assert!(is_allowed_ip("10.1.2.3"));
        assert!(is_allowed_ip("2001:db8::1"));
        assert!(is_allowed_ip("255.255.255.255"));
        assert!(!is_allowed_ip("8.8.8.8"));
        assert!(!is_allowed_ip("nope"));
    }

    /// elastic-package accepts any JSON number for a `long` (and makes no
    /// check of an `unsigned_long`): an integer beyond a long's range, as a
    /// pipeline's BigInteger writes it, passes; `--strict` warns of what
    /// Elasticsearch would refuse to index.
    #[test]
    fn integers_beyond_a_long_pass_as_elastic_package_passes_them() {
        let mut v = validator("- name: n\n  type: long\n- name: u\n  type: unsigned_long\n");
        let doc = r#"{"n":12345678901234567890,"u":[18446744073709551615,18446744073709551616,-1]}"#;
        assert!(errors(&v, doc).is_empty());
        assert!(v.validate(&Json::parse(doc).unwrap()).warnings.is_empty());
        v.strict = true;
        let warnings = v.validate(&Json::parse(doc).unwrap()).warnings;
        assert_eq!(
            warnings,
            [
                "field \"n\" is a long but holds 12345678901234567890, beyond a long's range; Elasticsearch would refuse to index it",
                "field \"u\" holds float64 1.8446744073709552e+19, which does not fit its type unsigned_long (elastic-package does not check this)",
                "field \"u\" holds float64 -1, which does not fit its type unsigned_long (elastic-package does not check this)",
            ]
        );
        let within = r#"{"n":9223372036854775807,"u":[0,18446744073709551615]}"#;
        assert!(v.validate(&Json::parse(within).unwrap()).warnings.is_empty());
    }

    #[test]
    fn strict_warns_about_exempt_prefixes_and_fractional_longs() {
        let mut v = validator("- name: n\n  type: long\n");
        v.strict = true;
        let f = v.validate(&Json::parse(r#"{"event":{"nope":1},"n":1.5}"#).unwrap());
        assert!(f.errors.is_empty());
        assert_eq!(f.warnings.len(), 2, "{:?}", f.warnings);
    }
}
