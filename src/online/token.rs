//! The token request: the client-credentials grant POSTed to the token URL, and what came back (a token, an
//! `AADSTS` error, or a transport failure).

use std::io::Read as _;

use serde::Deserialize;
use url::Url;

use super::scrub::Scrub;
use super::tls::{error_chain, find_cause, io_kind};
use crate::keys::REDACTED;
use crate::text::one_line;

/// The most of a token response that is read: a real one is a few KiB.
pub const BODY_LIMIT: u64 = 64 * 1024;

/// The form fields of the client-credentials grant, as the server sends them (values as Java reads them).
/// Its `Debug` hides the secret.
#[derive(Clone, Copy)]
pub struct TokenRequest<'a> {
    pub client_id: &'a str,
    pub secret: &'a str,
    pub scope: &'a str,
}

impl std::fmt::Debug for TokenRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("client_id", &self.client_id)
            .field("secret", &REDACTED)
            .field("scope", &self.scope)
            .finish()
    }
}

/// What the token endpoint did. Its `Debug` hides the access token.
#[derive(Clone)]
pub enum TokenOutcome {
    Issued {
        access_token: String,
    },
    /// An OAuth error from Microsoft (`AADSTS...`).
    Refused(AadError),
    Failed(Failure),
}

impl std::fmt::Debug for TokenOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenOutcome::Issued { .. } => f
                .debug_struct("Issued")
                .field("access_token", &REDACTED)
                .finish(),
            TokenOutcome::Refused(error) => f.debug_tuple("Refused").field(error).finish(),
            TokenOutcome::Failed(failure) => f.debug_tuple("Failed").field(failure).finish(),
        }
    }
}

/// Microsoft's error response (`error`, `error_description`, `error_codes`, trace and correlation IDs).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AadError {
    #[serde(skip)]
    pub status: u16,
    pub error: Option<String>,
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u64>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    pub timestamp: Option<String>,
}

impl AadError {
    /// The error with every text scrubbed: Microsoft's description may quote what was sent.
    fn scrubbed(self, scrub: &Scrub) -> AadError {
        let text = |t: Option<String>| t.map(|t| scrub.text(&t));
        AadError {
            error: text(self.error),
            error_description: text(self.error_description),
            trace_id: text(self.trace_id),
            correlation_id: text(self.correlation_id),
            timestamp: text(self.timestamp),
            ..self
        }
    }

    /// The `AADSTS` number: the first of `error_codes`, else the one the description starts with.
    pub fn code(&self) -> Option<u64> {
        self.error_codes.first().copied().or_else(|| {
            let description = self.error_description.as_deref()?;
            let digits: String = description
                .split("AADSTS")
                .nth(1)?
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
    }

    /// Microsoft's description without the trace lines it repeats (`Trace ID: ...`), on one line.
    pub fn summary(&self) -> String {
        let description = self.error_description.as_deref().unwrap_or_default();
        let text: Vec<&str> = description
            .lines()
            .map(str::trim)
            .filter(|l| {
                !l.is_empty()
                    && !["Trace ID:", "Correlation ID:", "Timestamp:"]
                        .iter()
                        .any(|p| l.starts_with(p))
            })
            .collect();
        let text = text.join(" ");
        if text.is_empty() {
            self.error.clone().unwrap_or_default()
        } else {
            one_line(&text, 600)
        }
    }
}

/// Why no answer could be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No connection (refused, unknown host, network unreachable...), with the system's words.
    Unreachable(String),
    /// No complete answer within the timeout.
    Timeout,
    /// The TLS handshake failed (certificate not trusted, wrong name...).
    Tls(String),
    /// A redirect, not followed (the secret would go where it points).
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// More than [`BODY_LIMIT`] bytes.
    TooLarge,
    /// Not a token response: not JSON, or JSON without `access_token` or `error`.
    Unreadable {
        status: u16,
        content_type: String,
        excerpt: String,
    },
}

/// POSTs the grant to `url` and reads the answer. Every text of the answer kept for the diagnostics is
/// scrubbed of the secret (as is and form-urlencoded) before it is cut to length.
pub fn request(
    client: &reqwest::blocking::Client,
    url: &Url,
    grant: &TokenRequest<'_>,
) -> TokenOutcome {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", grant.client_id),
        ("client_secret", grant.secret),
        ("scope", grant.scope),
    ];
    let scrub = Scrub::new([grant.secret]);
    let response = match client
        .post(url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
    {
        Ok(response) => response,
        Err(error) => return TokenOutcome::Failed(transport_failure(&error, &scrub)),
    };
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(|l| scrub.line(l, 200));
        return TokenOutcome::Failed(Failure::Redirect {
            status: status.as_u16(),
            location,
        });
    }
    if response.content_length().is_some_and(|n| n > BODY_LIMIT) {
        return TokenOutcome::Failed(Failure::TooLarge);
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .map(|c| scrub.line(c, 100))
        .unwrap_or_default();
    let mut body = Vec::new();
    if let Err(error) = response.take(BODY_LIMIT + 1).read_to_end(&mut body) {
        return TokenOutcome::Failed(transport_failure(&error, &scrub));
    }
    if body.len() as u64 > BODY_LIMIT {
        return TokenOutcome::Failed(Failure::TooLarge);
    }
    read_body(status.as_u16(), content_type, &body, &scrub)
}

/// Reads a complete answer of `status`.
fn read_body(status: u16, content_type: String, body: &[u8], scrub: &Scrub) -> TokenOutcome {
    let unreadable = || {
        TokenOutcome::Failed(Failure::Unreadable {
            status,
            content_type: content_type.clone(),
            excerpt: scrub.line(&String::from_utf8_lossy(body), 200),
        })
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return unreadable();
    };
    if (200..300).contains(&status) {
        return match json.get("access_token").and_then(|t| t.as_str()) {
            Some(token) if !token.is_empty() => TokenOutcome::Issued {
                access_token: token.to_string(),
            },
            _ => unreadable(),
        };
    }
    match serde_json::from_value::<AadError>(json) {
        Ok(error) if error.error.is_some() || error.code().is_some() => {
            TokenOutcome::Refused(AadError { status, ..error }.scrubbed(scrub))
        }
        _ => unreadable(),
    }
}

/// Sorts a failed exchange into a [`Failure`].
fn transport_failure(error: &(dyn std::error::Error + 'static), scrub: &Scrub) -> Failure {
    if let Some(tls) = find_cause::<rustls::Error>(error) {
        return Failure::Tls(scrub.text(&tls.to_string()));
    }
    let timed_out = find_cause::<reqwest::Error>(error).is_some_and(reqwest::Error::is_timeout)
        || matches!(
            io_kind(error),
            Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock)
        );
    if timed_out {
        return Failure::Timeout;
    }
    // reqwest's first line repeats the URL, which the diagnostic already points at.
    let detail = match error
        .downcast_ref::<reqwest::Error>()
        .and_then(|e| std::error::Error::source(e))
    {
        Some(cause) => error_chain(cause),
        None => error_chain(error),
    };
    Failure::Unreachable(scrub.text(&detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_code_and_summary() {
        let error: AadError = serde_json::from_str(
            r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: abc\r\nCorrelation ID: def\r\nTimestamp: 2026-01-01 00:00:00Z","error_codes":[7000215],"trace_id":"abc"}"#,
        )
        .unwrap();
        assert_eq!(error.code(), Some(7000215));
        assert_eq!(
            error.summary(),
            "AADSTS7000215: Invalid client secret provided."
        );
        let error = AadError {
            error_description: Some("AADSTS90002: Tenant 'x' not found.".into()),
            ..AadError::default()
        };
        assert_eq!(error.code(), Some(90002));
    }

    #[test]
    fn bodies_are_read() {
        assert!(matches!(
            read_body(200, "application/json".into(), br#"{"access_token":"t","expires_in":3599}"#, &Scrub::default()),
            TokenOutcome::Issued { access_token } if access_token == "t"
        ));
        assert!(matches!(
            read_body(400, String::new(), br#"{"error":"invalid_scope","error_codes":[70011]}"#, &Scrub::default()),
            TokenOutcome::Refused(e) if e.code() == Some(70011) && e.status == 400
        ));
        for (status, body) in [
            (200, &b"<html>hi</html>"[..]),
            (200, b"{}"),
            (500, b"{\"x\":1}"),
            (502, b""),
        ] {
            assert!(
                matches!(
                    read_body(status, "text/html".into(), body, &Scrub::default()),
                    TokenOutcome::Failed(Failure::Unreadable { .. })
                ),
                "{status}"
            );
        }
    }

    #[test]
    fn bodies_are_scrubbed_before_they_are_cut() {
        let secret = "Ab1~Cd2.Ef3_Gh4-Ij5~Kl6";
        let scrub = Scrub::new([secret]);
        // The secret form-urlencoded, across the 200-character cut of the excerpt.
        let body = format!(
            "{}client_secret=Ab1%7ECd2.Ef3_Gh4-Ij5%7EKl6",
            "x".repeat(180)
        );
        let TokenOutcome::Failed(Failure::Unreadable { excerpt, .. }) =
            read_body(200, String::new(), body.as_bytes(), &scrub)
        else {
            panic!("not unreadable");
        };
        assert!(excerpt.ends_with("client_secret=******…"), "{excerpt}");
        let body = serde_json::json!({
            "error": "invalid_request",
            "error_description": format!("AADSTS900144: {} {secret} Ab1%7ECd2.Ef3_Gh4-Ij5%7EKl6", "y".repeat(590)),
            "trace_id": secret,
        });
        let TokenOutcome::Refused(error) =
            read_body(400, String::new(), body.to_string().as_bytes(), &scrub)
        else {
            panic!("not refused");
        };
        assert!(!format!("{error:?}").contains("Ab1"), "{error:?}");
        assert!(!error.summary().contains("Ab1"), "{}", error.summary());
    }

    #[test]
    fn debug_hides_the_secret_and_the_token() {
        let grant = TokenRequest {
            client_id: "app",
            secret: "Zq78Q~SecretValue",
            scope: "https://outlook.office.com/.default",
        };
        let text = format!("{grant:?} {grant:#?}");
        assert!(
            !text.contains("SecretValue") && text.contains("********"),
            "{text}"
        );
        let issued = TokenOutcome::Issued {
            access_token: "eyJ0eXAi.TokenValue".into(),
        };
        let text = format!("{issued:?} {issued:#?}");
        assert!(
            !text.contains("TokenValue") && text.contains("********"),
            "{text}"
        );
    }

    #[test]
    fn one_line_cleans_and_cuts() {
        assert_eq!(one_line("a\r\n  b\u{7}c", 10), "a b c");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }
}
