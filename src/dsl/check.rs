//! Static checks run when an integration compiles. Each finding names the
//! data stream and, for processor findings, the processor's tag.
//!
//! Field findings are decided by name: a field is ECS if the pinned ECS
//! schema has it, declared if the data stream declares it, scratch if its
//! root starts with `_` (`_temp_`, `_conf`), which is never indexed.

use crate::dsl::ecs;
use crate::dsl::field::{FieldType, ValueClass};
use crate::dsl::integration::{Check, DataStream, Integration};
use crate::dsl::processor::{PainlessUse, Processor, Written};
use crate::painless::{self, ScriptContext};
use crate::value::Value;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.message)
    }
}

/// Document metadata an ingest pipeline may set; not scratch, not mapped.
fn is_metadata(name: &str) -> bool {
    crate::document::METADATA_KEYS.contains(&name)
}

fn is_scratch(name: &str) -> bool {
    name.starts_with('_') && !is_metadata(name)
}

/// `a.b` covers `a.b` and everything under it.
fn covers(parent: &str, name: &str) -> bool {
    name == parent
        || (name.len() > parent.len()
            && name.starts_with(parent)
            && name.as_bytes()[parent.len()] == b'.')
}

/// The mapping type of a field by name, from the declarations or ECS.
fn type_of(ds: &DataStream, name: &str) -> Option<FieldType> {
    ds.fields
        .iter()
        .chain(&ds.input_fields)
        .find(|d| d.full_name() == name)
        .map(|d| d.ty)
        .or_else(|| ecs::lookup(name).map(|f| f.ty()))
}

/// Whether a write to `name` lands somewhere the mappings know: a declared
/// or ECS field, a parent of some, or inside an object-typed one.
fn is_known_target(ds: &DataStream, name: &str) -> bool {
    let declared = ds
        .fields
        .iter()
        .chain(&ds.input_fields)
        .map(|d| (d.full_name(), d.ty));
    let groups = ds.groups.iter().map(|g| (g.name.clone(), FieldType::Group));
    let ecs_fields = ecs::ALL.iter().map(|f| (f.name().to_string(), f.ty()));
    declared.chain(groups).chain(ecs_fields).any(|(known, ty)| {
        covers(name, &known)
            || (covers(&known, name)
                && matches!(
                    ty,
                    FieldType::Object | FieldType::Flattened | FieldType::Nested | FieldType::Group
                ))
    })
}

fn literal_fits(value: &Value, class: ValueClass) -> bool {
    match (value, class) {
        (Value::Null, _) => true,
        (Value::List(items), _) => items.iter().all(|v| literal_fits(v, class)),
        (Value::Map(_), ValueClass::Object | ValueClass::GeoPoint) => true,
        (Value::Map(_), _) => false,
        (_, ValueClass::Object) => false,
        (_, ValueClass::String) => true,
        (Value::String(s), ValueClass::Number) => s.trim().parse::<f64>().is_ok(),
        (v, ValueClass::Number) => v.is_number(),
        (Value::Bool(_), ValueClass::Bool) => true,
        (Value::String(s), ValueClass::Bool) => s == "true" || s == "false",
        (_, ValueClass::Bool) => false,
        (Value::String(_), ValueClass::Date) => true,
        (v, ValueClass::Date) => v.is_number(),
        (Value::String(s), ValueClass::Ip) => s.parse::<std::net::IpAddr>().is_ok(),
        (_, ValueClass::Ip) => false,
        (Value::String(_), ValueClass::GeoPoint) => true,
        (_, ValueClass::GeoPoint) => false,
    }
}

/// Whether a value of mapping class `from` indexes into a field of class `to`.
/// Strings may hold anything, so only clear mismatches are refused.
fn class_fits(from: ValueClass, to: ValueClass) -> bool {
    use ValueClass::*;
    if from == to {
        return true;
    }
    match (from, to) {
        (Object, _) | (_, Object) => false,
        // Strings may hold numbers, dates and addresses; scalars index as keywords.
        (String, _) | (_, String) => true,
        // Epoch milliseconds.
        (Number, Date) => true,
        _ => false,
    }
}

fn describe(v: &Value) -> String {
    v.to_json()
}

/// Runs every check on one data stream whose pipeline is tagged.
pub fn check_data_stream(
    integration: &Integration,
    ds: &DataStream,
    duplicate_tags: &[String],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let ctx = format!("data stream [{}]", ds.name);
    let error = |m: String| Diagnostic {
        severity: Severity::Error,
        message: m,
    };
    for tag in duplicate_tags {
        out.push(error(format!(
            "{ctx}: tag [{tag}] is used by more than one processor"
        )));
    }
    let processors = ds.pipeline.all_processors();
    let writes: Vec<String> = processors
        .iter()
        .flat_map(|p| p.writes.iter().map(|w| w.field.name().to_string()))
        .collect();
    let provided: Vec<String> = ds
        .input_ecs_fields
        .iter()
        .map(|f| f.name().to_string())
        .chain(ds.input_fields.iter().map(|d| d.full_name()))
        .collect();

    for (index, p) in processors.iter().enumerate() {
        let tag = p.def.tag.clone().unwrap_or_default();
        let at = format!("{ctx}: processor [{}] tag [{tag}]", p.kind());
        for e in p.option_errors() {
            out.push(error(format!("{at}: {e}")));
        }
        if p.is_unregistered() && p.option_errors().is_empty() {
            out.push(Diagnostic {
                severity: Severity::Warning,
                message: format!(
                    "{at}: ingot has no spec for [{}] yet; its options are not validated",
                    p.kind()
                ),
            });
        }
        check_painless(p, &at, &mut out);
        for w in &p.writes {
            let name = w.field.name();
            if !is_scratch(name)
                && !is_metadata(name)
                && !is_known_target(ds, name)
                && !ds.is_allowed(Check::UndeclaredWrite, name)
                && !ds.is_allowed(Check::UndeclaredWrite, &tag)
            {
                out.push(error(format!(
                    "{at}: writes [{name}], which is neither declared nor in ECS {}; declare it in the data stream's fields",
                    crate::package::ecs_schema::ECS_VERSION
                )));
            }
            if ds.is_allowed(Check::WrongType, name) || ds.is_allowed(Check::WrongType, &tag) {
                continue;
            }
            let Some(target) = type_of(ds, name) else {
                continue;
            };
            let mismatch = match &w.value {
                Written::Literal(v) if !literal_fits(v, target.class()) => {
                    Some(format!("the value {} does not fit", describe(v)))
                }
                Written::CopyOf(src) => type_of(ds, src.name())
                    .filter(|s| !class_fits(s.class(), target.class()))
                    .map(|s| format!("a {} copied from [{}] does not fit", s.as_str(), src.name())),
                Written::Typed(t) if !class_fits(t.class(), target.class()) => {
                    Some(format!("a {} value does not fit", t.as_str()))
                }
                _ => None,
            };
            if let Some(why) = mismatch {
                out.push(error(format!(
                    "{at}: writes [{name}] of type {}: {why}",
                    target.as_str()
                )));
            }
            // elastic-package's field validation refuses a scalar where ECS
            // normalises the field to an array.
            let ecs_array = ecs::lookup(name).is_some_and(|f| f.is_array());
            let scalar = matches!(&w.value, Written::Literal(v) if !matches!(v, Value::List(_) | Value::Null));
            if ecs_array && scalar && p.kind() == "set" {
                out.push(error(format!(
                    "{at}: sets [{name}] to a single value, but ECS normalises it to an array; use append or a list"
                )));
            }
        }
        // An option or template reads what ran before it: `processors` is
        // in execution order (each processor followed by its own handlers,
        // the pipeline's handlers last), so a write further down comes too
        // late. A condition only tests, and "set it if it is absent" tests a
        // field before the processor itself writes it, so any write will do.
        let written_before: Vec<&str> = processors[..index]
            .iter()
            .flat_map(|q| q.writes.iter().map(|w| w.field.name()))
            .collect();
        let option_reads = p.reads.iter().map(|r| (r, true));
        let condition_reads = p.condition_reads.iter().map(|r| (r, false));
        for (r, in_order) in option_reads.chain(condition_reads) {
            let name = r.name();
            let relates = |w: &str| covers(w, name) || covers(name, w);
            let satisfied = provided.iter().any(|w| relates(w))
                || if in_order {
                    written_before.iter().any(|w| relates(w))
                } else {
                    writes.iter().any(|w| relates(w))
                };
            if !satisfied
                && !ds.is_allowed(Check::UnwrittenRead, name)
                && !ds.is_allowed(Check::UnwrittenRead, &tag)
            {
                out.push(error(format!(
                    "{at}: reads [{name}], which no processor writes before it and no input provides; write it earlier, or declare it with input_provides or input_fields"
                )));
            }
        }
    }
    const UNITS: &[&str] = &["byte", "percent", "d", "h", "m", "s", "ms", "micros", "nanos"];
    for d in ds.fields.iter().chain(&ds.input_fields) {
        let name = d.full_name();
        if let Some(unit) = d.unit.as_deref().filter(|u| !UNITS.contains(u)) {
            out.push(error(format!("{ctx}: field [{name}] has unit [{unit}]; the package spec allows {UNITS:?}")));
        }
        if let Some(m) = d.metric_type.as_deref().filter(|m| *m != "counter" && *m != "gauge") {
            out.push(error(format!("{ctx}: field [{name}] has metric_type [{m}]; the package spec allows counter or gauge")));
        }
        if d.metric_type.is_some() && d.ty.class() != ValueClass::Number {
            out.push(error(format!("{ctx}: field [{name}] has a metric_type but is not numeric")));
        }
    }
    for d in &ds.fields {
        let name = d.full_name();
        if !writes.iter().any(|w| covers(w, &name)) {
            out.push(Diagnostic {
                severity: Severity::Warning,
                message: format!("{ctx}: field [{name}] is declared but no processor writes it"),
            });
        }
    }
    let removed: Vec<String> = processors
        .iter()
        .filter(|p| p.kind() == "remove")
        .flat_map(|p| match p.def.options.get("field") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::List(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let mut unremoved: Vec<&String> = writes
        .iter()
        .filter(|w| is_scratch(w) && !removed.iter().any(|r| covers(r, w)))
        .collect();
    unremoved.sort();
    unremoved.dedup();
    for name in unremoved {
        out.push(Diagnostic {
            severity: Severity::Warning,
            message: format!("{ctx}: scratch field [{name}] is written but no `remove` processor removes it, so it is indexed"),
        });
    }
    for stream in &ds.streams {
        let mut declared: BTreeSet<String> = stream.vars.iter().map(|v| v.name.clone()).collect();
        for t in &integration.policy_templates {
            for input in t.inputs.iter().filter(|i| i.input_type == stream.input) {
                declared.extend(input.vars.iter().map(|v| v.name.clone()));
            }
        }
        for var in template_variables(&stream.template) {
            if !declared.contains(&var) {
                out.push(error(format!(
                    "{ctx}: agent template {} uses [{var}], which is not a variable of the stream or its input",
                    stream.template_file()
                )));
            }
        }
    }
    out
}

/// Parses raw Painless so a syntax error fails the build with its position.
fn check_painless(p: &Processor, at: &str, out: &mut Vec<Diagnostic>) {
    for use_ in &p.painless {
        let (source, context, what) = match use_ {
            PainlessUse::Condition(s) => (s, ScriptContext::Condition, "condition"),
            PainlessUse::Script(s) => (s, ScriptContext::Ingest, "script"),
        };
        if let Err(e) = painless::compile(source, context) {
            let offset = e
                .extra
                .get("position")
                .and_then(Value::as_map)
                .and_then(|p| p.get("offset"))
                .map(|o| format!(" at offset {}", o.to_java_string()))
                .unwrap_or_default();
            let reason = e
                .caused_by
                .as_ref()
                .map(|c| c.reason.clone())
                .unwrap_or(e.reason.clone());
            out.push(Diagnostic {
                severity: Severity::Error,
                message: format!("{at}: {what} does not compile{offset}: {reason} in `{source}`"),
            });
        }
    }
}

const HANDLEBARS_HELPERS: &[&str] = &[
    "if",
    "unless",
    "each",
    "with",
    "contains",
    "escape_string",
    "escape_multiline_string",
    "to_json",
    "url_encode",
];

/// Variables a Handlebars agent template reads, without helpers, block
/// parameters (`as |path i|`), literals and `this`/`@index`.
pub fn template_variables(template: &str) -> Vec<String> {
    let tag = regex::Regex::new(r"\{\{\{?~?([^{}]*?)~?\}?\}\}").expect("valid regex");
    let params = regex::Regex::new(r"\|([^|]*)\|").expect("valid regex");
    let mut block_params = BTreeSet::new();
    for c in tag.captures_iter(template) {
        if let Some(p) = params.captures(&c[1]) {
            block_params.extend(p[1].split_whitespace().map(str::to_string));
        }
    }
    let mut vars = Vec::new();
    for c in tag.captures_iter(template) {
        let body = c[1].trim();
        if body.starts_with('!') || body.starts_with('/') || body == "else" {
            continue;
        }
        let body = params.replace(body.trim_start_matches(['#', '^', '&']), "");
        let tokens: Vec<&str> = body.split_whitespace().filter(|t| *t != "as").collect();
        let args: &[&str] = match tokens.as_slice() {
            [single] => std::slice::from_ref(single),
            [first, rest @ ..] if HANDLEBARS_HELPERS.contains(first) => rest,
            [_, rest @ ..] => rest,
            [] => &[],
        };
        for arg in args {
            let name = arg.trim_start_matches("../");
            let root = name.split('.').next().unwrap_or_default();
            let literal = name.starts_with(['"', '\''])
                || name.parse::<f64>().is_ok()
                || name == "true"
                || name == "false";
            if literal
                || name == "this"
                || name.starts_with('@')
                || block_params.contains(root)
                || name.contains('=')
            {
                continue;
            }
            if !vars.iter().any(|v| v == name) {
                vars.push(name.to_string());
            }
        }
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::field::Group;
    use crate::dsl::integration::{Input, PolicyTemplate, Stream, Var};
    use crate::dsl::pipeline::Pipeline;
    use crate::dsl::processors::*;

    fn group() -> Group {
        Group::new("acme")
    }

    fn run(ds: DataStream) -> Vec<Diagnostic> {
        run_with(Integration::new("acme", "Acme", "1.0.0"), ds)
    }

    fn run_with(integration: Integration, mut ds: DataStream) -> Vec<Diagnostic> {
        let dups = ds.pipeline.assign_tags();
        check_data_stream(&integration, &ds, &dups)
    }

    /// Findings without those about processors ingot has no spec for yet.
    fn errors(d: &[Diagnostic]) -> Vec<&str> {
        d.iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message.as_str())
            .collect()
    }

    fn warnings(d: &[Diagnostic]) -> Vec<&str> {
        d.iter()
            .filter(|d| d.severity == Severity::Warning && !d.message.contains("has no spec"))
            .map(|d| d.message.as_str())
            .collect()
    }

    #[test]
    fn undeclared_write_fires_and_declared_or_ecs_or_allowed_do_not() {
        let bad = DataStream::new("log", "L").pipeline(
            Pipeline::new("p").then(set(crate::dsl::field::Field::named("acme.nope"), "x")),
        );
        let e = run(bad.clone());
        assert!(
            errors(&e)[0].contains("writes [acme.nope], which is neither declared nor in ECS"),
            "{e:?}"
        );
        assert!(errors(&run(bad.allow(Check::UndeclaredWrite, "acme.nope"))).is_empty());
        let status = group().keyword("status");
        let good = DataStream::new("log", "L")
            .group(&group(), [status.clone()])
            .pipeline(
                Pipeline::new("p")
                    .then(set(&status, "ok"))
                    .then(set(ecs::EVENT_KIND, "event"))
                    .then(set(crate::dsl::field::Field::temp("_temp_.x"), 1i64))
                    .then(remove([crate::dsl::field::Field::temp("_temp_")])),
            );
        assert_eq!(run(good), vec![]);
    }

    #[test]
    fn unwritten_read_fires_and_written_or_provided_do_not() {
        let p = Pipeline::new("p").then(copy(ecs::MESSAGE, ecs::EVENT_ORIGINAL));
        let e = run(DataStream::new("log", "L").pipeline(p.clone()));
        assert!(
            errors(&e)[0].contains("reads [message], which no processor writes before it"),
            "{e:?}"
        );
        assert!(errors(&run(DataStream::new("log", "L")
            .input_provides([ecs::MESSAGE])
            .pipeline(p.clone())))
        .is_empty());
        // A write satisfies only the reads after it.
        let late = Pipeline::new("p")
            .then(copy(ecs::MESSAGE, ecs::EVENT_ORIGINAL))
            .then(copy(ecs::EVENT_ORIGINAL, ecs::MESSAGE));
        let e = run(DataStream::new("log", "L").pipeline(late));
        assert_eq!(errors(&e).len(), 1, "{e:?}");
        assert!(errors(&e)[0].contains("reads [message], which no processor writes before it"), "{e:?}");
        let early = Pipeline::new("p")
            .then(copy(ecs::EVENT_ORIGINAL, ecs::MESSAGE))
            .then(copy(ecs::MESSAGE, ecs::EVENT_ORIGINAL));
        let e = run(DataStream::new("log", "L").input_provides([ecs::EVENT_ORIGINAL]).pipeline(early));
        assert!(errors(&e).is_empty(), "{e:?}");
        // A condition may test a field before it is written ("set if absent"),
        // but not one that nothing writes at all.
        let outcome = set(ecs::EVENT_OUTCOME, "unknown");
        let if_absent = Pipeline::new("p").then(outcome.clone().when(ecs::EVENT_OUTCOME.is_null()));
        assert!(errors(&run(DataStream::new("log", "L").pipeline(if_absent))).is_empty());
        let typo = Pipeline::new("p").then(outcome.when(ecs::EVENT_ACTION.is_null()));
        let e = run(DataStream::new("log", "L").pipeline(typo));
        assert!(errors(&e)[0].contains("reads [event.action]"), "{e:?}");
        // A write of a parent object (json into a group) covers reads below it.
        let g = group();
        let size = g.long("size");
        let parsed = Pipeline::new("p")
            .then(json(ecs::EVENT_ORIGINAL).target(&g))
            .then(copy(&size, ecs::EMAIL_ATTACHMENTS_FILE_SIZE));
        let ds = DataStream::new("log", "L")
            .group(&g, [size])
            .input_provides([ecs::EVENT_ORIGINAL])
            .pipeline(parsed);
        assert_eq!(errors(&run(ds)), Vec::<&str>::new());
    }

    #[test]
    fn wrong_types_fire_where_the_dsl_knows_them() {
        let g = group();
        let name = g.keyword("name");
        let cases = [
            set(ecs::SOURCE_PORT, "http"),
            set(ecs::SOURCE_IP, "not-an-ip"),
            set(ecs::EVENT_KIND, Value::Map(Default::default())),
            append(ecs::RELATED_IP, Value::List(vec!["10.0.0.1".into(), "nope".into()])),
            copy(ecs::SOURCE_GEO_LOCATION, ecs::SOURCE_PORT),
            convert(ecs::SOURCE_IP, "long"),
        ];
        for p in cases {
            let ds = DataStream::new("log", "L")
                .group(&g, [name.clone()])
                .input_provides([ecs::SOURCE_IP, ecs::SOURCE_GEO_LOCATION])
                .pipeline(Pipeline::new("p").then(p.clone()));
            let e = run(ds);
            assert!(
                errors(&e).iter().any(|m| m.contains("does not fit")),
                "{p:?}: {e:?}"
            );
        }
        let fine = [
            set(ecs::SOURCE_PORT, "8080"),
            set(ecs::SOURCE_PORT, 80i64),
            set(ecs::SOURCE_IP, "10.0.0.1"),
            copy(&name, ecs::SOURCE_IP),
            set(ecs::EVENT_CATEGORY, Value::List(vec!["email".into()])),
        ];
        for p in fine {
            let ds = DataStream::new("log", "L")
                .group(&g, [name.clone()])
                .pipeline(Pipeline::new("p").then(set(&name, "x")).then(p.clone()));
            assert!(errors(&run(ds)).is_empty(), "{p:?}");
        }
    }

    #[test]
    fn scratch_fields_left_behind_are_a_warning() {
        let scratch = crate::dsl::field::Field::temp("_temp_.x");
        let ds = DataStream::new("log", "L")
            .pipeline(Pipeline::new("p").then(set(scratch.clone(), "x")));
        assert_eq!(warnings(&run(ds)), ["data stream [log]: scratch field [_temp_.x] is written but no `remove` processor removes it, so it is indexed"]);
        let ds = DataStream::new("log", "L").pipeline(
            Pipeline::new("p")
                .then(set(scratch.clone(), "x"))
                .then(remove([scratch])),
        );
        assert!(warnings(&run(ds)).is_empty());
    }

    #[test]
    fn units_and_metric_types_must_be_the_spec_ones() {
        let g = group();
        let bad = [g.long("a").unit("bytes"), g.long("b").metric_type("sum"), g.keyword("c").metric_type("gauge")];
        let ds = DataStream::new("log", "L").group(&g, bad.clone()).pipeline(Pipeline::new("p").then(json(ecs::MESSAGE).target(&g))).input_provides([ecs::MESSAGE]);
        assert_eq!(errors(&run(ds)).len(), 3);
        let good = [g.long("a").unit("byte").metric_type("counter")];
        let ds = DataStream::new("log", "L").group(&g, good).pipeline(Pipeline::new("p").then(json(ecs::MESSAGE).target(&g))).input_provides([ecs::MESSAGE]);
        assert!(errors(&run(ds)).is_empty());
    }

    #[test]
    fn scalars_into_ecs_array_fields_fire() {
        let ds = |p: Processor| DataStream::new("log", "L").pipeline(Pipeline::new("p").then(p));
        let e = run(ds(set(ecs::EVENT_CATEGORY, "web")));
        assert!(errors(&e)[0].contains("sets [event.category] to a single value, but ECS normalises it to an array"), "{e:?}");
        assert!(errors(&run(ds(append(ecs::EVENT_CATEGORY, "web")))).is_empty());
        assert!(errors(&run(ds(set(ecs::EVENT_CATEGORY, Value::List(vec!["web".into()]))))).is_empty());
        assert!(errors(&run(ds(set(ecs::EVENT_KIND, "event")))).is_empty());
    }

    #[test]
    fn declared_but_unwritten_is_a_warning() {
        let g = group();
        let ds = DataStream::new("log", "L")
            .group(&g, [g.keyword("a"), g.keyword("b")])
            .pipeline(Pipeline::new("p").then(set(&g.keyword("a"), "x")));
        let d = run(ds);
        assert_eq!(
            warnings(&d),
            ["data stream [log]: field [acme.b] is declared but no processor writes it"]
        );
        assert!(errors(&d).is_empty());
    }

    #[test]
    fn duplicate_tags_and_option_errors_fire() {
        let ds = DataStream::new("log", "L").pipeline(
            Pipeline::new("p")
                .then(drop().tag("t"))
                .then(drop().tag("t"))
                .then(drop().tag("u")),
        );
        assert_eq!(
            errors(&run(ds)),
            ["data stream [log]: tag [t] is used by more than one processor"]
        );
        let ds = DataStream::new("log", "L")
            .pipeline(Pipeline::new("p").then(set(ecs::EVENT_KIND, "x").opt("overide", false)));
        assert!(errors(&run(ds))[0]
            .contains("tag [set_event_kind]: processor [set] has no option [overide]"));
    }

    #[test]
    fn raw_painless_that_does_not_parse_fails_with_its_position() {
        let bad = DataStream::new("log", "L").pipeline(
            Pipeline::new("p").then(drop().when(crate::dsl::condition::painless("ctx.a == ("))),
        );
        let e = run(bad);
        assert!(
            errors(&e)
                .iter()
                .any(|m| m.contains("tag [drop]: condition does not compile at offset")),
            "{e:?}"
        );
        let bad_script =
            DataStream::new("log", "L").pipeline(Pipeline::new("p").then(script("ctx.x = ;")));
        assert!(errors(&run(bad_script))
            .iter()
            .any(|m| m.contains("script does not compile")));
        let good = DataStream::new("log", "L").pipeline(
            Pipeline::new("p").then(drop().when(crate::dsl::condition::painless("ctx.a == null"))),
        );
        assert!(errors(&run(good)).is_empty());
    }

    #[test]
    fn template_variables_skip_helpers_params_and_literals() {
        let hbs = "paths:\n{{#each paths as |path i|}}\n  - {{path}}\n{{/each}}\n{{#if preserve_original_event}}x{{/if}}\n{{#contains \"forwarded\" tags}}y{{/contains}}\n{{processors}}\n{{escape_string url}}\n{{!-- comment --}}";
        assert_eq!(
            template_variables(hbs),
            [
                "paths",
                "preserve_original_event",
                "tags",
                "processors",
                "url"
            ]
        );
    }

    #[test]
    fn template_scanning_survives_malformed_templates() {
        for t in ["{{", "}}", "{{#each}}", "{{#each x as |}}", "{{{}}}", "{{~ ~}}", "{{ ../ }}", "{{#if \"}}"] {
            let _ = template_variables(t);
        }
    }

    #[test]
    fn unknown_template_variables_fire() {
        let integration = Integration::new("acme", "Acme", "1.0.0").policy_template(
            PolicyTemplate::new("acme", "A", "A")
                .input(Input::new("logfile", "L", "L").var(Var::text("paths"))),
        );
        let stream = Stream::new("logfile", "L", "L")
            .var(Var::text("tags"))
            .template("{{#each paths as |p|}}{{p}}{{/each}}{{tags}}{{tagz}}");
        let ds = DataStream::new("log", "L").stream(stream);
        let e = run_with(integration.clone(), ds.clone());
        assert_eq!(errors(&e), ["data stream [log]: agent template logfile.yml.hbs uses [tagz], which is not a variable of the stream or its input"]);
        let ok = DataStream::new("log", "L").stream(
            Stream::new("logfile", "L", "L")
                .var(Var::text("tags"))
                .template("{{paths}}{{tags}}"),
        );
        assert!(run_with(integration, ok).is_empty());
    }
}
