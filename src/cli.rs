//! Command-line arguments and what each command does with them; maps outcomes to exit codes.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::FileReport;
use crate::engine::Linter;
use crate::i18n::Lang;
use crate::input;
use crate::reader::Document;
use crate::render::{self, RenderOptions};
use crate::rules::{RuleSet, Severity};
use crate::show;

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
}

#[derive(Debug, Args)]
struct LintArgs {
    /// The properties files to check [default: conf/config.properties].
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Language of the messages [default: from LC_ALL, LC_MESSAGES or LANG; French when it starts with `fr`].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// When to use colours in human output (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Diagnostics with the source lines and underlines, and a summary.
    Human,
    /// One JSON document.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Fr,
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

/// Runs the command line of this process.
pub fn main() -> ExitCode {
    install_error_hook();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Show(args)) => run_show(&args),
        None => run_lint(&cli.lint),
    }
}

/// miette renders the tool's own fatal errors: no hyperlinks (they leak escape codes into logs), colour only
/// on a terminal.
fn install_error_hook() {
    use std::io::IsTerminal as _;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
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

fn run_lint(args: &LintArgs) -> ExitCode {
    use std::io::IsTerminal as _;
    let lang = match args.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Fr) => Lang::Fr,
        None => Lang::from_env(),
    };
    let rules = match RuleSet::builtin() {
        Ok(rules) => rules,
        Err(error) => return fatal_report(miette::Report::new(*error)),
    };
    let linter = Linter::new(rules, lang);
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_PATH)]
    } else {
        args.paths.clone()
    };
    let mut failed = false;
    let mut reports = Vec::new();
    for path in &paths {
        match input::read_file(path) {
            Ok(source) => {
                let diagnostics = linter.lint(&source);
                reports.push(FileReport {
                    path: display_path(path),
                    source,
                    diagnostics,
                });
            }
            Err(error) => {
                failed = true;
                let _ = fatal_report(miette::Report::new(error));
            }
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let out = match args.format {
        Format::Human if reports.is_empty() => String::new(),
        Format::Human => render::human::render(&reports, RenderOptions { lang, color }),
        Format::Json => render::json::render(&reports),
    };
    if let Err(error) = std::io::stdout().lock().write_all(out.as_bytes()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return fatal(&error);
        }
    }
    let errors = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity == Severity::Error);
    if failed {
        ExitCode::from(EXIT_FAILURE)
    } else if errors {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_OK)
    }
}

fn run_show(args: &ShowArgs) -> ExitCode {
    let bytes = match input::read_file(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => return fatal_report(miette::Report::new(error)),
    };
    let doc = Document::parse(&bytes);
    let scope = if args.all {
        show::Scope::All
    } else {
        show::Scope::Mail
    };
    let name = display_path(&args.file);
    let out = match args.format {
        ShowFormat::Text => show::to_text(&name, &doc, scope),
        ShowFormat::Json => format!("{:#}\n", show::to_json(&name, &doc, scope)),
    };
    if let Err(error) = std::io::stdout().lock().write_all(out.as_bytes()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return fatal(&error);
        }
    }
    if doc.fails_in_java() {
        for problem in doc.problems.iter().filter(|p| p.kind.is_fatal_to_java()) {
            eprintln!(
                "error: {name}:{}: malformed \\uXXXX escape: Java cannot load this file, the server reads none of it",
                problem.line
            );
        }
        return ExitCode::from(EXIT_FINDINGS);
    }
    ExitCode::from(EXIT_OK)
}

/// A path as shown in output: as given, with `/` kept.
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
