//! `ingot simulate`: the `_simulate` conformance cases in `tests/simulate/`
//! (see its README), and the streaming mode's output, counts and exit codes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn ingot() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ingot"))
}

/// A fresh directory under Cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_simulate").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_with_stdin(mut cmd: Command, stdin: &str) -> Output {
    use std::io::Write;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // ingot may exit before reading (a refused pipeline): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// Replaces each `_ingest.timestamp` with `<timestamp>` once its format is
/// checked: `strict_date_optional_time_nanos` in UTC with nine digits.
fn mask_timestamps(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(ingest)) = m.get_mut("_ingest") {
                if let Some(ts) = ingest.get_mut("timestamp") {
                    let text = ts.as_str().unwrap_or_default();
                    let re = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{8}[1-9]Z$").unwrap();
                    assert!(re.is_match(text), "timestamp {text:?} is not as Elasticsearch prints it");
                    *ts = Value::String("<timestamp>".into());
                }
            }
            m.values_mut().for_each(mask_timestamps);
        }
        Value::Array(items) => items.iter_mut().for_each(mask_timestamps),
        _ => {}
    }
}

/// A processor ingot does not have yet: the case waits for it.
fn is_pending(response: &Value) -> bool {
    let reason = response.pointer("/error/reason").and_then(Value::as_str).unwrap_or_default();
    reason.starts_with("No processor type exists with name [") || reason.ends_with("is not supported yet")
}

#[test]
fn simulate_conformance_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/simulate");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut passed, mut pending, mut failures) = (0, Vec::new(), Vec::new());
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let work = scratch(&name);
        let pipelines = work.join("pipelines");
        std::fs::create_dir_all(&pipelines).unwrap();
        if let Some(Value::Object(stored)) = case.get("pipelines") {
            for (id, body) in stored {
                std::fs::write(pipelines.join(format!("{id}.json")), body.to_string()).unwrap();
            }
        }
        let request = work.join("request.json");
        std::fs::write(&request, case["request"].to_string()).unwrap();
        let mut cmd = ingot();
        cmd.arg("simulate").arg("--request").arg(&request).arg("--pipelines-dir").arg(&pipelines);
        if case.get("verbose").and_then(Value::as_bool).unwrap_or(false) {
            cmd.arg("--verbose");
        }
        if let Some(id) = case.get("id").and_then(Value::as_str) {
            cmd.arg("--id").arg(id);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let mut actual: Value = match serde_json::from_str(&stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: output is not JSON ({e}): {stdout}"));
                continue;
            }
        };
        if is_pending(&actual) && case["status"] != 400 {
            pending.push(name);
            continue;
        }
        mask_timestamps(&mut actual);
        let want_exit = if case["status"] == 400 { 1 } else { 0 };
        if actual != case["response"] {
            failures.push(format!("{name}:\n  expected {}\n  actual   {actual}", case["response"]));
        } else if out.status.code() != Some(want_exit) {
            failures.push(format!("{name}: exit {:?}, expected {want_exit}", out.status.code()));
        } else {
            passed += 1;
        }
    }
    eprintln!("simulate conformance: {passed} passed, {} pending ({})", pending.len(), pending.join(", "));
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
    assert!(passed >= 10, "only {passed} cases ran");
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn streaming_writes_one_line_per_input_line_and_counts_on_stderr() {
    let dir = scratch("streaming");
    let pipeline = write(
        &dir,
        "p.yml",
        "processors:\n  - set:\n      field: copy\n      copy_from: message\n  - append:\n      field: tags\n      value: seen\n",
    );
    let input = "{\"message\":\"a\"}\n{\"other\":1}\n{oops\n\n[1,2]\n{\"message\":{\"x\":1.5}}\n";
    let mut cmd = ingot();
    cmd.args(["simulate", "--pipeline"]).arg(&pipeline);
    let out = run_with_stdin(cmd, input);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(lines[0], r#"{"message":"a","copy":"a","tags":["seen"]}"#);
    let error: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(error["error"]["type"], "illegal_argument_exception");
    assert_eq!(error["error"]["reason"], "field [message] not present as part of path [message]");
    assert!(lines[2].contains("line 3: invalid JSON"), "{}", lines[2]);
    assert!(lines[3].contains("line 5: expected a JSON object"), "{}", lines[3]);
    assert_eq!(lines[4], r#"{"message":{"x":1.5},"copy":{"x":1.5},"tags":["seen"]}"#);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("ingot: -: line 3: invalid JSON"), "{stderr}");
    assert!(stderr.contains("ingot: 5 in / 2 out / 0 dropped / 1 failed / 2 malformed"), "{stderr}");
}

#[test]
fn streaming_reads_an_input_file() {
    let dir = scratch("input_file");
    let pipeline = write(&dir, "p.json", r#"{"processors":[{"set":{"field":"n","value":"{{{a}}}-x"}}]}"#);
    let input = write(&dir, "in.ndjson", "{\"a\":1}\r\n{\"a\":\"b\"}");
    let out = ingot().args(["simulate", "--pipeline"]).arg(&pipeline).arg(&input).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "{\"a\":1,\"n\":\"1-x\"}\n{\"a\":\"b\",\"n\":\"b-x\"}\n");
    assert!(String::from_utf8(out.stderr).unwrap().contains("2 in / 2 out / 0 dropped / 0 failed / 0 malformed"));
}

#[test]
fn streaming_on_threads_writes_what_one_thread_writes() {
    let dir = scratch("threads");
    let pipeline = write(
        &dir,
        "p.yml",
        "processors:\n  - drop:\n      if: ctx.n % 7 == 3\n  - script:\n      source: ctx.tags.add('seen')\n  - set:\n      field: copy\n      copy_from: message\n",
    );
    let mut input = String::new();
    for n in 0..5000 {
        let line = match n % 11 {
            0 => "{oops".to_string(),
            1 => String::new(),
            2 => format!("{{\"n\":{n},\"tags\":[]}}"),
            3 => format!("{{\"n\":{n}}}"),
            _ => format!("{{\"n\":{n},\"tags\":[],\"message\":\"{}\"}}", "m".repeat(n % 300)),
        };
        input.push_str(&line);
        input.push('\n');
    }
    let input = write(&dir, "in.ndjson", &input);
    let run = |threads: &str| {
        let out = ingot().args(["simulate", "--threads", threads, "--pipeline"]).arg(&pipeline).arg(&input).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (one, one_err) = run("1");
    assert_eq!(one.lines().count(), 5000 - 455);
    for threads in ["2", "5"] {
        let (many, many_err) = run(threads);
        assert!(many == one, "{threads} threads: the output differs");
        assert_eq!(many_err, one_err, "{threads} threads");
    }
    assert!(one_err.ends_with("4545 in / 2726 out / 584 dropped / 780 failed / 455 malformed\n"), "{one_err}");
    let out = ingot().args(["simulate", "--threads", "0", "--pipeline"]).arg(&pipeline).arg(&input).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_refused_pipeline_exits_1_with_location_and_elasticsearch_error() {
    let dir = scratch("refused");
    let pipeline = write(
        &dir,
        "bad.yml",
        "processors:\n  - set:\n      field: a\n      value: 1\n  - set:\n      tag: no-field\n      value: 1\n  - frobnicate: {}\n",
    );
    let out = run_with_stdin(
        {
            let mut c = ingot();
            c.args(["simulate", "--pipeline"]).arg(&pipeline);
            c
        },
        "{}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(r#"bad.yml: processors[1] (set, tag "no-field"): [field] required property is missing"#),
        "{stderr}"
    );
    assert!(stderr.contains("bad.yml: processors[2] (frobnicate): No processor type exists with name [frobnicate]"), "{stderr}");
    assert!(stderr.contains(r#"{"error":{"root_cause":[{"type":"parse_exception""#), "{stderr}");
    assert!(stderr.starts_with("ingot: Elasticsearch would refuse pipeline"), "{stderr}");
}

/// A processor Elasticsearch has and ingot cannot run yet: the run stops
/// as for a refused pipeline, but the message puts the fault on ingot.
#[test]
fn a_pipeline_with_a_processor_not_supported_yet_says_it_is_ingots_limit() {
    let dir = scratch("pending");
    let pipeline = write(&dir, "attachment.yml", "processors:\n  - attachment:\n      field: data\n");
    let out = run_with_stdin(
        {
            let mut c = ingot();
            c.args(["simulate", "--pipeline"]).arg(&pipeline);
            c
        },
        "{}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("ingot: cannot run pipeline"), "{stderr}");
    assert!(stderr.contains("Elasticsearch would accept it"), "{stderr}");
    assert!(stderr.contains("attachment.yml: processors[0] (attachment): processor [attachment] is not supported yet"), "{stderr}");
}

#[test]
fn unreadable_files_exit_2() {
    let dir = scratch("unreadable");
    let pipeline = write(&dir, "p.json", r#"{"processors":[]}"#);
    let out = ingot().args(["simulate", "--pipeline"]).arg(&pipeline).arg(dir.join("missing.ndjson")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("cannot read input"));
    let out = ingot().args(["simulate", "--request"]).arg(dir.join("missing.json")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let bad = write(&dir, "bad.json", "{not json");
    let out = ingot().args(["simulate", "--request"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("invalid JSON"));
}

#[test]
fn request_mode_pretty_prints_like_elasticsearch() {
    let dir = scratch("pretty");
    let request = write(&dir, "r.json", r#"{"pipeline":{"processors":[]},"docs":[{"_source":{"a":[]}}]}"#);
    let out = ingot().args(["simulate", "--pretty", "--request"]).arg(&request).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("{\n  \"docs\" : [\n    {\n      \"doc\" : {\n        \"_index\" : \"_index\",\n"), "{stdout}");
    assert!(stdout.contains("\"a\" : [ ]"), "{stdout}");
}

#[test]
fn request_docs_run_through_a_pipeline_file() {
    let dir = scratch("request_with_pipeline_file");
    let pipeline = write(&dir, "logs-default.yml", "processors:\n  - set:\n      field: seen\n      value: true\n");
    let request = write(&dir, "r.json", r#"{"docs":[{"_id":"1","_source":{"a":1}}]}"#);
    let out = ingot().args(["simulate", "--verbose", "--pipeline"]).arg(&pipeline).arg("--request").arg(&request).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &response["docs"][0]["processor_results"][0];
    assert_eq!(result["status"], "success");
    assert_eq!(result["doc"]["_source"], serde_json::json!({"a": 1, "seen": true}));
    assert_eq!(result["doc"]["_ingest"]["pipeline"], "logs-default");

    let bad = write(&dir, "bad.yml", "processors:\n  - set:\n      value: 1\n");
    let out = ingot().args(["simulate", "--pipeline"]).arg(&bad).arg("--request").arg(&request).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(response["status"], 400);
    assert_eq!(response["error"]["reason"], "[field] required property is missing");
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.yml: processors[0] (set): [field] required property is missing"));
}
