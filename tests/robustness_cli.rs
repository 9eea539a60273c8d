//! The binary on odd arguments and files: missing files, directories where a
//! file is expected, empty files, binary files, invalid UTF-8, very long
//! lines. Every run exits with a message; none panics (exit code 101).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// A scratch directory, removed when the returned guard drops.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("ingot-robust-cli-").tempdir().unwrap()
}

fn run(args: &[&str], cwd: &Path, stdin: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ingot"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ingot");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn odd_files_and_arguments_never_panic() {
    let scratch = scratch();
    let dir = scratch.path().to_path_buf();
    let d = dir.to_str().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    };
    let empty_yml = write("empty.yml", b"");
    let empty_json = write("empty.json", b"");
    let binary = write("bin.yml", &[0, 159, 146, 150, 255, 254, 0, 1, 2, 3]);
    let binary_json = write("bin.json", &[0xff, 0xfe, b'{', 0, b'}']);
    let bad_utf8 = write("bad.yml", b"processors:\n  - set:\n      field: a\n      value: \"\xff\xfe\"\n");
    let ok = write("ok.yml", b"processors:\n  - set:\n      field: a\n      value: 1\n");
    let scalar = write("scalar.yml", b"42\n");
    let list = write("list.json", b"[1, 2]");
    let deep = write("deep.json", format!("{}{}", "[".repeat(5_000), "]".repeat(5_000)).as_bytes());
    let deep_yaml = write("deep.yml", format!("processors: {}{}", "[".repeat(5_000), "]".repeat(5_000)).as_bytes());
    let anchors = write(
        "bomb.yml",
        b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\nprocessors: [*f]\n",
    );
    let long_line = {
        let mut s = b"{\"message\": \"".to_vec();
        s.extend(std::iter::repeat_n(b'x', 1_000_000));
        s.extend(b"\"}\n");
        write("long.ndjson", &s)
    };
    let bad_ndjson = write("bad.ndjson", b"{\"a\": 1}\n\xff\xfe\n{\"a\":\nnull\n[1]\n\"s\"\n\n{\"_source\": 1}\n");
    let missing = dir.join("missing.yml").to_str().unwrap().to_string();

    let mut cases: Vec<(Vec<String>, Vec<u8>)> = Vec::new();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    cases.push((s(&["simulate", "--pipeline", &anchors]), b"{}\n".to_vec()));
    for pipeline in [&empty_yml, &empty_json, &binary, &binary_json, &bad_utf8, &scalar, &list, &deep, &deep_yaml, &missing, &d.to_string()] {
        cases.push((s(&["simulate", "--pipeline", pipeline]), b"{\"a\": 1}\n".to_vec()));
        cases.push((s(&["lint", pipeline]), vec![]));
        cases.push((s(&["simulate", "--request", pipeline]), vec![]));
    }
    for input in [&empty_yml, &binary, &long_line, &bad_ndjson, &missing, &d.to_string(), &deep] {
        cases.push((s(&["simulate", "--pipeline", &ok, input]), vec![]));
    }
    cases.push((s(&["simulate", "--pipeline", &ok]), b"\xff\xfe\x00\n{\"a\":1}\n{".to_vec()));
    cases.push((s(&["simulate", "--pipeline", &ok]), format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()));
    cases.push((s(&["simulate", "--pipeline", &ok, "--pipelines-dir", &missing]), b"{}\n".to_vec()));
    cases.push((s(&["simulate", "--pipeline", &ok, "--pipelines-dir", &ok]), b"{}\n".to_vec()));
    cases.push((s(&["simulate", "--pipeline", &ok, "--geoip-dir", &binary]), b"{}\n".to_vec()));
    cases.push((s(&["test", &missing]), vec![]));
    cases.push((s(&["test", &ok]), vec![]));
    cases.push((s(&["test", d]), vec![]));
    cases.push((s(&["build", "--check", "--root", &missing]), vec![]));
    cases.push((s(&["build", "--check", "--root", &ok]), vec![]));
    cases.push((s(&["build", "--check", "--root", d, "no-such-integration"]), vec![]));
    cases.push((s(&["build", "--check", "--root", d, "--ecs-dir", &binary]), vec![]));
    cases.push((s(&["--bogus"]), vec![]));
    cases.push((s(&[]), vec![]));
    cases.push((s(&["simulate"]), vec![]));
    cases.push((s(&["lint"]), vec![]));
    cases.push((s(&["\u{ff}"]), vec![]));

    let mut panics = Vec::new();
    for (args, stdin) in &cases {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = run(&refs, &dir, stdin);
        if code == 101 || stderr.contains("panicked at") || code == -1 {
            panics.push(format!("{args:?} -> exit {code}: {}", stderr.chars().take(600).collect::<String>()));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(panics.is_empty(), "{} run(s) panicked:\n{}", panics.len(), panics.join("\n"));
}
