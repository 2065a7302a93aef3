//! Live checks (`--online`): ask Microsoft for a token with the file's credentials, read its claims, sign in to
//! SMTP with it (and optionally send a test message); every result is a diagnostic of the same model as the
//! offline ones, from the rules of `rules/online.toml`.
//!
//! Nothing here touches the network until [`OnlineSession::check`] runs, and no HTTP or TLS client is built
//! before then. The secret and the token go only to the Microsoft identity hosts of the cloud table (https),
//! or to a host named exactly with `--allow-host`, and the token only to an SMTP host of the cloud table or one
//! named exactly with `--allow-host`, after a verified STARTTLS.

mod claims;
mod names;
mod policy;
mod report;
mod scrub;
mod smtp;
mod tls;
mod token;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use policy::AllowedHost;

use crate::catalog::RuleSet;
use crate::diagnostic::Diagnostic;
use crate::i18n::Lang;
use crate::keys::mail::{CLIENT_ID, HOST, PORT, SCOPES, SECRET, SENDER, STARTTLS, TOKEN_URL, USER};
use crate::properties::{DisplayText, Document, Settings};
use crate::values::java::java_int;
use crate::values::token_url::{self, Tenant};
use claims::Claims;
use policy::{Destination, Refusal};
use report::{Found, Phrase, Report};
use smtp::{Reply, SmtpFailure, SmtpOutcome};
use tls::Trust;
use token::{AadError, Failure, TokenOutcome, TokenRequest};

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

/// One token request per distinct credentials (the secret by its SHA-256). Its `Debug` hides the hash: an
/// unsalted hash of a secret is no place to show it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct TokenKey {
    url: String,
    client_id: String,
    secret_sha256: Vec<u8>,
    scope: String,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKey")
            .field("url", &self.url)
            .field("client_id", &self.client_id)
            .field("secret_sha256", &crate::keys::REDACTED)
            .field("scope", &self.scope)
            .finish()
    }
}

/// One SMTP sign-in per server, user, token and test sender.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct LoginKey {
    host: String,
    port: u16,
    user: String,
    token: TokenKey,
    sender: Option<String>,
}

/// The values the live checks use, as Java reads them; an empty value counts as missing.
struct Values<'s, 'd, 'a> {
    settings: &'s Settings<'d, 'a>,
}

impl<'s> Values<'s, '_, '_> {
    fn get(&self, key: &str) -> Option<&'s str> {
        self.settings
            .get(key)
            .map(|e| e.value())
            .filter(|v: &&str| !v.trim().is_empty())
    }

    /// The values of all `keys`, or the keys that are missing.
    fn require<const N: usize>(
        &self,
        keys: [&'static str; N],
    ) -> Result<[&'s str; N], Vec<&'static str>> {
        let missing: Vec<&'static str> = keys
            .iter()
            .copied()
            .filter(|k| self.get(k).is_none())
            .collect();
        if missing.is_empty() {
            Ok(keys.map(|k| self.get(k).unwrap_or_default()))
        } else {
            Err(missing)
        }
    }
}

/// A token Microsoft issued, with what the SMTP stage needs from it.
struct Issued {
    token: String,
    key: TokenKey,
    /// From the token's claims, else the configured client ID.
    app_id: String,
    /// The enterprise application's Object ID, from the claims.
    oid: Option<String>,
}

/// The live checks of a run: its options, and the results shared by files with the same credentials.
pub struct OnlineSession {
    options: OnlineOptions,
    allowed: Vec<AllowedHost>,
    trust: Trust,
    test_recipient: Option<lettre::Address>,
    /// Built on first use; one for loopback hosts (no proxy), one for the others.
    http: HashMap<bool, reqwest::blocking::Client>,
    tokens: HashMap<TokenKey, TokenOutcome>,
    logins: HashMap<LoginKey, SmtpOutcome>,
}

impl OnlineSession {
    /// Checks the options and reads the CA files; contacts nothing and builds no client.
    pub fn new(options: OnlineOptions) -> Result<OnlineSession, OnlineError> {
        if options.timeout.is_zero() || options.timeout > Duration::from_secs(MAX_TIMEOUT_SECS) {
            return Err(OnlineError::TimeoutOutOfRange);
        }
        let allowed = options
            .allow_hosts
            .iter()
            .map(|value| {
                value.parse().map_err(|reason| OnlineError::AllowHost {
                    value: value.clone(),
                    reason,
                })
            })
            .collect::<Result<Vec<AllowedHost>, _>>()?;
        let test_recipient = match &options.send_test_to {
            Some(_) if options.mode == OnlineMode::Token => {
                return Err(OnlineError::SendTestNeedsSmtp);
            }
            Some(value) => Some(value.trim().parse::<lettre::Address>().map_err(|e| {
                OnlineError::SendTestTo {
                    value: value.clone(),
                    reason: e.to_string(),
                }
            })?),
            None => None,
        };
        let trust = Trust::load(&options.ca_files)?;
        Ok(OnlineSession {
            options,
            allowed,
            trust,
            test_recipient,
            http: HashMap::new(),
            tokens: HashMap::new(),
            logins: HashMap::new(),
        })
    }

    pub fn options(&self) -> &OnlineOptions {
        &self.options
    }

    /// Runs the live checks for one file. Offline errors do not stop them: they run whenever the values they
    /// need are set.
    pub fn check(
        &mut self,
        rules: &RuleSet,
        doc: &Document<'_>,
        settings: &Settings<'_, '_>,
        display: &DisplayText,
    ) -> Vec<Diagnostic> {
        let mut report = Report::new(rules, doc, settings, display, self.options.lang);
        self.run(rules, settings, &mut report);
        report.finish()
    }

    /// [`OnlineSession::check`] on a file's bytes.
    pub fn check_source(&mut self, rules: &RuleSet, source: &[u8]) -> Vec<Diagnostic> {
        let doc = Document::parse(source);
        let settings = Settings::new(&doc);
        let display = DisplayText::new(source);
        self.check(rules, &doc, &settings, &display)
    }

    fn run(
        &mut self,
        rules: &RuleSet,
        settings: &Settings<'_, '_>,
        report: &mut Report<'_, '_, '_>,
    ) {
        let values = Values { settings };
        let Some(issued) = self.token_stage(rules, &values, report) else {
            return;
        };
        if self.options.mode == OnlineMode::Smtp {
            self.smtp_stage(rules, &values, &issued, report);
        }
    }

    /// Requests the token (once per credentials) and checks its claims; `None` when there is no token.
    fn token_stage(
        &mut self,
        rules: &RuleSet,
        values: &Values<'_, '_, '_>,
        report: &mut Report<'_, '_, '_>,
    ) -> Option<Issued> {
        let [url, client_id, secret, scope] =
            match values.require([TOKEN_URL, CLIENT_ID, SECRET, SCOPES]) {
                Ok(found) => found,
                Err(missing) => {
                    report.push(
                        Found::new(names::TOKEN_CHECK_SKIPPED, None)
                            .var("keys", code_list(&missing, report.lang)),
                    );
                    return None;
                }
            };
        let destination = match policy::token_destination(url, &rules.clouds, &self.allowed) {
            Ok(destination) => destination,
            Err(refusal) => {
                report.push(refused_destination(refusal, rules, report.lang));
                return None;
            }
        };
        let key = TokenKey {
            url: destination.url.to_string(),
            client_id: client_id.to_string(),
            secret_sha256: ring::digest::digest(&ring::digest::SHA256, secret.as_bytes())
                .as_ref()
                .to_vec(),
            scope: scope.to_string(),
        };
        let outcome = match self.tokens.get(&key) {
            Some(outcome) => outcome.clone(),
            None => {
                let grant = TokenRequest {
                    client_id,
                    secret,
                    scope,
                };
                let outcome = self.request_token(&destination, &grant);
                self.tokens.insert(key.clone(), outcome.clone());
                outcome
            }
        };
        let token = match outcome {
            TokenOutcome::Issued { access_token } => access_token,
            TokenOutcome::Refused(error) => {
                report.push(aad_found(&error, report.lang));
                return None;
            }
            TokenOutcome::Failed(failure) => {
                report.push(token_failure_found(
                    &failure,
                    &destination,
                    self.options.timeout,
                ));
                return None;
            }
        };
        report.add_secret(&token);
        let claims = Claims::decode(&token);
        let issued = Issued {
            app_id: claims
                .as_ref()
                .and_then(|c| c.app_id.clone())
                .unwrap_or_else(|| client_id.to_string()),
            oid: claims.as_ref().and_then(|c| c.oid.clone()),
            token,
            key,
        };
        let user = values.get(USER);
        for found in claims_found(
            claims.as_ref(),
            &issued,
            rules,
            &destination,
            client_id,
            user,
            report.lang,
        ) {
            report.push(found);
        }
        Some(issued)
    }

    /// Signs in to SMTP with the token (once per server, user, token and sender), then sends the test message
    /// if asked.
    fn smtp_stage(
        &mut self,
        rules: &RuleSet,
        values: &Values<'_, '_, '_>,
        issued: &Issued,
        report: &mut Report<'_, '_, '_>,
    ) {
        let [host, port, user] = match values.require([HOST, PORT, USER]) {
            Ok(found) => found,
            Err(missing) => {
                report.push(
                    Found::new(names::SMTP_CHECK_SKIPPED, None)
                        .var("keys", code_list(&missing, report.lang)),
                );
                return;
            }
        };
        let Some(port) = java_int(port)
            .and_then(|p| u16::try_from(p).ok())
            .filter(|p| *p != 0)
        else {
            report.push(
                Found::new(names::SMTP_CHECK_SKIPPED, Some(PORT)).var("keys", format!("`{PORT}`")),
            );
            return;
        };
        if !policy::smtp_allowed(host, port, &rules.clouds, &self.allowed) {
            report.push(smtp_host_refused(host, port, rules, report.lang));
            return;
        }
        // The test message goes from the sender the server uses, or from the user when none is set.
        let sender = self.test_recipient.as_ref().and_then(|_| {
            let key = if values.get(SENDER).is_some() {
                SENDER
            } else {
                USER
            };
            match values
                .get(key)
                .unwrap_or_default()
                .trim()
                .parse::<lettre::Address>()
            {
                Ok(sender) => Some((key, sender)),
                Err(_) => {
                    report.push(Found::new(names::SEND_TEST_SKIPPED, Some(key)));
                    None
                }
            }
        });
        let key = LoginKey {
            host: host.to_string(),
            port,
            user: user.to_string(),
            token: issued.key.clone(),
            sender: sender.as_ref().map(|(_, s)| s.to_string()),
        };
        let outcome = match self.logins.get(&key) {
            Some(outcome) => outcome.clone(),
            None => {
                let test_message = sender
                    .as_ref()
                    .zip(self.test_recipient.as_ref())
                    .map(|((_, s), to)| (s, to));
                let outcome = match self.trust.smtp_parameters(host) {
                    Ok(tls) => smtp::login(&smtp::Login {
                        host,
                        port,
                        user,
                        token: &issued.token,
                        timeout: self.options.timeout,
                        tls: &tls,
                        test_message,
                    }),
                    Err(detail) => SmtpOutcome {
                        login: Err(SmtpFailure::Tls(detail)),
                        test_message: None,
                    },
                };
                self.logins.insert(key, outcome.clone());
                outcome
            }
        };
        let cx = SmtpContext {
            host,
            port,
            user,
            timeout: self.options.timeout,
            has_starttls_key: values.settings.get(STARTTLS).is_some(),
            lang: report.lang,
        };
        report.push(match &outcome.login {
            Ok(()) => Found::new(names::SMTP_LOGIN_SUCCEEDED, Some(USER))
                .var("host", host)
                .var("port", port.to_string())
                .var("user", user),
            Err(failure) => smtp_failure_found(failure, &cx, issued),
        });
        if let (Some(result), Some((sender_key, sender)), Some(recipient)) =
            (&outcome.test_message, &sender, &self.test_recipient)
        {
            report.push(test_message_found(
                result, sender_key, sender, recipient, &cx, issued,
            ));
        }
    }

    fn request_token(
        &mut self,
        destination: &Destination,
        grant: &TokenRequest<'_>,
    ) -> TokenOutcome {
        let client = match self.http.get(&destination.loopback) {
            Some(client) => client,
            None => match self
                .trust
                .http_client(self.options.timeout, destination.loopback)
            {
                Ok(client) => self.http.entry(destination.loopback).or_insert(client),
                Err(detail) => return TokenOutcome::Failed(Failure::Tls(detail)),
            },
        };
        token::request(client, &destination.url, grant)
    }
}

/// `` `a`, `b` `` or "none".
fn code_list(items: &[&str], lang: Lang) -> String {
    if items.is_empty() {
        return Phrase::None.text(lang).to_string();
    }
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn seconds(timeout: Duration) -> String {
    format!("{}", timeout.as_secs_f64())
}

fn refused_destination(refusal: Refusal, rules: &RuleSet, lang: Lang) -> Found {
    match refusal {
        Refusal::Unusable(detail) => {
            Found::new(names::TOKEN_URL_UNUSABLE, Some(TOKEN_URL)).var("detail", detail)
        }
        Refusal::PlainHttp { host } => {
            Found::new(names::TOKEN_HTTP_REFUSED, Some(TOKEN_URL)).var("host", host)
        }
        Refusal::NotAllowed { host } => {
            // In the table's order (its first host is the one to suggest), each once.
            let mut hosts: Vec<&str> = Vec::new();
            for h in rules.clouds.iter().flat_map(|c| &c.token_hosts) {
                if !hosts.contains(&h.as_str()) {
                    hosts.push(h);
                }
            }
            Found::new(names::TOKEN_HOST_REFUSED, Some(TOKEN_URL))
                .var("host", host)
                .var("hosts", code_list(&hosts, lang))
        }
    }
    .label(Phrase::NotContacted.text(lang))
}

/// The token is a live credential: it goes only to Microsoft's SMTP hosts or one named with `--allow-host`.
fn smtp_host_refused(host: &str, port: u16, rules: &RuleSet, lang: Lang) -> Found {
    let mut hosts: Vec<&str> = Vec::new();
    for h in rules.clouds.iter().flat_map(|c| &c.smtp_hosts) {
        if !hosts.contains(&h.as_str()) {
            hosts.push(h);
        }
    }
    let named = match host.trim().parse::<AllowedHost>() {
        Ok(allowed) => AllowedHost {
            port: (port != policy::SMTP_DEFAULT_PORT).then_some(port),
            ..allowed
        }
        .to_string(),
        Err(_) => host.trim().to_string(),
    };
    Found::new(names::SMTP_HOST_REFUSED, Some(HOST))
        .var("host", named)
        .var("hosts", code_list(&hosts, lang))
        .label(Phrase::NotContacted.text(lang))
}

fn token_failure_found(failure: &Failure, destination: &Destination, timeout: Duration) -> Found {
    let host = policy::display_host(&destination.url);
    let found = |rule| Found::new(rule, Some(TOKEN_URL)).var("host", host.clone());
    match failure {
        Failure::Unreachable(detail) => {
            found(names::TOKEN_ENDPOINT_UNREACHABLE).var("detail", detail.clone())
        }
        Failure::Timeout => found(names::TOKEN_ENDPOINT_TIMEOUT).var("seconds", seconds(timeout)),
        Failure::Tls(detail) => found(names::TOKEN_ENDPOINT_TLS).var("detail", detail.clone()),
        Failure::Redirect { status, location } => found(names::TOKEN_REDIRECTED)
            .var("status", status.to_string())
            .var(
                "location",
                location.clone().unwrap_or_else(|| "?".to_string()),
            )
            .label(format!("HTTP {status}")),
        Failure::TooLarge => found(names::TOKEN_RESPONSE_TOO_LARGE)
            .var("limit", format!("{} KiB", token::BODY_LIMIT / 1024)),
        Failure::Unreadable {
            status,
            content_type,
            excerpt,
        } => found(names::TOKEN_RESPONSE_UNREADABLE)
            .var("status", status.to_string())
            .var(
                "content_type",
                if content_type.is_empty() {
                    "?".to_string()
                } else {
                    content_type.clone()
                },
            )
            .var("excerpt", excerpt.clone())
            .label(format!("HTTP {status}")),
    }
}

/// Each `AADSTS` code of the catalog: the rule that explains it and the key at fault.
const AADSTS: [(&[u64], &str, &str); 12] = [
    (&[900023], names::TOKEN_TENANT_MALFORMED, TOKEN_URL),
    (&[90002], names::TOKEN_TENANT_NOT_FOUND, TOKEN_URL),
    (
        &[9001023, 50194],
        names::TOKEN_TENANT_NOT_SPECIFIC,
        TOKEN_URL,
    ),
    (&[700016], names::TOKEN_APP_NOT_FOUND, CLIENT_ID),
    (&[7000112], names::TOKEN_APP_DISABLED, CLIENT_ID),
    (&[7000215], names::TOKEN_SECRET_INVALID, SECRET),
    (&[7000222], names::TOKEN_SECRET_EXPIRED, SECRET),
    (&[7000218], names::TOKEN_SECRET_MISSING, SECRET),
    (&[1002012], names::TOKEN_SCOPE_NOT_DEFAULT, SCOPES),
    (&[70011, 700022], names::TOKEN_SCOPE_INVALID, SCOPES),
    (&[500011], names::TOKEN_RESOURCE_NOT_FOUND, SCOPES),
    (&[53003], names::TOKEN_CONDITIONAL_ACCESS, CLIENT_ID),
];

fn aad_found(error: &AadError, lang: Lang) -> Found {
    let code = error.code();
    let (rule, key) = code
        .and_then(|c| AADSTS.iter().find(|(codes, _, _)| codes.contains(&c)))
        .map_or(
            (names::TOKEN_REQUEST_REFUSED, TOKEN_URL),
            |(_, rule, key)| (*rule, *key),
        );
    let code_text = match code {
        Some(c) => format!("AADSTS{c}"),
        None => error
            .error
            .clone()
            .unwrap_or_else(|| format!("HTTP {}", error.status)),
    };
    let summary = error.summary();
    let mut found = Found::new(rule, Some(key))
        .var("code", code_text.clone())
        .var("description", summary.clone())
        .label(code_text);
    if !summary.is_empty() {
        found = found.note(Phrase::MicrosoftSays.fill(lang, &[("text", summary)]));
    }
    if error.trace_id.is_some() || error.correlation_id.is_some() {
        let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "?".to_string());
        found = found.note(Phrase::TraceIds.fill(
            lang,
            &[
                ("trace_id", or_unknown(&error.trace_id)),
                ("correlation_id", or_unknown(&error.correlation_id)),
                ("timestamp", or_unknown(&error.timestamp)),
            ],
        ));
    }
    found
}

/// The Object ID, or a placeholder for the commands that need it.
fn oid_text(issued: &Issued) -> String {
    issued
        .oid
        .clone()
        .unwrap_or_else(|| "<Object ID>".to_string())
}

fn claims_found(
    claims: Option<&Claims>,
    issued: &Issued,
    rules: &RuleSet,
    destination: &Destination,
    client_id: &str,
    user: Option<&str>,
    lang: Lang,
) -> Vec<Found> {
    let obtained = |roles: String| {
        Found::new(names::TOKEN_OBTAINED, Some(CLIENT_ID))
            .var("host", policy::display_host(&destination.url))
            .var("app_id", issued.app_id.clone())
            .var("oid", oid_text(issued))
            .var("roles", roles)
            .var("user", user.unwrap_or("<UPN>"))
    };
    let Some(claims) = claims else {
        return vec![
            obtained("?".to_string()),
            Found::new(names::TOKEN_NOT_JWT, Some(TOKEN_URL)),
        ];
    };
    let app_id = &issued.app_id;
    let roles: Vec<&str> = claims.roles.iter().map(String::as_str).collect();
    let roles = code_list(&roles, lang);
    let mut out = vec![obtained(roles.clone())];
    let resources = rules
        .clouds
        .iter()
        .flat_map(|c| &c.scope_resources)
        .map(String::as_str);
    if !claims.has_exchange_audience(resources) {
        let aud: Vec<&str> = claims.aud.iter().map(String::as_str).collect();
        out.push(
            Found::new(names::TOKEN_AUDIENCE_NOT_EXCHANGE, Some(SCOPES))
                .var("aud", code_list(&aud, lang))
                .label(if claims.is_graph() {
                    "Microsoft Graph"
                } else {
                    "aud"
                }),
        );
    }
    let tenant = token_url::parse(destination.url.as_str())
        .ok()
        .and_then(|t| t.tenant);
    if let (Some(Tenant::Guid(tenant)), Some(tid)) = (tenant, &claims.tid)
        && !tenant.eq_ignore_ascii_case(tid)
    {
        out.push(
            Found::new(names::TOKEN_TENANT_DIFFERS, Some(TOKEN_URL))
                .var("tid", tid.clone())
                .var("tenant", tenant),
        );
    }
    if !app_id.eq_ignore_ascii_case(client_id.trim()) {
        out.push(
            Found::new(names::TOKEN_APP_DIFFERS, Some(CLIENT_ID)).var("app_id", app_id.clone()),
        );
    }
    if let Some(scp) = &claims.scp {
        out.push(Found::new(names::TOKEN_DELEGATED, Some(SCOPES)).var("scp", scp.clone()));
    }
    if !claims.has_smtp_role() {
        out.push(
            Found::new(names::TOKEN_ROLE_MISSING, Some(CLIENT_ID))
                .var("roles", roles)
                .label(format!("roles: [{}]", claims.roles.join(", "))),
        );
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    if let Some(exp) = claims.exp.filter(|exp| *exp <= now) {
        out.push(
            Found::new(names::TOKEN_EXPIRED, Some(TOKEN_URL))
                .var("seconds", (now - exp).to_string()),
        );
    }
    out
}

/// What the SMTP findings need to say where and how.
struct SmtpContext<'a> {
    host: &'a str,
    port: u16,
    user: &'a str,
    timeout: Duration,
    has_starttls_key: bool,
    lang: Lang,
}

fn reply_label(reply: &Reply) -> String {
    match reply.enhanced() {
        Some(enhanced) => format!("{} {enhanced}", reply.code),
        None => reply.code.to_string(),
    }
}

fn smtp_failure_found(failure: &SmtpFailure, cx: &SmtpContext<'_>, issued: &Issued) -> Found {
    let at = |rule, key| {
        Found::new(rule, Some(key))
            .var("host", cx.host)
            .var("port", cx.port.to_string())
    };
    match failure {
        SmtpFailure::Unreachable(detail) => {
            at(names::SMTP_UNREACHABLE, HOST).var("detail", detail.clone())
        }
        SmtpFailure::Timeout { during } => at(names::SMTP_TIMEOUT, PORT)
            .var("seconds", seconds(cx.timeout))
            .var("during", *during),
        SmtpFailure::NoStarttls => at(names::SMTP_NO_STARTTLS, HOST),
        SmtpFailure::Tls(detail) => at(names::SMTP_TLS_FAILED, HOST).var("detail", detail.clone()),
        SmtpFailure::NoXoauth2 { offered } => {
            at(names::SMTP_NO_XOAUTH2, HOST).var("offered", code_list(offered, cx.lang))
        }
        SmtpFailure::Lost { during, detail } => at(names::SMTP_CONNECTION_LOST, HOST)
            .var("during", *during)
            .var("detail", detail.clone()),
        SmtpFailure::Rejected {
            during,
            reply,
            reason,
        } => {
            let found = if reply.is(530, "5.7.57") {
                at(
                    names::SMTP_NOT_AUTHENTICATED,
                    if cx.has_starttls_key { STARTTLS } else { HOST },
                )
            } else if *during != smtp::AUTH {
                at(names::SMTP_UNEXPECTED_REPLY, HOST).var("during", *during)
            } else if reply.is(535, "5.7.3") {
                at(names::SMTP_AUTH_DENIED, USER)
            } else if reply.is(535, "5.7.139") {
                at(names::SMTP_AUTH_DISABLED, USER)
            } else {
                at(names::SMTP_AUTH_REJECTED, USER)
            };
            let mut found = found
                .var("reply", reply.to_string())
                .var("user", cx.user)
                .var("app_id", issued.app_id.clone())
                .var("oid", oid_text(issued))
                .label(reply_label(reply));
            if let Some(reason) = reason {
                found = found
                    .note(Phrase::ChallengeReason.fill(cx.lang, &[("reason", reason.clone())]));
            }
            found
        }
    }
}

fn test_message_found(
    result: &Result<Reply, SmtpFailure>,
    sender_key: &'static str,
    sender: &lettre::Address,
    recipient: &lettre::Address,
    cx: &SmtpContext<'_>,
    issued: &Issued,
) -> Found {
    let found = |rule| Found::new(rule, Some(sender_key)).var("sender", sender.to_string());
    match result {
        Ok(reply) => found(names::SEND_TEST_SENT)
            .var("recipient", recipient.to_string())
            .var("reply", reply.to_string()),
        Err(SmtpFailure::Rejected { reply, .. })
            if reply.is(554, "5.2.252") || reply.is(550, "5.7.60") =>
        {
            found(names::SEND_AS_DENIED)
                .var("user", cx.user)
                .var("reply", reply.to_string())
                .label(reply_label(reply))
        }
        Err(SmtpFailure::Rejected { reply, .. }) => found(names::SEND_REJECTED)
            .var("reply", reply.to_string())
            .label(reply_label(reply)),
        Err(failure) => smtp_failure_found(failure, cx, issued),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_the_keys_hides_the_secret_hash() {
        let secret_sha256 = ring::digest::digest(&ring::digest::SHA256, b"Zq78Q~SecretValue")
            .as_ref()
            .to_vec();
        let key = TokenKey {
            url: "https://login.microsoftonline.com/t/oauth2/v2.0/token".into(),
            client_id: "app".into(),
            secret_sha256: secret_sha256.clone(),
            scope: "https://outlook.office.com/.default".into(),
        };
        let login = LoginKey {
            host: "smtp.office365.com".into(),
            port: 587,
            user: "user@contoso.com".into(),
            token: key.clone(),
            sender: None,
        };
        let text = format!("{key:?} {login:#?}");
        assert!(text.contains("********") && text.contains("app"), "{text}");
        // Neither as bytes nor as hex.
        let bytes = format!("{secret_sha256:?}");
        let hex: String = secret_sha256.iter().map(|b| format!("{b:02x}")).collect();
        assert!(
            !text.contains(&bytes[1..20]) && !text.contains(&hex[..12]),
            "{text}"
        );
    }
}
