//! `ingot test`: an offline drop-in for `elastic-package test pipeline`.

use super::GlobalArgs;
use clap::ValueEnum;
use ingot::harness::report::{self, Format};
use ingot::harness::{self, discovery, Generate, Options, Status};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Junit,
}

/// Run the pipeline tests of integration packages without a cluster.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Package directories (default: every package under ./package/).
    pub packages: Vec<PathBuf>,
    /// Only these data streams (comma-separated directory names).
    #[arg(short = 'd', long = "data-streams", value_delimiter = ',')]
    pub data_streams: Vec<String>,
    /// Write <case>-expected.json from the results; with PATH, only for that case file.
    #[arg(short = 'g', long, num_args = 0..=1, value_name = "PATH")]
    pub generate: Option<Option<PathBuf>>,
    /// ECS schema (ecs_nested.yml or ecs_flat.yml), or a directory of ecs_nested-<version>.yml files [env: INGOT_ECS_DIR].
    #[arg(long, value_name = "FILE")]
    pub ecs: Option<PathBuf>,
    /// Import the whole ECS schema for validation even where elastic-package would not.
    #[arg(long)]
    pub import_ecs: bool,
    /// Also fail on what elastic-package lets through.
    #[arg(long)]
    pub strict: bool,
    /// Show the per-processor trace of the first differing document.
    #[arg(short, long)]
    pub verbose: bool,
    /// Report which processors ran (Cobertura XML under build/test-coverage/).
    #[arg(long)]
    pub coverage: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

fn default_packages() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("package")
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("manifest.yml").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Runs the command; the exit code is 0 when nothing failed or errored, 1
/// otherwise, 2 on bad usage.
pub fn run(args: TestArgs, global: &GlobalArgs) -> i32 {
    let mut packages = args.packages.clone();
    let generate = match &args.generate {
        None => Generate::No,
        Some(None) => Generate::All,
        Some(Some(path)) if path.is_dir() => {
            packages.insert(0, path.clone());
            Generate::All
        }
        Some(Some(path)) => {
            let case = path
                .to_string_lossy()
                .strip_suffix("-expected.json")
                .map(PathBuf::from)
                .unwrap_or_else(|| path.clone());
            let Ok(canonical) = case.canonicalize() else {
                eprintln!(
                    "ingot test: --generate {}: no such test case file",
                    case.display()
                );
                return 2;
            };
            if packages.is_empty() {
                match discovery::package_root_of(&canonical) {
                    Some(root) => packages.push(root),
                    None => {
                        eprintln!("ingot test: --generate {}: not inside a package (no manifest.yml above it)", case.display());
                        return 2;
                    }
                }
            }
            Generate::Only(canonical)
        }
    };
    if packages.is_empty() {
        packages = default_packages();
        if packages.is_empty() {
            eprintln!(
                "ingot test: no packages given and none found under ./package/; pass PACKAGE_DIR"
            );
            return 2;
        }
    }
    let options = Options {
        data_streams: args.data_streams.clone(),
        generate,
        geoip_dir: global.geoip_dir.clone(),
        ecs: args
            .ecs
            .clone()
            .or_else(|| std::env::var_os("INGOT_ECS_DIR").map(PathBuf::from)),
        strict: args.strict,
        verbose: args.verbose,
        coverage: args.coverage,
        import_ecs: args.import_ecs,
    };
    let run = harness::run(&packages, &options);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let format = match args.format {
        ReportFormat::Human => Format::Human,
        ReportFormat::Json => Format::Json,
        ReportFormat::Junit => Format::Junit,
    };
    let mut text = match format {
        Format::Human => report::human(&run.results, color),
        Format::Json => report::json(&run.results),
        Format::Junit => report::junit(&run.results),
    };
    if options.coverage {
        let base = std::env::current_dir().unwrap_or_default();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = base.join("build/test-coverage");
        let mut notes = String::new();
        for package in &packages {
            let name = discovery::dir_name(package);
            let parent = package
                .canonicalize()
                .ok()
                .and_then(|p| p.parent().map(PathBuf::from))
                .unwrap_or_else(|| base.clone());
            let mut cov = run.coverage.clone();
            let prefix = package.canonicalize().unwrap_or_else(|_| package.clone());
            cov.pipelines.retain(|file, _| {
                file.canonicalize()
                    .unwrap_or_else(|_| file.clone())
                    .starts_with(&prefix)
            });
            let path = dir.join(format!("coverage-{name}-pipeline-{nanos}-report.xml"));
            let written = std::fs::create_dir_all(&dir)
                .and_then(|_| std::fs::write(&path, cov.cobertura(&parent, nanos / 1_000_000)));
            match written {
                Ok(()) => notes.push_str(&format!("coverage report: {}\n", path.display())),
                Err(e) => notes.push_str(&format!(
                    "coverage report: writing {} failed: {e}\n",
                    path.display()
                )),
            }
            notes.push_str(&cov.summary(&parent));
        }
        if format == Format::Human {
            text = format!("{notes}\n{text}");
        } else {
            eprint!("{notes}");
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    if run
        .results
        .iter()
        .any(|r| matches!(r.status, Status::Fail | Status::Error))
    {
        1
    } else {
        0
    }
}
