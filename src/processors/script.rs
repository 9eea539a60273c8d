//! `script`: runs an inline Painless script on the document.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::painless::{self, Script, ScriptContext};
use crate::pipeline::{BuildContext, RunContext};
use crate::value::{Map, Value};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "script",
    description: "Runs an inline or stored script on incoming documents.",
    options: &[
        OptionSpec::optional("lang", String, "Script language.").default("painless"),
        OptionSpec::optional("id", String, "ID of a stored script. If no source is specified, this parameter is required."),
        OptionSpec::optional("source", Any, "Inline script. If no id is specified, this parameter is required."),
        OptionSpec::optional("params", Map, "Object containing parameters for the script."),
    ],
    examples: &[
        Example {
            title: "ctx is the document, changes are kept",
            config: r#"{"source": "ctx.remove('a'); ctx.b = [ctx.c, 'x']"}"#,
            input: r#"{"a": 1, "c": "y"}"#,
            output: Ok(r#"{"c": "y", "b": ["y", "x"]}"#),
        },
        Example {
            title: "params reach the script",
            config: r#"{"source": "ctx.total = ctx.a + params.b", "params": {"b": 2}}"#,
            input: r#"{"a": 1}"#,
            output: Ok(r#"{"a": 1, "total": 3}"#),
        },
        Example {
            title: "an exception thrown by the script fails the processor",
            config: r#"{"source": "throw new IllegalArgumentException('bad ' + ctx.a)"}"#,
            input: r#"{"a": 1}"#,
            output: Err("bad 1"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct ScriptProcessor {
    script: Script,
    params: Map,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let lang = o.opt_string("lang")?.unwrap_or_else(|| "painless".into());
    let id = o.opt_string("id")?;
    let source = o.opt_value("source");
    let params = o.opt_map("params")?.unwrap_or_default();
    if lang != "painless" {
        return Err(o.error("lang", &format!("script lang [{lang}] is not supported, only [painless]")));
    }
    let source = match (id, source) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(EsError::parse("must specify either [source] for an inline script or [id] for a stored script"))
        }
        (Some(id), None) => {
            return Err(o.error(
                "id",
                &format!("stored script [{id}] cannot be resolved without a cluster; put its source inline"),
            ))
        }
        (None, Some(Value::String(s))) => s,
        (None, Some(other)) => {
            return Err(o.error("source", &format!("must be a string, but is of type [{}]", other.java_class())))
        }
    };
    let script = painless::compile(&source, ScriptContext::Ingest)?;
    Ok(Box::new(ScriptProcessor { script, params }))
}

impl Processor for ScriptProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.script.execute(&mut doc.ctx, &self.params)?;
        Ok(Flow::Continue)
    }
}
