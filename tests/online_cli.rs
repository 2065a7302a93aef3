//! The live checks from the command line: `--online[=token|smtp]`, `--timeout`, `--ca-file`, `--allow-host`,
//! `--send-test-to`, against mock servers on 127.0.0.1.

#[path = "support/cli.rs"]
mod cli_support;
#[path = "support/online.rs"]
mod support;

use assert_cmd::Command;
use cli_support::temp_file;
use predicates::prelude::*;
use support::*;

/// The shared command, with no proxy from the environment either (the mocks are on loopback).
fn racm_lint() -> Command {
    let mut cmd = cli_support::racm_lint();
    cmd.env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY");
    cmd
}

/// A token endpoint with a good token, an SMTP server accepting it, and a config file for them.
struct Setup {
    token: MockToken,
    smtp: MockSmtp,
    pki: Pki,
    file: tempfile::NamedTempFile,
}

impl Setup {
    fn new(token_reply: TokenReply, script: SmtpScript) -> Setup {
        let pki = Pki::new();
        let token = MockToken::start(token_reply);
        let smtp = MockSmtp::start(script, &pki);
        let file = temp_file(&Config::new(&token.url(TENANT), smtp.port()).text());
        Setup {
            token,
            smtp,
            pki,
            file,
        }
    }

    fn good() -> Setup {
        Setup::new(token_response(&jwt(&good_claims())), SmtpScript::default())
    }

    /// `racm-lint FILE --allow-host <token server> --allow-host <SMTP server> --ca-file <test CA> --timeout 2
    /// ARGS`.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = racm_lint();
        cmd.arg(self.file.path())
            .args(["--allow-host", &self.token.allow()])
            .args(["--allow-host", &self.smtp.allow()])
            .arg("--ca-file")
            .arg(self.pki.ca_file.path())
            .args(["--timeout", "2"])
            .args(args);
        cmd
    }
}

#[test]
fn without_online_nothing_touches_the_network() {
    let setup = Setup::good();
    racm_lint()
        .arg(setup.file.path())
        .assert()
        .code(predicate::in_iter([0, 1]));
    racm_lint()
        .arg(setup.file.path())
        .args(["--format", "json"])
        .assert()
        .code(predicate::in_iter([0, 1]));
    assert_eq!(setup.token.connections(), 0);
    assert_eq!(setup.smtp.connections(), 0);
}

#[test]
fn online_token_stops_after_the_token() {
    let setup = Setup::good();
    setup
        .command(&["--online=token"])
        .assert()
        .stdout(predicate::str::contains("RL540"))
        .stdout(predicate::str::contains(OBJECT_ID))
        .stdout(predicate::str::contains(format!(
            "New-ServicePrincipal -AppId {CLIENT_ID} -ObjectId {OBJECT_ID}"
        )))
        .stdout(predicate::str::contains("RL561").not());
    assert_eq!(setup.token.requests().len(), 1);
    assert_eq!(setup.smtp.connections(), 0);
}

#[test]
fn online_runs_the_token_then_the_smtp_check() {
    let setup = Setup::good();
    for flag in ["--online", "--online=smtp"] {
        setup
            .command(&[flag])
            .assert()
            .stdout(predicate::str::contains("RL540"))
            .stdout(predicate::str::contains("RL561"));
    }
    // Both runs signed in; the token request went out once per run.
    assert_eq!(setup.smtp.log().auth_user.as_deref(), Some(USER));
    assert_eq!(setup.token.requests().len(), 2);
}

#[test]
fn online_results_are_in_the_json_output_with_their_step() {
    let setup = Setup::new(
        aadsts_response(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided.",
        ),
        SmtpScript::default(),
    );
    let output = setup
        .command(&["--online", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("\"code\": \"RL525\"") && stdout.contains("\"step\": \"azure-secret\""),
        "{stdout}"
    );
    assert!(!stdout.contains(SECRET), "{stdout}");
    assert_eq!(setup.smtp.connections(), 0);
}

#[test]
fn the_human_output_never_shows_the_secret() {
    let setup = Setup::new(
        aadsts_response(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided.",
        ),
        SmtpScript::default(),
    );
    setup
        .command(&["--online"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("RL525"))
        .stdout(predicate::str::contains(SECRET).not());
}

#[test]
fn a_token_host_that_is_not_allowed_is_not_contacted() {
    let setup = Setup::good();
    racm_lint()
        .arg(setup.file.path())
        .args(["--online", "--timeout", "2"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("RL503"));
    assert_eq!(setup.token.connections(), 0);
}

#[test]
fn send_test_to_sends_one_message() {
    let setup = Setup::good();
    setup
        .command(&["--online", "--send-test-to", "admin@contoso.com"])
        .assert()
        .stdout(predicate::str::contains("RL573"));
    assert!(setup.smtp.log().message.is_some());
}

#[test]
fn bad_online_options_exit_2_before_contacting_anything() {
    let setup = Setup::good();
    for args in [
        &["--online=token", "--send-test-to", "admin@contoso.com"][..],
        &["--online", "--send-test-to", "not an address"],
        &["--online", "--allow-host", "https://host/"],
        &["--online", "--ca-file", "/nonexistent/ca.pem"],
    ] {
        setup.command(args).assert().code(2);
    }
    assert_eq!(setup.token.connections(), 0);
}

#[test]
fn a_silent_server_ends_within_the_timeout() {
    let setup = Setup::new(
        token_response(&jwt(&good_claims())),
        SmtpScript {
            fault: Fault::Silent,
            ..SmtpScript::default()
        },
    );
    let started = std::time::Instant::now();
    racm_lint()
        .arg(setup.file.path())
        .args([
            "--online",
            "--timeout",
            "1",
            "--allow-host",
            &setup.token.allow(),
            "--allow-host",
            &setup.smtp.allow(),
            "--ca-file",
        ])
        .arg(setup.pki.ca_file.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("RL551"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn a_timeout_out_of_range_is_refused_by_the_parser() {
    let setup = Setup::good();
    for value in ["0", "601", "18446744073709551615", "-1", "x"] {
        racm_lint()
            .arg(setup.file.path())
            .args(["--online", &format!("--timeout={value}")])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--timeout"));
    }
    let help = racm_lint().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("each SMTP reply), from 1 to 600"), "{help}");
    assert_eq!(setup.token.connections(), 0);
}

#[test]
fn network_options_need_online() {
    let setup = Setup::good();
    for args in [
        &["--timeout", "5"][..],
        &["--allow-host", "127.0.0.1:8443"],
        &["--ca-file", "/nonexistent/ca.pem"],
    ] {
        racm_lint()
            .arg(setup.file.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--online"));
    }
    assert_eq!(setup.token.connections(), 0);
}

/// A suppression comment silences a live finding as it does an offline one. Offline, a suppression of a live
/// rule is not "unused" (the rule cannot fire there: saying so was a false alarm); online, it is when the
/// live check found nothing to silence.
#[test]
fn suppressions_apply_to_live_findings_and_are_judged_only_when_live_checks_run() {
    let suppressed = |token_reply: TokenReply| {
        let token = MockToken::start(token_reply);
        let text = String::from_utf8(Config::new(&token.url(TENANT), 587).text())
            .unwrap()
            .replace(
                "mail.oauth2.client.secret=",
                "# racm-lint: ignore[token-secret-invalid]\nmail.oauth2.client.secret=",
            );
        (token, temp_file(text.as_bytes()))
    };
    let concise = |cmd: &mut Command| {
        let out = cmd.args(["--format", "concise"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };

    let (token, file) = suppressed(aadsts_response(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided.",
    ));
    let offline = concise(racm_lint().arg(file.path()).arg("--isolated"));
    assert!(!offline.contains("RL021"), "{offline}");
    let online = concise(
        racm_lint()
            .arg(file.path())
            .args(["--isolated", "--online=token", "--timeout", "2"])
            .args(["--allow-host", &token.allow()]),
    );
    assert!(!online.contains("RL525"), "silenced: {online}");
    assert!(!online.contains("RL021"), "{online}");
    assert_eq!(token.requests().len(), 1);

    let (token, file) = suppressed(token_response(&jwt(&good_claims())));
    let online = concise(
        racm_lint()
            .arg(file.path())
            .args(["--isolated", "--online=token", "--timeout", "2"])
            .args(["--allow-host", &token.allow()]),
    );
    assert!(
        online.contains("RL021") && online.contains("token-secret-invalid"),
        "the secret was accepted: nothing to silence: {online}"
    );
}
