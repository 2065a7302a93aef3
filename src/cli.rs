//! Command-line arguments and what each command does with them; maps outcomes to exit codes.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input;
use crate::reader::Document;
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
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the effective settings as the server reads them (secrets redacted).
    Show(ShowArgs),
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
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Show(args)) => run_show(&args),
        None => ExitCode::from(EXIT_FAILURE),
    }
}

fn run_show(args: &ShowArgs) -> ExitCode {
    let bytes = match input::read_file(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => return fatal(&error),
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
