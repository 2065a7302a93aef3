//! What each outcome of the live checks means: the rule that says it, the key at fault, the values for its
//! texts. Pure functions of what the token endpoint and the SMTP server answered.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::claims::Claims;
use super::names;
use super::policy::{self, AllowedHost, Destination, Refusal};
use super::report::{Found, Phrase};
use super::smtp::{self, Reply, SmtpFailure};
use super::token::{self, AadError, Failure};
use crate::catalog::RuleSet;
use crate::i18n::Lang;
use crate::keys::mail::{CLIENT_ID, HOST, PORT, SCOPES, SECRET, STARTTLS, TOKEN_URL, USER};
use crate::values::token_url::{self, Tenant};

/// The application a token was issued to, as the findings name it.
pub(super) struct AppIds {
    /// From the token's claims, else the configured client ID.
    pub app_id: String,
    /// The enterprise application's Object ID, from the claims.
    pub oid: Option<String>,
}

/// `` `a`, `b` `` or "none".
pub(super) fn code_list(items: &[&str], lang: Lang) -> String {
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

pub(super) fn refused_destination(refusal: Refusal, rules: &RuleSet, lang: Lang) -> Found {
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
pub(super) fn smtp_host_refused(host: &str, port: u16, rules: &RuleSet, lang: Lang) -> Found {
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

pub(super) fn token_failure_found(
    failure: &Failure,
    destination: &Destination,
    timeout: Duration,
) -> Found {
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

pub(super) fn aad_found(error: &AadError, lang: Lang) -> Found {
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
fn oid_text(ids: &AppIds) -> String {
    ids.oid.clone().unwrap_or_else(|| "<Object ID>".to_string())
}

pub(super) fn claims_found(
    claims: Option<&Claims>,
    ids: &AppIds,
    rules: &RuleSet,
    destination: &Destination,
    client_id: &str,
    user: Option<&str>,
    lang: Lang,
) -> Vec<Found> {
    let obtained = |roles: String| {
        Found::new(names::TOKEN_OBTAINED, Some(CLIENT_ID))
            .var("host", policy::display_host(&destination.url))
            .var("app_id", ids.app_id.clone())
            .var("oid", oid_text(ids))
            .var("roles", roles)
            .var("user", user.unwrap_or("<UPN>"))
    };
    let Some(claims) = claims else {
        return vec![
            obtained("?".to_string()),
            Found::new(names::TOKEN_NOT_JWT, Some(TOKEN_URL)),
        ];
    };
    let app_id = &ids.app_id;
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
pub(super) struct SmtpContext<'a> {
    pub host: &'a str,
    pub port: u16,
    pub user: &'a str,
    pub timeout: Duration,
    pub has_starttls_key: bool,
    pub lang: Lang,
}

fn reply_label(reply: &Reply) -> String {
    match reply.enhanced() {
        Some(enhanced) => format!("{} {enhanced}", reply.code),
        None => reply.code.to_string(),
    }
}

pub(super) fn smtp_failure_found(
    failure: &SmtpFailure,
    cx: &SmtpContext<'_>,
    ids: &AppIds,
) -> Found {
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
                .var("app_id", ids.app_id.clone())
                .var("oid", oid_text(ids))
                .label(reply_label(reply));
            if let Some(reason) = reason {
                found = found
                    .note(Phrase::ChallengeReason.fill(cx.lang, &[("reason", reason.clone())]));
            }
            found
        }
    }
}

pub(super) fn test_message_found(
    result: &Result<Reply, SmtpFailure>,
    sender_key: &'static str,
    sender: &lettre::Address,
    recipient: &lettre::Address,
    cx: &SmtpContext<'_>,
    ids: &AppIds,
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
        Err(failure) => smtp_failure_found(failure, cx, ids),
    }
}
