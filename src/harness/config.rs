//! Test-case configuration: `test-common-config.yml` with `<case>-config.yml`
//! unpacked on top of it, merged by go-ucfg's default rules (maps key by key,
//! lists index by index, scalars replaced).

use super::json::{go_float_json, Json};
use serde_yaml_ng::Value as Yaml;
use std::collections::BTreeMap;
use std::path::Path;

/// The merged configuration of one test case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseConfig {
    pub skip: Option<Skip>,
    pub multiline: Option<String>,
    /// Values put into every event, keys are dotted paths (not split here).
    pub fields: BTreeMap<String, Json>,
    /// Field → regex; removed before comparison and pattern-checked after.
    pub dynamic_fields: BTreeMap<String, String>,
    pub numeric_keyword_fields: Vec<String>,
    pub string_number_fields: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Skip {
    pub reason: String,
    pub link: String,
}

/// Loads the common config of `dir` and the case's own config on top.
pub fn load_case_config(dir: &Path, case_file: &str) -> Result<CaseConfig, String> {
    let mut merged = Yaml::Mapping(Default::default());
    let common = dir.join("test-common-config.yml");
    if common.is_file() {
        let y = read_yaml(&common)
            .map_err(|e| format!("can't load common configuration: {}: {e}", common.display()))?;
        merge(&mut merged, y);
    }
    let own = dir.join(format!("{case_file}-config.yml"));
    if own.is_file() {
        let y = read_yaml(&own)
            .map_err(|e| format!("can't load test configuration: {}: {e}", own.display()))?;
        merge(&mut merged, y);
    }
    CaseConfig::from_yaml(&merged).map_err(|e| {
        let which = if own.is_file() {
            own.display().to_string()
        } else {
            common.display().to_string()
        };
        format!("can't unpack test configuration: {which}: {e}")
    })
}

pub fn read_yaml(path: &Path) -> Result<Yaml, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if text.trim().is_empty() {
        return Ok(Yaml::Mapping(Default::default()));
    }
    let y: Yaml = serde_yaml_ng::from_str(&text).map_err(|e| e.to_string())?;
    match y {
        Yaml::Null => Ok(Yaml::Mapping(Default::default())),
        Yaml::Mapping(_) => Ok(y),
        _ => Err("type mismatch: expected a mapping at the top level".into()),
    }
}

/// go-ucfg's merge of `over` into `base`.
pub fn merge(base: &mut Yaml, over: Yaml) {
    match (base, over) {
        (Yaml::Mapping(b), Yaml::Mapping(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Yaml::Sequence(b), Yaml::Sequence(o)) => {
            for (i, v) in o.into_iter().enumerate() {
                if i < b.len() {
                    merge(&mut b[i], v);
                } else {
                    b.push(v);
                }
            }
        }
        (b, Yaml::Null) if !matches!(b, Yaml::Null) => {}
        (b, o) => *b = o,
    }
}

fn key_text(k: &Yaml) -> String {
    match k {
        Yaml::String(s) => s.clone(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Null => "null".into(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

fn scalar_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Bool(b) => Some(b.to_string()),
        Yaml::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A YAML value as elastic-package sends it in an event.
pub fn yaml_to_json(v: &Yaml) -> Json {
    match v {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(*b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::Number(i.to_string())
            } else if let Some(u) = n.as_u64() {
                Json::Number(u.to_string())
            } else {
                Json::Number(go_float_json(n.as_f64().unwrap_or(0.0)))
            }
        }
        Yaml::String(s) => Json::String(s.clone()),
        Yaml::Sequence(items) => Json::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Mapping(m) if m.is_empty() => Json::Null,
        Yaml::Mapping(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (key_text(k), yaml_to_json(v)))
                .collect(),
        ),
        Yaml::Tagged(t) => yaml_to_json(&t.value),
    }
}

impl CaseConfig {
    fn from_yaml(y: &Yaml) -> Result<CaseConfig, String> {
        let mut c = CaseConfig::default();
        let Yaml::Mapping(m) = y else { return Ok(c) };
        for (k, v) in m {
            let key = key_text(k);
            match key.as_str() {
                "skip" => {
                    if let Yaml::Mapping(s) = v {
                        let get =
                            |name: &str| s.get(name).and_then(scalar_text).unwrap_or_default();
                        c.skip = Some(Skip {
                            reason: get("reason"),
                            link: get("link"),
                        });
                    } else if !v.is_null() {
                        return Err("required 'object', but found 'string' in field 'skip'".into());
                    }
                }
                "multiline" => {
                    if let Yaml::Mapping(s) = v {
                        c.multiline = s
                            .get("first_line_pattern")
                            .and_then(scalar_text)
                            .filter(|p| !p.is_empty());
                    }
                }
                "fields" => match v {
                    Yaml::Mapping(f) => {
                        c.fields = f
                            .iter()
                            .map(|(k, v)| (key_text(k), yaml_to_json(v)))
                            .collect();
                    }
                    Yaml::Null => {}
                    _ => {
                        return Err("required 'object', but found a scalar in field 'fields'".into())
                    }
                },
                "dynamic_fields" => match v {
                    Yaml::Mapping(f) => {
                        for (k, v) in f {
                            let pattern = scalar_text(v).ok_or_else(|| {
                                format!(
                                    "dynamic_fields.{}: expected a regular expression string",
                                    key_text(k)
                                )
                            })?;
                            c.dynamic_fields.insert(key_text(k), pattern);
                        }
                    }
                    Yaml::Null => {}
                    _ => {
                        return Err(
                            "required 'object', but found a scalar in field 'dynamic_fields'"
                                .into(),
                        )
                    }
                },
                "numeric_keyword_fields" => c.numeric_keyword_fields = string_list(v, &key)?,
                "string_number_fields" => c.string_number_fields = string_list(v, &key)?,
                _ => {}
            }
        }
        Ok(c)
    }
}

fn string_list(v: &Yaml, key: &str) -> Result<Vec<String>, String> {
    match v {
        Yaml::Sequence(items) => items
            .iter()
            .map(|i| scalar_text(i).ok_or_else(|| format!("{key}: expected a list of field names")))
            .collect(),
        Yaml::Null => Ok(Vec::new()),
        other => scalar_text(other)
            .map(|s| vec![s])
            .ok_or_else(|| format!("{key}: expected a list of field names")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(text: &str) -> Yaml {
        serde_yaml_ng::from_str(text).unwrap()
    }

    #[test]
    fn lists_merge_index_by_index() {
        let mut base = y("numeric_keyword_fields: [a, b, c]\nfields: {x: 1, y: {z: 2}}");
        merge(
            &mut base,
            y("numeric_keyword_fields: [q]\nfields: {y: {w: 3}}"),
        );
        let c = CaseConfig::from_yaml(&base).unwrap();
        assert_eq!(c.numeric_keyword_fields, vec!["q", "b", "c"]);
        assert_eq!(c.fields["x"], Json::Number("1".into()));
        assert_eq!(yaml_to_json(&y("{z: 2, w: 3}")), c.fields["y"]);
    }

    #[test]
    fn scalars_are_replaced_and_maps_merged() {
        let mut base = y("skip: {reason: a, link: l}\ndynamic_fields: {event.ingested: '.*'}");
        merge(
            &mut base,
            y("skip: {reason: b}\ndynamic_fields: {x: '^a$'}"),
        );
        let c = CaseConfig::from_yaml(&base).unwrap();
        assert_eq!(
            c.skip,
            Some(Skip {
                reason: "b".into(),
                link: "l".into()
            })
        );
        assert_eq!(c.dynamic_fields.len(), 2);
    }

    #[test]
    fn yaml_values_become_go_json() {
        assert_eq!(yaml_to_json(&y("1.0")), Json::Number("1".into()));
        assert_eq!(yaml_to_json(&y("{}")), Json::Null);
        assert_eq!(yaml_to_json(&y("1e21")), Json::Number("1e+21".into()));
    }
}
