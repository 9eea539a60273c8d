//! Field definitions of a data stream (`fields/*.yml`), the ECS schema
//! (`ecs_nested.yml` or `ecs_flat.yml`), resolution of `external: ecs`, and
//! elastic-package's definition lookup (`FindElementDefinition`).

use super::config::read_yaml;
use serde_yaml_ng::Value as Yaml;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllowedValue {
    pub name: String,
    pub expected_event_types: Vec<String>,
}

/// One field definition, as much of it as validation uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub field_type: String,
    pub object_type: String,
    pub external: String,
    pub pattern: String,
    /// constant_keyword's declared value.
    pub value: String,
    pub normalize: Vec<String>,
    pub allowed_values: Vec<AllowedValue>,
    pub expected_values: Vec<String>,
    pub enabled: Option<bool>,
    pub fields: Vec<FieldDef>,
    pub multi_fields: Vec<FieldDef>,
}

fn text(v: Option<&Yaml>) -> String {
    match v {
        Some(Yaml::String(s)) => s.clone(),
        Some(Yaml::Bool(b)) => b.to_string(),
        Some(Yaml::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn texts(v: Option<&Yaml>) -> Vec<String> {
    match v {
        Some(Yaml::Sequence(items)) => items.iter().map(|i| text(Some(i))).collect(),
        _ => Vec::new(),
    }
}

impl FieldDef {
    pub fn from_yaml(y: &Yaml) -> Result<FieldDef, String> {
        let Yaml::Mapping(m) = y else {
            return Err("a field definition must be a mapping".into());
        };
        let get = |k: &str| m.get(k);
        let children = |k: &str| -> Result<Vec<FieldDef>, String> {
            match get(k) {
                Some(Yaml::Sequence(items)) => items.iter().map(FieldDef::from_yaml).collect(),
                _ => Ok(Vec::new()),
            }
        };
        let allowed_values = match get("allowed_values") {
            Some(Yaml::Sequence(items)) => items
                .iter()
                .map(|i| AllowedValue {
                    name: text(i.get("name")),
                    expected_event_types: texts(i.get("expected_event_types")),
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(FieldDef {
            name: text(get("name")),
            field_type: text(get("type")),
            object_type: text(get("object_type")),
            external: text(get("external")),
            pattern: text(get("pattern")),
            value: text(get("value")),
            normalize: texts(get("normalize")),
            allowed_values,
            expected_values: texts(get("expected_values")),
            enabled: get("enabled").and_then(Yaml::as_bool),
            fields: children("fields")?,
            multi_fields: children("multi_fields")?,
        })
    }

    /// The expected event types for one value of this field.
    pub fn expected_event_types(&self, value: &str) -> &[String] {
        self.allowed_values
            .iter()
            .find(|a| a.name == value)
            .map(|a| a.expected_event_types.as_slice())
            .unwrap_or(&[])
    }
}

/// Reads `<ds>/fields/*.yml`, sorted by name. A missing directory gives no definitions.
pub fn load_data_stream_fields(ds_dir: &Path) -> Result<Vec<FieldDef>, String> {
    let dir = ds_dir.join("fields");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let all: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    let mut files: Vec<PathBuf> = all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .cloned()
        .collect();
    files.sort();
    let mut links: Vec<PathBuf> = all
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".yml.link"))
        .collect();
    links.sort();
    for link in links {
        files.push(super::runner::link_target(&link)?);
    }
    let mut defs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("reading {} failed: {e}", file.display()))?;
        if text.trim().is_empty() {
            continue;
        }
        let y: Yaml = serde_yaml_ng::from_str(&text)
            .map_err(|e| format!("unmarshalling field body failed ({}): {e}", file.display()))?;
        match y {
            Yaml::Sequence(items) => {
                for item in &items {
                    defs.push(
                        FieldDef::from_yaml(item)
                            .map_err(|e| format!("{}: {e}", file.display()))?,
                    );
                }
            }
            Yaml::Null => {}
            _ => {
                return Err(format!(
                    "{}: expected a list of field definitions",
                    file.display()
                ))
            }
        }
    }
    Ok(defs)
}

/// An ECS schema as definitions: fieldsets as groups (nested form) or one
/// definition per flat name (flat form). Every definition carries `external: ecs`.
#[derive(Debug, Clone, Default)]
pub struct EcsSchema {
    pub defs: Vec<FieldDef>,
}

impl EcsSchema {
    pub fn load(path: &Path) -> Result<EcsSchema, String> {
        let y = read_yaml(path)
            .map_err(|e| format!("reading ECS schema {} failed: {e}", path.display()))?;
        let Yaml::Mapping(top) = &y else {
            return Err(format!("ECS schema {} is not a mapping", path.display()));
        };
        let nested = top
            .values()
            .next()
            .is_some_and(|v| v.get("fields").is_some_and(Yaml::is_mapping));
        let mut defs = Vec::new();
        if nested {
            for (fieldset, body) in top {
                let fieldset = text(Some(fieldset));
                let mut group = FieldDef {
                    name: fieldset.clone(),
                    field_type: "group".into(),
                    external: "ecs".into(),
                    ..FieldDef::default()
                };
                let Some(Yaml::Mapping(fields)) = body.get("fields") else {
                    continue;
                };
                for (flat, field) in fields {
                    let flat = text(Some(flat));
                    let mut def = ecs_field(field)?;
                    match flat.strip_prefix(&format!("{fieldset}.")) {
                        Some(rest) => {
                            def.name = rest.to_string();
                            group.fields.push(def);
                        }
                        None => {
                            def.name = flat;
                            defs.push(def);
                        }
                    }
                }
                if !group.fields.is_empty() {
                    defs.push(group);
                }
            }
        } else {
            for (flat, field) in top {
                let mut def = ecs_field(field)?;
                def.name = text(Some(flat));
                defs.push(def);
            }
        }
        Ok(EcsSchema { defs })
    }

    /// The ECS subset recorded in a package's lock file by `ingot build`
    /// (`ecs_version` and flat `fields`), for validating without a schema.
    /// Returns the schema and the ECS version it records.
    pub fn load_lock(path: &Path) -> Result<(EcsSchema, String), String> {
        let y = read_yaml(path).map_err(|e| format!("reading ECS lock {} failed: {e}", path.display()))?;
        let version = text(y.get("ecs_version"));
        let Some(Yaml::Mapping(fields)) = y.get("fields") else {
            return Err(format!("ECS lock {} has no `fields` mapping", path.display()));
        };
        let mut defs = Vec::new();
        for (flat, field) in fields {
            let mut def = ecs_field(field)?;
            def.name = text(Some(flat));
            defs.push(def);
        }
        Ok((EcsSchema { defs }, version))
    }

    /// The ECS definitions as the whole-schema import appends them, with
    /// the extra `text` multi-fields that mimic `ecs@mappings`.
    pub fn import_definitions(&self) -> Vec<FieldDef> {
        fn add_text(def: &mut FieldDef, full: &str) {
            const SUFFIXES: &[&str] = &[
                ".body.content",
                "url.full",
                "url.original",
                "command_line",
                "stack_trace",
                ".title",
                ".executable",
                ".name",
                ".working_directory",
                ".full_name",
                "file.path",
                "file.target_path",
                "os.full",
                "email.subject",
                "vulnerability.description",
                "user_agent.original",
            ];
            if def.fields.is_empty()
                && SUFFIXES.iter().any(|s| full.ends_with(s))
                && !def.multi_fields.iter().any(|m| m.name == "text")
            {
                def.multi_fields.push(FieldDef {
                    name: "text".into(),
                    field_type: "match_only_text".into(),
                    external: "ecs".into(),
                    ..FieldDef::default()
                });
            }
            for child in &mut def.fields {
                let child_full = format!("{full}.{}", child.name);
                add_text(child, &child_full);
            }
        }
        let mut defs = self.defs.clone();
        for def in &mut defs {
            let full = def.name.clone();
            add_text(def, &full);
        }
        defs
    }
}

fn ecs_field(y: &Yaml) -> Result<FieldDef, String> {
    let mut def = FieldDef::from_yaml(y)?;
    def.external = "ecs".into();
    for m in &mut def.multi_fields {
        m.external = "ecs".into();
    }
    Ok(def)
}

/// Type changes a local definition may make to an imported one.
fn type_override_allowed(imported: &str, local: &str) -> bool {
    matches!(
        (imported, local),
        ("keyword", "constant_keyword")
            | ("constant_keyword", "keyword")
            | ("object", "group")
            | ("object", "nested")
    )
}

/// Replaces `external: ecs` definitions by the ECS ones with the local keys on top.
pub fn resolve_externals(defs: &mut [FieldDef], ecs: &EcsSchema) -> Result<(), String> {
    fn visit(defs: &mut [FieldDef], prefix: &str, ecs: &EcsSchema) -> Result<(), String> {
        for def in defs.iter_mut() {
            let full = if prefix.is_empty() {
                def.name.clone()
            } else {
                format!("{prefix}.{}", def.name)
            };
            if !def.external.is_empty() {
                let imported = find_definition(&full, &ecs.defs).ok_or_else(|| {
                    format!(
                        "can't import field: field definition not found in schema (name: {full})"
                    )
                })?;
                let local = def.clone();
                let mut merged = imported.clone();
                merged.name = local.name.clone();
                merged.external = String::new();
                merged.fields = local.fields.clone();
                if !local.pattern.is_empty() {
                    merged.pattern = local.pattern.clone();
                }
                if !local.value.is_empty() {
                    merged.value = local.value.clone();
                }
                if !local.normalize.is_empty() {
                    merged.normalize = local.normalize.clone();
                }
                if !local.allowed_values.is_empty() {
                    merged.allowed_values = local.allowed_values.clone();
                }
                if !local.expected_values.is_empty() {
                    merged.expected_values = local.expected_values.clone();
                }
                if !local.object_type.is_empty() {
                    merged.object_type = local.object_type.clone();
                }
                if local.enabled.is_some() {
                    merged.enabled = local.enabled;
                }
                if !local.multi_fields.is_empty() {
                    merged.multi_fields = local.multi_fields.clone();
                }
                if !local.field_type.is_empty()
                    && type_override_allowed(&imported.field_type, &local.field_type)
                {
                    merged.field_type = local.field_type.clone();
                }
                *def = merged;
            }
            visit(&mut def.fields, &full, ecs)?;
        }
        Ok(())
    }
    visit(defs, "", ecs)
}

/// elastic-package's `compareKeys`: `*` matches a non-empty dot-free run;
/// a remainder may be a geo_point/histogram sub-field.
fn compare_keys(full: &str, def: &FieldDef, searched: &str) -> bool {
    let s = searched.as_bytes();
    let mut j = 0;
    for &k in full.as_bytes() {
        if j >= s.len() {
            return false;
        }
        if k == s[j] {
            j += 1;
        } else if k == b'*' {
            match s[j..].iter().position(|b| *b == b'.') {
                Some(0) => return false,
                Some(idx) => j += idx,
                None => j = s.len(),
            }
        } else {
            return false;
        }
    }
    if j == s.len() {
        return true;
    }
    valid_sub_field(def, &searched[j..])
}

fn valid_sub_field(def: &FieldDef, extra: &str) -> bool {
    let t = if def.field_type == "object" && !def.object_type.is_empty() {
        &def.object_type
    } else {
        &def.field_type
    };
    match t.as_str() {
        "geo_point" => matches!(extra, ".lat" | ".lon"),
        "histogram" => matches!(extra, ".values" | ".counts"),
        _ => !def.external.is_empty() && matches!(extra, ".lat" | ".lon" | ".values" | ".counts"),
    }
}

fn find_for_root<'a>(root: &str, searched: &str, defs: &'a [FieldDef]) -> Option<&'a FieldDef> {
    for def in defs {
        let full = if root.is_empty() {
            def.name.clone()
        } else {
            format!("{root}.{}", def.name)
        };
        if compare_keys(&full, def, searched) {
            return Some(def);
        }
        if !def.fields.is_empty() && could_prefix(&full, searched) {
            if let Some(d) = find_for_root(&full, searched, &def.fields) {
                return Some(d);
            }
        }
        if !def.multi_fields.is_empty() && could_prefix(&full, searched) {
            if let Some(d) = find_for_root(&full, searched, &def.multi_fields) {
                return Some(d);
            }
        }
    }
    None
}

/// Whether children of `full` could match `searched` (a cheap pre-check:
/// the literal part before any wildcard must be a prefix).
fn could_prefix(full: &str, searched: &str) -> bool {
    let literal = full.split('*').next().unwrap_or("");
    searched.starts_with(literal)
}

/// `FindElementDefinition`, including the fallback to a parent `object`
/// with an `object_type`.
pub fn find_definition(searched: &str, defs: &[FieldDef]) -> Option<FieldDef> {
    if let Some(d) = find_for_root("", searched, defs) {
        return Some(d.clone());
    }
    let parent = find_parent(searched, defs)?;
    if parent.field_type == "object" && !parent.object_type.is_empty() {
        let mut d = parent.clone();
        d.name = searched.to_string();
        d.field_type = parent.object_type.clone();
        d.object_type = String::new();
        return Some(d);
    }
    None
}

pub fn find_parent(key: &str, defs: &[FieldDef]) -> Option<FieldDef> {
    let (parent, _) = key.rsplit_once('.')?;
    find_definition(parent, defs)
}

/// The nearest ancestor definition satisfying `cond`.
pub fn find_ancestor(
    key: &str,
    defs: &[FieldDef],
    cond: impl Fn(&str, &FieldDef) -> bool,
) -> Option<FieldDef> {
    let mut key = key;
    while let Some((parent, _)) = key.rsplit_once('.') {
        key = parent;
        if let Some(d) = find_definition(key, defs) {
            if cond(key, &d) {
                return Some(d);
            }
        }
    }
    None
}

/// The ECS reference of `_dev/build/build.yml`, and whether it asks for the
/// whole-schema import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildManifest {
    pub ecs_reference: String,
    pub import_mappings: bool,
}

pub fn read_build_manifest(package_dir: &Path) -> Result<Option<BuildManifest>, String> {
    let path = package_dir.join("_dev/build/build.yml");
    if !path.is_file() {
        return Ok(None);
    }
    let y = read_yaml(&path)
        .map_err(|e| format!("reading build manifest {} failed: {e}", path.display()))?;
    let ecs = y.get("dependencies").and_then(|d| d.get("ecs"));
    Ok(Some(BuildManifest {
        ecs_reference: text(ecs.and_then(|e| e.get("reference"))),
        import_mappings: ecs
            .and_then(|e| e.get("import_mappings"))
            .and_then(Yaml::as_bool)
            .unwrap_or(false),
    }))
}

/// The ECS file for a `git@v8.11.0` reference inside a directory of schemas.
pub fn ecs_file_in_dir(dir: &Path, reference: &str) -> Option<PathBuf> {
    let version = reference
        .strip_prefix("git@")
        .unwrap_or(reference)
        .trim_start_matches('v');
    ["ecs_nested", "ecs_flat"]
        .iter()
        .map(|kind| dir.join(format!("{kind}-{version}.yml")))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(yaml: &str) -> Vec<FieldDef> {
        let y: Yaml = serde_yaml_ng::from_str(yaml).unwrap();
        y.as_sequence()
            .unwrap()
            .iter()
            .map(|i| FieldDef::from_yaml(i).unwrap())
            .collect()
    }

    #[test]
    fn lookup_walks_groups_wildcards_and_geo_points() {
        let d = defs(
            "- name: a\n  type: group\n  fields:\n    - name: b\n      type: keyword\n      multi_fields:\n        - name: text\n          type: text\n\
             - name: labels.*\n  type: keyword\n- name: loc\n  type: geo_point\n- name: o\n  type: object\n  object_type: long\n",
        );
        assert_eq!(find_definition("a.b", &d).unwrap().field_type, "keyword");
        assert_eq!(find_definition("a.b.text", &d).unwrap().field_type, "text");
        assert!(find_definition("labels.x", &d).is_some());
        assert!(find_definition("labels.x.y", &d).is_none());
        assert!(find_definition("labels.", &d).is_none());
        assert_eq!(find_definition("loc.lat", &d).unwrap().name, "loc");
        assert!(find_definition("loc.x", &d).is_none());
        assert_eq!(find_definition("o.count", &d).unwrap().field_type, "long");
    }

    #[test]
    fn externals_take_the_ecs_type_unless_allowed() {
        let ecs = EcsSchema {
            defs: defs("- name: event\n  type: group\n  fields:\n    - name: dataset\n      type: keyword\n      external: ecs\n    - name: kind\n      type: keyword\n      external: ecs\n"),
        };
        let mut local = defs("- name: event.dataset\n  external: ecs\n  type: constant_keyword\n- name: event\n  type: group\n  fields:\n    - name: kind\n      external: ecs\n      type: long\n");
        resolve_externals(&mut local, &ecs).unwrap();
        assert_eq!(local[0].field_type, "constant_keyword");
        assert_eq!(local[1].fields[0].field_type, "keyword");
        let mut missing = defs("- name: nope.x\n  external: ecs\n");
        assert_eq!(
            resolve_externals(&mut missing, &ecs).unwrap_err(),
            "can't import field: field definition not found in schema (name: nope.x)"
        );
    }
}
