//! What the command line asks of the live checks, and the options that cannot be used.

use std::path::PathBuf;
use std::time::Duration;

use crate::i18n::Lang;

/// How long each network step may take unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The longest `--timeout`, in seconds: ten minutes is more than any step needs, and far from the overflow of
/// a deadline computed from it.
pub const MAX_TIMEOUT_SECS: u64 = 600;

/// How far the live checks go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnlineMode {
    /// `--online=token`: the token request and its claims only.
    Token,
    /// `--online` or `--online=smtp`: the token, then the SMTP sign-in with it.
    #[default]
    Smtp,
}

/// What the command line asked of the live checks.
#[derive(Debug, Clone)]
pub struct OnlineOptions {
    pub mode: OnlineMode,
    /// For connecting, and for each exchange (the whole token request; each SMTP reply).
    pub timeout: Duration,
    /// PEM files of extra trust roots (`--ca-file`), for a TLS-inspecting proxy or a test server.
    pub ca_files: Vec<PathBuf>,
    /// `--allow-host HOST[:PORT]`: other hosts the token request or the SMTP sign-in may go to.
    pub allow_hosts: Vec<String>,
    /// `--send-test-to ADDRESS`: send one short message there after signing in.
    pub send_test_to: Option<String>,
    pub lang: Lang,
}

impl OnlineOptions {
    pub fn new(mode: OnlineMode, lang: Lang) -> OnlineOptions {
        OnlineOptions {
            mode,
            timeout: DEFAULT_TIMEOUT,
            ca_files: Vec::new(),
            allow_hosts: Vec::new(),
            send_test_to: None,
            lang,
        }
    }
}

/// Options that cannot be used; the tool stops before contacting anything.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum OnlineError {
    #[error("cannot use the CA file {}: {reason}", path.display())]
    #[diagnostic(code(racm_lint::online::ca_file))]
    CaFile { path: PathBuf, reason: String },
    #[error("invalid --allow-host `{value}`: {reason}")]
    #[diagnostic(
        code(racm_lint::online::allow_host),
        help("give HOST or HOST:PORT, e.g. `127.0.0.1:8443`")
    )]
    AllowHost { value: String, reason: String },
    #[error("invalid --send-test-to address `{value}`: {reason}")]
    #[diagnostic(code(racm_lint::online::send_test_to))]
    SendTestTo { value: String, reason: String },
    #[error("--send-test-to needs the SMTP check, not --online=token")]
    #[diagnostic(code(racm_lint::online::send_test_to))]
    SendTestNeedsSmtp,
    /// The command line refuses these already; the check stays for programs using the library.
    #[error("--timeout must be from 1 to {MAX_TIMEOUT_SECS} seconds")]
    #[diagnostic(code(racm_lint::online::timeout))]
    TimeoutOutOfRange,
}
