//! Shared by the live checks' tests: a mock token endpoint and a mock SMTP server on 127.0.0.1, test
//! certificates made with rcgen, test tokens, and a config file builder. Nothing here reaches the internet.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;
use racm_lint::catalog::RuleSet;
use racm_lint::diagnostic::{Diagnostic, FileReport};
use racm_lint::i18n::Lang;
use racm_lint::online::{OnlineMode, OnlineOptions, OnlineSession};
use racm_lint::render::{self, RenderOptions};

/// How long a mock server waits for the client before giving up on a connection (never reached in a
/// passing test; it only keeps a broken test from hanging).
const SERVER_PATIENCE: Duration = Duration::from_secs(10);

pub const TENANT: &str = "8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d";
pub const CLIENT_ID: &str = "0b5e4f2a-7c1d-4e3b-8a9f-6d2c1b0a9e8f";
pub const OBJECT_ID: &str = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
pub const SECRET: &str = "Zq78Q~SuperSecretValue.0123456789abcdefgh";
pub const USER: &str = "notification@contoso.onmicrosoft.com";

// --- Certificates ---

/// A test CA and a server certificate it issued for `localhost` and `127.0.0.1`.
pub struct Pki {
    pub ca_pem: String,
    pub server: Arc<rustls::ServerConfig>,
    /// The CA in a PEM file, for `--ca-file`.
    pub ca_file: tempfile::NamedTempFile,
}

impl Pki {
    pub fn new() -> Pki {
        Pki::for_names(&["localhost", "127.0.0.1"])
    }

    /// A server certificate valid only for `names`.
    pub fn for_names(names: &[&str]) -> Pki {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "racm-lint test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);

        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut leaf_params = rcgen::CertificateParams::new(names).unwrap();
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "racm-lint test server");
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf_cert = leaf_params.signed_by(&leaf_key, &issuer).unwrap();

        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
        let server = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf_cert.der().clone()], key)
        .unwrap();
        let ca_pem = ca_cert.pem();
        let mut ca_file = tempfile::NamedTempFile::new().unwrap();
        ca_file.write_all(ca_pem.as_bytes()).unwrap();
        Pki {
            ca_pem,
            server: Arc::new(server),
            ca_file,
        }
    }
}

/// A plain or TLS server-side stream.
enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Conn {
    fn tcp(&self) -> &TcpStream {
        match self {
            Conn::Plain(s) => s,
            Conn::Tls(s) => &s.sock,
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

/// Reads one line (without its CRLF), byte by byte so that nothing is buffered past it (STARTTLS).
fn read_line(conn: &mut impl Read) -> io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if conn.read(&mut byte)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        if byte[0] == b'\n' {
            break;
        }
        line.push(byte[0]);
        if line.len() > 100_000 {
            return Err(io::ErrorKind::InvalidData.into());
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

// --- A server that accepts connections on a thread until dropped ---

struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
    handle: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves each connection with `serve`, one after the other. `serve` may return the stream to keep it open
    /// (a server that never answers) until the server is dropped.
    fn start(serve: impl Fn(TcpStream) -> Option<Conn> + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let handle = {
            let (stop, connections) = (stop.clone(), connections.clone());
            std::thread::spawn(move || {
                let mut held = Vec::new();
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let _ = stream.set_read_timeout(Some(SERVER_PATIENCE));
                    let _ = stream.set_write_timeout(Some(SERVER_PATIENCE));
                    held.extend(serve(stream));
                }
            })
        };
        Server {
            addr,
            stop,
            connections,
            handle: Some(handle),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

/// A port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

// --- Mock token endpoint ---

/// What the mock token endpoint answers.
#[derive(Clone)]
pub enum TokenReply {
    /// Status and JSON body.
    Json(u16, String),
    /// The raw bytes of the whole HTTP response.
    Raw(Vec<u8>),
    /// Reads the request, then never answers.
    Silent,
    /// A body of this many bytes, with its Content-Length.
    Huge(usize),
    /// A body of this many bytes, without Content-Length (read until close).
    HugeChunked(usize),
    /// Echoes the request's body as is (the secret form-urlencoded) after `pad` characters, with this status and
    /// content type: a misconfigured endpoint or proxy.
    Echo {
        status: u16,
        content_type: &'static str,
        pad: usize,
    },
}

/// A request the mock received.
#[derive(Debug, Clone)]
pub struct TokenRequestSeen {
    pub path: String,
    pub form: HashMap<String, String>,
    /// The body as received.
    pub body: Vec<u8>,
}

pub struct MockToken {
    server: Server,
    tls: bool,
    requests: Arc<Mutex<Vec<TokenRequestSeen>>>,
}

impl MockToken {
    pub fn start(reply: TokenReply) -> MockToken {
        Self::start_with(reply, None)
    }

    /// Over https, with the certificate of `pki`.
    pub fn start_tls(reply: TokenReply, pki: &Pki) -> MockToken {
        Self::start_with(reply, Some(pki.server.clone()))
    }

    fn start_with(reply: TokenReply, tls: Option<Arc<rustls::ServerConfig>>) -> MockToken {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let is_tls = tls.is_some();
        let server = Server::start(move |stream| {
            let mut conn = match &tls {
                Some(config) => Conn::Tls(Box::new(rustls::StreamOwned::new(
                    rustls::ServerConnection::new(config.clone()).unwrap(),
                    stream,
                ))),
                None => Conn::Plain(stream),
            };
            let request = read_http_request(&mut conn).ok()?;
            let echoed = request.body.clone();
            seen.lock().unwrap().push(request);
            let response = match &reply {
                TokenReply::Json(status, body) => http_response(
                    *status,
                    "application/json; charset=utf-8",
                    body.as_bytes(),
                    true,
                ),
                TokenReply::Raw(bytes) => bytes.clone(),
                TokenReply::Silent => return Some(conn),
                TokenReply::Huge(n) => {
                    http_response(200, "application/json", &vec![b'a'; *n], true)
                }
                TokenReply::HugeChunked(n) => {
                    http_response(200, "application/json", &vec![b'a'; *n], false)
                }
                TokenReply::Echo {
                    status,
                    content_type,
                    pad,
                } => {
                    let mut body = "x".repeat(*pad).into_bytes();
                    body.push(b' ');
                    body.extend_from_slice(&echoed);
                    http_response(*status, content_type, &body, true)
                }
            };
            let _ = conn.write_all(&response);
            let _ = conn.flush();
            if let Conn::Tls(tls) = &mut conn {
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
            None
        });
        MockToken {
            server,
            tls: is_tls,
            requests,
        }
    }

    pub fn port(&self) -> u16 {
        self.server.addr.port()
    }

    /// The token URL for `tenant` on this server.
    pub fn url(&self, tenant: &str) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!(
            "{scheme}://127.0.0.1:{}/{tenant}/oauth2/v2.0/token",
            self.port()
        )
    }

    /// The `--allow-host` value naming this server.
    pub fn allow(&self) -> String {
        format!("127.0.0.1:{}", self.port())
    }

    pub fn requests(&self) -> Vec<TokenRequestSeen> {
        self.requests.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.server.connections.load(Ordering::SeqCst)
    }
}

fn read_http_request(conn: &mut Conn) -> io::Result<TokenRequestSeen> {
    let request_line = read_line(conn)?;
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let mut length = 0;
    loop {
        let line = read_line(conn)?;
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    let form = url::form_urlencoded::parse(&body).into_owned().collect();
    Ok(TokenRequestSeen { path, form, body })
}

fn http_response(status: u16, content_type: &str, body: &[u8], with_length: bool) -> Vec<u8> {
    let mut out =
        format!("HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nConnection: close\r\n");
    if with_length {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// A JWT with these claims (signature not real: racm-lint does not verify it).
pub fn jwt(claims: &serde_json::Value) -> String {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    format!(
        "{}.{}.{}",
        b64(br#"{"typ":"JWT","alg":"RS256","kid":"test"}"#),
        b64(claims.to_string().as_bytes()),
        b64(b"not-a-real-signature-TOKENSIGNATURE")
    )
}

/// The claims of a good Exchange Online application token.
pub fn good_claims() -> serde_json::Value {
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    serde_json::json!({
        "aud": "https://outlook.office.com",
        "iss": format!("https://sts.windows.net/{TENANT}/"),
        "tid": TENANT,
        "appid": CLIENT_ID,
        "oid": OBJECT_ID,
        "roles": ["SMTP.SendAsApp"],
        "exp": exp,
        "ver": "1.0",
    })
}

/// A token response carrying `token`.
pub fn token_response(token: &str) -> TokenReply {
    TokenReply::Json(
        200,
        serde_json::json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token})
            .to_string(),
    )
}

/// Microsoft's error response for an AADSTS code.
pub fn aadsts_response(status: u16, error: &str, code: u64, text: &str) -> TokenReply {
    let description = format!(
        "AADSTS{code}: {text}\r\nTrace ID: 0d1f2e3c-trace\r\nCorrelation ID: 9a8b7c6d-corr\r\nTimestamp: 2026-11-28 10:00:00Z"
    );
    TokenReply::Json(
        status,
        serde_json::json!({
            "error": error,
            "error_description": description,
            "error_codes": [code],
            "timestamp": "2026-11-28 10:00:00Z",
            "trace_id": "0d1f2e3c-trace",
            "correlation_id": "9a8b7c6d-corr",
        })
        .to_string(),
    )
}

// --- Mock SMTP server ---

/// How the mock SMTP server answers the XOAUTH2 credentials.
#[derive(Clone)]
pub enum AuthReply {
    Accept,
    /// A final reply to the credentials (e.g. `535 5.7.3 Authentication unsuccessful`).
    Reject(String),
    /// `334 <base64 json>`, then after the client's empty line, `last`.
    RejectWithReason {
        json: String,
        last: String,
    },
    /// The reply to `AUTH XOAUTH2` itself (e.g. `530 5.7.57 ...`).
    RefuseAuth(String),
}

/// Faults of the mock SMTP server.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Accepts the connection and never says anything.
    Silent,
    /// Closes the connection right after the credentials are sent.
    DropAfterCredentials,
    /// Answers STARTTLS with 220, then answers the ClientHello with plain text.
    NotTls,
}

#[derive(Clone)]
pub struct SmtpScript {
    pub starttls: bool,
    pub xoauth2: bool,
    pub auth: AuthReply,
    /// The reply to STARTTLS, when it is not `220` (then the connection stays in clear text).
    pub starttls_reply: Option<String>,
    /// The reply after the message's final dot.
    pub data_reply: String,
    pub fault: Fault,
}

impl Default for SmtpScript {
    fn default() -> Self {
        SmtpScript {
            starttls: true,
            xoauth2: true,
            auth: AuthReply::Accept,
            starttls_reply: None,
            data_reply: "250 2.0.0 OK <test@mock> [Hostname=MOCK] Queued mail for delivery"
                .to_string(),
            fault: Fault::None,
        }
    }
}

/// What the mock SMTP server saw.
#[derive(Debug, Clone, Default)]
pub struct SmtpLog {
    /// Commands, with the credentials line replaced by `<credentials>`.
    pub commands: Vec<String>,
    pub auth_user: Option<String>,
    pub auth_token: Option<String>,
    pub auth_over_tls: bool,
    pub message: Option<String>,
}

pub struct MockSmtp {
    server: Server,
    log: Arc<Mutex<SmtpLog>>,
}

impl MockSmtp {
    pub fn start(script: SmtpScript, pki: &Pki) -> MockSmtp {
        let log = Arc::new(Mutex::new(SmtpLog::default()));
        let seen = log.clone();
        let config = pki.server.clone();
        let server = Server::start(move |stream| serve_smtp(stream, &script, &config, &seen));
        MockSmtp { server, log }
    }

    pub fn port(&self) -> u16 {
        self.server.addr.port()
    }

    pub fn log(&self) -> SmtpLog {
        self.log.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.server.connections.load(Ordering::SeqCst)
    }

    /// The `--allow-host` value naming this server.
    pub fn allow(&self) -> String {
        format!("127.0.0.1:{}", self.port())
    }
}

fn serve_smtp(
    stream: TcpStream,
    script: &SmtpScript,
    config: &Arc<rustls::ServerConfig>,
    log: &Mutex<SmtpLog>,
) -> Option<Conn> {
    let mut conn = Conn::Plain(stream);
    if script.fault == Fault::Silent {
        return Some(conn);
    }
    let _ = smtp_session(&mut conn, script, config, log);
    None
}

fn smtp_session(
    conn: &mut Conn,
    script: &SmtpScript,
    config: &Arc<rustls::ServerConfig>,
    log: &Mutex<SmtpLog>,
) -> io::Result<()> {
    let send = |conn: &mut Conn, text: &str| -> io::Result<()> {
        conn.write_all(text.as_bytes())?;
        conn.write_all(b"\r\n")?;
        conn.flush()
    };
    send(
        conn,
        "220 MOCK.outlook.office365.com Microsoft ESMTP MAIL Service ready",
    )?;
    loop {
        let line = read_line(conn)?;
        let upper = line.to_ascii_uppercase();
        let tls = matches!(conn, Conn::Tls(_));
        log.lock().unwrap().commands.push(line.clone());
        if upper.starts_with("EHLO") {
            let mut lines = vec![
                "250-MOCK.outlook.office365.com Hello".to_string(),
                "250-SIZE 157286400".to_string(),
            ];
            if !tls && script.starttls {
                lines.push("250-STARTTLS".to_string());
            }
            if tls {
                lines.push(
                    if script.xoauth2 {
                        "250-AUTH LOGIN XOAUTH2"
                    } else {
                        "250-AUTH LOGIN"
                    }
                    .to_string(),
                );
            }
            lines.push("250 8BITMIME".to_string());
            send(conn, &lines.join("\r\n"))?;
        } else if upper == "STARTTLS" {
            if let Some(reply) = &script.starttls_reply {
                send(conn, reply)?;
                continue;
            }
            send(conn, "220 2.0.0 SMTP server ready")?;
            if script.fault == Fault::NotTls {
                // Wait for the ClientHello, then answer with plain text.
                let mut hello = [0u8; 64];
                let _ = conn.read(&mut hello)?;
                send(
                    conn,
                    "this is not TLS at all, just some plain text from a confused server",
                )?;
                return Ok(());
            }
            let placeholder = Conn::Plain(conn.tcp().try_clone()?);
            let Conn::Plain(tcp) = std::mem::replace(conn, placeholder) else {
                unreachable!()
            };
            *conn = Conn::Tls(Box::new(rustls::StreamOwned::new(
                rustls::ServerConnection::new(config.clone()).map_err(io::Error::other)?,
                tcp,
            )));
        } else if upper.starts_with("AUTH XOAUTH2") {
            log.lock().unwrap().auth_over_tls = tls;
            if let AuthReply::RefuseAuth(reply) = &script.auth {
                send(conn, reply)?;
                continue;
            }
            send(conn, "334 ")?;
            let credentials = read_line(conn)?;
            log.lock()
                .unwrap()
                .commands
                .push("<credentials>".to_string());
            if script.fault == Fault::DropAfterCredentials {
                return Ok(());
            }
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(credentials.trim())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let mut parts = decoded.split('\x01');
            let user = parts
                .next()
                .and_then(|p| p.strip_prefix("user="))
                .map(str::to_string);
            let token = parts
                .next()
                .and_then(|p| p.strip_prefix("auth=Bearer "))
                .map(str::to_string);
            {
                let mut log = log.lock().unwrap();
                log.auth_user = user;
                log.auth_token = token;
            }
            match &script.auth {
                AuthReply::Accept => send(conn, "235 2.7.0 Authentication successful")?,
                AuthReply::Reject(reply) => send(conn, reply)?,
                AuthReply::RejectWithReason { json, last } => {
                    send(
                        conn,
                        &format!(
                            "334 {}",
                            base64::engine::general_purpose::STANDARD.encode(json)
                        ),
                    )?;
                    let empty = read_line(conn)?;
                    log.lock()
                        .unwrap()
                        .commands
                        .push(format!("<after reason: {empty:?}>"));
                    send(conn, last)?;
                }
                AuthReply::RefuseAuth(_) => unreachable!(),
            }
        } else if upper.starts_with("MAIL FROM") {
            send(conn, "250 2.1.0 Sender OK")?;
        } else if upper.starts_with("RCPT TO") {
            send(conn, "250 2.1.5 Recipient OK")?;
        } else if upper == "DATA" {
            send(conn, "354 Start mail input; end with <CRLF>.<CRLF>")?;
            let mut message = String::new();
            loop {
                let line = read_line(conn)?;
                if line == "." {
                    break;
                }
                message.push_str(&line);
                message.push('\n');
            }
            log.lock().unwrap().message = Some(message);
            send(conn, &script.data_reply)?;
        } else if upper == "QUIT" {
            send(conn, "221 2.0.0 Service closing transmission channel")?;
            if let Conn::Tls(tls) = conn {
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
            return Ok(());
        } else {
            send(conn, "500 5.3.3 Unrecognized command")?;
        }
    }
}

// --- Config files and runs ---

/// The ten documented keys, pointing at the mock servers.
#[derive(Clone)]
pub struct Config {
    pub token_url: String,
    pub client_id: String,
    pub secret: String,
    pub scope: String,
    pub host: String,
    pub port: String,
    pub user: String,
    pub sender: String,
}

impl Config {
    pub fn new(token_url: &str, smtp_port: u16) -> Config {
        Config {
            token_url: token_url.to_string(),
            client_id: CLIENT_ID.to_string(),
            secret: SECRET.to_string(),
            scope: "https://outlook.office.com/.default".to_string(),
            host: "127.0.0.1".to_string(),
            port: smtp_port.to_string(),
            user: USER.to_string(),
            sender: USER.to_string(),
        }
    }

    pub fn text(&self) -> Vec<u8> {
        format!(
            "# RAC/M Identity mail settings\n\
             mail.auth.protocol=oauth2\n\
             mail.server.host={}\n\
             mail.server.port={}\n\
             mail.server.starttls.enable=true\n\
             mail.server.user={}\n\
             mail.oauth2.token.url={}\n\
             mail.oauth2.client.id={}\n\
             mail.oauth2.client.secret={}\n\
             mail.oauth2.scopes={}\n\
             mail.option.sender={}\n",
            self.host,
            self.port,
            self.user,
            self.token_url,
            self.client_id,
            self.secret,
            self.scope,
            self.sender
        )
        .into_bytes()
    }
}

/// Options for a run against the mock servers: a short timeout, the token server allowed.
pub fn options(mode: OnlineMode, token: &MockToken) -> OnlineOptions {
    let mut options = OnlineOptions::new(mode, Lang::En);
    options.timeout = Duration::from_secs(2);
    options.allow_hosts = vec![token.allow()];
    options
}

pub fn rules() -> RuleSet {
    RuleSet::builtin().unwrap()
}

/// Runs the live checks on `source` with `options`.
pub fn run(options: OnlineOptions, source: &[u8]) -> Vec<Diagnostic> {
    let mut session = OnlineSession::new(options).unwrap();
    let diagnostics = session.check_source(&rules(), source);
    assert_filled(&diagnostics);
    diagnostics
}

/// Fails if a text keeps a `{placeholder}` the check did not fill.
pub fn assert_filled(diagnostics: &[Diagnostic]) {
    let placeholder = regex::Regex::new(r"\{[a-z_]+\}").unwrap();
    for d in diagnostics {
        for text in [
            &d.message,
            d.help.as_deref().unwrap_or(""),
            d.why.as_deref().unwrap_or(""),
        ] {
            assert!(
                !placeholder.is_match(text),
                "{} keeps a placeholder: {text}",
                d.code
            );
        }
    }
}

/// The rule names of the diagnostics, in order.
pub fn names(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.rule.as_str()).collect()
}

/// The diagnostic of rule `name`, or a panic showing what there was.
pub fn find<'d>(diagnostics: &'d [Diagnostic], name: &str) -> &'d Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.rule == name)
        .unwrap_or_else(|| panic!("no `{name}` in {:?}", names(diagnostics)))
}

/// The text of the line a diagnostic points at.
pub fn pointed_key(diagnostic: &Diagnostic) -> &str {
    diagnostic.key.as_deref().unwrap_or("<none>")
}

/// Every output format of the diagnostics, rendered.
pub fn render_all(source: &[u8], diagnostics: &[Diagnostic], lang: Lang) -> String {
    let reports = [FileReport {
        secrets: None,
        path: "conf/config.properties".to_string(),
        source: source.to_vec(),
        diagnostics: diagnostics.to_vec(),
    }];
    let mut out = render::human::render(&reports, RenderOptions { lang, color: false });
    for text in [
        render::json::render(&reports),
        render::concise::render(&reports),
        render::github::render(&reports),
        render::gitlab::render(&reports),
        render::azure::render(&reports),
        render::junit::render(&reports),
        render::sarif::render(&reports, &rules(), lang),
    ] {
        out.push_str(&text);
    }
    out
}

/// The human output alone.
pub fn human(source: &[u8], diagnostics: &[Diagnostic]) -> String {
    let reports = [FileReport {
        secrets: None,
        path: "conf/config.properties".to_string(),
        source: source.to_vec(),
        diagnostics: diagnostics.to_vec(),
    }];
    render::human::render(
        &reports,
        RenderOptions {
            lang: Lang::En,
            color: false,
        },
    )
}

/// Fails if a diagnostic's text or any output format, in either language, shows one of `secrets` (the client
/// secret, the token).
pub fn assert_nothing_leaks(source: &[u8], diagnostics: &[Diagnostic], secrets: &[&str]) {
    let base64_secret = base64::engine::general_purpose::STANDARD.encode(SECRET);
    let secrets: Vec<&str> = secrets
        .iter()
        .copied()
        .chain([base64_secret.as_str()])
        .filter(|s| !s.is_empty())
        .collect();
    for d in diagnostics {
        let texts = [
            &d.message,
            d.help.as_deref().unwrap_or(""),
            d.why.as_deref().unwrap_or(""),
            d.label.as_deref().unwrap_or(""),
        ];
        for text in texts
            .into_iter()
            .chain(d.notes.iter().map(String::as_str))
            .chain(d.secondary.iter().map(|l| l.message.as_str()))
        {
            for secret in &secrets {
                assert!(
                    !text.contains(secret),
                    "{} shows a secret `{secret}`: {text}",
                    d.code
                );
            }
        }
    }
    for lang in [Lang::En, Lang::Fr] {
        let text = render_all(source, diagnostics, lang);
        for secret in &secrets {
            assert!(
                !text.contains(secret),
                "output shows a secret `{secret}`:\n{text}"
            );
        }
    }
}

/// Fails if any output format, in either language, shows a piece of `secret` of `n` characters, as is or
/// form-urlencoded (`~` as `%7E`): a secret cut at the end of an excerpt must not show its start.
pub fn assert_no_piece_leaks(source: &[u8], diagnostics: &[Diagnostic], secret: &str, n: usize) {
    let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let pieces: Vec<String> = [secret, encoded.as_str()]
        .iter()
        .flat_map(|form| {
            let chars: Vec<char> = form.chars().collect();
            chars
                .windows(n)
                .map(|w| w.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut texts = vec![
        render_all(source, diagnostics, Lang::En),
        render_all(source, diagnostics, Lang::Fr),
    ];
    texts.extend(diagnostics.iter().map(|d| format!("{d:?}")));
    for text in &texts {
        for piece in &pieces {
            assert!(
                !text.contains(piece.as_str()),
                "output shows `{piece}`, a piece of a secret:\n{text}"
            );
        }
    }
}
