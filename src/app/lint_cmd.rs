//! The lint command, in stages: plan (configuration, inputs, one linter per configuration) → lint → online
//! → fix → render → exit code.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use super::config::{Config, Resolver};
use super::walk::{self, Input};
use super::{Exit, Outcome, display_path, fatal_report, fsio, input, print};
use crate::catalog::{RuleSet, Severity};
use crate::diagnostic::{FileReport, Origin};
use crate::engine::Linter;
use crate::engine::fix::fix_all;
use crate::i18n::Lang;
use crate::online::{OnlineMode, OnlineOptions, OnlineSession};
use crate::render::{Format, RenderOptions, diff::unified_diff};

/// The default file, relative to the RAC/M Identity install directory.
pub const DEFAULT_PATH: &str = "conf/config.properties";

/// When the human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// What the command line asked of the lint command.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Files or directories; empty means [`DEFAULT_PATH`]; `-` is standard input.
    pub paths: Vec<PathBuf>,
    pub format: Option<Format>,
    pub lang: Option<Lang>,
    pub color: Color,
    /// `--config`: one configuration file for every file.
    pub config: Option<PathBuf>,
    /// `--isolated`: no configuration file.
    pub isolated: bool,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Globs of more file names to look for in directories.
    pub include: Vec<String>,
    pub stdin_filename: Option<PathBuf>,
    pub deny_warnings: bool,
    pub exit_zero: bool,
    pub fix: bool,
    pub diff: bool,
    /// `--online[=STEP]`, with its network options.
    pub online: Option<OnlineOptions>,
}

/// One file to lint, read, with the linter its configuration gives.
struct Job {
    path: String,
    real_path: Option<PathBuf>,
    source: Vec<u8>,
    linter: usize,
}

/// What the lint command will do: for each file read, its bytes and its linter.
struct Plan {
    lang: Lang,
    format: Format,
    /// One linter per distinct configuration (by its path).
    linters: Vec<(Option<PathBuf>, Linter)>,
    jobs: Vec<Job>,
    /// A path or a configuration could not be used: the run ends with exit code 2.
    failed: bool,
}

/// Runs the lint command.
pub fn run(builtin: &Arc<RuleSet>, options: &LintOptions) -> Outcome {
    let mut plan = plan(builtin, options)?;
    let mut reports = lint(&mut plan);
    if let Some(online) = &options.online {
        check_online(&plan, &mut reports, online)?;
    }
    if options.fix || options.diff {
        let changed = fix(&mut plan, &mut reports, options.diff)?;
        if options.diff {
            return Err(if plan.failed {
                Exit::Failure
            } else if changed {
                Exit::Findings
            } else {
                Exit::Clean
            });
        }
    }
    render(&plan, &reports, builtin, options.color)?;
    Ok(exit(&plan, &reports, options))
}

/// Finds the configuration, the inputs and their bytes, and makes one linter per configuration.
fn plan(builtin: &Arc<RuleSet>, options: &LintOptions) -> Result<Plan, Exit> {
    let load_error = |e| fatal_report(miette::Report::new(e));
    let mut configs =
        Resolver::new(builtin, options.config.as_deref(), options.isolated).map_err(load_error)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let global = configs.for_dir(&cwd).map_err(load_error)?.clone();
    let lang = options.lang.or(global.lang).unwrap_or_else(Lang::from_env);
    let format = options.format.or(global.format).unwrap_or(Format::Human);

    let paths: Vec<PathBuf> = if options.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_PATH)]
    } else {
        options.paths.clone()
    };
    let names = walk::matcher(&options.include).map_err(|e| {
        eprintln!("racm-lint: error: --include: {e}");
        Exit::Failure
    })?;
    let (inputs, walk_errors) = walk::collect(&paths, &names);
    let mut failed = !walk_errors.is_empty();
    for error in walk_errors {
        let _ = fatal_report(miette::Report::new(error));
    }

    // Rewriting standard input would print the whole file, secrets included: only --diff (masked) for it.
    if options.fix && inputs.contains(&Input::Stdin) {
        eprintln!(
            "racm-lint: error: --fix cannot rewrite standard input (the file, secrets included, would be printed); \
             use --diff, or give the file's path"
        );
        return Err(Exit::Failure);
    }

    let mut linters: Vec<(Option<PathBuf>, Linter)> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    for (shown, real, dir, result) in read_inputs(inputs, options.stdin_filename.as_deref()) {
        let source = match result {
            Ok(source) => source,
            Err(error) => {
                failed = true;
                let _ = fatal_report(miette::Report::new(error));
                continue;
            }
        };
        let config = configs
            .for_dir(if dir.as_os_str().is_empty() {
                &cwd
            } else {
                &dir
            })
            .map_err(load_error)?;
        let index = match linters.iter().position(|(p, _)| *p == config.path) {
            Some(i) => i,
            None => {
                linters.push((config.path.clone(), linter_for(config, lang, options)));
                linters.len() - 1
            }
        };
        jobs.push(Job {
            path: shown,
            real_path: real,
            source,
            linter: index,
        });
    }
    Ok(Plan {
        lang,
        format,
        linters,
        jobs,
        failed,
    })
}

/// The linter of a configuration, with the command line's `--select` and `--ignore` added.
fn linter_for(config: &Config, lang: Lang, options: &LintOptions) -> Linter {
    let mut selection = config.selection.clone();
    selection.select.extend(options.select.iter().cloned());
    selection.ignore.extend(options.ignore.iter().cloned());
    Linter::new(Arc::clone(&config.rules), lang)
        .with_policy(config.policy.clone())
        .with_selection(selection)
}

/// What reading one input gave: the path to show, the real path (none for standard input), the directory
/// its configuration is found from, and its bytes.
type Read = (
    String,
    Option<PathBuf>,
    PathBuf,
    Result<Vec<u8>, input::InputError>,
);

/// Reads every input, in parallel (standard input once, in its place).
fn read_inputs(inputs: Vec<Input>, stdin_filename: Option<&Path>) -> Vec<Read> {
    let mut stdin_used = false;
    let inputs: Vec<Input> = inputs
        .into_iter()
        .filter(|input| *input != Input::Stdin || !std::mem::replace(&mut stdin_used, true))
        .collect();
    let read_one = |input: &Input| match input {
        Input::Stdin => {
            let name = stdin_filename.map_or_else(|| PathBuf::from("-"), Path::to_path_buf);
            let dir = name.parent().map(Path::to_path_buf).unwrap_or_default();
            (display_path(&name), None, dir, input::read_stdin(&name))
        }
        Input::File(path) => (
            display_path(path),
            Some(path.clone()),
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            input::read_file(path),
        ),
    };
    if inputs.len() > 1 {
        inputs.par_iter().map(read_one).collect()
    } else {
        inputs.iter().map(read_one).collect()
    }
}

/// Lints every file; each file's bytes move into its report, so a large file is held once.
fn lint(plan: &mut Plan) -> Vec<FileReport> {
    let linters = &plan.linters;
    let lint = |job: &mut Job| {
        let (diagnostics, secrets) = linters[job.linter].1.lint_with_secrets(&job.source);
        FileReport {
            path: job.path.clone(),
            diagnostics,
            source: std::mem::take(&mut job.source),
            secrets: Some(secrets),
        }
    };
    // One file needs no thread pool: starting one costs more than linting a small file.
    if plan.jobs.len() > 1 {
        plan.jobs.par_iter_mut().map(lint).collect()
    } else {
        plan.jobs.iter_mut().map(lint).collect()
    }
}

/// Runs the live checks, one file after the other: files with the same credentials share one token and one
/// sign-in.
fn check_online(
    plan: &Plan,
    reports: &mut [FileReport],
    options: &OnlineOptions,
) -> Result<(), Exit> {
    let mut options = options.clone();
    options.lang = plan.lang;
    let mut session =
        OnlineSession::new(options).map_err(|e| fatal_report(miette::Report::new(e)))?;
    for (job, report) in plan.jobs.iter().zip(reports.iter_mut()) {
        let linter = &plan.linters[job.linter].1;
        let found = session.check_source(&linter.rules, &report.source);
        let accepted = linter.accept_live(&report.source, found);
        report.diagnostics.extend(accepted);
    }
    Ok(())
}

/// Applies the safe fixes (`--fix`) or prints them as a diff (`diff`); says whether any file changed. A
/// fixed file's report becomes the lint of its new bytes, with the live findings kept.
fn fix(plan: &mut Plan, reports: &mut [FileReport], diff: bool) -> Result<bool, Exit> {
    let mut any_change = false;
    for (job, report) in plan.jobs.iter().zip(reports.iter_mut()) {
        if !report.diagnostics.iter().any(|d| d.fixable()) {
            continue;
        }
        let linter = &plan.linters[job.linter].1;
        let fixed = fix_all(linter, &report.source, &report.diagnostics);
        let Some((diagnostics, secrets)) = fixed.lint else {
            continue;
        };
        if fixed.bytes == report.source {
            continue;
        }
        any_change = true;
        if diff {
            print(&unified_diff(&report.path, &report.source, &fixed.bytes))?;
            continue;
        }
        // Standard input is refused before anything runs (see `plan`).
        let Some(path) = &job.real_path else {
            continue;
        };
        if let Err(error) = fsio::write_atomically(path, &fixed.bytes) {
            plan.failed = true;
            eprintln!(
                "racm-lint: error: {}: could not write the fixes, the file is unchanged: {error}",
                report.path
            );
            continue;
        }
        eprintln!(
            "racm-lint: {}: {} {}",
            report.path,
            fixed.applied,
            fixed_phrase(plan.lang, fixed.applied)
        );
        // Live results do not depend on the fixed bytes: they stay.
        let live: Vec<_> = report
            .diagnostics
            .drain(..)
            .filter(|d| d.origin == Origin::Online)
            .collect();
        report.diagnostics = diagnostics;
        report.diagnostics.extend(live);
        report.secrets = Some(secrets);
        report.source = fixed.bytes;
    }
    Ok(any_change)
}

fn fixed_phrase(lang: Lang, n: usize) -> &'static str {
    match (lang, n) {
        (Lang::En, 1) => "problem fixed",
        (Lang::En, _) => "problems fixed",
        (Lang::Fr, 0 | 1) => "problème corrigé",
        (Lang::Fr, _) => "problèmes corrigés",
    }
}

/// Prints the reports in the plan's format.
fn render(plan: &Plan, reports: &[FileReport], builtin: &Arc<RuleSet>, color: Color) -> Outcome {
    use std::io::IsTerminal as _;
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let rules = plan.linters.first().map_or(builtin, |(_, l)| &l.rules);
    let options = RenderOptions {
        lang: plan.lang,
        color,
    };
    print(&plan.format.render(reports, rules, options))
}

/// The exit: 2 when something could not be done, else 1 for errors (or warnings with `--deny-warnings`)
/// unless `--exit-zero`.
fn exit(plan: &Plan, reports: &[FileReport], options: &LintOptions) -> Exit {
    let diagnostics = || reports.iter().flat_map(|r| &r.diagnostics);
    let errors = diagnostics().any(|d| d.severity == Severity::Error);
    let warnings = diagnostics().any(|d| d.severity == Severity::Warning);
    if plan.failed {
        Exit::Failure
    } else if options.exit_zero {
        Exit::Clean
    } else if errors || (options.deny_warnings && warnings) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// The options of the live checks, from the command line's words.
pub fn online_options(
    mode: OnlineMode,
    timeout_secs: u64,
    ca_files: Vec<PathBuf>,
    allow_hosts: Vec<String>,
    send_test_to: Option<String>,
) -> OnlineOptions {
    let mut options = OnlineOptions::new(mode, Lang::En);
    options.timeout = Duration::from_secs(timeout_secs);
    options.ca_files = ca_files;
    options.allow_hosts = allow_hosts;
    options.send_test_to = send_test_to;
    options
}
