//! The command line: clap's arguments, turned into the commands' options, and the exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValue;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::app::lint_cmd::{self, Color, DEFAULT_PATH, LintOptions};
use crate::app::{Exit, Outcome, fatal, fatal_report, print, rule_cmd, show, template};
use crate::catalog::RuleSet;
use crate::i18n::Lang;
use crate::online::{self, OnlineMode};
use crate::render::Format;

/// Exit code when no error was found.
pub const EXIT_OK: u8 = 0;
/// Exit code when errors were found.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code when the tool could not do its job.
pub const EXIT_FAILURE: u8 = 2;

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
    format: Option<FormatArg>,
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

/// `--format`: the names and descriptions are [`Format`]'s own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FormatArg(Format);

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [FormatArg; Format::ALL.len()] = {
            let mut all = [FormatArg(Format::Human); Format::ALL.len()];
            let mut i = 0;
            while i < all.len() {
                all[i] = FormatArg(Format::ALL[i]);
                i += 1;
            }
            all
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()).help(self.0.description()))
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
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
        Err(error) => return exit_code(fatal_report(miette::Report::new(*error))),
    };
    let result: Outcome = match cli.command {
        Some(Command::Show(args)) => {
            show::run(&args.file, args.all, args.format == ShowFormat::Json)
        }
        Some(Command::Rules(args)) => rule_cmd::list(&builtin, lang(args.lang), args.format.into()),
        Some(Command::Rule(args)) => {
            rule_cmd::explain(&builtin, &args.name, lang(args.lang), args.format.into())
        }
        Some(Command::Template(args)) => template::run(
            &builtin,
            template::Template {
                tenant: args.tenant,
                client_id: args.client_id,
                user: args.user,
                sender: args.sender,
                cloud: Some(args.cloud),
                smtp_host: args.smtp_host,
            },
        ),
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
        None => lint_cmd::run(&builtin, &cli.lint.into()),
    };
    exit_code(result.unwrap_or_else(|exit| exit))
}

/// The exit code of an outcome: 0 no error found, 1 errors found, 2 racm-lint could not do its job.
fn exit_code(exit: Exit) -> ExitCode {
    ExitCode::from(match exit {
        Exit::Clean => EXIT_OK,
        Exit::Findings => EXIT_FINDINGS,
        Exit::Failure => EXIT_FAILURE,
    })
}

fn lang(arg: Option<LangArg>) -> Lang {
    arg.map_or_else(Lang::from_env, Lang::from)
}

impl From<LintArgs> for LintOptions {
    fn from(args: LintArgs) -> LintOptions {
        let online = args.online.map(|step| {
            lint_cmd::online_options(
                match step {
                    OnlineStep::Token => OnlineMode::Token,
                    OnlineStep::Smtp => OnlineMode::Smtp,
                },
                args.timeout,
                args.ca_files.clone(),
                args.allow_hosts.clone(),
                args.send_test_to.clone(),
            )
        });
        LintOptions {
            paths: args.paths,
            format: args.format.map(|f| f.0),
            lang: args.lang.map(Lang::from),
            color: match args.color {
                ColorChoice::Auto => Color::Auto,
                ColorChoice::Always => Color::Always,
                ColorChoice::Never => Color::Never,
            },
            config: args.config,
            isolated: args.isolated,
            select: args.select,
            ignore: args.ignore,
            include: args.include,
            stdin_filename: args.stdin_filename,
            deny_warnings: args.deny_warnings,
            exit_zero: args.exit_zero,
            fix: args.fix,
            diff: args.diff,
            online,
        }
    }
}

impl From<DocFormat> for rule_cmd::DocFormat {
    fn from(format: DocFormat) -> rule_cmd::DocFormat {
        match format {
            DocFormat::Text => rule_cmd::DocFormat::Text,
            DocFormat::Json => rule_cmd::DocFormat::Json,
            DocFormat::Markdown => rule_cmd::DocFormat::Markdown,
        }
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
