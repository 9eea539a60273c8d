//! Subcommands of the `ingot` binary, one file each, and what they share.

pub mod build;
pub mod lint;
pub mod simulate;
pub mod test;

use ingot::pipeline::{BuildContext, PipelineRegistry};
use ingot::value::{write_json, write_json_string, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Options every subcommand understands.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Directory of GeoIP databases (`.mmdb`) for the `geoip` processor.
    #[arg(long, global = true, env = "INGOT_GEOIP_DIR", value_name = "DIR")]
    pub geoip_dir: Option<PathBuf>,
}

/// Exit code of a run that worked.
pub const EXIT_OK: u8 = 0;
/// Exit code when Elasticsearch would refuse the input (a pipeline it would
/// not load, a request it would answer with an error, a lint problem).
pub const EXIT_REFUSED: u8 = 1;
/// Exit code when ingot could not do its job (unreadable file, bad usage).
pub const EXIT_ERROR: u8 = 2;

/// A build context whose `pipeline` processors find pipelines in `dirs`.
pub fn build_context(global: &GlobalArgs, dirs: Vec<PathBuf>) -> BuildContext {
    BuildContext { registry: Arc::new(PipelineRegistry::with_dirs(dirs)), geoip_dir: global.geoip_dir.clone() }
}

/// Prints `ingot: <message>` on stderr and gives `code`.
pub fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("ingot: {message}");
    ExitCode::from(code)
}

/// The directory `pipeline` processors in a pipeline file look in first:
/// the file's own, the current one for a bare file name.
pub fn search_dir(pipeline_path: &Path) -> PathBuf {
    match pipeline_path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// JSON the way Elasticsearch's `?pretty` prints it: two-space indent,
/// `"key" : value`, numbers formatted as Java formats them.
pub fn to_pretty_json(value: &Value) -> String {
    let mut out = String::new();
    write_pretty(value, 0, &mut out);
    out
}

fn write_pretty(value: &Value, depth: usize, out: &mut String) {
    let indent = |out: &mut String, d: usize| out.extend(std::iter::repeat_n("  ", d));
    match value {
        Value::Map(m) if m.is_empty() => out.push_str("{ }"),
        Value::List(l) if l.is_empty() => out.push_str("[ ]"),
        Value::Map(m) => {
            out.push_str("{\n");
            for (i, (k, v)) in m.iter().enumerate() {
                indent(out, depth + 1);
                write_json_string(k, out);
                out.push_str(" : ");
                write_pretty(v, depth + 1, out);
                out.push_str(if i + 1 < m.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
        Value::List(l) => {
            out.push_str("[\n");
            for (i, v) in l.iter().enumerate() {
                indent(out, depth + 1);
                write_pretty(v, depth + 1, out);
                out.push_str(if i + 1 < l.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        scalar => write_json(scalar, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_looks_like_elasticsearch_pretty() {
        let v = Value::from_json_str(r#"{"a":[1,{"b":1.5e20}],"c":{},"d":[]}"#).unwrap();
        assert_eq!(
            to_pretty_json(&v),
            "{\n  \"a\" : [\n    1,\n    {\n      \"b\" : 1.5E20\n    }\n  ],\n  \"c\" : { },\n  \"d\" : [ ]\n}"
        );
    }
}
