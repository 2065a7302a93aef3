//! The token request and its claims (`--online=token`), against a mock token endpoint on 127.0.0.1.

#[path = "support/online.rs"]
mod support;

use std::time::{Duration, Instant};

use racm_lint::catalog::Severity;
use racm_lint::diagnostic::Origin;
use racm_lint::i18n::Lang;
use racm_lint::online::OnlineMode;
use serde_json::json;
use support::*;

/// Runs `--online=token` against a mock answering `reply`; returns the diagnostics, the source and the mock.
fn token_run(reply: TokenReply) -> (Vec<racm_lint::diagnostic::Diagnostic>, Vec<u8>, MockToken) {
    let mock = MockToken::start(reply);
    let source = Config::new(&mock.url(TENANT), 587).text();
    let diagnostics = run(options(OnlineMode::Token, &mock), &source);
    (diagnostics, source, mock)
}

#[test]
fn a_good_token_is_reported_with_the_object_id_and_the_commands() {
    let token = jwt(&good_claims());
    let (diagnostics, source, mock) = token_run(token_response(&token));
    assert_eq!(names(&diagnostics), ["token-obtained"]);
    let d = &diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.severity, d.origin),
        ("RL540", Severity::Info, Origin::Online)
    );
    assert_eq!(pointed_key(d), "mail.oauth2.client.id");
    assert!(
        d.message.contains(OBJECT_ID) && d.message.contains("`SMTP.SendAsApp`"),
        "{}",
        d.message
    );
    let help = d.help.as_deref().unwrap();
    assert!(
        help.contains(&format!(
            "New-ServicePrincipal -AppId {CLIENT_ID} -ObjectId {OBJECT_ID}"
        )),
        "{help}"
    );
    assert!(
        help.contains(&format!(
            "Add-MailboxPermission -Identity \"{USER}\" -User {OBJECT_ID} -AccessRights FullAccess"
        )),
        "{help}"
    );
    assert!(
        d.why
            .as_deref()
            .unwrap()
            .contains("without verifying its signature")
    );
    assert_eq!(d.step.as_ref().unwrap().name, "ps-service-principal");

    // The request is the client-credentials grant, with the values as Java reads them.
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, format!("/{TENANT}/oauth2/v2.0/token"));
    let form = &requests[0].form;
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], CLIENT_ID);
    assert_eq!(form["client_secret"], SECRET);
    assert_eq!(form["scope"], "https://outlook.office.com/.default");
    assert_nothing_leaks(&source, &diagnostics, &[SECRET, &token]);
}

#[test]
fn each_aadsts_code_of_the_catalog_has_its_cause_step_and_key() {
    let cases: [(u64, &str, &str, &str, Option<&str>); 14] = [
        (
            900023,
            "invalid_request",
            "token-tenant-malformed",
            "mail.oauth2.token.url",
            Some("azure-tenant"),
        ),
        (
            90002,
            "invalid_request",
            "token-tenant-not-found",
            "mail.oauth2.token.url",
            Some("azure-tenant"),
        ),
        (
            9001023,
            "invalid_request",
            "token-tenant-not-specific",
            "mail.oauth2.token.url",
            Some("azure-tenant"),
        ),
        (
            50194,
            "invalid_request",
            "token-tenant-not-specific",
            "mail.oauth2.token.url",
            Some("azure-tenant"),
        ),
        (
            700016,
            "unauthorized_client",
            "token-app-not-found",
            "mail.oauth2.client.id",
            Some("azure-app"),
        ),
        (
            7000215,
            "invalid_client",
            "token-secret-invalid",
            "mail.oauth2.client.secret",
            Some("azure-secret"),
        ),
        (
            7000222,
            "invalid_client",
            "token-secret-expired",
            "mail.oauth2.client.secret",
            Some("azure-secret"),
        ),
        (
            7000218,
            "invalid_client",
            "token-secret-missing",
            "mail.oauth2.client.secret",
            Some("azure-secret"),
        ),
        (
            1002012,
            "invalid_scope",
            "token-scope-not-default",
            "mail.oauth2.scopes",
            Some("config"),
        ),
        (
            70011,
            "invalid_scope",
            "token-scope-invalid",
            "mail.oauth2.scopes",
            Some("config"),
        ),
        (
            700022,
            "invalid_scope",
            "token-scope-invalid",
            "mail.oauth2.scopes",
            Some("config"),
        ),
        (
            500011,
            "invalid_resource",
            "token-resource-not-found",
            "mail.oauth2.scopes",
            Some("config"),
        ),
        (
            7000112,
            "unauthorized_client",
            "token-app-disabled",
            "mail.oauth2.client.id",
            Some("azure-app"),
        ),
        (
            53003,
            "access_denied",
            "token-conditional-access",
            "mail.oauth2.client.id",
            None,
        ),
    ];
    for (code, error, rule, key, step) in cases {
        let text = format!("Something about case {code}.");
        let (diagnostics, source, _mock) = token_run(aadsts_response(400, error, code, &text));
        assert_eq!(names(&diagnostics), [rule], "AADSTS{code}");
        let d = &diagnostics[0];
        assert_eq!(
            (d.severity, d.origin),
            (Severity::Error, Origin::Online),
            "{rule}"
        );
        assert_eq!(pointed_key(d), key, "{rule}");
        assert_eq!(d.step.as_ref().map(|s| s.name.as_str()), step, "{rule}");
        assert_eq!(d.label.as_deref(), Some(format!("AADSTS{code}").as_str()));
        assert!(
            d.message.contains(&format!("AADSTS{code}")),
            "{}",
            d.message
        );
        // The span is the value of the key at fault.
        let span = d.span.clone().unwrap();
        let line = String::from_utf8_lossy(&source[..span.end])
            .lines()
            .last()
            .unwrap()
            .to_string();
        assert!(line.starts_with(key), "{rule} points at {line}");
        assert!(d.notes.iter().any(|n| n.contains(&text)), "{:?}", d.notes);
        assert!(
            d.notes
                .iter()
                .any(|n| n.contains("0d1f2e3c-trace") && n.contains("9a8b7c6d-corr")),
            "{:?}",
            d.notes
        );
        assert_nothing_leaks(&source, &diagnostics, &[SECRET]);
    }
}

#[test]
fn an_unknown_aadsts_code_shows_microsofts_description_and_trace_id() {
    let (diagnostics, source, _mock) = token_run(aadsts_response(
        401,
        "invalid_client",
        9999999,
        "A brand new reason nobody has seen.",
    ));
    assert_eq!(names(&diagnostics), ["token-request-refused"]);
    let d = &diagnostics[0];
    assert_eq!(pointed_key(d), "mail.oauth2.token.url");
    assert!(
        d.message
            .contains("AADSTS9999999: A brand new reason nobody has seen."),
        "{}",
        d.message
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("trace ID 0d1f2e3c-trace")),
        "{:?}",
        d.notes
    );
    assert_nothing_leaks(&source, &diagnostics, &[SECRET]);
}

#[test]
fn the_aadsts_code_is_read_from_the_description_when_error_codes_is_absent() {
    let body = json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."});
    let (diagnostics, _, _mock) = token_run(TokenReply::Json(401, body.to_string()));
    assert_eq!(names(&diagnostics), ["token-secret-invalid"]);
}

#[test]
fn a_token_without_smtp_sendasapp_is_an_error_on_the_application() {
    let mut claims = good_claims();
    claims["roles"] = json!([]);
    let token = jwt(&claims);
    let (diagnostics, source, _mock) = token_run(token_response(&token));
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "token-role-missing"]
    );
    let d = find(&diagnostics, "token-role-missing");
    assert_eq!(pointed_key(d), "mail.oauth2.client.id");
    assert_eq!(d.step.as_ref().unwrap().name, "azure-permission");
    assert!(d.message.contains("roles: none"), "{}", d.message);
    assert_nothing_leaks(&source, &diagnostics, &[SECRET, &token]);
}

#[test]
fn a_graph_token_is_an_error_on_the_scope() {
    let mut claims = good_claims();
    claims["aud"] = json!("https://graph.microsoft.com");
    claims["roles"] = json!(["Mail.Send"]);
    let (diagnostics, _, _mock) = token_run(token_response(&jwt(&claims)));
    assert_eq!(
        names(&diagnostics),
        [
            "token-obtained",
            "token-audience-not-exchange",
            "token-role-missing"
        ]
    );
    let d = find(&diagnostics, "token-audience-not-exchange");
    assert_eq!(pointed_key(d), "mail.oauth2.scopes");
    assert!(
        d.message.contains("`https://graph.microsoft.com`"),
        "{}",
        d.message
    );
    assert_eq!(d.label.as_deref(), Some("Microsoft Graph"));
}

#[test]
fn other_claims_are_checked() {
    let mut claims = good_claims();
    claims["appid"] = json!("11111111-2222-3333-4444-555555555555");
    claims["tid"] = json!("99999999-9999-9999-9999-999999999999");
    claims["scp"] = json!("SMTP.Send");
    claims["exp"] = json!(1_000_000_000);
    let (diagnostics, _, _mock) = token_run(token_response(&jwt(&claims)));
    assert_eq!(
        names(&diagnostics),
        [
            "token-obtained",
            "token-tenant-differs",
            "token-app-differs",
            "token-delegated",
            "token-expired"
        ]
    );
    assert_eq!(
        pointed_key(find(&diagnostics, "token-app-differs")),
        "mail.oauth2.client.id"
    );
    assert_eq!(
        pointed_key(find(&diagnostics, "token-delegated")),
        "mail.oauth2.scopes"
    );
}

#[test]
fn a_token_that_is_not_a_jwt_is_a_warning() {
    let (diagnostics, source, _mock) = token_run(token_response("opaque-token-value-123456"));
    assert_eq!(names(&diagnostics), ["token-obtained", "token-not-jwt"]);
    assert_eq!(
        find(&diagnostics, "token-not-jwt").severity,
        Severity::Warning
    );
    assert_nothing_leaks(
        &source,
        &diagnostics,
        &[SECRET, "opaque-token-value-123456"],
    );
}

#[test]
fn a_refused_connection_is_reported() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}/{TENANT}/oauth2/v2.0/token");
    let source = Config::new(&url, 587).text();
    let mut options = racm_lint::online::OnlineOptions::new(OnlineMode::Token, Lang::En);
    options.timeout = Duration::from_secs(2);
    options.allow_hosts = vec![format!("127.0.0.1:{port}")];
    let diagnostics = run(options, &source);
    assert_eq!(names(&diagnostics), ["token-endpoint-unreachable"]);
    let d = &diagnostics[0];
    assert_eq!(pointed_key(d), "mail.oauth2.token.url");
    assert!(
        d.message.to_lowercase().contains("refused"),
        "{}",
        d.message
    );
    assert!(
        !d.message.contains("error sending request for url"),
        "{}",
        d.message
    );
}

#[test]
fn an_endpoint_that_never_answers_ends_within_the_timeout() {
    let mock = MockToken::start(TokenReply::Silent);
    let source = Config::new(&mock.url(TENANT), 587).text();
    let mut options = options(OnlineMode::Token, &mock);
    options.timeout = Duration::from_secs(1);
    let started = Instant::now();
    let diagnostics = run(options, &source);
    let took = started.elapsed();
    assert_eq!(names(&diagnostics), ["token-endpoint-timeout"]);
    assert!(
        diagnostics[0].message.contains("within 1 s"),
        "{}",
        diagnostics[0].message
    );
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

#[test]
fn a_response_that_is_not_json_is_reported_with_an_excerpt() {
    let body = b"<html><body>Proxy error: upstream unavailable</body></html>";
    let mut raw = format!(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    let (diagnostics, source, _mock) = token_run(TokenReply::Raw(raw));
    assert_eq!(names(&diagnostics), ["token-response-unreadable"]);
    let d = &diagnostics[0];
    assert!(
        d.message.contains("HTTP 502") && d.message.contains("text/html"),
        "{}",
        d.message
    );
    assert!(
        d.message.contains("Proxy error: upstream unavailable"),
        "{}",
        d.message
    );
    assert_nothing_leaks(&source, &diagnostics, &[SECRET]);
}

#[test]
fn a_response_echoing_the_request_does_not_show_the_secret() {
    // A misconfigured endpoint that echoes the form back.
    let body = format!("client_secret={SECRET}&client_id={CLIENT_ID}");
    let (diagnostics, source, _mock) = token_run(TokenReply::Json(400, body));
    assert_eq!(names(&diagnostics), ["token-response-unreadable"]);
    assert!(
        diagnostics[0].message.contains("********"),
        "{}",
        diagnostics[0].message
    );
    assert_nothing_leaks(&source, &diagnostics, &[SECRET]);
}

/// A secret with `~`, which the token request sends as `%7E`.
const ECHOED_SECRET: &str = "Xv8~Kq2.Lm9_Np4~Rs7-Tu1~Wy3.Zb6";

#[test]
fn an_endpoint_echoing_the_form_shows_no_piece_of_the_secret() {
    // The request body puts the secret near character 92; the excerpt is cut at 200 characters. Each padding
    // moves the cut across the encoded secret, and one leaves it whole.
    for pad in (10..=115).step_by(5) {
        let mock = MockToken::start(TokenReply::Echo {
            status: 502,
            content_type: "text/plain",
            pad,
        });
        let mut config = Config::new(&mock.url(TENANT), 587);
        config.secret = ECHOED_SECRET.to_string();
        let source = config.text();
        let diagnostics = run(options(OnlineMode::Token, &mock), &source);
        assert_eq!(names(&diagnostics), ["token-response-unreadable"], "{pad}");
        // The echo did come back, with the secret form-urlencoded.
        let sent = String::from_utf8(mock.requests()[0].body.clone()).unwrap();
        assert!(sent.contains("Xv8%7EKq2"), "{sent}");
        assert!(
            diagnostics[0]
                .message
                .contains("grant_type=client_credentials"),
            "{}",
            diagnostics[0].message
        );
        assert_nothing_leaks(&source, &diagnostics, &[ECHOED_SECRET, "Xv8%7EKq2"]);
        assert_no_piece_leaks(&source, &diagnostics, ECHOED_SECRET, 6);
    }
}

#[test]
fn a_redirect_or_an_error_quoting_the_secret_shows_no_piece_of_it() {
    let encoded = "Xv8%7EKq2.Lm9_Np4%7ERs7-Tu1%7EWy3.Zb6";
    let mut replies = Vec::new();
    // The location is cut at 200 characters, Microsoft's description at 600.
    for pad in [150, 170, 180, 190] {
        let raw = format!(
            "HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/{}?s={encoded}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "p".repeat(pad)
        );
        replies.push(("token-redirected", TokenReply::Raw(raw.into_bytes())));
    }
    for pad in [560, 570, 580, 590] {
        let body = json!({
            "error": "invalid_request",
            "error_description": format!("AADSTS900144: {} {encoded}", "d".repeat(pad)),
            "error_codes": [900144],
        });
        replies.push((
            "token-request-refused",
            TokenReply::Json(400, body.to_string()),
        ));
        let body = json!({
            "error": "invalid_request",
            "error_description": format!("AADSTS900144: {} {ECHOED_SECRET}", "d".repeat(pad)),
            "error_codes": [900144],
        });
        replies.push((
            "token-request-refused",
            TokenReply::Json(400, body.to_string()),
        ));
    }
    for (rule, reply) in replies {
        let mock = MockToken::start(reply);
        let mut config = Config::new(&mock.url(TENANT), 587);
        config.secret = ECHOED_SECRET.to_string();
        let source = config.text();
        let diagnostics = run(options(OnlineMode::Token, &mock), &source);
        assert_eq!(names(&diagnostics), [rule]);
        assert_no_piece_leaks(&source, &diagnostics, ECHOED_SECRET, 6);
    }
}

/// An allowed endpoint that misbehaves may echo the secret changed: in upper case, split by a line break,
/// or only its first or last 12 characters. None of it reaches any output (Microsoft's answer is a note of
/// the human output and a field of every format).
#[test]
fn an_echo_of_the_secret_in_another_case_split_or_in_pieces_shows_none_of_it() {
    let secret = "Pq58Q~Hj2kL9mN3bV5cX7zA1sD4fG6hJ8kL0pO2i";
    let echoes = [
        secret.to_ascii_uppercase(),
        secret.to_ascii_lowercase(),
        format!("{}\n{}", &secret[..17], &secret[17..]),
        format!("{}\r\n  {}", &secret[..9], &secret[9..]),
        secret[..12].to_string(),
        secret[secret.len() - 12..].to_string(),
    ];
    for echo in echoes {
        let body = json!({
            "error": "invalid_client",
            "error_description": format!("AADSTS7000215: Invalid client secret provided: {echo} (trace)"),
            "error_codes": [7000215],
        });
        let mock = MockToken::start(TokenReply::Json(401, body.to_string()));
        let mut config = Config::new(&mock.url(TENANT), 587);
        config.secret = secret.to_string();
        let source = config.text();
        let diagnostics = run(options(OnlineMode::Token, &mock), &source);
        assert_eq!(names(&diagnostics), ["token-secret-invalid"]);
        assert!(
            diagnostics[0]
                .notes
                .iter()
                .any(|n| n.contains("AADSTS7000215")),
            "Microsoft's answer is still told: {:?}",
            diagnostics[0].notes
        );
        for lang in [Lang::En, Lang::Fr] {
            let text = render_all(&source, &diagnostics, lang).to_ascii_lowercase();
            let chars: Vec<char> = secret.to_ascii_lowercase().chars().collect();
            for piece in chars.windows(10) {
                let piece: String = piece.iter().collect();
                assert!(!text.contains(&piece), "{echo:?}: shows {piece:?}:\n{text}");
            }
        }
    }
}

#[test]
fn a_huge_response_is_not_read() {
    for reply in [TokenReply::Huge(1 << 20), TokenReply::HugeChunked(1 << 20)] {
        let (diagnostics, _, _mock) = token_run(reply);
        assert_eq!(names(&diagnostics), ["token-response-too-large"]);
        assert!(
            diagnostics[0].message.contains("64 KiB"),
            "{}",
            diagnostics[0].message
        );
    }
}

#[test]
fn a_redirect_is_not_followed() {
    let elsewhere = MockToken::start(token_response(&jwt(&good_claims())));
    let raw = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        elsewhere.url(TENANT)
    );
    let (diagnostics, _, _mock) = token_run(TokenReply::Raw(raw.into_bytes()));
    assert_eq!(names(&diagnostics), ["token-redirected"]);
    assert!(
        diagnostics[0].message.contains("HTTP 302"),
        "{}",
        diagnostics[0].message
    );
    assert_eq!(elsewhere.connections(), 0);
}

#[test]
fn an_https_endpoint_is_trusted_through_the_ca_file_only() {
    let pki = Pki::new();
    let token = jwt(&good_claims());
    let mock = MockToken::start_tls(token_response(&token), &pki);
    let source = Config::new(&mock.url(TENANT), 587).text();

    let diagnostics = run(options(OnlineMode::Token, &mock), &source);
    assert_eq!(names(&diagnostics), ["token-endpoint-tls"]);
    assert!(
        diagnostics[0].message.contains("UnknownIssuer"),
        "{}",
        diagnostics[0].message
    );
    assert!(
        mock.requests().is_empty(),
        "the secret went over an untrusted connection"
    );

    let mut trusted = options(OnlineMode::Token, &mock);
    trusted.ca_files = vec![pki.ca_file.path().to_path_buf()];
    let diagnostics = run(trusted, &source);
    assert_eq!(names(&diagnostics), ["token-obtained"]);
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn missing_values_skip_the_live_checks() {
    let mock = MockToken::start(token_response(&jwt(&good_claims())));
    let mut config = Config::new(&mock.url(TENANT), 587);
    config.secret = String::new();
    let diagnostics = run(options(OnlineMode::Token, &mock), &config.text());
    assert_eq!(names(&diagnostics), ["token-check-skipped"]);
    assert!(
        diagnostics[0]
            .message
            .contains("`mail.oauth2.client.secret`")
    );
    assert_eq!(mock.connections(), 0);
}

#[test]
fn offline_errors_do_not_stop_the_live_checks() {
    let mock = MockToken::start(token_response(&jwt(&good_claims())));
    let mut source = Config::new(&mock.url(TENANT), 587).text();
    source.extend_from_slice(
        b"mail.auth.protocol=OAuth2\nmail.server.port=465\nmail.unknown.key=1\n",
    );
    let diagnostics = run(options(OnlineMode::Token, &mock), &source);
    assert_eq!(names(&diagnostics), ["token-obtained"]);
}

#[test]
fn files_with_the_same_credentials_share_one_request() {
    let mock = MockToken::start(token_response(&jwt(&good_claims())));
    let config = Config::new(&mock.url(TENANT), 587);
    let mut other = config.clone();
    other.user = "other@contoso.onmicrosoft.com".to_string();
    let mut session =
        racm_lint::online::OnlineSession::new(options(OnlineMode::Token, &mock)).unwrap();
    let rules = rules();
    for source in [config.text(), other.text(), config.text()] {
        assert_eq!(
            names(&session.check_source(&rules, &source)),
            ["token-obtained"]
        );
    }
    assert_eq!(mock.requests().len(), 1);
    let mut changed = config.clone();
    changed.secret.push('X');
    session.check_source(&rules, &changed.text());
    assert_eq!(mock.requests().len(), 2);
}

#[test]
fn messages_follow_the_language() {
    let mock = MockToken::start(aadsts_response(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided.",
    ));
    let source = Config::new(&mock.url(TENANT), 587).text();
    let mut options = options(OnlineMode::Token, &mock);
    options.lang = Lang::Fr;
    let diagnostics = run(options, &source);
    let d = &diagnostics[0];
    assert!(
        d.message.starts_with("Microsoft refuse le secret client"),
        "{}",
        d.message
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.starts_with("réponse de Microsoft")),
        "{:?}",
        d.notes
    );
    assert_eq!(
        d.step.as_ref().unwrap().title,
        "Azure, étape nº 6 : Création d'un secret"
    );
}
