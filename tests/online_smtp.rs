//! The SMTP sign-in with the token (`--online`) and the test message (`--send-test-to`), against a mock token
//! endpoint and a mock SMTP server with STARTTLS, on 127.0.0.1.

#[path = "support/online.rs"]
mod support;

use std::time::{Duration, Instant};

use racm_lint::catalog::Severity;
use racm_lint::diagnostic::{Diagnostic, Origin};
use racm_lint::online::{OnlineMode, OnlineOptions, OnlineSession};
use serde_json::json;
use support::*;

/// A token endpoint issuing a good token, an SMTP server following `script`, and the options to use them
/// (the test CA trusted).
struct Setup {
    token: MockToken,
    smtp: MockSmtp,
    pki: Pki,
    jwt: String,
    config: Config,
}

impl Setup {
    fn new(script: SmtpScript) -> Setup {
        Setup::with_pki(script, Pki::new())
    }

    fn with_pki(script: SmtpScript, pki: Pki) -> Setup {
        let jwt = jwt(&good_claims());
        let token = MockToken::start(token_response(&jwt));
        let smtp = MockSmtp::start(script, &pki);
        let config = Config::new(&token.url(TENANT), smtp.port());
        Setup {
            token,
            smtp,
            pki,
            jwt,
            config,
        }
    }

    fn options(&self) -> OnlineOptions {
        let mut options = options(OnlineMode::Smtp, &self.token);
        options.ca_files = vec![self.pki.ca_file.path().to_path_buf()];
        options.allow_hosts.push(self.smtp.allow());
        options
    }

    fn run(&self) -> Vec<Diagnostic> {
        self.run_with(self.options())
    }

    fn run_with(&self, options: OnlineOptions) -> Vec<Diagnostic> {
        let source = self.config.text();
        let diagnostics = run(options, &source);
        assert_nothing_leaks(&source, &diagnostics, &[SECRET, &self.jwt]);
        for d in &diagnostics {
            assert_eq!(d.origin, Origin::Online);
        }
        diagnostics
    }
}

fn rejecting(reply: &str) -> SmtpScript {
    SmtpScript {
        auth: AuthReply::Reject(reply.to_string()),
        ..SmtpScript::default()
    }
}

#[test]
fn the_whole_chain_works() {
    let setup = Setup::new(SmtpScript::default());
    let diagnostics = setup.run();
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-login-succeeded"]
    );
    let d = find(&diagnostics, "smtp-login-succeeded");
    assert_eq!(
        (d.severity, pointed_key(d)),
        (Severity::Info, "mail.server.user")
    );
    assert!(d.message.contains(USER), "{}", d.message);

    let log = setup.smtp.log();
    assert_eq!(log.auth_user.as_deref(), Some(USER));
    assert_eq!(log.auth_token.as_deref(), Some(setup.jwt.as_str()));
    assert!(log.auth_over_tls, "the token was sent before STARTTLS");
    let commands: Vec<&str> = log
        .commands
        .iter()
        .map(|c| c.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        commands,
        ["EHLO", "STARTTLS", "EHLO", "AUTH", "<credentials>", "QUIT"]
    );
}

#[test]
fn a_535_5_7_3_points_at_the_user_with_the_commands_to_run() {
    let setup = Setup::new(rejecting(
        "535 5.7.3 Authentication unsuccessful [MOCK.prod.outlook.com]",
    ));
    let diagnostics = setup.run();
    assert_eq!(names(&diagnostics), ["token-obtained", "smtp-auth-denied"]);
    let d = find(&diagnostics, "smtp-auth-denied");
    assert_eq!(pointed_key(d), "mail.server.user");
    assert_eq!(d.step.as_ref().unwrap().name, "ps-service-principal");
    assert_eq!(d.label.as_deref(), Some("535 5.7.3"));
    assert!(
        d.message
            .contains("`535 5.7.3 Authentication unsuccessful [MOCK.prod.outlook.com]`"),
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
        help.contains(&format!("-User {OBJECT_ID} -AccessRights FullAccess")),
        "{help}"
    );
    // Nothing was sent after the rejection but QUIT.
    assert_eq!(
        setup.smtp.log().commands.last().map(String::as_str),
        Some("QUIT")
    );
}

#[test]
fn the_reason_of_a_334_rejection_is_decoded_and_the_final_code_read() {
    let reason = r#"{"status":"401","schemes":"bearer","scope":"https://outlook.office365.com/"}"#;
    let setup = Setup::new(SmtpScript {
        auth: AuthReply::RejectWithReason {
            json: reason.to_string(),
            last: "535 5.7.3 Authentication unsuccessful".to_string(),
        },
        ..SmtpScript::default()
    });
    let diagnostics = setup.run();
    assert_eq!(names(&diagnostics), ["token-obtained", "smtp-auth-denied"]);
    let d = find(&diagnostics, "smtp-auth-denied");
    assert!(d.notes.iter().any(|n| n.contains(reason)), "{:?}", d.notes);
    // The client answered the challenge with an empty line.
    assert!(
        setup
            .smtp
            .log()
            .commands
            .iter()
            .any(|c| c == "<after reason: \"\">")
    );
}

#[test]
fn a_535_5_7_139_says_to_enable_authenticated_smtp() {
    let setup = Setup::new(rejecting(
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.",
    ));
    let diagnostics = setup.run();
    let d = find(&diagnostics, "smtp-auth-disabled");
    assert_eq!(pointed_key(d), "mail.server.user");
    assert_eq!(d.step.as_ref().unwrap().name, "m365-smtp-auth");
    assert!(d.help.as_deref().unwrap().contains(&format!(
        "Set-CASMailbox {USER} -SmtpClientAuthenticationDisabled $false"
    )));
}

#[test]
fn a_530_5_7_57_points_at_starttls() {
    let setup = Setup::new(SmtpScript {
        auth: AuthReply::RefuseAuth(
            "530 5.7.57 Client not authenticated to send mail.".to_string(),
        ),
        ..SmtpScript::default()
    });
    let diagnostics = setup.run();
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-not-authenticated"]
    );
    let d = find(&diagnostics, "smtp-not-authenticated");
    assert_eq!(pointed_key(d), "mail.server.starttls.enable");
    assert_eq!(setup.smtp.log().auth_token, None);
}

#[test]
fn another_rejection_is_shown_as_the_server_said_it() {
    let setup = Setup::new(rejecting(
        "535 5.7.8 Error: authentication failed: something else",
    ));
    let diagnostics = setup.run();
    let d = find(&diagnostics, "smtp-auth-rejected");
    assert!(
        d.message
            .contains("535 5.7.8 Error: authentication failed: something else"),
        "{}",
        d.message
    );
}

#[test]
fn a_refused_starttls_is_an_unexpected_reply_and_the_token_stays_here() {
    let setup = Setup::new(SmtpScript {
        starttls_reply: Some("454 4.7.0 TLS not available due to temporary reason".to_string()),
        ..SmtpScript::default()
    });
    let diagnostics = setup.run();
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-unexpected-reply"]
    );
    let d = find(&diagnostics, "smtp-unexpected-reply");
    assert_eq!(pointed_key(d), "mail.server.host");
    assert!(
        d.message.contains("454") && d.message.contains("STARTTLS"),
        "{}",
        d.message
    );
    let log = setup.smtp.log();
    assert!(log.auth_token.is_none(), "{:?}", log.commands);
    assert!(!log.commands.iter().any(|c| c.starts_with("AUTH")));
}

#[test]
fn a_sender_that_is_no_address_skips_the_test_message_but_not_the_sign_in() {
    let mut setup = Setup::new(SmtpScript::default());
    setup.config.sender = "Notifications RAC/M".to_string();
    let mut options = setup.options();
    options.send_test_to = Some("admin@contoso.com".to_string());
    let diagnostics = setup.run_with(options);
    assert_eq!(
        names(&diagnostics),
        [
            "token-obtained",
            "send-test-skipped",
            "smtp-login-succeeded"
        ]
    );
    let d = find(&diagnostics, "send-test-skipped");
    assert_eq!(pointed_key(d), "mail.option.sender");
    let log = setup.smtp.log();
    assert!(
        !log.commands.iter().any(|c| c.starts_with("MAIL FROM")),
        "{:?}",
        log.commands
    );
}

#[test]
fn a_server_without_starttls_never_gets_the_token() {
    let setup = Setup::new(SmtpScript {
        starttls: false,
        ..SmtpScript::default()
    });
    let diagnostics = setup.run();
    assert_eq!(names(&diagnostics), ["token-obtained", "smtp-no-starttls"]);
    assert_eq!(
        pointed_key(find(&diagnostics, "smtp-no-starttls")),
        "mail.server.host"
    );
    let log = setup.smtp.log();
    assert_eq!(log.auth_token, None);
    assert!(!log.commands.iter().any(|c| c.starts_with("AUTH")));
}

#[test]
fn a_server_without_xoauth2_is_reported_with_what_it_offers() {
    let setup = Setup::new(SmtpScript {
        xoauth2: false,
        ..SmtpScript::default()
    });
    let diagnostics = setup.run();
    let d = find(&diagnostics, "smtp-no-xoauth2");
    assert!(d.message.contains("(offers: `LOGIN`)"), "{}", d.message);
    assert_eq!(setup.smtp.log().auth_token, None);
}

#[test]
fn tls_failures_stop_before_the_token_is_sent() {
    // Not trusted: no --ca-file.
    let setup = Setup::new(SmtpScript::default());
    let mut untrusted = setup.options();
    untrusted.ca_files.clear();
    let diagnostics = setup.run_with(untrusted);
    assert_eq!(names(&diagnostics), ["token-obtained", "smtp-tls-failed"]);
    assert!(
        find(&diagnostics, "smtp-tls-failed")
            .message
            .contains("UnknownIssuer")
    );
    assert_eq!(setup.smtp.log().auth_token, None);

    // Trusted, but for another name.
    let setup = Setup::with_pki(SmtpScript::default(), Pki::for_names(&["smtp.example.org"]));
    let diagnostics = setup.run();
    let message = &find(&diagnostics, "smtp-tls-failed").message;
    assert!(message.contains("not valid for name"), "{message}");
    assert_eq!(setup.smtp.log().auth_token, None);

    // Not TLS at all after STARTTLS.
    let setup = Setup::new(SmtpScript {
        fault: Fault::NotTls,
        ..SmtpScript::default()
    });
    let diagnostics = setup.run();
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-tls-failed"],
        "{:#?}",
        diagnostics
    );
}

#[test]
fn a_refused_connection_is_reported() {
    let setup = Setup::new(SmtpScript::default());
    let mut config = setup.config.clone();
    let port = closed_port();
    config.port = port.to_string();
    let mut options = setup.options();
    options.allow_hosts.push(format!("127.0.0.1:{port}"));
    let diagnostics = run(options, &config.text());
    assert_eq!(names(&diagnostics), ["token-obtained", "smtp-unreachable"]);
    let d = find(&diagnostics, "smtp-unreachable");
    assert_eq!(pointed_key(d), "mail.server.host");
    assert!(
        d.message.to_lowercase().contains("refused"),
        "{}",
        d.message
    );
}

#[test]
fn a_server_that_never_answers_ends_within_the_timeout() {
    let setup = Setup::new(SmtpScript {
        fault: Fault::Silent,
        ..SmtpScript::default()
    });
    let mut options = setup.options();
    options.timeout = Duration::from_secs(1);
    let started = Instant::now();
    let diagnostics = setup.run_with(options);
    let took = started.elapsed();
    assert_eq!(names(&diagnostics), ["token-obtained", "smtp-timeout"]);
    let d = find(&diagnostics, "smtp-timeout");
    assert_eq!(pointed_key(d), "mail.server.port");
    assert!(d.message.contains("within 1 s"), "{}", d.message);
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

#[test]
fn a_connection_dropped_in_the_middle_is_reported() {
    let setup = Setup::new(SmtpScript {
        fault: Fault::DropAfterCredentials,
        ..SmtpScript::default()
    });
    let diagnostics = setup.run();
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-connection-lost"]
    );
    assert!(
        find(&diagnostics, "smtp-connection-lost")
            .message
            .contains("AUTH XOAUTH2")
    );
}

#[test]
fn a_token_refused_by_microsoft_means_no_smtp_connection() {
    let setup = Setup::new(SmtpScript::default());
    let token = MockToken::start(aadsts_response(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided.",
    ));
    let mut config = setup.config.clone();
    config.token_url = token.url(TENANT);
    let mut options = setup.options();
    options.allow_hosts = vec![token.allow(), setup.smtp.allow()];
    let diagnostics = run(options, &config.text());
    assert_eq!(names(&diagnostics), ["token-secret-invalid"]);
    assert_eq!(setup.smtp.connections(), 0);
}

#[test]
fn token_mode_stops_after_the_token() {
    let setup = Setup::new(SmtpScript::default());
    let mut options = setup.options();
    options.mode = OnlineMode::Token;
    assert_eq!(names(&setup.run_with(options)), ["token-obtained"]);
    assert_eq!(setup.smtp.connections(), 0);
}

#[test]
fn a_test_message_is_sent_from_the_sender_after_signing_in() {
    let setup = Setup::new(SmtpScript::default());
    let mut options = setup.options();
    options.send_test_to = Some("admin@contoso.com".to_string());
    let diagnostics = setup.run_with(options);
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-login-succeeded", "send-test-sent"]
    );
    let d = find(&diagnostics, "send-test-sent");
    assert_eq!(pointed_key(d), "mail.option.sender");
    assert!(
        d.message.contains("admin@contoso.com") && d.message.contains("250 2.0.0 OK"),
        "{}",
        d.message
    );
    let log = setup.smtp.log();
    assert!(
        log.commands
            .iter()
            .any(|c| c == &format!("MAIL FROM:<{USER}>")),
        "{:?}",
        log.commands
    );
    assert!(
        log.commands
            .iter()
            .any(|c| c == "RCPT TO:<admin@contoso.com>"),
        "{:?}",
        log.commands
    );
    assert!(
        log.message
            .unwrap()
            .contains("Subject: racm-lint test message")
    );
}

#[test]
fn send_as_denied_points_at_the_sender_and_the_alias_step() {
    let setup = Setup::new(SmtpScript {
        data_reply: "554 5.2.252 SendAsDenied; alias@contoso.com not allowed to send as notification@contoso.onmicrosoft.com"
            .to_string(),
        ..SmtpScript::default()
    });
    let mut options = setup.options();
    options.send_test_to = Some("admin@contoso.com".to_string());
    let diagnostics = setup.run_with(options);
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-login-succeeded", "send-as-denied"]
    );
    let d = find(&diagnostics, "send-as-denied");
    assert_eq!(pointed_key(d), "mail.option.sender");
    assert_eq!(d.step.as_ref().unwrap().name, "alias");
    assert_eq!(d.label.as_deref(), Some("554 5.2.252"));

    let setup = Setup::new(SmtpScript {
        data_reply:
            "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP"
                .to_string(),
        ..SmtpScript::default()
    });
    let mut options = setup.options();
    options.send_test_to = Some("admin@contoso.com".to_string());
    let diagnostics = setup.run_with(options);
    assert!(
        find(&diagnostics, "send-rejected")
            .message
            .contains("550 5.7.708")
    );
}

#[test]
fn files_with_the_same_credentials_share_one_sign_in() {
    let setup = Setup::new(SmtpScript::default());
    let mut session = OnlineSession::new(setup.options()).unwrap();
    let rules = rules();
    for _ in 0..3 {
        let diagnostics = session.check_source(&rules, &setup.config.text());
        assert_eq!(
            names(&diagnostics),
            ["token-obtained", "smtp-login-succeeded"]
        );
    }
    assert_eq!(setup.token.requests().len(), 1);
    assert_eq!(setup.smtp.connections(), 1);
}

#[test]
fn a_port_that_is_not_a_number_skips_the_smtp_check() {
    let setup = Setup::new(SmtpScript::default());
    let mut config = setup.config.clone();
    config.port = "587 # submission".to_string();
    let diagnostics = run(setup.options(), &config.text());
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "smtp-check-skipped"]
    );
    assert_eq!(
        pointed_key(find(&diagnostics, "smtp-check-skipped")),
        "mail.server.port"
    );
    assert_eq!(setup.smtp.connections(), 0);
}

#[test]
fn a_token_without_the_role_is_still_tried_on_smtp() {
    let mut claims = good_claims();
    claims["roles"] = json!([]);
    let jwt = jwt(&claims);
    let token = MockToken::start(token_response(&jwt));
    let pki = Pki::new();
    let smtp = MockSmtp::start(rejecting("535 5.7.3 Authentication unsuccessful"), &pki);
    let source = Config::new(&token.url(TENANT), smtp.port()).text();
    let mut options = options(OnlineMode::Smtp, &token);
    options.ca_files = vec![pki.ca_file.path().to_path_buf()];
    options.allow_hosts.push(smtp.allow());
    let diagnostics = run(options, &source);
    assert_eq!(
        names(&diagnostics),
        ["token-obtained", "token-role-missing", "smtp-auth-denied"]
    );
    assert_nothing_leaks(&source, &diagnostics, &[SECRET, &jwt]);
}

#[test]
fn a_server_echoing_the_token_shows_no_piece_of_it() {
    let jwt = jwt(&good_claims());
    let token = MockToken::start(token_response(&jwt));
    let pki = Pki::new();
    // The reply text is cut at 400 characters: each padding puts the cut somewhere else in the token.
    let starts = [1, 10, jwt.len() / 2, jwt.len() - 1, jwt.len() + 5];
    for start in starts {
        let pad = 400usize.saturating_sub(start + "5.7.3 ".len() + 1);
        let smtp = MockSmtp::start(
            rejecting(&format!("535 5.7.3 {} {jwt}", "r".repeat(pad))),
            &pki,
        );
        let source = Config::new(&token.url(TENANT), smtp.port()).text();
        let mut options = options(OnlineMode::Smtp, &token);
        options.ca_files = vec![pki.ca_file.path().to_path_buf()];
        options.allow_hosts.push(smtp.allow());
        let diagnostics = run(options, &source);
        assert_eq!(names(&diagnostics), ["token-obtained", "smtp-auth-denied"]);
        assert_nothing_leaks(&source, &diagnostics, &[SECRET, &jwt]);
        assert_no_piece_leaks(&source, &diagnostics, &jwt, 6);
    }
    // The reason of a 334 challenge, quoting the token.
    let smtp = MockSmtp::start(
        SmtpScript {
            auth: AuthReply::RejectWithReason {
                json: format!(r#"{{"status":"400","token":"{jwt}"}}"#),
                last: "535 5.7.3 Authentication unsuccessful".to_string(),
            },
            ..SmtpScript::default()
        },
        &pki,
    );
    let source = Config::new(&token.url(TENANT), smtp.port()).text();
    let mut options = options(OnlineMode::Smtp, &token);
    options.ca_files = vec![pki.ca_file.path().to_path_buf()];
    options.allow_hosts.push(smtp.allow());
    let diagnostics = run(options, &source);
    assert_no_piece_leaks(&source, &diagnostics, &jwt, 6);
}

#[test]
fn the_token_is_not_sent_to_an_smtp_host_that_is_not_named() {
    let setup = Setup::new(SmtpScript::default());
    // Only the token endpoint is named: the SMTP server on 127.0.0.1 is not Microsoft's.
    let mut options = setup.options();
    options.allow_hosts = vec![setup.token.allow()];
    let diagnostics = setup.run_with(options);
    assert_eq!(names(&diagnostics), ["token-obtained", "smtp-host-refused"]);
    let d = &diagnostics[1];
    assert_eq!(pointed_key(d), "mail.server.host");
    assert_eq!(d.severity, Severity::Error);
    assert!(
        d.message.contains("`127.0.0.1:") && d.message.contains("not sent there"),
        "{}",
        d.message
    );
    let why = d.why.as_deref().unwrap();
    assert!(why.contains("`smtp.office365.com`"), "{why}");
    let help = d.help.as_deref().unwrap();
    assert!(
        help.contains(&format!("--allow-host {}", setup.smtp.allow())),
        "{help}"
    );
    assert_eq!(setup.smtp.connections(), 0);

    // The host without a port stands for port 587 only.
    let mut options = setup.options();
    options.allow_hosts = vec![setup.token.allow(), "127.0.0.1".to_string()];
    assert_eq!(
        names(&setup.run_with(options)),
        ["token-obtained", "smtp-host-refused"]
    );
    assert_eq!(setup.smtp.connections(), 0);

    // Named exactly, it is contacted.
    assert_eq!(
        names(&setup.run()),
        ["token-obtained", "smtp-login-succeeded"]
    );
    assert_eq!(setup.smtp.connections(), 1);
}
