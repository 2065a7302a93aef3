//! Regressions: each test is a way a secret once reached the output, run through every format where it
//! applies. A secret counts as leaked when any 6-character piece of it appears.

#[path = "support/cli.rs"]
mod cli_support;

use assert_cmd::Command;
use racm_lint::properties::Document;

const FORMATS: &[&str] = &[
    "human", "concise", "json", "sarif", "github", "gitlab", "azure", "junit",
];

fn racm_lint() -> Command {
    let mut cmd = cli_support::racm_lint();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Panics when any 6-character piece of `secret` is in `text`.
fn assert_hidden(secret: &str, text: &str, what: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for piece in chars.windows(6) {
        let piece: String = piece.iter().collect();
        assert!(
            !text.contains(&piece),
            "{what}: `{piece}` of the secret is shown:\n{text}"
        );
    }
}

/// All that a command prints, both streams.
fn output(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_properties_file_given_as_the_configuration_shows_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "Zq98Q~RealSecretValueAbcdefghijklmnopq";
    let file = write(
        &dir,
        "config.properties",
        format!("mail.server.port=587\nmail.oauth2.client.secret={secret}\ndb.password=hunter2x\n")
            .as_bytes(),
    );
    let mut cmd = racm_lint();
    cmd.arg("--config").arg(&file).arg(&file);
    let text = output(&mut cmd);
    assert!(text.contains("config.properties"), "{text}");
    assert_hidden(secret, &text, "--config error");
    assert_hidden("hunter2x", &text, "--config error");
}

#[test]
fn a_secret_with_quotes_and_backslashes_is_hidden_where_a_message_quotes_it() {
    // Messages quote values with `"` and `\` escaped: the secret must be recognised in that form too.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "config.properties",
        b"mail.oauth2.client.secret=ab\"c\\\\dSECRETX\nmail.oauth2.client.id=ab\"c\\\\dSECRETX\nmail.server.user=ab\"c\\\\dSECRETX \n",
    );
    for format in FORMATS {
        let mut cmd = racm_lint();
        cmd.arg(&file).args(["--format", format]);
        let text = output(&mut cmd);
        assert_hidden("ab\"c\\dSECRETX", &text, format);
        assert_hidden("ab\\\"c\\\\dSECRETX", &text, format);
    }
}

#[test]
fn show_hides_a_secret_repeated_under_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "config.properties",
        b"db.password=hunter\\u0032abc\nmail.server.user=hunter2abc\nmail.option.sender=x hunter2abc y\n",
    );
    for format in ["text", "json"] {
        let mut cmd = racm_lint();
        cmd.args(["show", "--all", "--format", format]).arg(&file);
        let text = output(&mut cmd);
        assert_hidden("hunter2abc", &text, format);
        assert!(text.contains("********"), "{text}");
    }
}

#[test]
fn a_malformed_escape_in_a_secret_shows_none_of_it() {
    // The escape belongs to the secret, not to the first entry of the file.
    let dir = tempfile::tempdir().unwrap();
    let secret = "Xq48Q~\\uAB9Zk3vN1pR7tY2wB5mC9dF0gH4jK6l";
    let file = write(
        &dir,
        "config.properties",
        format!("a=1\nmail.oauth2.client.secret={secret}\n").as_bytes(),
    );
    for format in FORMATS {
        let mut cmd = racm_lint();
        cmd.arg(&file).args(["--format", format]);
        let text = output(&mut cmd);
        assert_hidden(secret, &text, format);
        assert!(!text.contains("uAB9"), "{format}: {text}");
    }
}

#[test]
fn a_custom_rule_on_a_secret_key_shows_no_piece_of_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policy")).unwrap();
    write(
        &dir,
        "policy/cron.toml",
        br#"[[rule]]
code = "ORG002"
name = "password-as-cron"
keys = ["db.password"]
check = { function = "quartz_cron" }
severity = "error"
step = "config"
en = { message = "{key}: {detail}", why = "policy", fix = "fix it", example = "db.password=0 0 12 * * ?" }
fr = { message = "{key} : {detail}", why = "politique", fix = "corrigez", example = "db.password=0 0 12 * * ?" }
"#,
    );
    write(&dir, ".racm-lint.toml", b"rule-dirs = [\"policy\"]\n");
    let file = write(
        &dir,
        "config.properties",
        b"db.password=hunter2xyzzyq * * * * ?\n",
    );
    for format in FORMATS {
        let mut cmd = racm_lint();
        cmd.current_dir(dir.path())
            .arg(&file)
            .args(["--format", format, "--select", "ORG002"]);
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: the rule fires\n{text}"
        );
        assert_hidden("hunter2xyzzyq", &text, format);
    }
}

#[test]
fn debug_output_of_a_document_shows_no_secret() {
    let source = b"mail.oauth2.client.secret=Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u\n\
                   db.password=h\\u0075nter2abc\nmail.server.port=587\n";
    let doc = Document::parse(source);
    let text = format!("{doc:?}");
    assert_hidden("Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u", &text, "Debug");
    assert_hidden("hunter2abc", &text, "Debug");
    assert_hidden("nter2abc", &text, "Debug");
    // The rest is still there to debug with.
    assert!(
        text.contains("mail.server.port") && text.contains("\"587\""),
        "{text}"
    );
    let entries = format!("{:?}", doc.entries().collect::<Vec<_>>());
    assert_hidden(
        "Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u",
        &entries,
        "Debug",
    );
}

/// Fingerprints (GitLab's, SARIF's) are made from redacted text: two files whose only difference is the
/// secret glued into a key get the same fingerprints, so no hash of the secret is printed.
#[test]
fn fingerprints_are_made_from_redacted_text() {
    let block = |secret: &str| {
        format!(
            "mail.auth.protocol=oauth2\nmail.server.port=587\nmail.oauth2.client.secret{secret}\n"
        )
    };
    // The same name in two directories: the fingerprints name the file.
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write(
        &dir_a,
        "config.properties",
        block("Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u").as_bytes(),
    );
    write(
        &dir_b,
        "config.properties",
        block("Bb28Q~Yy7xW6vU5tS4rQ3pO2nM1lK0jI9hG8fE7d").as_bytes(),
    );
    let (a, b) = (dir_a.path(), dir_b.path());
    for format in ["gitlab", "sarif"] {
        let prints = |dir: &std::path::Path| {
            let out = output(racm_lint().current_dir(dir).args([
                "--isolated",
                "--format",
                format,
                "config.properties",
            ]));
            assert_hidden("Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u", &out, format);
            assert_hidden("Bb28Q~Yy7xW6vU5tS4rQ3pO2nM1lK0jI9hG8fE7d", &out, format);
            let json: serde_json::Value = serde_json::from_str(&out).unwrap();
            let list = if format == "gitlab" {
                json.as_array().unwrap().clone()
            } else {
                json["runs"][0]["results"].as_array().unwrap().clone()
            };
            list.iter()
                .map(|issue| {
                    if format == "gitlab" {
                        issue["fingerprint"].to_string()
                    } else {
                        issue["partialFingerprints"].to_string()
                    }
                })
                .collect::<Vec<_>>()
        };
        let (pa, pb) = (prints(a), prints(b));
        assert!(!pa.is_empty());
        assert_eq!(pa, pb, "{format}");
    }
}

/// Key names reach terminals and CI logs escaped: a key written with `\u001b`, `\n` or `\u202e` escapes, or
/// a suppression naming a rule `x<ESC>c`, moves no cursor and forges no `::error` or `##vso[` line.
#[test]
fn key_names_from_the_file_cannot_forge_log_commands() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "config.properties",
        b"mail.auth.protocol=oauth2\nmail.\\u001b[2Jx\\u202e=1\n# racm-lint: ignore[x\\u001bc]\nmail.a\\n::error file=x::forged=1\nmail.server.port=587\n",
    );
    for format in FORMATS {
        let out = cli_support::racm_lint_process()
            .args(["--isolated", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{format}: a control character of a key reached the output:\n{text}"
        );
        assert!(
            !text.lines().any(|l| l.starts_with("::error file=x")),
            "{format}: a key forged a log command:\n{text}"
        );
    }
}
