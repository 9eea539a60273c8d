//! `drop`: discards the document; nothing more runs and nothing is indexed.

use super::{Example, Flow, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "drop",
    description: "Drops the document without raising any errors.",
    options: &[],
    examples: &[Example {
        title: "the document is dropped",
        config: r#"{}"#,
        input: r#"{"a": 1}"#,
        output: Ok("null"),
    }],
    build: Some(build),
};

#[derive(Debug)]
struct Drop;

fn build(_o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(Drop))
}

impl Processor for Drop {
    fn execute(&self, _doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        Ok(Flow::Drop)
    }
}
