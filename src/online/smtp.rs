//! The SMTP check: connect, EHLO, STARTTLS (certificate verified), EHLO, `AUTH XOAUTH2` driven by hand so that a
//! rejection's reason is kept, an optional test message, QUIT.

use std::net::{SocketAddr, ToSocketAddrs as _};
use std::time::Duration;

use base64::Engine as _;
use lettre::address::Envelope;
use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::transport::smtp::authentication::Mechanism;
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::{ClientId, Extension};
use lettre::transport::smtp::response::Response;

use super::scrub::Scrub;
use super::tls::{error_chain, find_cause, io_kind};

/// The steps a failure can happen in, named by what was sent (the same words in every language).
pub const RESOLVE: &str = "DNS";
pub const CONNECT: &str = "connect, greeting, EHLO";
pub const STARTTLS: &str = "STARTTLS";
pub const AUTH: &str = "AUTH XOAUTH2";
pub const MESSAGE: &str = "MAIL FROM, RCPT TO, DATA";

/// What to sign in with.
pub struct Login<'a> {
    pub host: &'a str,
    pub port: u16,
    pub user: &'a str,
    pub token: &'a str,
    pub timeout: Duration,
    pub tls: &'a TlsParameters,
    /// Sender and recipient of a test message to send after signing in.
    pub test_message: Option<(&'a lettre::Address, &'a lettre::Address)>,
}

/// A reply of the server: its code and text (the lines joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

impl Reply {
    /// The reply, scrubbed of the token before it is cut to length (a server may echo what it got).
    fn of(response: &Response, scrub: &Scrub) -> Reply {
        Reply {
            code: response.code().into(),
            text: scrub.line(&response.message().collect::<Vec<_>>().join(" "), 400),
        }
    }

    /// The enhanced status code (`5.7.3`) the text starts with.
    pub fn enhanced(&self) -> Option<&str> {
        let word = self.text.split_whitespace().next()?;
        let parts: Vec<&str> = word.split('.').collect();
        (parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
        .then_some(word)
    }

    /// Whether the reply is `code` with the enhanced code `enhanced`.
    pub fn is(&self, code: u16, enhanced: &str) -> bool {
        self.code == code && self.enhanced() == Some(enhanced)
    }
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

/// Why the SMTP check stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtpFailure {
    /// No connection: unknown host, refused, unreachable.
    Unreachable(String),
    /// No answer within the timeout, during a step.
    Timeout { during: &'static str },
    /// The server offers no STARTTLS: the token would cross the network in clear, so it is not sent.
    NoStarttls,
    /// The TLS handshake failed (certificate not trusted, wrong name, protocol).
    Tls(String),
    /// After STARTTLS the server offers no `AUTH XOAUTH2`; `offered` lists the mechanisms it does offer.
    NoXoauth2 { offered: Vec<&'static str> },
    /// A reply that ends the step: a rejection, or an unexpected code. `reason` is the decoded JSON of a
    /// `334` challenge that came before it.
    Rejected {
        during: &'static str,
        reply: Reply,
        reason: Option<String>,
    },
    /// The connection broke (closed, reset, garbled reply).
    Lost {
        during: &'static str,
        detail: String,
    },
}

/// What happened: the sign-in, then the test message if one was asked for and the sign-in worked.
#[derive(Debug, Clone)]
pub struct SmtpOutcome {
    pub login: Result<(), SmtpFailure>,
    pub test_message: Option<Result<Reply, SmtpFailure>>,
}

/// Signs in to the server, sends the test message if asked, and says goodbye. Every text kept from the server
/// is scrubbed of the token and of the credentials line that carries it.
pub fn login(login: &Login<'_>) -> SmtpOutcome {
    let credentials = credentials(login.user, login.token);
    let scrub = Scrub::new([login.token, credentials.as_str()]);
    let failed = |failure| SmtpOutcome {
        login: Err(failure),
        test_message: None,
    };
    let addresses = match resolve(login.host, login.port, login.timeout) {
        Ok(addresses) => addresses,
        Err(failure) => return failed(failure),
    };
    let hello = ClientId::Domain("localhost".to_string());
    let mut conn = match SmtpConnection::connect(
        addresses.as_slice(),
        Some(login.timeout),
        &hello,
        None,
        None,
    ) {
        Ok(conn) => conn,
        Err(error) => return failed(classify(&error, CONNECT, &scrub)),
    };
    if !conn.server_info().supports_feature(Extension::StartTls) {
        let _ = conn.quit();
        return failed(SmtpFailure::NoStarttls);
    }
    if let Err(error) = conn.starttls(login.tls, &hello) {
        // lettre has already closed the connection.
        return failed(classify(&error, STARTTLS, &scrub));
    }
    if !conn
        .server_info()
        .supports_auth_mechanism(Mechanism::Xoauth2)
    {
        let offered = [(Mechanism::Plain, "PLAIN"), (Mechanism::Login, "LOGIN")]
            .into_iter()
            .filter(|(m, _)| conn.server_info().supports_auth_mechanism(*m))
            .map(|(_, name)| name)
            .collect();
        let _ = conn.quit();
        return failed(SmtpFailure::NoXoauth2 { offered });
    }
    if let Err(failure) = authenticate(&mut conn, &credentials, &scrub) {
        if matches!(failure, SmtpFailure::Rejected { .. }) {
            let _ = conn.quit();
        }
        return failed(failure);
    }
    let test_message = login
        .test_message
        .map(|(from, to)| send_test_message(&mut conn, from, to, &scrub));
    if !matches!(
        test_message,
        Some(Err(SmtpFailure::Timeout { .. } | SmtpFailure::Lost { .. }))
    ) {
        let _ = conn.quit();
    }
    SmtpOutcome {
        login: Ok(()),
        test_message,
    }
}

/// The addresses of `host`, within `timeout`: the system resolver has no timeout of its own, so it runs on a
/// thread left to finish alone if it takes longer.
fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, SmtpFailure> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let host = host.to_string();
    std::thread::spawn(move || {
        let _ = sender.send(
            (host.as_str(), port)
                .to_socket_addrs()
                .map(Iterator::collect),
        );
    });
    match receiver.recv_timeout(timeout) {
        Ok(Ok(addresses)) => Ok(addresses),
        Ok(Err(error)) => Err(SmtpFailure::Unreachable(error.to_string())),
        Err(_) => Err(SmtpFailure::Timeout { during: RESOLVE }),
    }
}

/// The XOAUTH2 credentials line: the base64 of `user=...^Aauth=Bearer ...^A^A`.
fn credentials(user: &str, token: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(format!("user={user}\x01auth=Bearer {token}\x01\x01"))
}

/// `AUTH XOAUTH2`, then after `334` the [`credentials`]. A `334` with a base64 JSON reason is a rejection: the
/// reason is kept, an empty line is sent, and the final code read.
fn authenticate(
    conn: &mut SmtpConnection,
    credentials: &str,
    scrub: &Scrub,
) -> Result<(), SmtpFailure> {
    let rejected = |reply: Reply, reason: Option<String>| SmtpFailure::Rejected {
        during: AUTH,
        reply,
        reason,
    };
    let challenge = conn
        .command("AUTH XOAUTH2\r\n")
        .map_err(|e| classify(&e, AUTH, scrub))?;
    if !challenge.has_code(334) {
        return Err(rejected(Reply::of(&challenge, scrub), None));
    }
    let answer = conn
        .command(format!("{credentials}\r\n"))
        .map_err(|e| classify(&e, AUTH, scrub))?;
    if answer.has_code(235) {
        return Ok(());
    }
    if !answer.has_code(334) {
        return Err(rejected(Reply::of(&answer, scrub), None));
    }
    let reason = decode_reason(&answer, scrub);
    match conn.command("\r\n") {
        Ok(last) => Err(rejected(Reply::of(&last, scrub), reason)),
        Err(error) => Err(match classify(&error, AUTH, scrub) {
            SmtpFailure::Rejected { during, reply, .. } => SmtpFailure::Rejected {
                during,
                reply,
                reason,
            },
            other => other,
        }),
    }
}

/// The JSON reason of a `334` rejection (`{"status":"400","schemes":"Bearer","scope":"..."}`), or its text
/// when it is not base64 JSON.
fn decode_reason(challenge: &Response, scrub: &Scrub) -> Option<String> {
    let text: String = challenge.message().collect::<Vec<_>>().join("");
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    Some(scrub.line(decoded.as_deref().unwrap_or(text), 400))
}

fn send_test_message(
    conn: &mut SmtpConnection,
    from: &lettre::Address,
    to: &lettre::Address,
    scrub: &Scrub,
) -> Result<Reply, SmtpFailure> {
    let message = Message::builder()
        .from(Mailbox::new(Some("racm-lint".to_string()), from.clone()))
        .to(Mailbox::new(None, to.clone()))
        .subject("racm-lint test message")
        .header(ContentType::TEXT_PLAIN)
        .body(
            "This message was sent by racm-lint --send-test-to, to check the Microsoft 365 mail settings of \
             RAC/M Identity (conf/config.properties). No action is needed.\r\n"
                .to_string(),
        );
    let message = match message {
        Ok(message) => message,
        Err(error) => {
            return Err(SmtpFailure::Lost {
                during: MESSAGE,
                detail: error.to_string(),
            });
        }
    };
    let envelope: &Envelope = message.envelope();
    conn.send(envelope, &message.formatted())
        .map(|response| Reply::of(&response, scrub))
        .map_err(|e| classify(&e, MESSAGE, scrub))
}

/// Sorts a lettre error met `during` a step; the server's words in it are scrubbed.
fn classify(
    error: &lettre::transport::smtp::Error,
    during: &'static str,
    scrub: &Scrub,
) -> SmtpFailure {
    use std::io::ErrorKind;
    if let Some(code) = error.status() {
        let text = std::error::Error::source(error)
            .map(ToString::to_string)
            .unwrap_or_default();
        return SmtpFailure::Rejected {
            during,
            reply: Reply {
                code: code.into(),
                text: scrub.line(&text, 400),
            },
            reason: None,
        };
    }
    if let Some(tls) = find_cause::<rustls::Error>(error) {
        return SmtpFailure::Tls(scrub.text(&tls.to_string()));
    }
    match io_kind(error) {
        Some(ErrorKind::TimedOut | ErrorKind::WouldBlock) => SmtpFailure::Timeout { during },
        Some(
            ErrorKind::ConnectionRefused
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkUnreachable
            | ErrorKind::AddrNotAvailable,
        ) if during == CONNECT => SmtpFailure::Unreachable(scrub.text(&error_chain(error))),
        _ => SmtpFailure::Lost {
            during,
            detail: scrub.text(&error_chain(error)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enhanced_codes_are_read() {
        let reply = Reply {
            code: 535,
            text: "5.7.3 Authentication unsuccessful [X.prod]".into(),
        };
        assert!(reply.is(535, "5.7.3") && !reply.is(535, "5.7.139"));
        assert_eq!(
            reply.to_string(),
            "535 5.7.3 Authentication unsuccessful [X.prod]"
        );
        let reply = Reply {
            code: 554,
            text: "Transaction failed".into(),
        };
        assert_eq!(reply.enhanced(), None);
    }
}
