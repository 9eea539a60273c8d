//! The processor builder: one [`Processor`] per emitted processor, holding
//! the [`ProcessorDefinition`] it produces plus what the compiler needs to
//! check it (the fields it reads and writes, the Painless it carries).
//!
//! Options are validated against the processor's [`ProcessorSpec`] in the
//! registry, so a builder cannot emit what loading would refuse.

use crate::dsl::condition::Cond;
use crate::dsl::field::{Field, FieldType};
use crate::pipeline::ProcessorDefinition;
use crate::processors::{self, OptionKind, ProcessorSpec};
use crate::value::Value;

/// What a processor puts into a field it writes, as far as the DSL knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// A literal value (no template).
    Literal(Value),
    /// A copy of another field's value.
    CopyOf(Field),
    /// A value of a known mapping type (e.g. `convert` to `long`).
    Typed(FieldType),
    /// Anything: parsed, templated or computed.
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub field: Field,
    pub value: Written,
}

/// Painless a processor carries, parsed at build time.
#[derive(Debug, Clone, PartialEq)]
pub enum PainlessUse {
    Condition(String),
    Script(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Processor {
    pub(crate) def: ProcessorDefinition,
    pub(crate) reads: Vec<Field>,
    /// Fields the `if` tests. Kept apart from `reads`: a condition may test
    /// a field before anything writes it ("set it if it is absent").
    pub(crate) condition_reads: Vec<Field>,
    pub(crate) writes: Vec<Write>,
    pub(crate) painless: Vec<PainlessUse>,
    pub(crate) on_failure: Vec<Processor>,
    /// Misuse found while building (unknown option, wrong kind): reported
    /// by the compiler with the processor's tag.
    pub(crate) errors: Vec<String>,
    /// What the automatic tag is derived from: usually the target field.
    pub(crate) tag_subject: Option<String>,
    /// Where the processor writes without `target_field` (`date`:
    /// `@timestamp`); `.target(..)` replaces that write.
    pub(crate) default_target: Option<String>,
}

impl Processor {
    /// Any processor of the registry by type name; prefer the typed
    /// constructors in [`crate::dsl::processors`].
    pub fn new(kind: &str) -> Processor {
        let mut p = Processor {
            def: ProcessorDefinition::new(kind),
            reads: Vec::new(),
            condition_reads: Vec::new(),
            writes: Vec::new(),
            painless: Vec::new(),
            on_failure: Vec::new(),
            errors: Vec::new(),
            tag_subject: None,
            default_target: None,
        };
        if processors::lookup(kind).is_none() && !crate::dsl::processors::TYPED.contains(&kind) {
            p.errors.push(format!(
                "processor [{kind}] is not an ingest processor ingot knows"
            ));
        } else if processors::pending::OUTSIDE_PACKAGE_SPEC.contains(&kind) {
            p.errors.push(format!(
                "processor [{kind}] is not allowed in an integration's pipelines by the package spec (elasticsearch/pipeline.spec.yml)"
            ));
        }
        p
    }

    pub fn kind(&self) -> &str {
        &self.def.kind
    }

    /// A known ingest processor whose spec the registry does not have yet:
    /// its options cannot be validated nor the pipeline load-checked.
    pub fn is_unregistered(&self) -> bool {
        self.spec().is_none()
    }

    fn spec(&self) -> Option<&'static ProcessorSpec> {
        processors::lookup(&self.def.kind)
    }

    /// Sets an option by its spec name, checking name and kind.
    pub fn opt(mut self, name: &str, value: impl Into<Value>) -> Processor {
        let value = value.into();
        if let Some(spec) = self.spec() {
            match spec.options.iter().find(|o| o.name == name) {
                None => self
                    .errors
                    .push(format!("processor [{}] has no option [{name}]", spec.name)),
                Some(o) if !kind_accepts(o.kind, &value) => self.errors.push(format!(
                    "option [{name}] of processor [{}] expects {:?}, got {}",
                    spec.name,
                    o.kind,
                    value.to_json()
                )),
                Some(_) => {}
            }
        }
        self.def.options.insert(name.to_string(), value);
        self
    }

    /// A field-valued option the processor reads from.
    pub fn read_opt(mut self, name: &str, field: impl Into<Field>) -> Processor {
        let field = field.into();
        self.reads.push(field.clone());
        self.opt(name, field.name().to_string())
    }

    /// A field-valued option the processor writes to.
    pub fn write_opt(mut self, name: &str, field: impl Into<Field>, value: Written) -> Processor {
        let field = field.into();
        self.tag_subject = Some(field.name().to_string());
        self.writes.push(Write {
            field: field.clone(),
            value,
        });
        self.opt(name, field.name().to_string())
    }

    /// Declares a read the options do not show (e.g. inside a script).
    pub fn reads(mut self, fields: impl IntoIterator<Item = impl Into<Field>>) -> Processor {
        self.reads.extend(fields.into_iter().map(Into::into));
        self
    }

    /// Declares writes the options do not show (e.g. by a script or `grok`).
    pub fn writes(mut self, fields: impl IntoIterator<Item = impl Into<Field>>) -> Processor {
        for f in fields {
            let field = f.into();
            if self.tag_subject.is_none() {
                self.tag_subject = Some(field.name().to_string());
            }
            self.writes.push(Write {
                field,
                value: Written::Unknown,
            });
        }
        self
    }

    /// The `if`: a typed condition compiled to Painless.
    pub fn when(mut self, cond: Cond) -> Processor {
        self.condition_reads.extend(cond.reads());
        let source = cond.to_painless();
        if matches!(cond, Cond::Painless(_)) {
            self.painless.push(PainlessUse::Condition(source.clone()));
        }
        self.def.condition = Some(Value::String(source));
        self
    }

    /// An explicit tag; otherwise one is derived from the type and target.
    pub fn tag(mut self, tag: &str) -> Processor {
        self.def.tag = Some(tag.to_string());
        self
    }

    pub fn description(mut self, text: &str) -> Processor {
        self.def.description = Some(text.to_string());
        self
    }

    pub fn ignore_failure(mut self) -> Processor {
        self.def.ignore_failure = true;
        self
    }

    /// `ignore_missing: true`, for processors whose spec has it.
    pub fn ignore_missing(self) -> Processor {
        self.opt("ignore_missing", true)
    }

    /// `ignore_empty_value: true` (`set`, `append`, ...).
    pub fn ignore_empty_value(self) -> Processor {
        self.opt("ignore_empty_value", true)
    }

    /// `override: false`: keep a value already there.
    pub fn keep_existing(self) -> Processor {
        self.opt("override", false)
    }

    /// `target_field` (for processors that write next to their input).
    pub fn target(self, field: impl Into<Field>) -> Processor {
        self.retarget(field.into())
    }

    fn retarget(mut self, field: Field) -> Processor {
        // A processor with a target writes the target, not its input field.
        let value = self
            .writes
            .first()
            .map(|w| w.value.clone())
            .unwrap_or(Written::Unknown);
        if let Some(input) = self
            .def
            .options
            .get("field")
            .and_then(Value::as_str)
            .map(str::to_string)
        {
            self.writes.retain(|w| w.field.name() != input);
        }
        if let Some(default) = self.default_target.take() {
            self.writes.retain(|w| w.field.name() != default);
        }
        self.write_opt("target_field", field, value)
    }

    /// Handlers run when this processor fails.
    pub fn on_failure(mut self, handlers: impl IntoIterator<Item = Processor>) -> Processor {
        self.on_failure.extend(handlers);
        self
    }

    /// Problems with the options: unknown, wrong kind, required and missing.
    pub(crate) fn option_errors(&self) -> Vec<String> {
        let mut errors = self.errors.clone();
        if let Some(spec) = self.spec() {
            for o in spec.options.iter().filter(|o| o.required) {
                if !self.def.options.contains_key(o.name) {
                    errors.push(format!(
                        "processor [{}] requires option [{}]",
                        spec.name, o.name
                    ));
                }
            }
        }
        errors
    }
}

fn kind_accepts(kind: OptionKind, value: &Value) -> bool {
    match kind {
        OptionKind::Any => true,
        OptionKind::String => matches!(value, Value::String(_)),
        OptionKind::Bool => matches!(value, Value::Bool(_)),
        OptionKind::Int => value.as_i64().is_some(),
        OptionKind::StringList => {
            matches!(value, Value::List(l) if l.iter().all(|v| matches!(v, Value::String(_))))
        }
        OptionKind::StringOrList => {
            matches!(value, Value::String(_))
                || matches!(value, Value::List(l) if l.iter().all(|v| matches!(v, Value::String(_))))
        }
        OptionKind::Map => matches!(value, Value::Map(_)),
    }
}

/// Field names a Mustache template reads: `{{a.b}}`, `{{{a.b}}}`,
/// `{{_source.a}}`; `_ingest` metadata is not a document field.
pub fn template_reads(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\{\{\{?\s*&?\s*([^{}\s#/^!>]+)\s*\}?\}\}").expect("valid regex");
    re.captures_iter(text)
        .map(|c| c[1].trim_start_matches("_source.").to_string())
        .filter(|name| !name.starts_with("_ingest.") && name != ".")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_options_and_wrong_kinds_are_recorded() {
        let p = Processor::new("set")
            .opt("field", "a")
            .opt("valeu", 1i64)
            .opt("override", "yes");
        let errors = p.option_errors();
        assert!(
            errors.iter().any(|e| e.contains("no option [valeu]")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("option [override]")),
            "{errors:?}"
        );
        assert!(Processor::new("set")
            .opt("field", "a")
            .opt("value", 1i64)
            .option_errors()
            .is_empty());
    }

    #[test]
    fn missing_required_options_and_unknown_processors_are_recorded() {
        assert_eq!(
            Processor::new("set").opt("value", 1i64).option_errors(),
            vec!["processor [set] requires option [field]"]
        );
        assert!(Processor::new("frobnicate").option_errors()[0]
            .contains("not an ingest processor ingot knows"));
        assert!(Processor::new("frobnicate").is_unregistered());
        // Elasticsearch has it, but a package may not use it.
        assert!(Processor::new("reroute").option_errors()[0].contains("not allowed in an integration's pipelines"));
    }

    #[test]
    fn template_reads_name_fields() {
        assert_eq!(
            template_reads("{{{_temp_.a}}} {{ b.c }} {{_ingest.timestamp}} {{_source.d}}"),
            ["_temp_.a", "b.c", "d"]
        );
    }
}
