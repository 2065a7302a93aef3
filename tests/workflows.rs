//! racm-lint in terminals, pre-commit hooks and CI: many files, every output format parsed back,
//! configuration, suppressions, fixes, rule docs, template, completions and man page.

#[path = "support/cli.rs"]
mod cli_support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cli_support::{racm_lint, testdata};
use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn envs() -> PathBuf {
    testdata("workflow/envs")
}

fn stdout_of(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// A copy of `testdata/workflow/envs` in a temporary directory (run from there, paths are relative).
fn envs_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for env in ["dev", "staging", "prod", "qa"] {
        let to = dir.path().join("envs").join(env);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(
            envs().join(env).join("config.properties"),
            to.join("config.properties"),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_directory_is_walked_in_a_stable_order() {
    let (code, out) = stdout_of(racm_lint().arg(envs()).args(["--format", "concise"]));
    assert_eq!(code, Some(1));
    let files: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "{out}");
    assert!(out.contains("prod/config.properties") && out.contains("staging/config.properties"));
    assert!(
        !out.contains("dev/config.properties"),
        "the dev environment is clean:\n{out}"
    );
    // Same output every time, whatever the thread scheduling.
    for _ in 0..3 {
        assert_eq!(
            stdout_of(racm_lint().arg(envs()).args(["--format", "concise"])).1,
            out
        );
    }
}

#[test]
fn concise_lines_are_file_line_col_severity_code_message() {
    let (_, out) = stdout_of(racm_lint().arg(envs()).args(["--format", "concise"]));
    let re = regex::Regex::new(r"^[^:]+:\d+:\d+: (error|warning|info)\[RL\d{3}\] \S.*$").unwrap();
    assert!(!out.is_empty());
    for line in out.lines() {
        assert!(re.is_match(line), "{line}");
    }
}

#[test]
fn json_parses_back_with_one_entry_per_finding() {
    let (_, out) = stdout_of(racm_lint().arg(envs()).args(["--format", "json"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(doc["summary"]["files"], 4);
    let errors = diags.iter().filter(|d| d["severity"] == "error").count() as u64;
    assert_eq!(doc["summary"]["errors"].as_u64(), Some(errors));
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let dir = envs_copy();
    let (_, out) = stdout_of(
        racm_lint()
            .current_dir(dir.path())
            .arg("envs")
            .args(["--format", "sarif"]),
    );
    let sarif: Value = serde_json::from_str(&out).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules
            .iter()
            .all(|r| r["shortDescription"]["text"].is_string()
                && r["fullDescription"]["text"].is_string()
                && r["help"]["text"].is_string())
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(result["ruleId"].as_str().unwrap().starts_with("RL"));
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("envs/") && uri.ends_with("/config.properties"),
            "relative: {uri}"
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

/// Undoes GitHub's workflow command escaping.
fn unescape_github(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations_parse_back() {
    let (_, out) = stdout_of(racm_lint().arg(envs()).args(["--format", "github"]));
    let re = regex::Regex::new(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^:]+)::(.+)$").unwrap();
    let mut count = 0;
    for line in out.lines() {
        let caps = re
            .captures(line)
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let file = unescape_github(&caps[2]);
        assert!(Path::new(&file).exists(), "{file}");
        let message = unescape_github(&caps[8]);
        assert!(!message.is_empty());
        assert!(unescape_github(&caps[7]).starts_with("racm-lint RL"));
        count += 1;
    }
    assert!(count > 0);
}

#[test]
fn gitlab_code_quality_parses_back_with_unique_stable_fingerprints() {
    let (_, out) = stdout_of(racm_lint().arg(envs()).args(["--format", "gitlab"]));
    let issues: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(!issues.is_empty());
    let mut prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    for issue in &issues {
        assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(issue["check_name"].as_str().unwrap().starts_with("RL"));
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        assert!(
            issue["location"]["path"]
                .as_str()
                .unwrap()
                .ends_with("config.properties")
        );
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let (_, again) = stdout_of(racm_lint().arg(envs()).args(["--format", "gitlab"]));
    assert_eq!(out, again, "fingerprints are stable");
    let total = prints.len();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), total, "fingerprints are unique");
}

#[test]
fn azure_logging_commands_parse_back() {
    let (_, out) = stdout_of(racm_lint().arg(envs()).args(["--format", "azure"]));
    let re = regex::Regex::new(
        r"^##vso\[task\.logissue type=(error|warning);sourcepath=([^;]+);linenumber=(\d+);columnnumber=(\d+);code=(RL\d{3});\](.+)$",
    )
    .unwrap();
    let mut issues = 0;
    for line in out.lines() {
        if line.starts_with("##vso") {
            assert!(re.is_match(line), "{line}");
            issues += 1;
        } else {
            assert!(line.contains(": info[RL"), "{line}");
        }
    }
    assert!(issues > 0);
}

#[test]
fn junit_parses_back() {
    let (_, out) = stdout_of(racm_lint().arg(envs()).args(["--format", "junit"]));
    let mut reader = quick_xml::Reader::from_str(&out);
    let (mut suites, mut failures, mut cases) = (0, 0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testsuite" => suites += 1,
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(suites, 4);
    assert!(failures > 0 && cases >= failures);
}

#[test]
fn stdin_is_read_with_its_name() {
    let bytes = std::fs::read(envs().join("prod/config.properties")).unwrap();
    racm_lint()
        .args([
            "-",
            "--stdin-filename",
            "prod/config.properties",
            "--format",
            "concise",
        ])
        .write_stdin(bytes)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("prod/config.properties:"));
}

#[test]
fn configuration_changes_severity_selection_cloud_and_aliases() {
    let dir = envs_copy();
    let prod = dir.path().join("envs/prod");
    std::fs::write(
        dir.path().join(".racm-lint.toml"),
        "format = \"concise\"\nsender-aliases = [\"noreply@contoso.com\"]\n[severity]\nsmtp-port-implicit-tls = \"warning\"\n",
    )
    .unwrap();
    let (code, out) = stdout_of(racm_lint().current_dir(dir.path()).arg("envs/prod"));
    assert!(out.contains("warning[RL122]"), "{out}");
    assert!(!out.contains("RL192"), "the alias is known good: {out}");
    assert_eq!(code, Some(1), "RL131 is still an error");
    // A nearer configuration wins for the files below it.
    std::fs::write(prod.join(".racm-lint.toml"), "ignore = [\"RL1\"]\n").unwrap();
    let (_, out) =
        stdout_of(
            racm_lint()
                .current_dir(dir.path())
                .args(["envs/prod", "--format", "concise"]),
        );
    assert!(!out.contains("[RL1"), "{out}");
    // --isolated ignores both.
    let (_, out) = stdout_of(racm_lint().current_dir(dir.path()).args([
        "envs/prod",
        "--isolated",
        "--format",
        "concise",
    ]));
    assert!(
        out.contains("error[RL122]") && out.contains("RL192"),
        "{out}"
    );
}

/// Codes are case-insensitive wherever a rule is named: a configuration that validation accepts with
/// `rl1` (or `--select rl122`) must also act on it. It was accepted and then selected nothing.
#[test]
fn rule_codes_select_and_ignore_in_any_case() {
    let dir = envs_copy();
    let prod = dir.path().join("envs/prod");
    let concise = |args: &[&str]| {
        let mut cmd = racm_lint();
        cmd.current_dir(dir.path())
            .args(["envs/prod", "--format", "concise"])
            .args(args);
        stdout_of(&mut cmd).1
    };
    let before = concise(&[]);
    assert!(
        before.contains("[RL122]") && before.contains("[RL131]"),
        "{before}"
    );
    std::fs::write(prod.join(".racm-lint.toml"), "ignore = [\"rl1\"]\n").unwrap();
    let out = concise(&[]);
    assert!(!out.contains("[RL1"), "{out}");
    std::fs::remove_file(prod.join(".racm-lint.toml")).unwrap();
    let out = concise(&["--select", "rl122"]);
    assert!(out.contains("[RL122]") && !out.contains("[RL131]"), "{out}");
}

#[test]
fn a_bad_configuration_is_a_clear_error_pointing_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cfg.toml");
    for (text, expected) in [
        ("selct = [\"RL1\"]\n", "unknown field `selct`"),
        (
            "[severity]\nsmtp-port-2 = \"error\"\n",
            "no rule is named `smtp-port-2`",
        ),
        ("cloud = \"moon\"\n", "unknown cloud `moon`"),
        ("format = \"xml\"\n", "unknown format `xml`"),
        (
            "[severity]\nsmtp-port-25 = \"fatal\"\n",
            "unknown variant `fatal`",
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        racm_lint()
            .arg(testdata("examples/config.properties"))
            .arg("--config")
            .arg(&config)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected).and(predicate::str::contains("cfg.toml")));
    }
}

#[test]
fn organisation_rules_load_from_rule_dirs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policy")).unwrap();
    std::fs::write(
        dir.path().join("policy/sender.toml"),
        r#"[[rule]]
code = "ORG001"
name = "sender-must-be-noreply"
keys = ["mail.option.sender"]
check = { function = "not_equal", expected = "noreply@contoso.com", ignore_case = true }
severity = "error"
step = "alias"
en = { message = "the sender must be {expected}", why = "policy", fix = "use {expected}", example = "mail.option.sender=noreply@contoso.com" }
fr = { message = "l'expéditeur doit être {expected}", why = "politique", fix = "utilisez {expected}", example = "mail.option.sender=noreply@contoso.com" }
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".racm-lint.toml"),
        "rule-dirs = [\"policy\"]\n",
    )
    .unwrap();
    std::fs::copy(
        testdata("examples/config.properties"),
        dir.path().join("config.properties"),
    )
    .unwrap();
    racm_lint()
        .current_dir(dir.path())
        .args(["config.properties", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[ORG001] the sender must be `noreply@contoso.com`",
        ));
}

#[test]
fn suppressions_silence_the_next_entry_or_the_file_and_unused_ones_are_reported() {
    let prod = std::fs::read_to_string(envs().join("prod/config.properties")).unwrap();
    let suppressed = prod
        .replace(
            "mail.server.port=465",
            "# racm-lint: ignore[smtp-port-implicit-tls]\nmail.server.port=465",
        )
        .replace(
            "# Configuration SMTP",
            "# racm-lint: file-ignore[RL192, RL303]\n# Configuration SMTP",
        );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.properties");
    std::fs::write(&file, suppressed).unwrap();
    let (_, out) = stdout_of(racm_lint().arg(&file).args(["--format", "concise"]));
    assert!(!out.contains("RL122") && !out.contains("RL192"), "{out}");
    assert!(
        out.contains("warning[RL021] suppression of `RL303` silences nothing here"),
        "{out}"
    );
    assert!(out.contains("error[RL131]"), "other findings stay: {out}");
}

#[test]
fn severity_policy_flags() {
    let dir = envs_copy();
    let alias_only = std::fs::read_to_string(dir.path().join("envs/dev/config.properties"))
        .unwrap()
        .replace(
            "mail.option.sender=notification@contoso.onmicrosoft.com",
            "mail.option.sender=noreply@contoso.com",
        );
    let file = dir.path().join("alias.properties");
    std::fs::write(&file, alias_only).unwrap();
    racm_lint().arg(&file).assert().code(0);
    racm_lint()
        .arg(&file)
        .arg("--deny-warnings")
        .assert()
        .code(1);
    racm_lint()
        .arg(dir.path().join("envs/prod/config.properties"))
        .arg("--exit-zero")
        .assert()
        .code(0);
}

#[test]
fn fix_rewrites_only_what_it_fixes_and_diff_writes_nothing() {
    let dir = envs_copy();
    let staging = dir.path().join("envs/staging/config.properties");
    let before = std::fs::read(&staging).unwrap();
    let (code, diff) = stdout_of(racm_lint().arg(&staging).arg("--diff"));
    assert_eq!(code, Some(1));
    assert!(
        diff.contains("-mail.server.starttls.enable=TRUE")
            && diff.contains("+mail.server.starttls.enable=true"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read(&staging).unwrap(),
        before,
        "--diff writes nothing"
    );

    racm_lint()
        .arg(&staging)
        .arg("--fix")
        .assert()
        .stdout(predicate::str::contains("RL002").not());
    let after = std::fs::read(&staging).unwrap();
    let expected: Vec<u8> = before[3..].to_vec();
    let expected = String::from_utf8(expected)
        .unwrap()
        .replace("enable=TRUE", "enable=true");
    assert_eq!(
        String::from_utf8(after).unwrap(),
        expected,
        "BOM gone, case fixed, CRLF and all else kept"
    );
    racm_lint().arg(&staging).assert().code(0);
}

/// A file its owner made read-only, or one with other hard links, is not rewritten: exit 2, unchanged.
#[test]
fn fix_refuses_a_read_only_file_and_a_hard_linked_one() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = envs_copy();
    let prod = dir.path().join("envs/prod/config.properties");
    let before = std::fs::read(&prod).unwrap();
    std::fs::set_permissions(&prod, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = racm_lint()
        .current_dir(dir.path())
        .args(["--isolated", "--fix", "envs/prod/config.properties"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("read-only") && stderr.contains("unchanged"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&prod).unwrap(), before);
    std::fs::set_permissions(&prod, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::hard_link(&prod, dir.path().join("prod-link.properties")).unwrap();
    let out = racm_lint()
        .current_dir(dir.path())
        .args(["--isolated", "--fix", "envs/prod/config.properties"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hard links"));
    assert_eq!(std::fs::read(&prod).unwrap(), before);
}

#[test]
fn fix_never_touches_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.properties");
    let text = std::fs::read_to_string(testdata("examples/config.properties"))
        .unwrap()
        .replace("aE1u\n", "aE1u  \n")
        .replace("smtp.office365.com\n", "smtp.office365.com \n");
    std::fs::write(&file, &text).unwrap();
    racm_lint().arg(&file).arg("--fix").assert().code(0);
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains("aE1u  \n"),
        "the secret's whitespace is the admin's call"
    );
    assert!(
        fixed.contains("smtp.office365.com\n"),
        "the host's whitespace is fixed"
    );
}

#[test]
fn rules_and_rule_document_every_rule() {
    let (code, list) = stdout_of(racm_lint().arg("rules"));
    assert_eq!(code, Some(0));
    assert!(list.lines().count() >= 40, "{list}");
    assert!(list.contains("RL124") && list.contains("smtp-port-unexpected"));
    let (_, json) = stdout_of(racm_lint().args(["rules", "--format", "json"]));
    let rules: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert!(
        rules
            .iter()
            .all(|r| r["code"].is_string() && (r["step"].is_string() || r["step"].is_null()))
    );
    racm_lint()
        .args(["rule", "RL172", "--lang", "fr"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("## Pourquoi c'est important")
                .and(predicate::str::contains("Création d'un secret")),
        );
    racm_lint()
        .args(["rule", "client-secret-is-secret-id"])
        .assert()
        .stdout(predicate::str::contains("## Why it matters"));
    let (_, one) = stdout_of(racm_lint().args(["rule", "smtp-port-25", "--format", "json"]));
    let one: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(one["name"], "smtp-port-25");
    racm_lint()
        .args(["rule", "smtp-port-26"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `smtp-port-25`"));
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let (_, generated) = stdout_of(racm_lint().args(["rules", "--format", "markdown"]));
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn template_prints_a_block_that_lints_clean_once_the_secret_is_filled_in() {
    let (code, block) = stdout_of(racm_lint().args([
        "template",
        "--tenant",
        "8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d",
        "--client-id",
        "4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e",
        "--user",
        "notification@contoso.onmicrosoft.com",
    ]));
    assert_eq!(code, Some(0));
    assert!(block.contains("mail.oauth2.client.secret=[secret value, Azure step 6]"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.properties");
    std::fs::write(&file, &block).unwrap();
    racm_lint()
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("RL171"));
    std::fs::write(
        &file,
        block.replace(
            "[secret value, Azure step 6]",
            "Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u",
        ),
    )
    .unwrap();
    racm_lint().arg(&file).assert().code(0);

    racm_lint()
        .args([
            "template",
            "--tenant",
            "common",
            "--client-id",
            "nope",
            "--user",
            "notification",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--tenant")
                .and(predicate::str::contains("--client-id"))
                .and(predicate::str::contains("--user")),
        );
    let (code, gcc) = stdout_of(racm_lint().args([
        "template",
        "--tenant",
        "contoso.onmicrosoft.us",
        "--client-id",
        "4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e",
        "--user",
        "notification@contoso.onmicrosoft.us",
        "--cloud",
        "gcc-high",
    ]));
    assert_eq!(code, Some(0));
    assert!(gcc.contains("login.microsoftonline.us") && gcc.contains("smtp.office365.us"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        racm_lint()
            .args(["completions", shell])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("racm-lint"));
    }
    racm_lint()
        .arg("man")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH racm-lint"));
}

#[test]
fn pre_commit_hooks_file_names_the_hooks() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(text.contains("id: racm-lint"));
    assert!(text.contains("language: rust"));
    assert!(text.contains("files: (^|/)config\\.properties$"));
}
