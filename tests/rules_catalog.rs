//! The built-in rule set against `testdata/lint`: every file declares the rule codes it must get, every rule
//! fires somewhere, every text is filled in both languages, no text shows a secret, and a broken rule file is
//! a clear error pointing into it.
//!
//! A test file declares its expectations in a comment: `# expect: RL124` (several codes comma-separated) or
//! `# expect: none`. The set of codes reported must equal it exactly (a code reported twice counts once).
//! The comment is on the first line (after a byte order mark, if any), or on the last line when the first
//! line is itself what the file tests (a byte order mark glued to the first key). A zero-byte file cannot
//! declare anything: [`ZERO_BYTE_FILES`] says what it expects.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use racm_lint::catalog::Check;
use racm_lint::catalog::RuleSet;
use racm_lint::diagnostic::Diagnostic;
use racm_lint::engine::Linter;
use racm_lint::i18n::Lang;
use racm_lint::keys::REDACTED;
use racm_lint::properties::Document;
use racm_lint::properties::Settings;
use racm_lint::secrets::secret_texts;
use racm_lint::text::latin1;
use regex::Regex;

/// What the zero-byte files of `testdata/lint` expect.
const ZERO_BYTE_FILES: &[(&str, &str)] = &[("no-mail-settings-empty.properties", "RL010")];

const BOM: &str = "\u{ef}\u{bb}\u{bf}";

/// Words a message may start with in upper case.
const PROPER_NOUNS: &[&str] = &["Microsoft", "Exchange", "Azure", "Java", "Quartz"];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `testdata/lint/**/*.properties` file, by path relative to `testdata/lint`, with its bytes.
fn lint_files() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|x| x == "properties") {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    let root: PathBuf = manifest_dir().join("testdata/lint");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    assert!(!out.is_empty(), "no test files in {}", root.display());
    out
}

fn linter(lang: Lang) -> Linter {
    Linter::new(
        RuleSet::builtin().expect("the built-in rule set loads"),
        lang,
    )
}

/// The codes a file declares, or why it declares none.
fn expected(name: &str, bytes: &[u8]) -> Result<BTreeSet<String>, String> {
    if bytes.is_empty() {
        let file = name.rsplit('/').next().unwrap_or(name);
        return ZERO_BYTE_FILES
            .iter()
            .find(|(n, _)| *n == file)
            .map(|(_, codes)| parse_codes(codes))
            .ok_or_else(|| format!("{name}: a zero-byte file must be listed in ZERO_BYTE_FILES"));
    }
    let text = latin1(bytes);
    let text = text.strip_prefix(BOM).unwrap_or(&text);
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let declared = |line: &&str| line.trim().strip_prefix("# expect:").map(parse_codes);
    lines
        .first()
        .and_then(declared)
        .or_else(|| {
            lines
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .and_then(declared)
        })
        .ok_or_else(|| format!("{name}: no `# expect:` comment on the first or last line"))
}

fn parse_codes(list: &str) -> BTreeSet<String> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "none")
        .map(str::to_string)
        .collect()
}

fn codes(diagnostics: &[Diagnostic]) -> BTreeSet<String> {
    diagnostics.iter().map(|d| d.code.clone()).collect()
}

/// Every text of a diagnostic that is shown to someone.
fn texts(d: &Diagnostic) -> Vec<(&'static str, &str)> {
    let mut out = vec![("message", d.message.as_str())];
    out.extend(d.help.as_deref().map(|t| ("help", t)));
    out.extend(d.why.as_deref().map(|t| ("why", t)));
    out.extend(d.label.as_deref().map(|t| ("label", t)));
    out.extend(d.notes.iter().map(|t| ("note", t.as_str())));
    out.extend(
        d.secondary
            .iter()
            .map(|l| ("secondary label", l.message.as_str())),
    );
    out
}

/// The diagnostics in full, for a failure message.
fn dump(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let place = d
            .location
            .map_or_else(|| "-".to_string(), |l| format!("{}:{}", l.line, l.column));
        let _ = writeln!(
            out,
            "  {} {} [{}] at {place} key={:?}",
            d.code,
            d.rule,
            d.severity.as_str(),
            d.key
        );
        for (what, text) in texts(d) {
            let _ = writeln!(out, "      {what}: {text}");
        }
    }
    if out.is_empty() {
        out.push_str("  (no diagnostics)\n");
    }
    out
}

#[test]
fn every_test_file_gets_exactly_the_codes_it_declares() {
    let linter = linter(Lang::En);
    let mut failures = String::new();
    for (name, bytes) in lint_files() {
        let want = match expected(&name, &bytes) {
            Ok(want) => want,
            Err(e) => {
                let _ = writeln!(failures, "{e}");
                continue;
            }
        };
        let diagnostics = linter.lint(&bytes);
        let got = codes(&diagnostics);
        if got != want {
            let _ = writeln!(
                failures,
                "{name}: expected {want:?}, got {got:?}\n{}",
                dump(&diagnostics)
            );
        }
    }
    assert!(failures.is_empty(), "\n{failures}");
}

#[test]
fn every_offline_rule_fires_in_some_test_file() {
    let linter = linter(Lang::En);
    let fired: BTreeSet<String> = lint_files()
        .iter()
        .flat_map(|(_, bytes)| codes(&linter.lint(bytes)))
        .collect();
    let never: Vec<String> = linter
        .rules
        .rules
        .iter()
        // Live-check findings come from talking to Microsoft (`--online`), never from the file alone.
        .filter(|r| !matches!(r.check, Check::Online))
        .filter(|r| !fired.contains(&r.code))
        .map(|r| format!("{} {}", r.code, r.name))
        .collect();
    assert!(
        never.is_empty(),
        "rules that fire in no file of testdata/lint: {never:#?}"
    );
}

#[test]
fn the_example_configuration_is_clean() {
    let bytes = std::fs::read(manifest_dir().join("testdata/examples/config.properties")).unwrap();
    for lang in [Lang::En, Lang::Fr] {
        let diagnostics = linter(lang).lint(&bytes);
        assert!(diagnostics.is_empty(), "{lang:?}:\n{}", dump(&diagnostics));
    }
}

#[test]
fn every_rule_has_english_and_french_texts() {
    let rules = RuleSet::builtin().unwrap();
    let mut problems = Vec::new();
    for rule in &rules.rules {
        for lang in [Lang::En, Lang::Fr] {
            let t = rule.texts(lang);
            // A live-check finding may report a success, with nothing to fix and no line to copy; a finding
            // on the file always says what to do.
            let online = matches!(rule.check, Check::Online);
            for (field, text, required) in [
                ("message", &t.message, true),
                ("why", &t.why, true),
                ("fix", &t.fix, !online),
                ("example", &t.example, !online),
            ] {
                if required && text.trim().is_empty() {
                    problems.push(format!("{} {lang:?}: empty {field}", rule.code));
                }
            }
            if t.message.contains('\n') {
                problems.push(format!(
                    "{} {lang:?}: the message is more than one line",
                    rule.code
                ));
            }
            // Lower case first, as rustc does, unless the message starts with a name or an acronym.
            let first = t.message.split([' ', ':']).next().unwrap_or("");
            let name = PROPER_NOUNS.contains(&first) || first.chars().all(|c| !c.is_lowercase());
            if first.starts_with(char::is_uppercase) && !name {
                problems.push(format!(
                    "{} {lang:?}: the message starts with a capital",
                    rule.code
                ));
            }
            if t.message.ends_with('.') {
                problems.push(format!(
                    "{} {lang:?}: the message ends with a full stop",
                    rule.code
                ));
            }
        }
        let same = |en: &str, fr: &str| !en.is_empty() && en == fr;
        if same(&rule.texts(Lang::En).message, &rule.texts(Lang::Fr).message)
            || same(&rule.texts(Lang::En).why, &rule.texts(Lang::Fr).why)
            || same(&rule.texts(Lang::En).fix, &rule.texts(Lang::Fr).fix)
        {
            problems.push(format!("{}: the French text is the English one", rule.code));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_placeholder_is_filled_in_both_languages() {
    let placeholder = Regex::new(r"\{[A-Za-z_][A-Za-z0-9_]*\}").unwrap();
    let mut problems = Vec::new();
    for lang in [Lang::En, Lang::Fr] {
        let linter = linter(lang);
        for (name, bytes) in lint_files() {
            for d in linter.lint(&bytes) {
                for (what, text) in texts(&d) {
                    if let Some(m) = placeholder.find(text) {
                        problems.push(format!(
                            "{name} {lang:?} {}: {what} keeps {}: {text}",
                            d.code,
                            m.as_str()
                        ));
                    }
                }
                if d.help.is_none() || d.why.is_none() {
                    problems.push(format!("{name} {lang:?} {}: no help or no why", d.code));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The secret values of a file, as Java reads them and as they are written, long enough to look for: what the
/// engine itself scrubs texts of.
fn secrets(bytes: &[u8]) -> Vec<String> {
    let doc = Document::parse(bytes);
    secret_texts(&doc, &Settings::new(&doc))
}

#[test]
fn no_text_shows_a_secret() {
    let mut problems = Vec::new();
    let mut files_with_secrets = 0;
    for lang in [Lang::En, Lang::Fr] {
        let linter = linter(lang);
        for (name, bytes) in lint_files() {
            let secrets = secrets(&bytes);
            if secrets.is_empty() {
                continue;
            }
            files_with_secrets += 1;
            for d in linter.lint(&bytes) {
                for (what, text) in texts(&d) {
                    for secret in &secrets {
                        if text.contains(secret.as_str()) {
                            problems.push(format!(
                                "{name} {lang:?} {}: {what} shows the secret: {text}",
                                d.code
                            ));
                        }
                    }
                    // The rules never even try: the engine's redaction is a safety net, not the mechanism.
                    if text.contains(REDACTED) {
                        problems.push(format!(
                            "{name} {lang:?} {}: {what} needed redacting: {text}",
                            d.code
                        ));
                    }
                }
                for edit in &d.fix {
                    let replacement = latin1(&edit.replacement);
                    if secrets.iter().any(|s| replacement.contains(s.as_str())) {
                        problems.push(format!(
                            "{name} {lang:?} {}: a fix writes the secret",
                            d.code
                        ));
                    }
                }
            }
        }
    }
    assert!(files_with_secrets > 0);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A correct rule file with one rule; `edit` breaks it.
fn rule_file(edit: impl Fn(&str) -> String) -> String {
    edit(
        r#"# A site rule.
[[rule]]
code = "RL901"
name = "site-host"
keys = ["mail.server.host"]
check = { function = "matches", pattern = "^smtp\\." }
severity = "warning"
step = "config"
en.message = "{key} is {value}"
en.why = "why"
en.fix = "fix"
en.example = "mail.server.host=smtp.office365.com"
fr.message = "{key} vaut {value}"
fr.why = "pourquoi"
fr.fix = "correction"
fr.example = "mail.server.host=smtp.office365.com"
"#,
    )
}

#[test]
fn a_correct_site_rule_file_loads() {
    let mut set = RuleSet::builtin().unwrap();
    let before = set.rules.len();
    set.add_file("site.toml", &rule_file(str::to_string))
        .unwrap();
    assert_eq!(set.rules.len(), before + 1);
}

#[test]
fn a_broken_rule_file_is_an_error_pointing_at_the_problem() {
    // (what is broken, the edit, words the message must contain, text the span must cover)
    type Case = (
        &'static str,
        fn(&str) -> String,
        &'static [&'static str],
        &'static str,
    );
    let cases: [Case; 5] = [
        (
            "unknown field",
            |t| {
                t.replace(
                    "severity = \"warning\"",
                    "severity = \"warning\"\ncolour = \"red\"",
                )
            },
            &["colour"],
            "colour",
        ),
        (
            "unknown check function",
            |t| {
                t.replace(
                    "function = \"matches\", pattern = \"^smtp\\\\.\"",
                    "function = \"no_such_check\"",
                )
            },
            &["no_such_check"],
            "no_such_check",
        ),
        (
            "bad regular expression",
            |t| t.replace("\"^smtp\\\\.\"", "\"^smtp(\""),
            &["site-host", "pattern"],
            "site-host",
        ),
        (
            "duplicate code",
            |t| t.replace("RL901", "RL101"),
            &["RL101", "twice"],
            "RL101",
        ),
        (
            "unknown step",
            |t| t.replace("step = \"config\"", "step = \"no-such-step\""),
            &["no-such-step", "step"],
            "no-such-step",
        ),
    ];
    for (what, edit, words, at) in cases {
        let text = rule_file(edit);
        assert_ne!(
            text,
            rule_file(str::to_string),
            "{what}: the edit changed nothing"
        );
        let mut set = RuleSet::builtin().unwrap();
        let error = set
            .add_file("bad.toml", &text)
            .err()
            .unwrap_or_else(|| panic!("{what}: the broken file loaded"));
        assert_eq!(error.name, "bad.toml", "{what}");
        let shown = error.to_string();
        for word in words {
            assert!(
                shown.contains(word),
                "{what}: the message does not name `{word}`: {shown}"
            );
        }
        let span = error
            .span
            .unwrap_or_else(|| panic!("{what}: no span: {shown}"));
        let pointed = &text[span.offset()..span.offset() + span.len()];
        assert!(
            pointed.contains(at),
            "{what}: the span points at {pointed:?}, not at `{at}` ({shown})"
        );
    }
}

/// The built-in patterns are compiled on first use (start-up stays fast): compile them all here.
#[test]
fn every_builtin_pattern_compiles() {
    let rules = RuleSet::builtin().unwrap();
    rules.compile_all_patterns().unwrap();
}
