//! `ingot simulate`: documents through a pipeline, as Elasticsearch would.
//!
//! Two modes. `--pipeline FILE [INPUT]` streams NDJSON: one `_source` a line
//! in, one result a line out. `--request FILE` answers a whole `_simulate`
//! request body with the response Elasticsearch would send.

use super::{build_context, fail, search_dir, to_pretty_json, GlobalArgs, EXIT_ERROR, EXIT_OK, EXIT_REFUSED};
use ingot::error::EsError;
use ingot::lint;
use ingot::pipeline::definition::parse_document;
use ingot::pipeline::{BuildContext, Pipeline};
use ingot::simulate::{self, StreamCounts};
use ingot::value::Value;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Run documents through a pipeline as `_ingest/pipeline/_simulate` does",
    after_help = "Streaming (--pipeline): each input line is a document's _source; each output line is the \
resulting _source, the error Elasticsearch reports for that document ({\"error\":{...}}), or null when \
the document was dropped. Counts go to stderr.\n\n\
Request (--request): the file is a _simulate request body ({\"pipeline\":{...},\"docs\":[...]}); the \
response is printed as Elasticsearch sends it. With --pipeline FILE or --id ID the request's docs run \
through that pipeline instead, as `POST _ingest/pipeline/<id>/_simulate` does.\n\n\
Exit status: 0 when the run completed, 1 when Elasticsearch would refuse the pipeline or the request (or ingot cannot run a processor of it yet), \
2 when a file cannot be read."
)]
pub struct Args {
    /// Pipeline file (JSON or YAML) to stream documents through; with
    /// --request, the pipeline the request's docs run through.
    #[arg(long, value_name = "FILE", required_unless_present = "request")]
    pub pipeline: Option<PathBuf>,

    /// NDJSON input, one `_source` object a line; `-` or absent reads stdin.
    #[arg(value_name = "INPUT", conflicts_with = "request")]
    pub input: Option<PathBuf>,

    /// A `_simulate` request body (JSON or YAML) to answer.
    #[arg(long, value_name = "FILE")]
    pub request: Option<PathBuf>,

    /// Report every processor's result (`?verbose=true`).
    #[arg(long, requires = "request")]
    pub verbose: bool,

    /// Run the request's docs through the pipeline with this id, found in
    /// --pipelines-dir (`POST _ingest/pipeline/<ID>/_simulate`).
    #[arg(long, value_name = "ID", requires = "request", conflicts_with = "pipeline")]
    pub id: Option<String>,

    /// Directory of pipelines (`<id>.yml`, `<id>.json`) that `pipeline`
    /// processors and --id refer to; repeatable. The --pipeline file's own
    /// directory is always searched.
    #[arg(long, value_name = "DIR")]
    pub pipelines_dir: Vec<PathBuf>,

    /// Worker threads for --pipeline streaming (default: one per available
    /// core; 1 runs on the main thread alone). The output is the same
    /// whatever the number: results are written in input order.
    #[arg(long, value_name = "N", conflicts_with = "request", value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,

    /// Indent the --request response as `?pretty` does.
    #[arg(long, requires = "request")]
    pub pretty: bool,
}

pub fn run(args: &Args, global: &GlobalArgs) -> ExitCode {
    match (&args.pipeline, &args.request) {
        (_, Some(request)) => answer_request(args, request, global),
        (Some(pipeline), None) => stream(args, pipeline, global),
        (None, None) => fail(EXIT_ERROR, "give --pipeline FILE or --request FILE"),
    }
}

fn stream(args: &Args, pipeline_path: &Path, global: &GlobalArgs) -> ExitCode {
    let mut dirs = args.pipelines_dir.clone();
    dirs.push(search_dir(pipeline_path));
    let ctx = build_context(global, dirs);
    let pipeline = match Pipeline::load(pipeline_path, &ctx) {
        Ok(p) => p,
        Err(e) => return refused_pipeline_file(pipeline_path, &e, &ctx),
    };
    let input: Box<dyn BufRead> = match &args.input {
        None => Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
        Some(p) if p.as_os_str() == "-" => Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
        Some(p) => match File::open(p) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => return fail(EXIT_ERROR, format!("cannot read input {}: {e}", p.display())),
        },
    };
    let input_name = args.input.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "-".into());
    let output = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let threads = args.threads.map_or_else(simulate::default_threads, |n| n as usize);
    let result = simulate::simulate_ndjson_parallel(&pipeline, input, output, threads, |m| {
        eprintln!("ingot: {input_name}: {}", m.message)
    });
    match result {
        Ok(counts) => {
            report_counts(&counts);
            ExitCode::from(EXIT_OK)
        }
        // A closed stdout (`| head`) ends the run quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_OK),
        Err(e) => fail(EXIT_ERROR, format!("while simulating {input_name}: {e}")),
    }
}

fn report_counts(c: &StreamCounts) {
    eprintln!(
        "ingot: {} in / {} out / {} dropped / {} failed / {} malformed",
        c.input, c.output, c.dropped, c.failed, c.malformed
    );
}

/// A pipeline file Elasticsearch would not load: where each problem is
/// (from lint, which keeps going past the first), then Elasticsearch's error.
fn refused_pipeline_file(path: &Path, e: &EsError, ctx: &BuildContext) -> ExitCode {
    report_problems(&format!("pipeline {}", path.display()), &lint::lint_file(path, ctx), path, e);
    eprintln!("{}", simulate::error_response(e).to_json());
    ExitCode::from(EXIT_REFUSED)
}

/// Says on stderr what Elasticsearch would refuse and where: the located
/// problems, or the error itself when none could be located.
fn report_problems(what: &str, problems: &[lint::Problem], path: &Path, e: &EsError) {
    // A processor Elasticsearch has but ingot cannot run yet is ingot's
    // limit, not the pipeline's fault.
    if e.root().reason.ends_with("is not supported yet") {
        eprintln!("ingot: cannot run {what} (Elasticsearch would accept it, ingot does not support all of it yet):");
    } else {
        eprintln!("ingot: Elasticsearch would refuse {what}:");
    }
    if problems.is_empty() {
        eprintln!("  {}: {}", path.display(), lint::message(e));
    }
    for p in problems {
        eprintln!("  {p}");
    }
}

fn answer_request(args: &Args, path: &Path, global: &GlobalArgs) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return fail(EXIT_ERROR, format!("cannot read request {}: {e}", path.display())),
    };
    let body = match parse_document(path, &text) {
        Ok(v) => v,
        Err(e) => return fail(EXIT_ERROR, e.reason),
    };
    let mut dirs = args.pipelines_dir.clone();
    dirs.extend(args.pipeline.as_deref().map(search_dir));
    let ctx = build_context(global, dirs);
    // With --pipeline, the request is answered as if that pipeline were
    // stored and named in the URL.
    let mut id = args.id.clone();
    if let Some(pipeline_path) = &args.pipeline {
        match Pipeline::load(pipeline_path, &ctx) {
            Ok(p) => id = Some(ctx.registry.insert(p).id.clone()),
            Err(e) => {
                report_problems(&format!("pipeline {}", pipeline_path.display()), &lint::lint_file(pipeline_path, &ctx), pipeline_path, &e);
                print_json(&simulate::error_response(&e), args.pretty);
                return ExitCode::from(EXIT_REFUSED);
            }
        }
    }
    let response = match simulate::parse_request(&body, id.as_deref(), args.verbose, &ctx) {
        Ok(request) => simulate::execute(&request),
        Err(e) => {
            locate_request_error(path, &body, id.is_some(), &e, &ctx);
            print_json(&simulate::error_response(&e), args.pretty);
            return ExitCode::from(EXIT_REFUSED);
        }
    };
    print_json(&response, args.pretty);
    ExitCode::from(EXIT_OK)
}

/// Says on stderr where a refused request went wrong: the problems in its
/// inline pipeline, or the error itself.
fn locate_request_error(path: &Path, body: &Value, by_id: bool, e: &EsError, ctx: &BuildContext) {
    let label = format!("{} (pipeline)", path.display());
    let problems = match body.as_map().and_then(|m| m.get("pipeline")) {
        Some(pipeline) if !by_id => lint::lint_value(&label, pipeline, ctx),
        _ => Vec::new(),
    };
    report_problems(&format!("request {}", path.display()), &problems, path, e);
}

fn print_json(value: &Value, pretty: bool) {
    let text = if pretty { to_pretty_json(value) } else { value.to_json() };
    let mut out = io::stdout().lock();
    // A closed stdout is not worth a panic.
    let _ = writeln!(out, "{text}");
}
