//! Where the secret may go, and options that stop the live checks before anything is contacted.

#[path = "support/online.rs"]
mod support;

use std::io::Write as _;
use std::time::Duration;

use racm_lint::i18n::Lang;
use racm_lint::online::{OnlineError, OnlineMode, OnlineOptions, OnlineSession};
use support::*;

fn token_options(allow: &[String]) -> OnlineOptions {
    let mut options = OnlineOptions::new(OnlineMode::Token, Lang::En);
    options.timeout = Duration::from_secs(2);
    options.allow_hosts = allow.to_vec();
    options
}

#[test]
fn a_host_that_is_not_named_is_not_contacted() {
    let pki = Pki::new();
    let mock = MockToken::start_tls(token_response(&jwt(&good_claims())), &pki);
    let source = Config::new(&mock.url(TENANT), 587).text();
    let mut options = token_options(&[]);
    options.ca_files = vec![pki.ca_file.path().to_path_buf()];
    let diagnostics = run(options.clone(), &source);
    assert_eq!(names(&diagnostics), ["token-host-refused"]);
    let d = &diagnostics[0];
    assert_eq!(pointed_key(d), "mail.oauth2.token.url");
    assert_eq!(d.label.as_deref(), Some("not contacted"));
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains(&format!("--allow-host 127.0.0.1:{}", mock.port()))
    );
    assert!(
        d.why
            .as_deref()
            .unwrap()
            .contains("`login.microsoftonline.com`")
    );
    // The cloud table's identity hosts, in its order, each once.
    let text = format!("{} {}", d.message, d.why.as_deref().unwrap());
    assert!(
        text.contains(
            "`login.microsoftonline.com`, `login.microsoft.com`, `login.windows.net`, \
             `login.microsoftonline.us`, `login.partner.microsoftonline.cn`"
        ),
        "{text}"
    );
    // The host alone allows port 443 only.
    options.allow_hosts = vec!["127.0.0.1".to_string()];
    assert_eq!(
        names(&run(options.clone(), &source)),
        ["token-host-refused"]
    );
    assert_eq!(mock.connections(), 0);
    // Named exactly, it is used.
    options.allow_hosts = vec![mock.allow()];
    assert_eq!(names(&run(options, &source)), ["token-obtained"]);
    assert_eq!(mock.connections(), 1);
}

#[test]
fn a_lookalike_of_a_microsoft_host_is_refused_without_a_lookup() {
    let url = format!("https://login.microsoftonline.com.example.net/{TENANT}/oauth2/v2.0/token");
    let diagnostics = run(token_options(&[]), &Config::new(&url, 587).text());
    assert_eq!(names(&diagnostics), ["token-host-refused"]);
    assert!(
        diagnostics[0]
            .message
            .contains("`login.microsoftonline.com.example.net`")
    );
}

#[test]
fn plain_http_goes_only_to_a_named_loopback_host() {
    let mock = MockToken::start(token_response(&jwt(&good_claims())));
    let source = Config::new(&mock.url(TENANT), 587).text();
    assert_eq!(
        names(&run(token_options(&[]), &source)),
        ["token-http-refused"]
    );
    let other_port = format!("127.0.0.1:{}", closed_port());
    assert_eq!(
        names(&run(token_options(&[other_port]), &source)),
        ["token-http-refused"]
    );
    assert_eq!(mock.connections(), 0);
    assert_eq!(
        names(&run(token_options(&[mock.allow()]), &source)),
        ["token-obtained"]
    );

    // Never to another host, even when named.
    let url = format!("http://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token");
    let allow = ["login.microsoftonline.com:80".to_string()];
    assert_eq!(
        names(&run(token_options(&allow), &Config::new(&url, 587).text())),
        ["token-http-refused"]
    );
}

#[test]
fn a_value_that_is_not_a_url_is_not_contacted() {
    for url in [
        format!("login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"),
        format!("ftp://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"),
    ] {
        let diagnostics = run(token_options(&[]), &Config::new(&url, 587).text());
        assert_eq!(names(&diagnostics), ["token-url-unusable"], "{url}");
    }
}

#[test]
fn bad_options_are_errors_before_anything_runs() {
    let error = |options: OnlineOptions| OnlineSession::new(options).err().expect("an error");

    let mut options = token_options(&["https://host/".to_string()]);
    assert!(matches!(
        error(options.clone()),
        OnlineError::AllowHost { .. }
    ));
    options.allow_hosts = vec!["host:99999".to_string()];
    assert!(error(options.clone()).to_string().contains("host:99999"));

    let mut options = token_options(&[]);
    options.ca_files = vec!["/nonexistent/ca.pem".into()];
    let message = error(options).to_string();
    assert!(message.contains("/nonexistent/ca.pem"), "{message}");

    let mut not_pem = tempfile::NamedTempFile::new().unwrap();
    not_pem.write_all(b"just text\n").unwrap();
    let mut options = token_options(&[]);
    options.ca_files = vec![not_pem.path().to_path_buf()];
    assert!(matches!(error(options), OnlineError::CaFile { .. }));

    let mut options = token_options(&[]);
    options.send_test_to = Some("admin@contoso.com".to_string());
    assert!(matches!(
        error(options.clone()),
        OnlineError::SendTestNeedsSmtp
    ));
    options.mode = OnlineMode::Smtp;
    options.send_test_to = Some("not an address".to_string());
    assert!(matches!(error(options), OnlineError::SendTestTo { .. }));

    for timeout in [Duration::ZERO, Duration::from_secs(601), Duration::MAX] {
        let mut options = token_options(&[]);
        options.timeout = timeout;
        assert!(
            matches!(error(options), OnlineError::TimeoutOutOfRange),
            "{timeout:?}"
        );
    }
}

#[test]
fn a_session_contacts_nothing_until_it_checks_a_file() {
    let mock = MockToken::start(token_response(&jwt(&good_claims())));
    let session = OnlineSession::new(token_options(&[mock.allow()])).unwrap();
    assert_eq!(session.options().mode, OnlineMode::Token);
    drop(session);
    assert_eq!(mock.connections(), 0);
}

#[test]
fn the_rule_selection_applies_to_online_diagnostics() {
    let mock = MockToken::start(aadsts_response(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided.",
    ));
    let diagnostics = run(
        token_options(&[mock.allow()]),
        &Config::new(&mock.url(TENANT), 587).text(),
    );
    let source = Config::new(&mock.url(TENANT), 587).text();
    let select = |selection: &racm_lint::catalog::Selection| {
        racm_lint::engine::Linter::new(rules(), Lang::En)
            .with_selection(selection.clone())
            .accept_live(&source, diagnostics.clone())
    };
    let mut selection = racm_lint::catalog::Selection::default();
    let kept = select(&selection);
    assert_eq!(names(&kept), ["token-secret-invalid"]);
    selection.severity.insert(
        "token-secret-invalid".to_string(),
        Some(racm_lint::catalog::Severity::Warning),
    );
    let kept = select(&selection);
    assert_eq!(kept[0].severity, racm_lint::catalog::Severity::Warning);
    selection.ignore = vec!["RL5".to_string()];
    assert!(select(&selection).is_empty());
}
