//! Command-line arguments and what each command does with them; maps outcomes to exit codes.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::FileReport;
use crate::docs;
use crate::engine::Linter;
use crate::fix;
use crate::i18n::Lang;
use crate::input;
use crate::online;
use crate::render::{self, RenderOptions};
use crate::rules::{RuleSet, Severity};
use crate::show;
use crate::template;
use crate::walk::{self, Input};

/// Exit code when no error was found.
pub const EXIT_OK: u8 = 0;
/// Exit code when errors were found.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code when the tool could not do its job.
pub const EXIT_FAILURE: u8 = 2;

/// The default file, relative to the RAC/M Identity install directory.
pub const DEFAULT_PATH: &str = "conf/config.properties";

#[derive(Debug, Parser)]
#[command(
    name = "racm-lint",
    version,
    about = "Checks the Microsoft 365 SMTP OAuth2 settings in RAC/M Identity's config.properties",
    long_about = "Checks the Microsoft 365 SMTP OAuth2 settings (mail.* keys) in RAC/M Identity's \
                  conf/config.properties, reading the file exactly as the server's Java does, and says what \
                  is wrong, where, why, and which setup step fixes it.\n\n\
                  Exit codes: 0 no error found, 1 errors found, 2 racm-lint could not do its job.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    lint: LintArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the effective settings as the server reads them (secrets redacted).
    Show(ShowArgs),
    /// List every rule: code, name, severity, setup step.
    Rules(RulesArgs),
    /// Explain one rule (by code or name): what it checks, why, an example, how to fix it.
    Rule(RuleArgs),
    /// Print a correct mail.* block from the IDs copied during the Azure setup.
    Template(TemplateArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    Man,
}

#[derive(Debug, Args)]
struct LintArgs {
    /// Files or directories to check (directories are searched for config.properties; `-` reads standard
    /// input) [default: conf/config.properties].
    paths: Vec<PathBuf>,
    /// Output format [default: human, or `format` in .racm-lint.toml].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Language of the messages [default: `lang` in .racm-lint.toml, else LC_ALL, LC_MESSAGES or LANG; French
    /// when it starts with `fr`].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// When to use colours in human output (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Use this configuration file instead of looking for .racm-lint.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    isolated: bool,
    /// Only these rules (codes, code prefixes or names; comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Never these rules (codes, code prefixes or names; comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// Also look for files matching this glob in directories (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// The name to show for standard input (and to find its configuration from).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Warnings fail the run too (exit code 1).
    #[arg(long, conflicts_with = "exit_zero")]
    deny_warnings: bool,
    /// Exit 0 even when errors are found (2 still means racm-lint failed).
    #[arg(long)]
    exit_zero: bool,
    /// Apply safe fixes to the files (atomically, keeping every other byte).
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Print the safe fixes as a unified diff, without writing.
    #[arg(long)]
    diff: bool,
    /// Also check live: request a token from Microsoft, then sign in to SMTP with it (`token`: stop after
    /// the token). The secret goes only to Microsoft's identity hosts (or a host named with --allow-host).
    #[arg(
        long,
        value_enum,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "smtp",
        value_name = "STEP"
    )]
    online: Option<OnlineStep>,
    /// Seconds each network step may take (connect, the token request, each SMTP reply), from 1 to 600.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = online::DEFAULT_TIMEOUT.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=online::MAX_TIMEOUT_SECS),
        requires = "online"
    )]
    timeout: u64,
    /// Extra trust roots for TLS (PEM), e.g. for a TLS-inspecting proxy (repeatable).
    #[arg(long = "ca-file", value_name = "PEM", requires = "online")]
    ca_files: Vec<PathBuf>,
    /// A token or SMTP host other than Microsoft's that the secret or the token may be sent to, named exactly
    /// (repeatable; without a port: 443 for the token URL, 587 for SMTP).
    #[arg(long = "allow-host", value_name = "HOST[:PORT]", requires = "online")]
    allow_hosts: Vec<String>,
    /// After signing in, send one short test message to this address from mail.option.sender.
    #[arg(long, value_name = "ADDRESS", requires = "online")]
    send_test_to: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OnlineStep {
    /// Request a token and read its claims.
    Token,
    /// The token, then the SMTP sign-in (the default).
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Diagnostics with the source lines and underlines, and a summary.
    Human,
    /// `file:line:col: severity[code] message`, one per line.
    Concise,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// Azure Pipelines logging commands.
    Azure,
    /// JUnit XML.
    Junit,
}

impl Format {
    fn from_name(name: &str) -> Option<Format> {
        Format::from_str(name, false).ok()
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Fr,
}

impl From<LangArg> for Lang {
    fn from(arg: LangArg) -> Lang {
        match arg {
            LangArg::En => Lang::En,
            LangArg::Fr => Lang::Fr,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The properties file.
    #[arg(default_value = DEFAULT_PATH)]
    file: PathBuf,
    /// Show every key, not only mail.* keys.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    format: ShowFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
struct RulesArgs {
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Debug, Args)]
struct RuleArgs {
    /// A rule code (`RL124`) or name (`smtp-port-unexpected`).
    name: String,
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Debug, Args)]
struct TemplateArgs {
    /// The tenant ID (Azure step 2), or the tenant's domain.
    #[arg(long)]
    tenant: String,
    /// The enterprise application's Application ID (Azure step 4).
    #[arg(long)]
    client_id: String,
    /// The authorized user's principal name (Azure step 3).
    #[arg(long)]
    user: String,
    /// The sender address, when it is an alias of the user [default: the user].
    #[arg(long)]
    sender: Option<String>,
    /// The Microsoft cloud: global, gcc-high, dod, china.
    #[arg(long, default_value = "global")]
    cloud: String,
    /// The SMTP host, for a cloud where Microsoft documents none.
    #[arg(long)]
    smtp_host: Option<String>,
}

/// Runs the command line of this process.
pub fn main() -> ExitCode {
    install_error_hook();
    let cli = Cli::parse();
    let builtin = match RuleSet::builtin() {
        Ok(rules) => std::sync::Arc::new(rules),
        Err(error) => return fatal_report(miette::Report::new(*error)),
    };
    let result = match cli.command {
        Some(Command::Show(args)) => run_show(&args),
        Some(Command::Rules(args)) => {
            let lang = args.lang.map_or_else(Lang::from_env, Lang::from);
            print(&match args.format {
                DocFormat::Text => docs::list_text(&builtin, lang),
                DocFormat::Json => docs::list_json(&builtin, lang),
                DocFormat::Markdown => docs::markdown(&builtin),
            })
        }
        Some(Command::Rule(args)) => run_rule(&builtin, &args),
        Some(Command::Template(args)) => run_template(&builtin, args),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "racm-lint", &mut out);
            print(&String::from_utf8_lossy(&out))
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => print(&String::from_utf8_lossy(&out)),
                Err(error) => Err(fatal(&error)),
            }
        }
        None => run_lint(&builtin, &cli.lint),
    };
    result.unwrap_or_else(|code| code)
}

/// What a command ends with: an exit code to return now (`Err`) or the normal outcome.
type Outcome = Result<ExitCode, ExitCode>;

fn print(text: &str) -> Outcome {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(fatal(&error)),
        _ => Ok(ExitCode::from(EXIT_OK)),
    }
}

/// miette renders the tool's own fatal errors: no hyperlinks (they leak escape codes into logs), colour only
/// on a terminal.
fn install_error_hook() {
    use std::io::IsTerminal as _;
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .color(color)
                .unicode(color)
                .build(),
        )
    }));
}

fn run_rule(builtin: &RuleSet, args: &RuleArgs) -> Outcome {
    let lang = args.lang.map_or_else(Lang::from_env, Lang::from);
    let Some(rule) = builtin.find(&args.name) else {
        let names = builtin.rules.iter().map(|r| r.name.as_str());
        let hint = crate::checks::cloud::did_you_mean(
            Lang::En,
            crate::checks::cloud::nearest(&args.name, names, 4),
        );
        eprintln!(
            "racm-lint: error: no rule is named `{}`{hint} (`racm-lint rules` lists them)",
            args.name
        );
        return Err(ExitCode::from(EXIT_FAILURE));
    };
    print(&match args.format {
        DocFormat::Json => docs::rule_json_text(builtin, rule, lang),
        DocFormat::Text | DocFormat::Markdown => docs::rule_text(builtin, rule, lang),
    })
}

fn run_template(builtin: &std::sync::Arc<RuleSet>, args: TemplateArgs) -> Outcome {
    let mut linter = Linter::new(std::sync::Arc::clone(builtin), Lang::En);
    if let Some(sender) = &args.sender {
        // The admin says the sender is an alias: do not warn about it.
        linter.policy.sender_aliases.push(sender.clone());
    }
    let t = template::Template {
        tenant: args.tenant,
        client_id: args.client_id,
        user: args.user,
        sender: args.sender,
        cloud: Some(args.cloud),
        smtp_host: args.smtp_host,
    };
    match template::render(builtin, &linter, &t) {
        Ok(block) => print(&block),
        Err(problems) => {
            for problem in problems {
                eprintln!("racm-lint: error: {problem}");
            }
            Err(ExitCode::from(EXIT_FAILURE))
        }
    }
}

/// The configuration for files in `dir`, loaded once per configuration file.
struct Configs<'b> {
    builtin: &'b std::sync::Arc<RuleSet>,
    /// `--config` or `--isolated`: one configuration for every file.
    fixed: Option<Config>,
    by_path: HashMap<PathBuf, Config>,
    defaults: Config,
    /// Directory -> the configuration file that applies to it.
    discovered: HashMap<PathBuf, Option<PathBuf>>,
}

impl<'b> Configs<'b> {
    fn new(builtin: &'b std::sync::Arc<RuleSet>, args: &LintArgs) -> Result<Self, ExitCode> {
        let fixed = if args.isolated {
            Some(Config::defaults(builtin))
        } else if let Some(path) = &args.config {
            Some(Config::load(path, builtin).map_err(|e| fatal_report(miette::Report::new(e)))?)
        } else {
            None
        };
        Ok(Configs {
            builtin,
            fixed,
            by_path: HashMap::new(),
            defaults: Config::defaults(builtin),
            discovered: HashMap::new(),
        })
    }

    /// The nearest `.racm-lint.toml` in a directory or its ancestors, remembering what each directory gave: the files of a repository share their
    /// ancestors, which are then looked at once.
    fn discover(&mut self, dir: &Path) -> Option<PathBuf> {
        let start = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // Absolute, not canonical: no system call per path component, and the file's path as the user sees it.
        let absolute = std::path::absolute(start).ok()?;
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in absolute.ancestors() {
            if let Some(known) = self.discovered.get(ancestor) {
                found = known.clone();
                break;
            }
            visited.push(ancestor.to_path_buf());
            let candidate = ancestor.join(config::FILE_NAME);
            if candidate.is_file() {
                found = Some(candidate);
                break;
            }
        }
        for dir in visited {
            self.discovered.insert(dir, found.clone());
        }
        found
    }

    fn for_dir(&mut self, dir: &Path) -> Result<&Config, ExitCode> {
        if self.fixed.is_none() {
            let Some(path) = self.discover(dir) else {
                return Ok(&self.defaults);
            };
            if !self.by_path.contains_key(&path) {
                let loaded = Config::load(&path, self.builtin)
                    .map_err(|e| fatal_report(miette::Report::new(e)))?;
                self.by_path.insert(path.clone(), loaded);
            }
            return Ok(&self.by_path[&path]);
        }
        Ok(self.fixed.as_ref().unwrap_or(&self.defaults))
    }
}

/// One file to lint, read, with the linter its configuration gives.
struct Job {
    path: String,
    real_path: Option<PathBuf>,
    source: Vec<u8>,
    linter: usize,
}

fn run_lint(builtin: &std::sync::Arc<RuleSet>, args: &LintArgs) -> Outcome {
    use std::io::IsTerminal as _;
    let mut configs = Configs::new(builtin, args)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let global = configs.for_dir(&cwd)?.clone();
    let lang = args
        .lang
        .map(Lang::from)
        .or(global.lang)
        .unwrap_or_else(Lang::from_env);
    let format = args
        .format
        .or_else(|| global.format.as_deref().and_then(Format::from_name))
        .unwrap_or(Format::Human);

    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_PATH)]
    } else {
        args.paths.clone()
    };
    let names = walk::matcher(&args.include).map_err(|e| {
        eprintln!("racm-lint: error: --include: {e}");
        ExitCode::from(EXIT_FAILURE)
    })?;
    let (inputs, walk_errors) = walk::collect(&paths, &names);
    let mut failed = !walk_errors.is_empty();
    for error in walk_errors {
        let _ = fatal_report(miette::Report::new(error));
    }

    // Rewriting standard input would print the whole file, secrets included: only --diff (masked) for it.
    if args.fix && inputs.contains(&Input::Stdin) {
        eprintln!(
            "racm-lint: error: --fix cannot rewrite standard input (the file, secrets included, would be printed); \
             use --diff, or give the file's path"
        );
        return Err(ExitCode::from(EXIT_FAILURE));
    }

    // Read every file first, in parallel (standard input once, in its place).
    let mut stdin_used = false;
    let inputs: Vec<Input> = inputs
        .into_iter()
        .filter(|input| *input != Input::Stdin || !std::mem::replace(&mut stdin_used, true))
        .collect();
    let read_one = |input: &Input| match input {
        Input::Stdin => {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("-"));
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
    let read: Vec<_> = if inputs.len() > 1 {
        inputs.par_iter().map(read_one).collect()
    } else {
        inputs.iter().map(read_one).collect()
    };

    // One linter per distinct configuration.
    let mut linters: Vec<(Option<PathBuf>, Linter)> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    for (shown, real, dir, result) in read {
        let source = match result {
            Ok(source) => source,
            Err(error) => {
                failed = true;
                let _ = fatal_report(miette::Report::new(error));
                continue;
            }
        };
        let config = configs.for_dir(if dir.as_os_str().is_empty() {
            &cwd
        } else {
            &dir
        })?;
        let index = match linters.iter().position(|(p, _)| *p == config.path) {
            Some(i) => i,
            None => {
                let mut linter = Linter::new(std::sync::Arc::clone(&config.rules), lang);
                linter.policy = config.policy.clone();
                linter.selection = config.selection.clone();
                linter.selection.select.extend(args.select.iter().cloned());
                linter.selection.ignore.extend(args.ignore.iter().cloned());
                linters.push((config.path.clone(), linter));
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

    // Each file's bytes move into its report: a large file is held once.
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
    let mut reports: Vec<FileReport> = if jobs.len() > 1 {
        jobs.par_iter_mut().map(lint).collect()
    } else {
        jobs.iter_mut().map(lint).collect()
    };

    if let Some(step) = args.online {
        let mut options = online::OnlineOptions::new(
            match step {
                OnlineStep::Token => online::OnlineMode::Token,
                OnlineStep::Smtp => online::OnlineMode::Smtp,
            },
            lang,
        );
        options.timeout = std::time::Duration::from_secs(args.timeout);
        options.ca_files = args.ca_files.clone();
        options.allow_hosts = args.allow_hosts.clone();
        options.send_test_to = args.send_test_to.clone();
        let mut session = online::OnlineSession::new(options)
            .map_err(|e| fatal_report(miette::Report::new(e)))?;
        // One file after the other: files with the same credentials share one token and one sign-in.
        for (job, report) in jobs.iter().zip(reports.iter_mut()) {
            let linter = &linters[job.linter].1;
            let found = session.check_source(&linter.rules, &report.source);
            report
                .diagnostics
                .extend(online::select(found, &linter.rules, &linter.selection));
        }
    }

    if args.fix || args.diff {
        let mut any_change = false;
        for (job, report) in jobs.iter().zip(reports.iter_mut()) {
            if !report.diagnostics.iter().any(|d| d.fixable()) {
                continue;
            }
            let (fixed, applied) =
                fix::fix_all(&linters[job.linter].1, &report.source, &report.diagnostics);
            if fixed == report.source {
                continue;
            }
            any_change = true;
            if args.diff {
                print(&fix::unified_diff(&report.path, &report.source, &fixed))?;
                continue;
            }
            match &job.real_path {
                // Refused before anything runs (see below): never reached.
                None => continue,
                Some(path) => {
                    if let Err(error) = fix::write_atomically(path, &fixed) {
                        failed = true;
                        eprintln!(
                            "racm-lint: error: {}: could not write the fixes, the file is unchanged: {error}",
                            report.path
                        );
                        continue;
                    }
                    eprintln!(
                        "racm-lint: {}: {applied} {}",
                        report.path,
                        fixed_phrase(lang, applied)
                    );
                }
            }
            // Re-lint what was written; live results do not depend on the fixed bytes.
            let live: Vec<_> = report
                .diagnostics
                .drain(..)
                .filter(|d| d.origin == crate::diagnostic::Origin::Online)
                .collect();
            let (diagnostics, secrets) = linters[job.linter].1.lint_with_secrets(&fixed);
            report.diagnostics = diagnostics;
            report.diagnostics.extend(live);
            report.secrets = Some(secrets);
            report.source = fixed;
        }
        if args.diff {
            return Err(ExitCode::from(if failed {
                EXIT_FAILURE
            } else if any_change {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            }));
        }
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let report_rules = linters.first().map_or(builtin, |(_, l)| &l.rules);
    let out = match format {
        Format::Human if reports.is_empty() => String::new(),
        Format::Human => render::human::render(&reports, RenderOptions { lang, color }),
        Format::Concise => render::concise::render(&reports),
        Format::Json => render::json::render(&reports),
        Format::Sarif => render::sarif::render(&reports, report_rules, lang),
        Format::Github => render::github::render(&reports),
        Format::Gitlab => render::gitlab::render(&reports),
        Format::Azure => render::azure::render(&reports),
        Format::Junit => render::junit::render(&reports),
    };
    print(&out)?;

    let diagnostics = || reports.iter().flat_map(|r| &r.diagnostics);
    let errors = diagnostics().any(|d| d.severity == Severity::Error);
    let warnings = diagnostics().any(|d| d.severity == Severity::Warning);
    Ok(ExitCode::from(if failed {
        EXIT_FAILURE
    } else if args.exit_zero {
        EXIT_OK
    } else if errors || (args.deny_warnings && warnings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }))
}

fn fixed_phrase(lang: Lang, n: usize) -> &'static str {
    match (lang, n) {
        (Lang::En, 1) => "problem fixed",
        (Lang::En, _) => "problems fixed",
        (Lang::Fr, 0 | 1) => "problème corrigé",
        (Lang::Fr, _) => "problèmes corrigés",
    }
}

fn run_show(args: &ShowArgs) -> Outcome {
    let bytes = input::read_file(&args.file).map_err(|e| fatal_report(miette::Report::new(e)))?;
    let scope = if args.all {
        show::Scope::All
    } else {
        show::Scope::Mail
    };
    let doc = show::read(&bytes, scope);
    let name = display_path(&args.file);
    print(&match args.format {
        ShowFormat::Text => show::to_text(&name, &doc, scope),
        ShowFormat::Json => format!("{:#}\n", show::to_json(&name, &doc, scope)),
    })?;
    if doc.fails_in_java() {
        for problem in doc.problems.iter().filter(|p| p.kind.is_fatal_to_java()) {
            eprintln!(
                "error: {name}:{}: malformed \\uXXXX escape: Java cannot load this file, the server reads none of it",
                problem.line
            );
        }
        return Ok(ExitCode::from(EXIT_FINDINGS));
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// A path as shown in output: as given.
pub fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// Reports an error that stops the tool, and gives the exit code for it.
fn fatal(error: &dyn std::error::Error) -> ExitCode {
    eprintln!("racm-lint: error: {error}");
    ExitCode::from(EXIT_FAILURE)
}

/// Reports a fatal error with miette (source snippet and help when it has them).
fn fatal_report(report: miette::Report) -> ExitCode {
    eprintln!("{report:?}");
    ExitCode::from(EXIT_FAILURE)
}
