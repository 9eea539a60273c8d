//! Validates a package directory against the package-spec (folder specs
//! and the JSON schemas of its files), as elastic-package's validator does
//! for the parts ingot generates. Spec files are YAML: `spec` is the
//! folder description or JSON schema of the latest format, `versions` the
//! JSON patches that derive older formats.

use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn semver(v: &str) -> (u64, u64, u64, bool) {
    let (core, pre) = match v.split_once('-') {
        Some((c, _)) => (c, true),
        None => (v, false),
    };
    let mut parts = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        pre,
    )
}

/// `a < b` in semver order, a prerelease before its release.
fn version_lt(a: &str, b: &str) -> bool {
    let (a, b) = (semver(a), semver(b));
    ((a.0, a.1, a.2), !a.3) < ((b.0, b.1, b.2), !b.3)
}

fn pointer_parts(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn apply_op(doc: &mut Json, op: &Json) -> Result<(), String> {
    let kind = op["op"].as_str().unwrap_or_default();
    let parts = pointer_parts(op["path"].as_str().unwrap_or_default());
    let (last, parents) = parts.split_last().ok_or("empty patch path")?;
    let mut target = &mut *doc;
    for p in parents {
        target = match target {
            Json::Object(m) => m
                .get_mut(p)
                .ok_or_else(|| format!("patch path {p} not found"))?,
            Json::Array(a) => a
                .get_mut(p.parse::<usize>().map_err(|e| e.to_string())?)
                .ok_or("index out of range")?,
            _ => return Err(format!("patch path {p} is not a container")),
        };
    }
    match (kind, target) {
        ("remove", Json::Object(m)) => {
            m.remove(last);
        }
        ("remove", Json::Array(a)) => {
            let i: usize = last.parse().map_err(|_| "bad index")?;
            if i < a.len() {
                a.remove(i);
            }
        }
        ("add" | "replace", Json::Object(m)) => {
            m.insert(last.clone(), op["value"].clone());
        }
        ("add", Json::Array(a)) if last == "-" => a.push(op["value"].clone()),
        ("add", Json::Array(a)) => {
            let i: usize = last.parse().map_err(|_| "bad index")?;
            a.insert(i.min(a.len()), op["value"].clone());
        }
        ("replace", Json::Array(a)) => {
            let i: usize = last.parse().map_err(|_| "bad index")?;
            if let Some(slot) = a.get_mut(i) {
                *slot = op["value"].clone();
            }
        }
        (other, _) => return Err(format!("unsupported patch op {other}")),
    }
    Ok(())
}

/// The `spec` of a spec file, patched down to `format_version`.
pub fn load_spec(path: &Path, format_version: &str) -> Result<Json, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: Json =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut spec = file["spec"].clone();
    for version in file["versions"].as_array().into_iter().flatten() {
        let before = version["before"].as_str().unwrap_or_default();
        if version_lt(format_version, before) {
            for op in version["patch"].as_array().into_iter().flatten() {
                apply_op(&mut spec, op).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(spec)
}

/// Percent-encodes what a URI reference may not hold (`^` in pattern
/// property names), so `$ref`s pass the meta-schema's `uri-reference` format.
fn encode_refs(schema: &mut Json) {
    match schema {
        Json::Object(m) => {
            for (k, v) in m.iter_mut() {
                match v {
                    Json::String(r) if k == "$ref" => {
                        *r = r
                            .replace('^', "%5E")
                            .replace('|', "%7C")
                            .replace(' ', "%20")
                            .replace('{', "%7B")
                            .replace('}', "%7D")
                            .replace('\\', "%5C");
                    }
                    other => encode_refs(other),
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(encode_refs),
        _ => {}
    }
}

/// Loads other spec files that schemas reference (`./x.spec.yml#/definitions/y`).
struct SpecRetriever {
    format_version: String,
}

impl jsonschema::Retrieve for SpecRetriever {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Json, Box<dyn std::error::Error + Send + Sync>> {
        let path = PathBuf::from(uri.path().as_str());
        let mut spec = load_spec(&path, &self.format_version)?;
        encode_refs(&mut spec);
        Ok(spec)
    }
}

fn validate_file(
    schema_path: &Path,
    file: &Path,
    media_type: &str,
    format_version: &str,
) -> Vec<String> {
    let at = file.display();
    let Ok(bytes) = std::fs::read(file) else {
        return vec![format!("{at}: unreadable")];
    };
    if media_type.contains("require-document-dashes=true") && !bytes.starts_with(b"---\n") {
        return vec![format!(
            "{at}: document dashes are required (start the document with '---')"
        )];
    }
    let text = String::from_utf8_lossy(&bytes);
    let instance: Json = if media_type.starts_with("application/json") {
        match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => return vec![format!("{at}: invalid JSON: {e}")],
        }
    } else {
        match serde_yaml_ng::from_str(&text) {
            Ok(v) => v,
            Err(e) => return vec![format!("{at}: invalid YAML: {e}")],
        }
    };
    let canonical = std::fs::canonicalize(schema_path).unwrap_or(schema_path.to_path_buf());
    let mut schema = match load_spec(&canonical, format_version) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    encode_refs(&mut schema);
    if let Json::Object(m) = &mut schema {
        m.insert(
            "$id".into(),
            Json::String(format!("file://{}", canonical.display())),
        );
    }
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_retriever(SpecRetriever {
            format_version: format_version.to_string(),
        })
        .build(&schema)
    {
        Ok(v) => v,
        Err(e) => {
            return vec![format!(
                "{}: schema does not compile: {e}",
                schema_path.display()
            )]
        }
    };
    validator
        .iter_errors(&instance)
        .map(|e| format!("{at}: {} (at {})", e, e.instance_path()))
        .collect()
}

fn name_matches(item: &Json, name: &str) -> bool {
    if let Some(n) = item["name"].as_str() {
        return n == name;
    }
    if let Some(p) = item["pattern"].as_str() {
        let forbidden = item["forbiddenPatterns"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .any(|f| regex::Regex::new(f).is_ok_and(|r| r.is_match(name)));
        return !forbidden && regex::Regex::new(p).is_ok_and(|r| r.is_match(name));
    }
    false
}

/// Walks `dir` against a folder spec (`contents`, `additionalContents`).
fn validate_folder(
    spec_file: &Path,
    folder: &Json,
    dir: &Path,
    format_version: &str,
    errors: &mut Vec<String>,
) {
    let spec_dir = spec_file.parent().unwrap_or(Path::new("."));
    let contents: Vec<Json> = folder["contents"].as_array().cloned().unwrap_or_default();
    let additional = folder["additionalContents"].as_bool().unwrap_or(false);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for item in contents
        .iter()
        .filter(|i| i["required"].as_bool() == Some(true))
    {
        let wanted_dir = item["type"] == "folder";
        let present = entries.iter().any(|p| {
            p.is_dir() == wanted_dir
                && name_matches(item, &p.file_name().unwrap_or_default().to_string_lossy())
        });
        if !present {
            errors.push(format!(
                "{}: required {} missing",
                dir.display(),
                item["name"]
                    .as_str()
                    .or(item["pattern"].as_str())
                    .unwrap_or("entry")
            ));
        }
    }
    for path in entries {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let is_dir = path.is_dir();
        let item = contents
            .iter()
            .find(|i| (i["type"] == "folder") == is_dir && name_matches(i, &name));
        let Some(item) = item else {
            if !additional {
                errors.push(format!(
                    "{}: item [{name}] is not allowed here",
                    path.display()
                ));
            }
            continue;
        };
        let reference = item["$ref"]
            .as_str()
            .map(|r| spec_dir.join(r.split('#').next().unwrap_or_default()));
        if is_dir {
            match reference {
                Some(sub) => match load_spec(&sub, format_version) {
                    Ok(sub_spec) => validate_folder(&sub, &sub_spec, &path, format_version, errors),
                    Err(e) => errors.push(e),
                },
                None if item.get("contents").is_some() => {
                    validate_folder(spec_file, item, &path, format_version, errors)
                }
                None => {}
            }
        } else if let Some(schema) = reference {
            let media = item["contentMediaType"].as_str().unwrap_or_default();
            errors.extend(validate_file(&schema, &path, media, format_version));
        }
    }
}

/// Every violation of the integration spec in `package_dir`.
pub fn validate_package(spec_root: &Path, package_dir: &Path) -> Vec<String> {
    let manifest: Json = std::fs::read_to_string(package_dir.join("manifest.yml"))
        .ok()
        .and_then(|t| serde_yaml_ng::from_str(&t).ok())
        .unwrap_or(Json::Null);
    let format_version = manifest["format_version"]
        .as_str()
        .unwrap_or("3.0.2")
        .to_string();
    let spec_file = spec_root.join("integration/spec.yml");
    let mut errors = Vec::new();
    match load_spec(&spec_file, &format_version) {
        Ok(spec) => validate_folder(&spec_file, &spec, package_dir, &format_version, &mut errors),
        Err(e) => errors.push(e),
    }
    errors
}
