//! `fail`: fails the document with a (templated) message.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::Template;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "fail",
    description: "Raises an exception. This is useful for when you expect a pipeline to fail and want to relay a specific message to the requester.",
    options: &[OptionSpec::required("message", String, "The error message thrown by the processor.").templated()],
    examples: &[
        Example {
            title: "a templated message",
            config: r#"{"message": "bad value [{{value}}]"}"#,
            input: r#"{"value": "x\"y"}"#,
            output: Err("bad value [x\\\"y]"),
        },
        Example {
            title: "raw rendering",
            config: r#"{"message": "bad value [{{{value}}}]"}"#,
            input: r#"{"value": "x\"y"}"#,
            output: Err("bad value [x\"y]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Fail {
    message: Template,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(Fail {
        message: o.template("message")?,
    }))
}

impl Processor for Fail {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        Err(EsError::new(
            "fail_processor_exception",
            self.message.render(doc),
        ))
    }
}
