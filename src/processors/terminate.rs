//! `terminate`: stops the current pipeline; a calling pipeline carries on.

use super::{Example, Flow, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "terminate",
    description: "Terminates the current ingest pipeline, causing no further processors to be run.",
    options: &[],
    examples: &[Example {
        title: "the document is kept as it is",
        config: r#"{}"#,
        input: r#"{"a": 1}"#,
        output: Ok(r#"{"a": 1}"#),
    }],
    build: Some(build),
};

#[derive(Debug)]
struct Terminate;

fn build(_o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(Terminate))
}

impl Processor for Terminate {
    fn execute(&self, _doc: &mut IngestDocument, run: &mut RunContext) -> Result<Flow, EsError> {
        run.terminated = true;
        Ok(Flow::Continue)
    }
}
