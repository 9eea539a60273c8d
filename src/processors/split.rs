//! `split`: splits a string into a list on a Java regular expression.

use super::java_regex;
use super::support::{get_field, set_field};
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "split",
    description: "Splits a field into an array using a separator character.",
    options: &[
        OptionSpec::required("field", String, "The field to split."),
        OptionSpec::required("separator", String, "A regex which matches the separator, e.g. `,` or `\\s+`."),
        OptionSpec::optional("target_field", String, "The field to assign the split value to, by default field is updated in-place."),
        OptionSpec::optional("ignore_missing", Bool, "If true and field does not exist, the processor quietly exits without modifying the document.")
            .default("false"),
        OptionSpec::optional("preserve_trailing", Bool, "Preserves empty trailing fields, if any.").default("false"),
    ],
    examples: &[
        Example {
            title: "on whitespace",
            config: r#"{"field": "f", "separator": "\\s+"}"#,
            input: r#"{"f": "a  b c"}"#,
            output: Ok(r#"{"f": ["a", "b", "c"]}"#),
        },
        Example {
            title: "trailing empty fields are dropped",
            config: r#"{"field": "f", "separator": ","}"#,
            input: r#"{"f": "A,,B,,"}"#,
            output: Ok(r#"{"f": ["A", "", "B"]}"#),
        },
        Example {
            title: "preserve_trailing keeps them",
            config: r#"{"field": "f", "separator": ",", "preserve_trailing": true, "target_field": "t"}"#,
            input: r#"{"f": "A,,B,,"}"#,
            output: Ok(r#"{"f": "A,,B,,", "t": ["A", "", "B", "", ""]}"#),
        },
        Example {
            title: "a list is not a string",
            config: r#"{"field": "f", "separator": ","}"#,
            input: r#"{"f": ["a"]}"#,
            output: Err("field [f] of type [java.util.ArrayList] cannot be cast to [java.lang.String]"),
        },
        Example {
            title: "null fails",
            config: r#"{"field": "f", "separator": ","}"#,
            input: r#"{"f": null}"#,
            output: Err("field [f] is null, cannot split."),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Split {
    field: std::string::String,
    path: FieldPath,
    /// Elasticsearch compiles the separator for each document, so a bad one
    /// fails the documents, not the pipeline.
    separator: Result<fancy_regex::Regex, std::string::String>,
    target: FieldPath,
    ignore_missing: bool,
    preserve_trailing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let preserve_trailing = o.bool_or("preserve_trailing", false)?;
    let target = o
        .opt_string("target_field")?
        .unwrap_or_else(|| field.clone());
    let separator = o.string("separator")?;
    let separator = java_regex::compile(&separator);
    Ok(Box::new(Split {
        path: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
        target: FieldPath::parse(&target).map_err(|e| o.error("target_field", &e))?,
        field,
        separator,
        ignore_missing,
        preserve_trailing,
    }))
}

impl Processor for Split {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let text = match get_field(doc, &self.path, self.ignore_missing)? {
            None | Some(Value::Null) if self.ignore_missing => return Ok(Flow::Continue),
            None | Some(Value::Null) => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] is null, cannot split.",
                    self.field
                )))
            }
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                return Err(super::support::cannot_cast(
                    &self.field,
                    other,
                    "java.lang.String",
                ))
            }
        };
        let separator = self
            .separator
            .as_ref()
            .map_err(|e| EsError::new("pattern_syntax_exception", e.clone()))?;
        let parts = java_regex::split(separator, &text, self.preserve_trailing)
            .map_err(EsError::illegal_argument)?;
        set_field(
            doc,
            &self.target,
            Value::List(parts.into_iter().map(Value::String).collect()),
        )?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::examples::run_example;
    use crate::processors::{lookup, Example};

    #[test]
    fn a_bad_separator_fails_documents_not_the_pipeline() {
        let example = Example {
            title: "",
            config: r#"{"field": "f", "separator": "["}"#,
            input: r#"{"f": "a"}"#,
            output: Ok(""),
        };
        let got = run_example(lookup("split").unwrap(), &example).unwrap_err();
        // Not a load failure: the document failed. (The text is the regex
        // engine's, not Java's PatternSyntaxException message.)
        assert!(!got.starts_with("load:"), "{got}");
        let ok = Example {
            input: r#"{"g": 1}"#,
            ..example
        };
        assert_eq!(
            run_example(lookup("split").unwrap(), &ok).unwrap_err(),
            "field [f] not present as part of path [f]"
        );
    }
}
