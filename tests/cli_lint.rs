//! `ingot lint`: every problem with its location, exit codes, directories.

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_lint").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn lint(args: &[&Path]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ingot")).arg("lint").args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn lists_every_problem_and_exits_1() {
    let dir = scratch("problems");
    let bad = dir.join("default.yml");
    std::fs::write(
        &bad,
        "description: d\nprocessors:\n  - set:\n      field: a\n      value: 1\n  - set:\n      tag: t1\n      value: 1\n  \
         - set:\n      field: b\n      value: 1\n      colour: red\n  - append:\n      field: c\n      value: x\n      \
         on_failure:\n        - set:\n            field: d\non_failure:\n  - nope: {}\n",
    )
    .unwrap();
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"processors":[{"set":{"field":"a","value":"{{b}}"}}]}"#).unwrap();
    let (code, stdout, stderr) = lint(&[&bad, &good]);
    assert_eq!(code, Some(1));
    let file = bad.display().to_string();
    let expected = [
        format!(r#"{file}: processors[1] (set, tag "t1"): [field] required property is missing"#),
        format!(
            "{file}: processors[2] (set): processor [set] doesn't support one or more provided configuration parameters [colour]"
        ),
        format!("{file}: processors[3].on_failure[0] (set): [value] required property is missing"),
        format!("{file}: on_failure[0] (nope): No processor type exists with name [nope]"),
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    assert!(stderr.contains("ingot: 4 problems in 1 of 2 pipelines"), "{stderr}");
}

#[test]
fn clean_pipelines_and_directories_exit_0() {
    let dir = scratch("clean");
    std::fs::write(dir.join("a.yml"), "processors:\n  - set:\n      field: a\n      value: 1\n").unwrap();
    std::fs::write(dir.join("b.json"), r#"{"processors":[]}"#).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a pipeline").unwrap();
    let (code, stdout, stderr) = lint(&[&dir]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("ingot: 2 pipelines OK"), "{stderr}");
}

#[test]
fn syntax_errors_name_line_and_column() {
    let dir = scratch("syntax");
    let file = dir.join("broken.yml");
    std::fs::write(&file, "processors:\n  - set:\n    field: [unclosed\n").unwrap();
    let (code, stdout, _) = lint(&[&file]);
    assert_eq!(code, Some(1));
    assert!(stdout.starts_with(&format!("{}: ", file.display())), "{stdout}");
    assert!(stdout.contains("invalid YAML"), "{stdout}");
    let missing = dir.join("missing.yml");
    let (code, stdout, _) = lint(&[&missing]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("cannot read the file"), "{stdout}");
}

#[test]
fn a_called_pipeline_must_exist_beside_the_caller() {
    let dir = scratch("called");
    std::fs::write(dir.join("child.yml"), "processors:\n  - set:\n      field: c\n      value: 1\n").unwrap();
    let parent = dir.join("default.yml");
    std::fs::write(
        &parent,
        "processors:\n  - pipeline:\n      name: '{{ IngestPipeline \"child\" }}'\n  - pipeline:\n      tag: gone\n      name: missing\n  \
         - pipeline:\n      name: missing\n      ignore_missing_pipeline: true\n  - pipeline:\n      name: '{{ dynamic }}'\n",
    )
    .unwrap();
    let (code, stdout, _) = lint(&[&parent]);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(
        lines[0].starts_with(&format!(
            r#"{}: processors[1] (pipeline, tag "gone"): pipeline [missing] is not among the pipelines searched"#,
            parent.display()
        )),
        "{stdout}"
    );
}

/// A pipeline named without a directory looks for the pipelines it calls in
/// the current directory, as `simulate --pipeline` does.
#[test]
fn a_bare_file_name_searches_the_current_directory() {
    let dir = scratch("bare");
    std::fs::write(dir.join("child.yml"), "processors:\n  - set:\n      field: c\n      value: 1\n").unwrap();
    std::fs::write(dir.join("default.yml"), "processors:\n  - pipeline:\n      name: '{{ IngestPipeline \"child\" }}'\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ingot")).current_dir(&dir).args(["lint", "default.yml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}
