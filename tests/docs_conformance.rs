//! README rendering against elastic-package's own output: the upstream
//! Microsoft Exchange Online Message Trace package's `docs/README.md` was
//! rendered by elastic-package from its `_dev/build/docs/README.md`; ingot's
//! renderer must reproduce it byte for byte from the same inputs.

use ingot::package::ecs_schema::{shared_dir_or_skip, EcsSchema, ECS_VERSION};
use ingot::package::readme::{render, DocsContext};
use serde_json::Value as Json;

#[test]
fn upstream_message_trace_readme_renders_byte_for_byte() {
    let Some(shared) = shared_dir_or_skip("upstream_message_trace_readme_renders_byte_for_byte")
    else {
        return;
    };
    let pkg = shared.join("reference/upstream/seed/microsoft_exchange_online_message_trace");
    let read = |p: &str| std::fs::read_to_string(pkg.join(p)).unwrap();
    let mut files = Vec::new();
    let mut external = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(pkg.join("data_stream/log/fields"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let defs: Json = serde_yaml_ng::from_str(&text).unwrap();
        for d in defs.as_array().into_iter().flatten() {
            if d.get("external").is_some() {
                external.push(d["name"].as_str().unwrap().to_string());
            }
        }
        files.push((
            path.file_name().unwrap().to_string_lossy().into_owned(),
            text,
        ));
    }
    let schema = EcsSchema::from_dir(&shared.join("ecs"), ECS_VERSION)
        .unwrap()
        .unwrap();
    let lock = schema.lock(&external).unwrap();
    let mut ctx = DocsContext {
        ecs: Some(&lock),
        format_version: "3.0.2".into(),
        ..Default::default()
    };
    ctx.fields.insert("log".into(), files);
    ctx.sample_events
        .insert("log".into(), read("data_stream/log/sample_event.json"));
    let got = render(&read("_dev/build/docs/README.md"), &ctx).unwrap();
    let want = read("docs/README.md");
    if got != want {
        let diff = similar::TextDiff::from_lines(&want, &got)
            .unified_diff()
            .header("want", "got")
            .to_string();
        panic!("rendered README differs from elastic-package's:\n{diff}");
    }
}
