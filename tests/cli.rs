//! The command line as users run it: exit codes, formats, colours, languages, and fatal errors.

#[path = "support/cli.rs"]
mod cli_support;

use cli_support::{racm_lint, temp_file, testdata};
use predicates::prelude::*;

#[test]
fn the_bundled_example_is_clean_and_exits_0() {
    racm_lint()
        .arg(testdata("examples/config.properties"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 errors, 0 warnings, 0 infos in 1 file",
        ));
}

#[test]
fn errors_exit_1() {
    let file = temp_file(b"mail.x=\\uZZ12\n");
    racm_lint()
        .arg(file.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[RL001]"));
}

#[test]
fn the_tool_failing_exits_2_with_a_message() {
    racm_lint()
        .arg("/definitely/not/here.properties")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
    let dir = tempfile::tempdir().unwrap();
    racm_lint()
        .args(["show"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
    racm_lint().arg("--no-such-flag").assert().code(2);
    racm_lint().args(["--format", "yaml", "x"]).assert().code(2);
}

#[test]
fn the_default_path_is_conf_config_properties() {
    let dir = tempfile::tempdir().unwrap();
    racm_lint()
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("conf/config.properties"));
    std::fs::create_dir(dir.path().join("conf")).unwrap();
    std::fs::copy(
        testdata("examples/config.properties"),
        dir.path().join("conf/config.properties"),
    )
    .unwrap();
    racm_lint().current_dir(dir.path()).assert().code(0);
}

#[test]
fn json_has_the_documented_shape() {
    let file = temp_file(b"mail.x=\\uZZ12\n");
    let out = racm_lint()
        .arg(file.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "racm-lint");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "RL001")
        .expect("RL001 reported");
    let mut fields: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "code",
            "column",
            "end_column",
            "end_line",
            "file",
            "fixable",
            "help",
            "key",
            "line",
            "message",
            "rule",
            "severity",
            "step"
        ]
    );
    assert_eq!(d["severity"], "error");
    assert_eq!(d["key"], "mail.x");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(8))
    );
    assert_eq!(d["step"], "config");
    assert_eq!(d["fixable"], false);
    let summary = &doc["summary"];
    assert_eq!(summary["files"], 1);
    assert!(summary["errors"].as_u64().unwrap() >= 1);
    assert!(summary["warnings"].is_u64() && summary["infos"].is_u64());
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let file = temp_file(b"mail.x=\\uZZ12\n");
    let escape = predicate::str::contains("\u{1b}[");
    racm_lint()
        .arg(file.path())
        .args(["--color", "always"])
        .assert()
        .stdout(escape.clone());
    // Not a terminal: no colour by default, and never with --color never.
    racm_lint()
        .arg(file.path())
        .assert()
        .stdout(escape.clone().not());
    racm_lint()
        .arg(file.path())
        .args(["--color", "never"])
        .assert()
        .stdout(escape.clone().not());
    racm_lint()
        .arg(file.path())
        .env("NO_COLOR", "1")
        .assert()
        .stdout(escape.not());
}

#[test]
fn language_comes_from_the_flag_or_the_environment() {
    let file = temp_file(b"mail.x=\\uZZ12\n");
    let french = predicate::str::contains("séquence unicode mal formée");
    racm_lint()
        .arg(file.path())
        .args(["--lang", "fr"])
        .assert()
        .stdout(french.clone());
    racm_lint()
        .arg(file.path())
        .env("LANG", "fr_CA.UTF-8")
        .assert()
        .stdout(french.clone());
    racm_lint()
        .arg(file.path())
        .env("LANG", "fr_CA.UTF-8")
        .env("LC_ALL", "C")
        .assert()
        .stdout(french.clone().not());
    racm_lint()
        .arg(file.path())
        .env("LANG", "fr_CA.UTF-8")
        .args(["--lang", "en"])
        .assert()
        .stdout(french.not());
}

#[test]
fn show_prints_effective_settings_with_secrets_redacted() {
    let file = temp_file(
        b"mail.server.port=25\nmail.oauth2.client.secret=Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u\n\
          db.password=hunter2\nmail.server.port=587\nmail.server.starttls.enable=true \n",
    );
    let text = racm_lint().arg("show").arg(file.path()).output().unwrap();
    assert_eq!(text.status.code(), Some(0));
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(stdout.contains("mail.server.port"), "{stdout}");
    assert!(
        stdout.contains("587") && stdout.contains("line 4, overrides line 1"),
        "{stdout}"
    );
    assert!(stdout.contains("\"true \""), "{stdout}");
    assert!(!stdout.contains("db.password"), "{stdout}");
    assert!(!stdout.contains("Xq48Q~"), "{stdout}");

    let json = racm_lint()
        .args(["show", "--all", "--format", "json"])
        .arg(file.path())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["file"], file.path().display().to_string());
    assert_eq!(doc["properties"]["mail.server.port"], "587");
    assert_eq!(doc["properties"]["mail.oauth2.client.secret"], "********");
    assert_eq!(doc["properties"]["db.password"], "********");
    assert_eq!(doc["properties"]["mail.server.starttls.enable"], "true ");
    let all = String::from_utf8(json.stdout).unwrap();
    assert!(!all.contains("hunter2") && !all.contains("Xq48Q~"));
}

#[test]
fn show_reports_a_file_java_cannot_load() {
    let file = temp_file(b"mail.server.port=587\nmail.x=\\u00G1\n");
    racm_lint()
        .arg("show")
        .arg(file.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Java cannot load this file"));
}

#[test]
fn human_output_shows_the_line_with_only_secrets_masked() {
    let text = std::fs::read_to_string(testdata("examples/config.properties"))
        .unwrap()
        .replace("mail.server.port=587", "mail.server.port=465");
    let file = temp_file(text.as_bytes());
    racm_lint()
        .arg(file.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("│ mail.server.port=465\n"));
}

#[test]
fn fix_refuses_standard_input_which_would_print_the_secret() {
    let text = std::fs::read(testdata("examples/config.properties")).unwrap();
    racm_lint()
        .args(["-", "--fix"])
        .write_stdin(text)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "--fix cannot rewrite standard input",
        ));
}
