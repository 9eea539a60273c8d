//! The ECS schema as the build reads it: from an `ecs_flat-<version>.yml`
//! when one is at hand, otherwise from the lock file recorded beside the
//! package, which holds exactly the definitions the package uses.

use crate::dsl::field::FieldType;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The ECS version the generated constants and the packages pin.
pub const ECS_VERSION: &str = "8.11.0";

/// One ECS field definition, keeping what elastic-package imports from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EcsField {
    #[serde(rename = "type")]
    pub ty: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub normalize: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multi_fields: Vec<EcsMultiField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Kept so pipeline tests validate against the lock as against ECS
    /// (allowed values and the event types they expect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<serde_yaml_ng::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_values: Option<serde_yaml_ng::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcsMultiField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
}

impl EcsField {
    pub fn field_type(&self) -> Option<FieldType> {
        FieldType::parse(&self.ty)
    }

    pub fn is_array(&self) -> bool {
        self.normalize.iter().any(|n| n == "array")
    }
}

/// ECS definitions by flat name, in the schema's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EcsSchema {
    pub version: String,
    pub fields: IndexMap<String, EcsField>,
}

/// The lock file: the subset of ECS a package uses, so builds need no schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcsLock {
    pub ecs_version: String,
    pub fields: IndexMap<String, EcsField>,
}

impl EcsSchema {
    /// Parses `ecs_flat.yml` text.
    pub fn parse_flat(version: &str, text: &str) -> Result<EcsSchema, String> {
        let fields: IndexMap<String, EcsField> =
            serde_yaml_ng::from_str(text).map_err(|e| format!("invalid ECS flat schema: {e}"))?;
        Ok(EcsSchema {
            version: version.to_string(),
            fields,
        })
    }

    /// Reads `ecs_flat-<version>.yml` from `dir`, if it is there.
    pub fn from_dir(dir: &Path, version: &str) -> Result<Option<EcsSchema>, String> {
        let path = dir.join(format!("ecs_flat-{version}.yml"));
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        EcsSchema::parse_flat(version, &text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The lock for the given field names; unknown names are errors.
    pub fn lock(&self, names: &[String]) -> Result<EcsLock, String> {
        let mut fields = IndexMap::new();
        let mut sorted: Vec<&String> = names.iter().collect();
        sorted.sort();
        sorted.dedup();
        for name in sorted {
            let def = self
                .fields
                .get(name.as_str())
                .ok_or_else(|| format!("field [{name}] is not in ECS {}", self.version))?;
            fields.insert(name.clone(), def.clone());
        }
        Ok(EcsLock {
            ecs_version: self.version.clone(),
            fields,
        })
    }
}

impl EcsLock {
    pub fn parse(text: &str) -> Result<EcsLock, String> {
        serde_yaml_ng::from_str(text).map_err(|e| format!("invalid ECS lock file: {e}"))
    }

    pub fn to_yaml(&self, header: &str) -> String {
        let body = serde_yaml_ng::to_string(self).unwrap_or_default();
        format!("{header}{body}")
    }

    /// Checks the lock covers `names`, naming what is missing and how to fix it.
    pub fn covering(self, names: &[String], lock_path: &Path) -> Result<EcsLock, String> {
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| !self.fields.contains_key(n.as_str()))
            .collect();
        if missing.is_empty() {
            return Ok(self);
        }
        Err(format!(
            "{} lacks ECS definitions for {}; run `ingot build` with the ECS schema available (--ecs-dir or INGOT_ECS_DIR)",
            lock_path.display(),
            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ))
    }
}

/// `../shared` beside the repository: the reference data CI provides
/// (`INGOT_SHARED_DIR` overrides it, e.g. in a worktree elsewhere).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("INGOT_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.is_dir().then_some(dir)
}

/// For tests that need `../shared`: the directory, or `None` after saying why
/// the test is skipped. CI sets `INGOT_REQUIRE_SHARED=1`, which makes a
/// missing directory a failure instead.
pub fn shared_dir_or_skip(test: &str) -> Option<PathBuf> {
    match shared_dir() {
        Some(d) => Some(d),
        None if std::env::var_os("INGOT_REQUIRE_SHARED").is_some() => {
            panic!("{test}: ../shared is required (INGOT_REQUIRE_SHARED is set) but missing")
        }
        None => {
            eprintln!("{test}: skipped, ../shared (reference data) is not beside the repository");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAT: &str = "'@timestamp':\n  description: 'Date/time.\n\n    Required.'\n  type: date\n  normalize: []\nrelated.ip:\n  description: All IPs.\n  type: ip\n  normalize:\n  - array\nuser_agent.original:\n  description: Unparsed.\n  type: keyword\n  multi_fields:\n  - flat_name: user_agent.original.text\n    name: text\n    type: match_only_text\n";

    #[test]
    fn lock_keeps_only_used_fields_sorted() {
        let schema = EcsSchema::parse_flat("8.11.0", FLAT).unwrap();
        assert!(schema.fields["related.ip"].is_array());
        assert_eq!(
            schema.fields["@timestamp"].description,
            "Date/time.\nRequired."
        );
        let lock = schema
            .lock(&["user_agent.original".into(), "@timestamp".into()])
            .unwrap();
        assert_eq!(
            lock.fields.keys().collect::<Vec<_>>(),
            ["@timestamp", "user_agent.original"]
        );
        let text = lock.to_yaml("# header\n");
        let back = EcsLock::parse(&text).unwrap();
        assert_eq!(back, lock);
        assert_eq!(
            back.fields["user_agent.original"].multi_fields[0].ty,
            "match_only_text"
        );
    }

    #[test]
    fn lock_refuses_non_ecs_fields_and_reports_missing_entries() {
        let schema = EcsSchema::parse_flat("8.11.0", FLAT).unwrap();
        assert!(schema
            .lock(&["nope.field".into()])
            .unwrap_err()
            .contains("nope.field"));
        let lock = schema.lock(&["related.ip".into()]).unwrap();
        let err = lock
            .covering(&["@timestamp".into()], Path::new("x.lock"))
            .unwrap_err();
        assert!(err.contains("@timestamp"), "{err}");
    }
}
