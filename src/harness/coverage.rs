//! Pipeline coverage: which top-level processors of each pipeline ran for
//! some fixture. Like elastic-package, a processor spans from its line to
//! the line before the next one; output is Cobertura XML and a summary.

use crate::pipeline::exec::{TraceEntry, TraceStatus};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A top-level processor of a pipeline file and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessorSpan {
    pub kind: String,
    pub first_line: usize,
    pub last_line: usize,
}

/// A pipeline file's processors, parsed from its text.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineSource {
    pub id: String,
    pub file: PathBuf,
    pub processors: Vec<ProcessorSpan>,
    /// Per top-level processor: whether a failure of it is handled in place
    /// (`on_failure` or `ignore_failure`) rather than by the pipeline.
    pub handles_failure: Vec<bool>,
}

impl PipelineSource {
    pub fn parse(id: &str, file: &Path, text: &str) -> PipelineSource {
        let is_json = file.extension().is_some_and(|e| e == "json");
        let processors = if is_json {
            json_spans(text)
        } else {
            yaml_spans(text)
        };
        PipelineSource {
            id: id.to_string(),
            file: file.to_path_buf(),
            processors,
            handles_failure: Vec::new(),
        }
    }

    /// Adds what the built pipeline knows about failure handling.
    pub fn with_definition(
        mut self,
        definition: &crate::pipeline::PipelineDefinition,
    ) -> PipelineSource {
        self.handles_failure = definition
            .processors
            .iter()
            .map(|p| p.ignore_failure || p.on_failure.as_ref().is_some_and(|h| !h.is_empty()))
            .collect();
        self
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn yaml_spans(text: &str) -> Vec<ProcessorSpan> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.trim_end() == "processors:" && indent_of(l) == 0)
    else {
        return Vec::new();
    };
    let mut item_indent = None;
    let mut spans: Vec<ProcessorSpan> = Vec::new();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = indent_of(line);
        if indent == 0 && !trimmed.starts_with('-') {
            end = i;
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            let expected = *item_indent.get_or_insert(indent);
            if indent == expected {
                let mut kind = trimmed[1..]
                    .trim()
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                if kind.is_empty() {
                    kind = lines[i + 1..]
                        .iter()
                        .map(|l| l.trim())
                        .find(|l| !l.is_empty() && !l.starts_with('#'))
                        .and_then(|l| l.split(':').next())
                        .unwrap_or("")
                        .to_string();
                }
                if let Some(prev) = spans.last_mut() {
                    prev.last_line = i;
                }
                spans.push(ProcessorSpan {
                    kind: kind.trim_matches(['"', '\'']).to_string(),
                    first_line: i + 1,
                    last_line: i + 1,
                });
            }
        }
    }
    if let Some(last) = spans.last_mut() {
        last.last_line = end;
    }
    spans
}

fn json_spans(text: &str) -> Vec<ProcessorSpan> {
    let mut spans: Vec<ProcessorSpan> = Vec::new();
    let bytes = text.as_bytes();
    let mut line: usize = 1;
    let mut depth = 0usize;
    let mut array_depth: Option<usize> = None;
    let mut last_key = String::new();
    let mut awaiting_type = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let s = String::from_utf8_lossy(&bytes[start..i.min(bytes.len())]).into_owned();
                if awaiting_type {
                    if let Some(span) = spans.last_mut() {
                        span.kind = s.clone();
                    }
                    awaiting_type = false;
                }
                last_key = s;
            }
            b'[' => {
                depth += 1;
                if array_depth.is_none() && depth == 2 && last_key == "processors" {
                    array_depth = Some(depth);
                }
            }
            b'{' => {
                depth += 1;
                if array_depth.is_some_and(|d| depth == d + 1) {
                    if let Some(prev) = spans.last_mut() {
                        prev.last_line = line.saturating_sub(1).max(prev.first_line);
                    }
                    spans.push(ProcessorSpan {
                        kind: String::new(),
                        first_line: line,
                        last_line: line,
                    });
                    awaiting_type = true;
                }
            }
            b']' | b'}' => {
                if bytes[i] == b']' && array_depth == Some(depth) {
                    if let Some(prev) = spans.last_mut() {
                        prev.last_line = line;
                    }
                    array_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

/// Hits per processor of every pipeline seen, by file.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    pub pipelines: BTreeMap<PathBuf, (PipelineSource, Vec<u64>)>,
    pub packages: Vec<PathBuf>,
}

impl Coverage {
    /// Registers every pipeline of a package so untested ones show up.
    pub fn add_package(&mut self, package_dir: &Path) {
        self.packages.push(package_dir.to_path_buf());
        let Ok(rd) = std::fs::read_dir(package_dir.join("data_stream")) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dirs.sort();
        for ds in dirs {
            let Ok(files) = std::fs::read_dir(ds.join("elasticsearch/ingest_pipeline")) else {
                continue;
            };
            for file in files.filter_map(|e| e.ok().map(|e| e.path())) {
                if !file.extension().is_some_and(|e| e == "yml" || e == "json") {
                    continue;
                }
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                let source =
                    PipelineSource::parse(&crate::pipeline::pipeline_id(&file), &file, &text);
                self.ensure(source);
            }
        }
    }

    fn ensure(&mut self, source: PipelineSource) {
        let n = source.processors.len();
        self.pipelines
            .entry(source.file.clone())
            .or_insert((source, vec![0; n]));
    }

    /// Counts the processors a document went through.
    pub fn record(&mut self, sources: &[PipelineSource], trace: &[TraceEntry]) {
        for source in sources {
            self.ensure(source.clone());
        }
        // Top-level processors of a pipeline run in increasing index order;
        // on_failure handlers report their own list positions, so an entry
        // counts only if its index is past the last one counted and its type
        // matches, and nothing counts after a failure the pipeline handles.
        let mut next: BTreeMap<&str, usize> = BTreeMap::new();
        for entry in trace {
            let Some(source) = sources.iter().find(|s| s.id == entry.pipeline) else {
                continue;
            };
            let cursor = next.entry(source.id.as_str()).or_insert(0);
            if entry.index < *cursor
                || source
                    .processors
                    .get(entry.index)
                    .is_none_or(|p| p.kind != entry.processor_type)
            {
                continue;
            }
            *cursor = entry.index + 1;
            if entry.status == TraceStatus::Error
                && !source
                    .handles_failure
                    .get(entry.index)
                    .copied()
                    .unwrap_or(false)
            {
                *cursor = usize::MAX;
            }
            if entry.status == TraceStatus::Skipped {
                continue;
            }
            if let Some((_, hits)) = self.pipelines.get_mut(&source.file) {
                if let Some(h) = hits.get_mut(entry.index) {
                    *h += 1;
                }
            }
        }
    }

    /// Human summary: per pipeline, covered/total and the processors never run.
    pub fn summary(&self, base: &Path) -> String {
        let mut out = String::new();
        for (file, (source, hits)) in &self.pipelines {
            let covered = hits.iter().filter(|h| **h > 0).count();
            let total = hits.len();
            let pct = if total == 0 {
                100.0
            } else {
                covered as f64 * 100.0 / total as f64
            };
            let _ = writeln!(
                out,
                "{}: {covered}/{total} processors ran ({pct:.1}%)",
                relative(file, base)
            );
            for (index, (span, h)) in source.processors.iter().zip(hits).enumerate() {
                if *h == 0 {
                    let _ = writeln!(
                        out,
                        "    never ran: #{index} {} (line {})",
                        span.kind, span.first_line
                    );
                }
            }
        }
        out
    }

    /// Cobertura XML, one class per pipeline and one method per processor.
    pub fn cobertura(&self, base: &Path, timestamp: u128) -> String {
        let mut lines_covered = 0usize;
        let mut lines_valid = 0usize;
        let mut by_package: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (file, (source, hits)) in &self.pipelines {
            let mut methods = String::new();
            let mut class_lines = String::new();
            let (mut covered, mut valid) = (0usize, 0usize);
            for (span, h) in source.processors.iter().zip(hits) {
                let mut lines = String::new();
                for n in span.first_line..=span.last_line.max(span.first_line) {
                    let _ = write!(lines, "<line number=\"{n}\" hits=\"{h}\"/>");
                    valid += 1;
                    if *h > 0 {
                        covered += 1;
                    }
                }
                class_lines.push_str(&lines);
                let rate = if *h > 0 { "1" } else { "0" };
                let _ = write!(
                    methods,
                    "\n          <method name=\"{}\" signature=\"\" line-rate=\"{rate}\" branch-rate=\"0\" complexity=\"0\">\n            <lines>{lines}</lines>\n          </method>",
                    xml_escape(&span.kind)
                );
            }
            lines_covered += covered;
            lines_valid += valid;
            let rel = relative(file, base);
            let package = rel.split('/').next().unwrap_or("").to_string();
            let class = format!(
                "\n      <class name=\"{}\" filename=\"{}\" line-rate=\"{}\" branch-rate=\"0\" complexity=\"0\">\n        <methods>{methods}\n        </methods>\n        <lines>{class_lines}</lines>\n      </class>",
                xml_escape(&source.id),
                xml_escape(&rel),
                rate(covered, valid)
            );
            by_package.entry(package).or_default().push(class);
        }
        let mut out = String::new();
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n<!-- Generated by `ingot test --coverage`. -->\n<coverage line-rate=\"{}\" branch-rate=\"0\" lines-covered=\"{lines_covered}\" lines-valid=\"{lines_valid}\" branches-covered=\"0\" branches-valid=\"0\" complexity=\"0\" version=\"\" timestamp=\"{timestamp}\">\n  <sources>\n    <source>{}</source>\n  </sources>\n  <packages>",
            rate(lines_covered, lines_valid),
            xml_escape(&base.display().to_string())
        );
        for (package, classes) in by_package {
            let _ = write!(
                out,
                "\n    <package name=\"{}\" line-rate=\"0\" branch-rate=\"0\" complexity=\"0\">\n      <classes>{}\n      </classes>\n    </package>",
                xml_escape(&package),
                classes.join("")
            );
        }
        out.push_str("\n  </packages>\n</coverage>\n");
        out
    }
}

fn rate(covered: usize, valid: usize) -> String {
    if valid == 0 {
        "0".into()
    } else {
        let r = covered as f64 / valid as f64;
        format!("{r}")
    }
}

fn relative(file: &Path, base: &Path) -> String {
    let file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    file.strip_prefix(&base)
        .unwrap_or(&file)
        .display()
        .to_string()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_processor_spans() {
        let text = "description: x\nprocessors:\n  - set:\n      field: a\n      value: 1\n  - append:\n      field: b\n      value: 2\non_failure:\n  - set:\n      field: c\n";
        let s = PipelineSource::parse("default", Path::new("default.yml"), text);
        assert_eq!(
            s.processors,
            vec![
                ProcessorSpan {
                    kind: "set".into(),
                    first_line: 3,
                    last_line: 5
                },
                ProcessorSpan {
                    kind: "append".into(),
                    first_line: 6,
                    last_line: 8
                },
            ]
        );
    }

    #[test]
    fn json_processor_spans() {
        let text = "{\n  \"processors\": [\n    {\n      \"set\": {\"field\": \"a\"}\n    },\n    {\"drop\": {}}\n  ],\n  \"on_failure\": [{\"set\": {}}]\n}\n";
        let s = PipelineSource::parse("p", Path::new("p.json"), text);
        let kinds: Vec<&str> = s.processors.iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(kinds, vec!["set", "drop"]);
        assert_eq!(s.processors[0].first_line, 3);
    }
}
