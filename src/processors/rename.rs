//! `rename`: moves a field to a new name.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument, MapRename};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::FieldTemplate;
use std::borrow::Cow;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "rename",
    description: "Renames an existing field. If the field doesn't exist or the new name is already used, an exception will be thrown.",
    options: &[
        OptionSpec::required("field", String, "The field to be renamed.").templated(),
        OptionSpec::required("target_field", String, "The new name of the field.").templated(),
        OptionSpec::optional("ignore_missing", Bool, "If true and field does not exist, the processor quietly exits without modifying the document.")
            .default("false"),
        OptionSpec::optional("override", Bool, "If true, the processor will update pre-existing non-null-valued fields.")
            .default("false"),
    ],
    examples: &[
        Example {
            title: "a nested field",
            config: r#"{"field": "a.b", "target_field": "c"}"#,
            input: r#"{"a": {"b": 1}}"#,
            output: Ok(r#"{"a": {}, "c": 1}"#),
        },
        Example {
            title: "templated names",
            config: r#"{"field": "{{{from}}}", "target_field": "new_{{{from}}}"}"#,
            input: r#"{"from": "x", "x": 1}"#,
            output: Ok(r#"{"from": "x", "new_x": 1}"#),
        },
        Example {
            title: "a missing field fails",
            config: r#"{"field": "a", "target_field": "b"}"#,
            input: r#"{}"#,
            output: Err("field [a] doesn't exist"),
        },
        Example {
            title: "an existing target fails",
            config: r#"{"field": "a", "target_field": "b"}"#,
            input: r#"{"a": 1, "b": 2}"#,
            output: Err("field [b] already exists"),
        },
        Example {
            title: "override replaces the target",
            config: r#"{"field": "a", "target_field": "b", "override": true}"#,
            input: r#"{"a": 1, "b": 2}"#,
            output: Ok(r#"{"b": 1}"#),
        },
        Example {
            title: "a template naming nothing counts as missing",
            config: r#"{"field": "{{foo}}", "target_field": "bar", "ignore_missing": true}"#,
            input: r#"{"message": "test"}"#,
            output: Ok(r#"{"message": "test"}"#),
        },
        Example {
            title: "ignore_missing",
            config: r#"{"field": "a", "target_field": "b", "ignore_missing": true}"#,
            input: r#"{"c": 1}"#,
            output: Ok(r#"{"c": 1}"#),
        },
        Example {
            title: "an out-of-range index fails rather than counting as missing",
            config: r#"{"field": "l.5", "target_field": "b", "ignore_missing": true}"#,
            input: r#"{"l": [1]}"#,
            output: Err("[5] is out of bounds for array with length [1] as part of path [l.5]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Rename {
    field: FieldTemplate,
    target: FieldTemplate,
    ignore_missing: bool,
    override_existing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = FieldTemplate::new(o.template("field")?)?;
    let target = FieldTemplate::new(o.template("target_field")?)?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let override_existing = o.bool_or("override", false)?;
    Ok(Box::new(Rename {
        field,
        target,
        ignore_missing,
        override_existing,
    }))
}

/// `hasField(path, failOutOfRange = true)`: an index past a list's end is an
/// error rather than absence.
pub fn has_field_strict(doc: &IngestDocument, path: &FieldPath) -> Result<bool, EsError> {
    match doc.resolve(path) {
        Ok(_) => Ok(true),
        Err(miss) if miss.is_out_of_bounds() => {
            Err(EsError::illegal_argument(miss.message(path.as_str())))
        }
        Err(_) => Ok(false),
    }
}

impl Processor for Rename {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let from = self.field.path(doc);
        let to = self.target.path(doc);
        if let (Ok(from), Ok(to)) = (&from, &to) {
            if let Some(done) = doc.rename_within_map(from, to, self.override_existing) {
                return match done {
                    MapRename::Renamed => Ok(Flow::Continue),
                    MapRename::FieldMissing => self.missing(doc),
                    MapRename::TargetExists => Err(self.target_exists(doc)),
                };
            }
        }
        self.rename_by_steps(doc, from, to)
    }
}

impl Rename {
    /// Elasticsearch's steps, each walking its path: check both fields,
    /// remove one, set the other (putting the value back if that fails).
    /// The names (`from`, `to`) are those of the templates for `doc`.
    fn rename_by_steps(
        &self,
        doc: &mut IngestDocument,
        from: Result<Cow<'_, FieldPath>, std::string::String>,
        to: Result<Cow<'_, FieldPath>, std::string::String>,
    ) -> Result<Flow, EsError> {
        // An empty name (a template that rendered nothing) is simply absent.
        let from = match from {
            Ok(from) if has_field_strict(doc, &from)? => from,
            _ => return self.missing(doc),
        };
        let to = to.map_err(EsError::illegal_argument)?;
        if has_field_strict(doc, &to)? && !self.override_existing {
            return Err(self.target_exists(doc));
        }
        let value = doc.remove(&from).map_err(EsError::illegal_argument)?;
        if let Err((e, value)) = doc.set_or_return(&to, value) {
            // Put the value back so on_failure handlers see the document as it was.
            let _ = doc.set(&from, value);
            return Err(EsError::illegal_argument(e));
        }
        Ok(Flow::Continue)
    }

    /// The field to rename is not there (the document is unchanged).
    fn missing(&self, doc: &IngestDocument) -> Result<Flow, EsError> {
        if self.ignore_missing {
            return Ok(Flow::Continue);
        }
        Err(EsError::illegal_argument(format!(
            "field [{}] doesn't exist",
            self.field.render(doc)
        )))
    }

    /// The target is there and may not be replaced (the document is unchanged).
    fn target_exists(&self, doc: &IngestDocument) -> EsError {
        EsError::illegal_argument(format!("field [{}] already exists", self.target.render(doc)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;
    use std::string::String;

    fn doc(json: &str) -> IngestDocument {
        let mut doc = match Value::from_json_str(json).unwrap() {
            Value::Map(m) => IngestDocument::new(m),
            _ => panic!("not an object: {json}"),
        };
        doc.ingest.insert("x".into(), Value::Int(1));
        doc.ingest.insert("l".into(), Value::List(vec![Value::Int(2)]));
        doc
    }

    fn printed(doc: &IngestDocument) -> String {
        format!("{} {}", Value::Map(doc.ctx.clone()).to_json(), Value::Map(doc.ingest.clone()).to_json())
    }

    /// Renaming within one map in a single walk does what Elasticsearch's
    /// steps do, for every shape of document and pair of names: the same
    /// document (field order included) and the same error.
    #[test]
    fn renaming_within_a_map_matches_the_steps() {
        let big: String = (0..12).map(|i| format!(r#""k{i}":{i},"#)).collect();
        let docs = [
            r#"{"a":{"b":1,"c":2},"b":3}"#.to_string(),
            r#"{"a":{"b":null,"x":{"y":1}}}"#.to_string(),
            r#"{"a":[{"b":1},{"c":2}],"l":[1,2]}"#.to_string(),
            r#"{"a":null,"s":"text"}"#.to_string(),
            r#"{"a":"x","b":{"c":{"d":4}}}"#.to_string(),
            format!(r#"{{{big}"a":{{{big}"b":1}},"b":2}}"#),
            "{}".to_string(),
        ];
        let names = [
            "a.b", "a.c", "a.x", "a.b.c", "a.0.b", "a.0.c", "a.1.b", "a.5.b", "a.x.b", "b", "c", "k3", "k11",
            "a.k3", "a.k11", "a.zz", "_ingest.x", "_ingest.y", "_ingest.l.0", "_source.a.b", "_source.b", "s.t",
            "l.0", "l.1", "l.7", "a..b", "{{s}}", "{{s}}.b", "{{missing}}", "b.c.d", "b.c.e",
        ];
        let mut compared = 0;
        for json in &docs {
            let base = doc(json);
            for from in names {
                for to in names {
                    for (ignore_missing, override_existing) in [(false, false), (true, false), (false, true), (true, true)] {
                        let rename = Rename {
                            field: FieldTemplate::compile(from).unwrap(),
                            target: FieldTemplate::compile(to).unwrap(),
                            ignore_missing,
                            override_existing,
                        };
                        let mut fast = base.clone();
                        let mut steps = base.clone();
                        let fast_result = rename.execute(&mut fast, &mut RunContext::default());
                        let (from_path, to_path) = (rename.field.path(&steps), rename.target.path(&steps));
                        let steps_result = rename.rename_by_steps(&mut steps, from_path, to_path);
                        let case = format!("{json} {from} -> {to} {ignore_missing} {override_existing}");
                        assert_eq!(fast_result.map(|_| ()), steps_result.map(|_| ()), "{case}");
                        assert_eq!(printed(&fast), printed(&steps), "{case}");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 10_000);
    }
}
