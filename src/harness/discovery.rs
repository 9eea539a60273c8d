//! Finding what to test: packages, their data streams with a
//! `_dev/test/pipeline` folder, and the case files in it.

use super::config::read_yaml;
use serde_yaml_ng::Value as Yaml;
use std::path::{Path, PathBuf};

/// The parts of a package manifest the harness uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackageManifest {
    pub name: String,
    pub kind: String,
    pub format_version: String,
    pub kibana_version: String,
}

/// The parts of a data-stream manifest the harness uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataStreamManifest {
    pub title: String,
    pub kind: String,
    pub dataset: String,
    pub ingest_pipeline: String,
    pub inputs: Vec<String>,
}

fn text(v: Option<&Yaml>) -> String {
    match v {
        Some(Yaml::String(s)) => s.clone(),
        Some(Yaml::Number(n)) => n.to_string(),
        Some(Yaml::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

pub fn read_package_manifest(dir: &Path) -> Result<PackageManifest, String> {
    let path = dir.join("manifest.yml");
    let y = read_yaml(&path).map_err(|e| {
        format!(
            "reading package manifest failed (path: {}): {e}",
            path.display()
        )
    })?;
    Ok(PackageManifest {
        name: text(y.get("name")),
        kind: text(y.get("type")),
        format_version: text(y.get("format_version")),
        kibana_version: text(y.get("conditions").and_then(|c| {
            c.get("kibana.version")
                .or_else(|| c.get("kibana").and_then(|k| k.get("version")))
        })),
    })
}

pub fn read_data_stream_manifest(dir: &Path) -> Result<DataStreamManifest, String> {
    let path = dir.join("manifest.yml");
    let y = read_yaml(&path).map_err(|e| {
        format!(
            "failed to read data stream manifest (path: {}): {e}",
            path.display()
        )
    })?;
    let inputs = match y.get("streams") {
        Some(Yaml::Sequence(items)) => items.iter().map(|s| text(s.get("input"))).collect(),
        _ => Vec::new(),
    };
    Ok(DataStreamManifest {
        title: text(y.get("title")),
        kind: text(y.get("type")),
        dataset: text(y.get("dataset")),
        ingest_pipeline: ingest_pipeline_name(&y),
        inputs,
    })
}

/// `elasticsearch.index_template.ingest_pipeline.name` (package-spec), or
/// the older `elasticsearch.ingest_pipeline.name`; dotted keys also count.
fn ingest_pipeline_name(manifest: &Yaml) -> String {
    fn lookup<'a>(v: &'a Yaml, path: &[&str]) -> Option<&'a Yaml> {
        if path.is_empty() {
            return Some(v);
        }
        (1..=path.len()).find_map(|n| {
            v.get(path[..n].join(".").as_str())
                .and_then(|child| lookup(child, &path[n..]))
        })
    }
    [
        &["elasticsearch", "index_template", "ingest_pipeline", "name"][..],
        &["elasticsearch", "ingest_pipeline", "name"],
    ]
    .iter()
    .map(|path| text(lookup(manifest, path)))
    .find(|name| !name.is_empty())
    .unwrap_or_default()
}

impl DataStreamManifest {
    /// What elastic-package accepts as a data-stream manifest.
    pub fn is_data_stream(&self) -> bool {
        !self.title.is_empty()
            && matches!(
                self.kind.as_str(),
                "logs" | "metrics" | "synthetics" | "traces"
            )
    }
}

/// One `_dev/test/pipeline` folder to run.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFolder {
    pub package_dir: PathBuf,
    /// The package's directory name: what results call "package".
    pub package: String,
    pub data_stream: String,
    pub path: PathBuf,
}

/// A problem that stops a whole package from being tested.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoveryError {
    pub package: String,
    pub data_stream: String,
    pub message: String,
}

pub fn dir_name(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The pipeline test folders of one package, in elastic-package's order.
pub fn test_folders(
    package_dir: &Path,
    data_streams: &[String],
) -> Result<Vec<TestFolder>, DiscoveryError> {
    let package = dir_name(package_dir);
    let fail = |data_stream: &str, message: String| DiscoveryError {
        package: package.clone(),
        data_stream: data_stream.into(),
        message,
    };
    let manifest = read_package_manifest(package_dir).map_err(|m| fail("", m))?;
    let folder = |ds: &str, path: PathBuf| TestFolder {
        package_dir: package_dir.to_path_buf(),
        package: package.clone(),
        data_stream: ds.to_string(),
        path,
    };
    match manifest.kind.as_str() {
        "integration" => {
            let mut names: Vec<String> = if data_streams.is_empty() {
                let mut names: Vec<String> = std::fs::read_dir(package_dir.join("data_stream"))
                    .map(|rd| {
                        rd.filter_map(|e| e.ok())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                names.sort();
                names
            } else {
                let mut names = data_streams.to_vec();
                names.sort();
                for n in &names {
                    let p = package_dir.join("data_stream").join(n);
                    if !p.exists() {
                        return Err(fail(
                            n,
                            format!(
                                "stat directory failed (path: {}): no such file or directory",
                                p.display()
                            ),
                        ));
                    }
                    if !p.is_dir() {
                        return Err(fail(
                            n,
                            format!("data stream must be a directory (path: {})", p.display()),
                        ));
                    }
                }
                names
            };
            names.dedup();
            Ok(names
                .into_iter()
                .map(|ds| {
                    let path = package_dir
                        .join("data_stream")
                        .join(&ds)
                        .join("_dev/test/pipeline");
                    folder(&ds, path)
                })
                .filter(|f| f.path.is_dir())
                .collect())
        }
        "input" | "content" => {
            let path = package_dir.join("_dev/test/pipeline");
            if path.is_dir() {
                Err(fail("", "data stream root not found".into()))
            } else {
                Ok(Vec::new())
            }
        }
        other => Err(fail("", format!("unexpected package type \"{other}\""))),
    }
}

/// Case files of a folder: every entry not ending in `-expected.json` or `-config.yml`.
pub fn case_files(folder: &Path) -> Result<Vec<String>, String> {
    let rd = std::fs::read_dir(folder)
        .map_err(|e| format!("reading test folder {} failed: {e}", folder.display()))?;
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-expected.json") && !n.ends_with("-config.yml"))
        .collect();
    names.sort();
    Ok(names)
}

/// Walks up from the test folder to the data-stream root.
pub fn data_stream_root(test_folder: &Path) -> Option<(PathBuf, DataStreamManifest)> {
    let mut dir = Some(test_folder);
    while let Some(d) = dir {
        if d.join("manifest.yml").is_file() {
            if let Ok(m) = read_data_stream_manifest(d) {
                if m.is_data_stream() {
                    return Some((d.to_path_buf(), m));
                }
            }
        }
        dir = d.parent();
    }
    None
}

/// The package root holding `path` (a case file or anything inside a package).
pub fn package_root_of(path: &Path) -> Option<PathBuf> {
    let abs = path.canonicalize().ok()?;
    let mut dir = abs.parent();
    while let Some(d) = dir {
        if d.join("manifest.yml").is_file()
            && d.parent()
                .and_then(|p| p.file_name())
                .is_none_or(|n| n != "data_stream")
        {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_pipeline_name_from_either_manifest_layout() {
        let y = |t: &str| serde_yaml_ng::from_str::<Yaml>(t).unwrap();
        assert_eq!(
            ingest_pipeline_name(&y(
                "elasticsearch:\n  index_template:\n    ingest_pipeline:\n      name: a"
            )),
            "a"
        );
        assert_eq!(
            ingest_pipeline_name(&y("elasticsearch:\n  ingest_pipeline.name: b")),
            "b"
        );
        assert_eq!(
            ingest_pipeline_name(&y("elasticsearch:\n  ingest_pipeline:\n    name: c")),
            "c"
        );
        assert_eq!(ingest_pipeline_name(&y("title: x")), "");
    }

    #[test]
    fn case_files_exclude_configs_and_expectations() {
        let dir_guard = tempfile::tempdir().unwrap();
        let dir = dir_guard.path().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        for f in [
            "test-b.log",
            "test-a.json",
            "test-a.json-expected.json",
            "test-common-config.yml",
            "test-b.log-config.yml",
            "notes.txt",
        ] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        assert_eq!(
            case_files(&dir).unwrap(),
            vec!["notes.txt", "test-a.json", "test-b.log"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
