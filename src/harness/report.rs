//! Reporting results: human text, JSON records and JUnit XML.

use super::compare::colourise;
use super::runner::{CaseResult, Status};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Junit,
}

/// Counts by outcome; errors count as failures in the summary line.
pub fn counts(results: &[CaseResult]) -> (usize, usize, usize) {
    let passed = results.iter().filter(|r| r.status == Status::Pass).count();
    let failed = results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error))
        .count();
    let skipped = results.iter().filter(|r| r.status == Status::Skip).count();
    (passed, failed, skipped)
}

/// `N passed, N failed` and `, N skipped` when any were skipped.
pub fn summary_line(results: &[CaseResult]) -> String {
    let (passed, failed, skipped) = counts(results);
    let mut s = format!("{passed} passed, {failed} failed");
    if skipped > 0 {
        let _ = write!(s, ", {skipped} skipped");
    }
    s
}

fn name(r: &CaseResult) -> String {
    [r.package.as_str(), r.data_stream.as_str(), r.case.as_str()]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

pub fn human(results: &[CaseResult], color: bool) -> String {
    let mut out = String::new();
    for r in results {
        let label = match r.status {
            Status::Pass => "PASS ",
            Status::Fail => "FAIL ",
            Status::Error => "ERROR",
            Status::Skip => "SKIP ",
        };
        let label = if color {
            let c = match r.status {
                Status::Pass => "32",
                Status::Fail | Status::Error => "31",
                Status::Skip => "33",
            };
            format!("\x1b[{c}m{label}\x1b[0m")
        } else {
            label.to_string()
        };
        let _ = write!(out, "{label} {}", name(r));
        if r.message.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, ": {}", r.message);
        }
        if let Some(m) = &r.mismatch {
            match (&m.document, &m.path) {
                (Some(d), Some(p)) => {
                    let _ = writeln!(out, "      document {d}: first difference at `{p}`");
                }
                (Some(d), None) => {
                    let _ = writeln!(
                        out,
                        "      document {d} differs (added, removed, or null on one side)"
                    );
                }
                _ => {}
            }
            let diff = if color {
                colourise(&m.diff)
            } else {
                m.diff.clone()
            };
            out.push_str(&indent(&diff, "      "));
        } else if !r.details.is_empty() {
            out.push_str(&indent(&r.details, "      "));
        }
        if let Some(t) = &r.trace {
            out.push_str(&indent(t, "      "));
        }
    }
    if !results.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary_line(results));
    out.push('\n');
    out
}

pub fn json(results: &[CaseResult]) -> String {
    let records: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            serde_json::json!({
                "package": r.package,
                "data_stream": r.data_stream,
                "case": r.case,
                "status": r.status.as_str(),
                "message": r.message,
                "details": r.details,
                "duration_ms": r.duration_ms as u64,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&records).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn junit(results: &[CaseResult]) -> String {
    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    let total_ms: u128 = results.iter().map(|r| r.duration_ms).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    let _ = writeln!(
        out,
        "  <testsuite name=\"pipeline\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
        results.len(),
        count(Status::Fail),
        count(Status::Error),
        count(Status::Skip),
        total_ms as f64 / 1000.0
    );
    for r in results {
        let classname = [r.package.as_str(), r.data_stream.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(".");
        let _ = write!(
            out,
            "    <testcase name=\"pipeline test: {}\" classname=\"{}\" time=\"{:.3}\"",
            xml_escape(&r.case),
            xml_escape(&classname),
            r.duration_ms as f64 / 1000.0
        );
        match r.status {
            Status::Pass => out.push_str("/>\n"),
            Status::Fail => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml_escape(&r.message),
                    xml_escape(&r.details)
                );
            }
            Status::Error => {
                let _ = writeln!(
                    out,
                    ">\n      <error message=\"{}\"></error>\n    </testcase>",
                    xml_escape(&r.message)
                );
            }
            Status::Skip => {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"></skipped>\n    </testcase>",
                    xml_escape(&r.message)
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(case: &str, status: Status, message: &str) -> CaseResult {
        CaseResult {
            package: "pkg".into(),
            data_stream: "ds".into(),
            case: case.into(),
            status,
            message: message.into(),
            details: String::new(),
            mismatch: None,
            trace: None,
            duration_ms: 3,
        }
    }

    #[test]
    fn reports() {
        let rs = vec![
            result("test-a.log", Status::Pass, ""),
            result(
                "test-b.log",
                Status::Fail,
                "test case failed: one or more problems with fields found in documents",
            ),
            result(
                "test-c.txt",
                Status::Error,
                "loading test case failed: unsupported extension for test case file (ext: .txt)",
            ),
            result(
                "test-d.log",
                Status::Skip,
                "flaky (details: https://example.com)",
            ),
        ];
        assert_eq!(summary_line(&rs), "1 passed, 2 failed, 1 skipped");
        insta::assert_snapshot!("human", human(&rs, false));
        insta::assert_snapshot!("junit", junit(&rs));
        insta::assert_snapshot!("json", json(&rs));
    }
}
