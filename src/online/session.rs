//! The live checks of a run: the token stage and the SMTP stage for each file, and the results shared by
//! files with the same credentials (one token request, one sign-in).

use std::collections::HashMap;
use std::time::Duration;

use super::claims::Claims;
use super::findings::{
    AppIds, SmtpContext, aad_found, claims_found, code_list, refused_destination,
    smtp_failure_found, smtp_host_refused, test_message_found, token_failure_found,
};
use super::names;
use super::options::{MAX_TIMEOUT_SECS, OnlineError, OnlineMode, OnlineOptions};
use super::policy::{self, AllowedHost, Destination};
use super::report::{Found, Report};
use super::smtp::{self, SmtpFailure, SmtpOutcome};
use super::tls::Trust;
use super::token::{self, Failure, TokenOutcome, TokenRequest};
use crate::catalog::RuleSet;
use crate::diagnostic::Diagnostic;
use crate::keys::mail::{CLIENT_ID, HOST, PORT, SCOPES, SECRET, SENDER, STARTTLS, TOKEN_URL, USER};
use crate::properties::{DisplayText, Document, Settings};
use crate::values::java::java_int;

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
    ids: AppIds,
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
            ids: AppIds {
                app_id: claims
                    .as_ref()
                    .and_then(|c| c.app_id.clone())
                    .unwrap_or_else(|| client_id.to_string()),
                oid: claims.as_ref().and_then(|c| c.oid.clone()),
            },
            token,
            key,
        };
        let user = values.get(USER);
        for found in claims_found(
            claims.as_ref(),
            &issued.ids,
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
        let sender = self.test_sender(values, report);
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
                let sender = sender.as_ref().map(|(_, s)| s);
                let outcome = self.sign_in(host, port, user, &issued.token, sender);
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
            Err(failure) => smtp_failure_found(failure, &cx, &issued.ids),
        });
        if let (Some(result), Some((sender_key, sender)), Some(recipient)) =
            (&outcome.test_message, &sender, &self.test_recipient)
        {
            report.push(test_message_found(
                result,
                sender_key,
                sender,
                recipient,
                &cx,
                &issued.ids,
            ));
        }
    }

    /// The test message's sender, when `--send-test-to` asks for one: the sender the server uses, or the user
    /// when none is set; `None` (said in the report) when it is no address.
    fn test_sender(
        &self,
        values: &Values<'_, '_, '_>,
        report: &mut Report<'_, '_, '_>,
    ) -> Option<(&'static str, lettre::Address)> {
        self.test_recipient.as_ref()?;
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
    }

    /// Signs in to `host`:`port` as `user` with the token over verified STARTTLS, then sends the test message
    /// from `sender` when one is asked for.
    fn sign_in(
        &self,
        host: &str,
        port: u16,
        user: &str,
        token: &str,
        sender: Option<&lettre::Address>,
    ) -> SmtpOutcome {
        let test_message = sender.zip(self.test_recipient.as_ref());
        match self.trust.smtp_parameters(host) {
            Ok(tls) => smtp::login(&smtp::Login {
                host,
                port,
                user,
                token,
                timeout: self.options.timeout,
                tls: &tls,
                test_message,
            }),
            Err(detail) => SmtpOutcome {
                login: Err(SmtpFailure::Tls(detail)),
                test_message: None,
            },
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
