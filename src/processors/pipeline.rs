//! `pipeline`: runs another pipeline, found by (templated) name.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, Outcome, RunContext};
use crate::template::Template;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "pipeline",
    description: "Executes another pipeline.",
    options: &[
        OptionSpec::required("name", String, "The name of the pipeline to execute.").templated(),
        OptionSpec::optional(
            "ignore_missing_pipeline",
            Bool,
            "Whether to ignore missing pipelines instead of failing.",
        )
        .default("false"),
    ],
    examples: &[
        Example {
            title: "a pipeline that does not exist",
            config: r#"{"name": "nope-{{{x}}}"}"#,
            input: r#"{"x": 1}"#,
            output: Err("Pipeline processor configured for non-existent pipeline [nope-1]"),
        },
        Example {
            title: "ignore_missing_pipeline",
            config: r#"{"name": "nope", "ignore_missing_pipeline": true}"#,
            input: r#"{"x": 1}"#,
            output: Ok(r#"{"x": 1}"#),
        },
    ],
    build: Some(build),
};

/// Header on a verbose run's missing-pipeline failure that
/// `ignore_missing_pipeline` tells the run to record and pass over.
pub const IGNORED: &str = "ignored_missing_pipeline";

#[derive(Debug)]
struct PipelineCall {
    name: Template,
    ignore_missing_pipeline: bool,
    ctx: BuildContext,
}

fn build(o: &mut Options, ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let name = o.template("name")?;
    let ignore_missing_pipeline = o.bool_or("ignore_missing_pipeline", false)?;
    Ok(Box::new(PipelineCall {
        name,
        ignore_missing_pipeline,
        ctx: ctx.clone(),
    }))
}

impl Processor for PipelineCall {
    fn execute(&self, doc: &mut IngestDocument, run: &mut RunContext) -> Result<Flow, EsError> {
        let name = self.name.render(doc);
        let Some(pipeline) = self.ctx.registry.get(&name, &self.ctx)? else {
            let message =
                format!("Pipeline processor configured for non-existent pipeline [{name}]");
            // Verbose simulate runs the call through TrackingResultProcessor,
            // which reports a missing pipeline as an IllegalArgumentException
            // and lists an ignored one as a failure that was ignored.
            if run.trace_documents {
                let e = EsError::illegal_argument(message);
                return Err(if self.ignore_missing_pipeline {
                    e.with_header(IGNORED, true)
                } else {
                    e
                });
            }
            if self.ignore_missing_pipeline {
                return Ok(Flow::Continue);
            }
            return Err(EsError::illegal_state(message));
        };
        match pipeline.execute(doc, run)? {
            Outcome::Kept => Ok(Flow::Continue),
            Outcome::Dropped => Ok(Flow::Drop),
        }
    }
}
