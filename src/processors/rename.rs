//! `rename`: moves a field to a new name.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::FieldTemplate;

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
        let from_name = self.field.render(doc);
        // An empty name (a template that rendered nothing) is simply absent.
        let from = self.field.path(doc);
        let present = match &from {
            Ok(from) => has_field_strict(doc, from)?,
            Err(_) => false,
        };
        if !present {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(EsError::illegal_argument(format!(
                "field [{from_name}] doesn't exist"
            )));
        }
        let from = from.map_err(EsError::illegal_argument)?;
        let to = self.target.path(doc).map_err(EsError::illegal_argument)?;
        if has_field_strict(doc, &to)? && !self.override_existing {
            return Err(EsError::illegal_argument(format!(
                "field [{}] already exists",
                self.target.render(doc)
            )));
        }
        let value = doc.remove(&from).map_err(EsError::illegal_argument)?;
        if let Err((e, value)) = doc.set_or_return(&to, value) {
            // Put the value back so on_failure handlers see the document as it was.
            let _ = doc.set(&from, value);
            return Err(EsError::illegal_argument(e));
        }
        Ok(Flow::Continue)
    }
}
