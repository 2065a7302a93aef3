//! Invariants of the built-in rule catalog as a whole, beyond what `tests/rules_catalog.rs` checks rule by
//! rule: codes and names designate one rule each, whatever the case; both languages agree on which texts a
//! rule has and on their placeholders; every rule is documented and tested; every check function is used;
//! every safe fix is exercised and leaves a file whose lint is the one `fix_all` returns; every selector the
//! configuration accepts selects something; and a live finding reads like the offline finding of the same
//! rule, without the secret.
//!
//! Already held elsewhere, so not repeated here: non-empty texts of each rule (`rules_catalog.rs`,
//! `every_rule_has_english_and_french_texts`), `docs/rules.md` being exactly the generated reference
//! (`workflows.rs`, `docs_rules_md_is_up_to_date`), every offline rule firing in `testdata/lint`
//! (`rules_catalog.rs`), and exact duplicate codes or names being a load error (`catalog::load`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use racm_lint::catalog::selection::names_a_rule;
use racm_lint::catalog::{Check, Rule, RuleSet, Selection, Severity};
use racm_lint::checks;
use racm_lint::diagnostic::{Builder, Diagnostic, Edit, Finding, Origin, SecondaryLabel, StepRef};
use racm_lint::engine::Linter;
use racm_lint::engine::fix::fix_all;
use racm_lint::i18n::Lang;
use racm_lint::properties::display::Location;
use racm_lint::properties::{DisplayText, Document, Settings, Span};
use racm_lint::secrets::{Redactor, secret_texts};
use racm_lint::text::latin1;

/// Check functions that no built-in rule uses, kept for organisations' own rule files. Each entry needs a
/// comment saying why it exists without a built-in rule.
const CUSTOM_ONLY: &[&str] = &[];

/// This file, which names rules in its own failure messages and must not count as testing them.
const THIS_FILE: &str = "catalog_invariants.rs";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn builtin() -> RuleSet {
    RuleSet::builtin().expect("the built-in rule set loads")
}

fn linter(lang: Lang) -> Linter {
    Linter::new(builtin(), lang)
}

fn read_text(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` (recursively) whose name ends with `.{ext}`, by path relative to the crate root,
/// sorted, with its bytes.
fn files_under(dir: &str, ext: &str) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, ext: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, ext, out);
            } else if path.extension().is_some_and(|x| x == ext) {
                let name = path
                    .strip_prefix(root())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), ext, &mut out);
    out.sort();
    assert!(!out.is_empty(), "no *.{ext} file under {dir}/");
    out
}

/// The test sources `tests/*.rs` (not the helpers under `tests/support/`, not this file), with their text.
fn test_sources() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root().join("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
        .filter(|p| p.file_name().is_some_and(|n| n != THIS_FILE))
        .map(|p| {
            let name = format!("tests/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no tests/*.rs");
    out
}

/// Whether `word` occurs in `text` as a whole rule code or name: not inside a longer name
/// (`scope-invalid` in `token-scope-invalid`) or code (`RL50` in `RL501`).
fn mentions(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

/// `CamelCase` to `snake_case`, as serde's `rename_all = "snake_case"` spells a variant.
fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.char_indices() {
        if i > 0 && c.is_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The `{placeholders}` of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .collect()
}

fn describe(rule: &Rule) -> String {
    format!("{} ({})", rule.code, rule.name)
}

/// Everything a diagnostic shows or does, comparable.
#[derive(Debug, PartialEq)]
struct Shown {
    code: String,
    rule: String,
    severity: Severity,
    key: Option<String>,
    span: Option<Span>,
    location: Option<Location>,
    message: String,
    help: Option<String>,
    why: Option<String>,
    label: Option<String>,
    secondary: Vec<SecondaryLabel>,
    notes: Vec<String>,
    step: Option<StepRef>,
    fix: Vec<Edit>,
    origin: Origin,
}

fn shown(d: &Diagnostic) -> Shown {
    Shown {
        code: d.code.clone(),
        rule: d.rule.clone(),
        severity: d.severity,
        key: d.key.clone(),
        span: d.span.clone(),
        location: d.location,
        message: d.message.clone(),
        help: d.help.clone(),
        why: d.why.clone(),
        label: d.label.clone(),
        secondary: d.secondary.clone(),
        notes: d.notes.clone(),
        step: d.step.clone(),
        fix: d.fix.clone(),
        origin: d.origin,
    }
}

// ---------------------------------------------------------------------------------------------------------
// 1. Codes and names

#[test]
fn codes_and_names_designate_one_rule_each_whatever_the_case() {
    let rules = builtin();
    let mut problems = Vec::new();
    let mut codes: HashMap<String, &Rule> = HashMap::new();
    let mut names: HashMap<String, &Rule> = HashMap::new();
    for rule in &rules.rules {
        if let Some(other) = codes.insert(rule.code.to_ascii_lowercase(), rule) {
            problems.push(format!(
                "{} and {} have the same code ignoring case: give one of them a new code in rules/*.toml",
                describe(other),
                describe(rule)
            ));
        }
        if let Some(other) = names.insert(rule.name.to_ascii_lowercase(), rule) {
            problems.push(format!(
                "{} and {} have the same name ignoring case: rename one of them in rules/*.toml",
                describe(other),
                describe(rule)
            ));
        }
    }
    // `RuleSet::find` takes a code or a name: a name that reads as another rule's code is ambiguous.
    for rule in &rules.rules {
        if let Some(other) = codes.get(&rule.name.to_ascii_lowercase()) {
            problems.push(format!(
                "the name of {} is the code of {}: rename it in rules/*.toml",
                describe(rule),
                describe(other)
            ));
        }
    }
    // And each code and name finds its own rule.
    for (index, rule) in rules.rules.iter().enumerate() {
        for selector in [
            rule.code.clone(),
            rule.code.to_ascii_lowercase(),
            rule.name.clone(),
        ] {
            if rules.index_of(&selector) != Some(index) {
                problems.push(format!(
                    "{}: `{selector}` finds rule index {:?}, not {index}",
                    describe(rule),
                    rules.index_of(&selector)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// 2. Texts in both languages

/// `rules_catalog.rs` already requires each text to be filled in (all four on file rules; `message` and
/// `why` on live-check rules). What it does not hold: that the two languages agree on which optional texts a
/// live rule has, and that both fill the same placeholders (`online/report.rs` checks this on live rules
/// only).
#[test]
fn english_and_french_texts_have_the_same_fields_and_placeholders() {
    let rules = builtin();
    let mut problems = Vec::new();
    for rule in &rules.rules {
        let (en, fr) = (rule.texts(Lang::En), rule.texts(Lang::Fr));
        for (field, en, fr) in [
            ("message", &en.message, &fr.message),
            ("why", &en.why, &fr.why),
            ("fix", &en.fix, &fr.fix),
            ("example", &en.example, &fr.example),
        ] {
            if en.trim().is_empty() != fr.trim().is_empty() {
                problems.push(format!(
                    "{}: `{field}` is empty in one language only (en: {en:?}, fr: {fr:?}): fill in or empty both in rules/*.toml",
                    describe(rule)
                ));
            }
            if field != "example" && placeholders(en) != placeholders(fr) {
                problems.push(format!(
                    "{}: `{field}` uses {:?} in English but {:?} in French: use the same placeholders in rules/*.toml",
                    describe(rule),
                    placeholders(en),
                    placeholders(fr)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// 3. Documentation

/// Each rule has its row in the table and its section, in English and in French. (That the file is exactly
/// the generated one is `workflows.rs`, `docs_rules_md_is_up_to_date`.)
#[test]
fn every_rule_is_documented_in_docs_rules_md() {
    let rules = builtin();
    let doc = read_text("docs/rules.md");
    let lines: Vec<&str> = doc.lines().collect();
    let mut problems = Vec::new();
    for rule in &rules.rules {
        let row = format!("| {} | {} |", rule.code, rule.name);
        let heading = format!("### {} ({}): ", rule.code, rule.name);
        let rows = lines.iter().filter(|l| l.starts_with(&row)).count();
        let headings = lines.iter().filter(|l| l.starts_with(&heading)).count();
        if rows != 2 || headings != 2 {
            problems.push(format!(
                "{}: {rows} table rows and {headings} sections in docs/rules.md, expected 2 of each (English and French): run `cargo run -- rules --format markdown > docs/rules.md`",
                describe(rule)
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// 4. Tests

/// A rule is tested when a `testdata` file expects its code (`# expect: RL101, RL102`, see
/// `rules_catalog.rs`) or a test source (`tests/*.rs`) names its code or its name (the live-check tests
/// name the rules they expect: `assert_eq!(names(&diagnostics), ["token-obtained"])`).
#[test]
fn every_rule_is_expected_by_some_test() {
    let rules = builtin();
    let mut expected: BTreeSet<String> = BTreeSet::new();
    for (_, bytes) in files_under("testdata", "properties") {
        for line in latin1(&bytes).lines() {
            if let Some(list) = line.trim().strip_prefix("# expect:") {
                expected.extend(
                    list.split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty() && *c != "none")
                        .map(str::to_string),
                );
            }
        }
    }
    assert!(
        !expected.is_empty(),
        "no `# expect:` comment under testdata/"
    );
    let sources = test_sources();
    let mut untested = Vec::new();
    for rule in &rules.rules {
        let by_testdata = expected.contains(&rule.code);
        let by_test = sources
            .iter()
            .any(|(_, text)| mentions(text, &rule.code) || mentions(text, &rule.name));
        if !by_testdata && !by_test {
            untested.push(format!(
                "{} [{}]",
                describe(rule),
                if matches!(rule.check, Check::Online) {
                    "online: add a case to tests/online_*.rs that expects it"
                } else {
                    "add a testdata/lint file declaring `# expect: ...` with its code"
                }
            ));
        }
    }
    assert!(
        untested.is_empty(),
        "{} rules are expected by no testdata file and named by no tests/*.rs:\n{}",
        untested.len(),
        untested.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------------------
// 5. Check functions

/// The variants of `pub enum Check` in `src/catalog/spec.rs`, as `function` names.
fn check_functions_in_spec() -> Vec<String> {
    let spec = read_text("src/catalog/spec.rs");
    let start = spec
        .find("pub enum Check {")
        .expect("src/catalog/spec.rs has `pub enum Check {`");
    let body = &spec[start + "pub enum Check {".len()..];
    let body = &body[..body.find("\n}").expect("the end of `pub enum Check`")];
    body.lines()
        .map(str::trim)
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|l| {
            let end = l
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(l.len());
            snake_case(&l[..end])
        })
        .collect()
}

/// The `function` of each rule of `rules/*.toml`, with the rule's code.
fn check_functions_in_rule_files() -> BTreeMap<String, Vec<String>> {
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, bytes) in files_under("rules", "toml") {
        let text = String::from_utf8(bytes).unwrap();
        let file: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Some(rules) = file.get("rule") else {
            continue;
        };
        for rule in rules.as_array().unwrap_or_else(|| panic!("{name}: `rule`")) {
            let code = rule["code"].as_str().unwrap_or("?").to_string();
            let function = rule["check"]["function"]
                .as_str()
                .unwrap_or_else(|| panic!("{name} {code}: no check.function"));
            used.entry(function.to_string()).or_default().push(code);
        }
    }
    used
}

#[test]
fn every_check_function_is_used_by_a_builtin_rule() {
    let variants = check_functions_in_spec();
    assert!(
        variants.len() > 10 && variants.contains(&"utf8_bom".to_string()),
        "reading `pub enum Check` in src/catalog/spec.rs went wrong: {variants:?}"
    );
    let used = check_functions_in_rule_files();
    let rules = builtin();
    let toml_rules: usize = used.values().map(Vec::len).sum();
    assert_eq!(
        toml_rules,
        rules.rules.len(),
        "rules/*.toml and RuleSet::builtin() do not have the same rules"
    );
    // What the loaded rules say agrees with the text of the files (the variant, as `Debug` names it).
    for rule in &rules.rules {
        let debug = format!("{:?}", rule.check);
        let variant = snake_case(debug.split(['(', ' ', '{']).next().unwrap());
        assert!(
            used.get(&variant)
                .is_some_and(|codes| codes.contains(&rule.code)),
            "{}: loaded with check `{variant}`, which rules/*.toml does not give it",
            describe(rule)
        );
    }

    let mut problems = Vec::new();
    for function in used.keys() {
        if !variants.contains(function) {
            problems.push(format!(
                "rules/*.toml use `function = \"{function}\"`, which is no variant of `Check` (reading src/catalog/spec.rs went wrong?)"
            ));
        }
    }
    for variant in &variants {
        let is_used = used.contains_key(variant);
        let custom = CUSTOM_ONLY.contains(&variant.as_str());
        if !is_used && !custom {
            problems.push(format!(
                "check function `{variant}` is used by no built-in rule: add a rule using it to rules/*.toml, or list it in CUSTOM_ONLY in tests/{THIS_FILE} with why"
            ));
        }
        if is_used && custom {
            problems.push(format!(
                "check function `{variant}` is in CUSTOM_ONLY but rules {:?} use it: remove it from CUSTOM_ONLY",
                used[variant]
            ));
        }
    }
    for custom in CUSTOM_ONLY {
        if !variants.iter().any(|v| v == custom) {
            problems.push(format!(
                "CUSTOM_ONLY names `{custom}`, which is no variant of `Check`"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// 6. Safe fixes

/// Sources for fixable rules that no testdata file gets a fix for: (rule name, source). Empty while every
/// fixable rule has a testdata case.
const FIX_CASES: &[(&str, &[u8])] = &[];

/// Whether fixing `source` applies a fix of the diagnostic `d` (a fixable finding of its rule), and the
/// finding is gone from the lint of the fixed file.
fn fix_is_applied(
    linter: &Linter,
    source: &[u8],
    diagnostics: &[Diagnostic],
    d: &Diagnostic,
) -> bool {
    let fixed = fix_all(linter, source, diagnostics);
    let Some((after, _)) = &fixed.lint else {
        return false;
    };
    let before_count = diagnostics.iter().filter(|x| x.code == d.code).count();
    let after_count = after.iter().filter(|x| x.code == d.code).count();
    fixed.applied >= 1
        && fixed.bytes != source
        && after_count < before_count
        && !after.iter().any(|x| x.code == d.code && x.key == d.key)
}

#[test]
fn every_fixable_rule_has_a_case_where_its_fix_is_applied() {
    let linter = linter(Lang::En);
    let rules = &linter.rules;
    let fixable: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|r| checks::function(&r.check).fixable())
        .collect();
    assert!(!fixable.is_empty(), "no fixable rule");
    let mut cases: Vec<(String, Vec<u8>)> = files_under("testdata", "properties");
    cases.extend(
        FIX_CASES
            .iter()
            .map(|(name, bytes)| (format!("FIX_CASES {name}"), bytes.to_vec())),
    );
    let mut covered: BTreeMap<&str, String> = BTreeMap::new();
    for (name, bytes) in &cases {
        let diagnostics = linter.lint(bytes);
        for rule in &fixable {
            if covered.contains_key(rule.code.as_str()) {
                continue;
            }
            if diagnostics
                .iter()
                .filter(|d| d.code == rule.code && d.fixable())
                .any(|d| fix_is_applied(&linter, bytes, &diagnostics, d))
            {
                covered.insert(&rule.code, name.clone());
            }
        }
    }
    let missing: Vec<String> = fixable
        .iter()
        .filter(|r| !covered.contains_key(r.code.as_str()))
        .map(|r| {
            format!(
                "{}: no testdata file gets its safe fix applied (and the finding gone after `fix_all`): add one, or a source to FIX_CASES in tests/{THIS_FILE}",
                describe(r)
            )
        })
        .collect();
    assert!(missing.is_empty(), "{missing:#?}\ncovered: {covered:#?}");
    // A non-fixable rule never offers a fix.
    let mut offered = Vec::new();
    for (name, bytes) in &cases {
        for d in linter.lint(bytes) {
            let rule = rules.find(&d.code).unwrap();
            if d.fixable() && !checks::function(&rule.check).fixable() {
                offered.push(format!(
                    "{name}: {} offers a fix but its check says it is not fixable (`fixable()` in src/checks)",
                    describe(rule)
                ));
            }
        }
    }
    assert!(offered.is_empty(), "{offered:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// 7. Selectors

/// Every selector of `rules` configuration validation could be given, right or wrong.
fn candidate_selectors(rules: &RuleSet) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for rule in &rules.rules {
        let code = &rule.code;
        for end in 1..=code.len() {
            out.insert(code[..end].to_string());
            out.insert(code[..end].to_ascii_lowercase());
        }
        out.insert(format!("{code}0"));
        out.insert(rule.name.clone());
        out.insert(rule.name.to_ascii_uppercase());
        out.insert(format!("{} ", rule.name));
        if let Some((first, _)) = rule.name.rsplit_once('-') {
            out.insert(first.to_string());
        }
    }
    for other in [
        "",
        " ",
        "*",
        "all",
        "RL9999",
        "RL999",
        "no-such-rule",
        "RL-",
    ] {
        out.insert(other.to_string());
    }
    out
}

fn selecting(selector: &str) -> Selection {
    Selection {
        select: vec![selector.to_string()],
        ..Selection::default()
    }
}

fn ignoring(selector: &str) -> Selection {
    Selection {
        ignore: vec![selector.to_string()],
        ..Selection::default()
    }
}

fn running(rules: &RuleSet, selection: &Selection) -> Vec<usize> {
    let resolved = selection.resolve(rules);
    (0..rules.rules.len())
        .filter(|&i| resolved.severity(i).is_some())
        .collect()
}

#[test]
fn every_selector_configuration_accepts_selects_a_rule() {
    let rules = builtin();
    let all = rules.rules.len();
    assert_eq!(running(&rules, &Selection::default()).len(), all);
    assert!(!names_a_rule(&rules, "RL9999", true));
    assert!(!names_a_rule(&rules, "no-such-rule", true));
    // What is wrong, and the selectors it is wrong for.
    let mut problems: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut report = |what: &'static str, selector: &str| {
        problems
            .entry(what)
            .or_default()
            .push(format!("{selector:?}"));
    };
    let mut accepted = 0;
    for selector in candidate_selectors(&rules) {
        let selected = running(&rules, &selecting(&selector));
        let not_ignored = running(&rules, &ignoring(&selector));
        if names_a_rule(&rules, &selector, true) {
            accepted += 1;
            if selected.is_empty() {
                report(
                    "accepted in `select` by configuration validation (`names_a_rule(.., true)`) but runs no rule (`Selection::resolve`, `Rule::is_selected_by`): make them agree",
                    &selector,
                );
            }
            if not_ignored.len() == all {
                report(
                    "accepted in `ignore` by configuration validation (`names_a_rule(.., true)`) but turns off no rule (`Selection::resolve`, `Rule::is_selected_by`): make them agree",
                    &selector,
                );
            }
        } else {
            if !selected.is_empty() {
                report(
                    "refused in `select` by configuration validation (`names_a_rule(.., true)`) yet would run rules: make them agree",
                    &selector,
                );
            }
            if not_ignored.len() != all {
                report(
                    "refused in `ignore` by configuration validation (`names_a_rule(.., true)`) yet would turn off rules: make them agree",
                    &selector,
                );
            }
        }
        // Per-rule severities take a code or a name, no prefix: an accepted one turns off exactly one rule.
        let severity = Selection {
            severity: HashMap::from([(selector.clone(), None)]),
            ..Selection::default()
        };
        let off = all - running(&rules, &severity).len();
        if names_a_rule(&rules, &selector, false) != (off == 1) {
            report(
                "`severity` key: `names_a_rule(.., false)` disagrees with `Selection::severity_of` (accepted but turns off no rule or several, or refused yet turns one off)",
                &selector,
            );
        }
    }
    assert!(accepted > rules.rules.len(), "too few accepted selectors");
    let shown: Vec<String> = problems
        .iter()
        .map(|(what, selectors)| format!("{what}:\n    {}", selectors.join(", ")))
        .collect();
    assert!(problems.is_empty(), "\n{}", shown.join("\n"));
}

#[test]
fn resolving_a_selection_twice_gives_the_same_result() {
    let rules = builtin();
    let mut selections = vec![
        Selection::default(),
        Selection {
            select: vec!["RL1".into(), "duplicate-key".into()],
            ignore: vec!["RL15".into()],
            severity: HashMap::from([
                ("RL101".to_string(), Some(Severity::Info)),
                ("utf8-bom".to_string(), None),
                ("rl003".to_string(), Some(Severity::Error)),
            ]),
        },
    ];
    for selector in candidate_selectors(&rules) {
        selections.push(selecting(&selector));
        selections.push(ignoring(&selector));
    }
    for selection in &selections {
        let (first, second) = (selection.resolve(&rules), selection.resolve(&rules));
        assert_eq!(first, second, "{selection:?} resolves differently twice");
        assert_eq!(
            first,
            selection.clone().resolve(&rules),
            "{selection:?}: a clone resolves differently"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// 8. The lint `fix_all` returns

/// Generated files with fixes that interact: a mark, case and blanks together, CRLF, continuations.
fn generated_sources() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = [
        "\u{feff}mail.smtp.auth.mechanisms=xoauth2 \nmail.smtp.starttls.enable=TRUE \t\n",
        "mail.smtp.starttls.enable=True\r\nmail.smtp.starttls.required=TRUE \r\nmail.server.host=smtp.office365.com  \r\n",
        "mail.smtp.starttls.enable=tr\\\n  ue \nmail.smtp.auth.mechanisms=XOAUTH2\\u0020\n",
        "\u{feff}",
        "\u{feff}# comment\n",
        "mail.smtp.starttls.enable=TRUE \nmail.smtp.starttls.enable=TRUE \n",
        "mail.oauth2.client.secret=Xq48Q~abc \nmail.oauth2.client.id=  4A7C9E2B-1F3D-4B6A-8E5C-7D9F0B1A2C3E \n",
    ]
    .iter()
    .enumerate()
    .map(|(i, text)| (format!("generated #{i}"), text.as_bytes().to_vec()))
    .collect();
    // Every test file at once (duplicate keys, several fixes), and with CRLF line ends.
    let all: Vec<u8> = files_under("testdata/lint", "properties")
        .into_iter()
        .flat_map(|(_, mut bytes)| {
            bytes.push(b'\n');
            bytes
        })
        .collect();
    let crlf: Vec<u8> = latin1(&all)
        .replace("\r\n", "\n")
        .replace('\n', "\r\n")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    out.push(("all of testdata/lint".into(), all));
    out.push(("all of testdata/lint, CRLF".into(), crlf));
    out
}

#[test]
fn the_lint_fix_all_returns_is_the_lint_of_the_fixed_bytes() {
    let mut problems = Vec::new();
    let mut fixed_files = 0;
    for lang in [Lang::En, Lang::Fr] {
        let linter = linter(lang);
        let mut cases = files_under("testdata", "properties");
        cases.extend(generated_sources());
        for (name, bytes) in cases {
            let before = linter.lint(&bytes);
            let fixed = fix_all(&linter, &bytes, &before);
            match &fixed.lint {
                None => {
                    if fixed.bytes != bytes || fixed.applied != 0 {
                        problems.push(format!(
                            "{name} {lang:?}: `fix_all` returned no lint but changed the bytes ({} fixes applied)",
                            fixed.applied
                        ));
                    }
                }
                Some((returned, places)) => {
                    fixed_files += 1;
                    if fixed.applied == 0 {
                        problems.push(format!(
                            "{name} {lang:?}: `fix_all` returned a lint but says no fix was applied"
                        ));
                    }
                    let (fresh, fresh_places) = linter.lint_with_secrets(&fixed.bytes);
                    let returned: Vec<Shown> = returned.iter().map(shown).collect();
                    let fresh: Vec<Shown> = fresh.iter().map(shown).collect();
                    if returned != fresh {
                        let first = returned
                            .iter()
                            .zip(&fresh)
                            .position(|(a, b)| a != b)
                            .unwrap_or(returned.len().min(fresh.len()));
                        problems.push(format!(
                            "{name} {lang:?}: the lint `fix_all` returned differs from linting the fixed bytes ({} vs {} diagnostics), first at #{first}:\n  returned: {:?}\n  fresh:    {:?}",
                            returned.len(),
                            fresh.len(),
                            returned.get(first),
                            fresh.get(first)
                        ));
                    }
                    let whole = 0..fixed.bytes.len();
                    if places.masked(&fixed.bytes, whole.clone())
                        != fresh_places.masked(&fixed.bytes, whole)
                    {
                        problems.push(format!(
                            "{name} {lang:?}: the secret places `fix_all` returned are not those of the fixed bytes"
                        ));
                    }
                }
            }
        }
    }
    assert!(fixed_files > 0, "no file had anything to fix");
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// 9. Online and offline diagnostics

const SECRET_KEY: &str = "mail.oauth2.client.secret";
/// A client secret sharing no four characters with the texts of the rule below.
const SECRET: &str = "Zq7~Wv3Jx9Kp2Yb8Qz5Hd4Nf6Gm1Tc0Lr_Uy.Vw";
/// The live rule of a secret Microsoft rejects (`online::names::TOKEN_SECRET_INVALID`, not public).
const ONLINE_RULE: &str = "token-secret-invalid";

/// The diagnostic of `finding` for `rule` on the secret key, built as the engine (offline) or the live
/// checks (online) build it.
fn build(
    rules: &RuleSet,
    lang: Lang,
    source: &[u8],
    origin: Origin,
    finding: Finding,
) -> Diagnostic {
    let doc = Document::parse(source);
    let settings = Settings::new(&doc);
    let display = DisplayText::new(source);
    let secrets = Redactor::new(secret_texts(&doc, &settings));
    assert!(
        secrets.texts().iter().any(|t| t == SECRET),
        "the test file's secret is not among the secret texts: {:?}",
        secrets.texts().len()
    );
    let builder = Builder {
        rules,
        lang,
        source,
        display: &display,
        secrets: &secrets,
        origin,
    };
    let rule = rules
        .find(ONLINE_RULE)
        .unwrap_or_else(|| panic!("no rule `{ONLINE_RULE}` in rules/online.toml"));
    let entry = settings.get(SECRET_KEY);
    assert!(entry.is_some(), "the test file sets no {SECRET_KEY}");
    builder.build(rule, rule.severity, finding, Some(SECRET_KEY), entry)
}

fn all_texts(d: &Diagnostic) -> Vec<(&'static str, String)> {
    let mut out = vec![("message", d.message.clone())];
    out.extend(d.help.clone().map(|t| ("help", t)));
    out.extend(d.why.clone().map(|t| ("why", t)));
    out.extend(d.label.clone().map(|t| ("label", t)));
    out.extend(d.notes.iter().map(|t| ("note", t.clone())));
    out.extend(d.secondary.iter().map(|l| ("secondary", l.message.clone())));
    out.extend(
        d.step
            .as_ref()
            .map(|s| ("step", format!("{} {}", s.name, s.title))),
    );
    out
}

#[test]
fn online_and_offline_diagnostics_of_a_rule_share_texts_step_and_redaction() {
    let rules = builtin();
    let rule = rules.find(ONLINE_RULE).unwrap();
    assert!(matches!(rule.check, Check::Online), "{}", describe(rule));
    assert!(
        rule.applies_to(SECRET_KEY),
        "{} is not on {SECRET_KEY}",
        describe(rule)
    );
    let source = format!(
        "mail.oauth2.token.url=https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token\n\
         mail.oauth2.client.id=4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e\n\
         # the secret, once more in a comment: {SECRET}\n\
         {SECRET_KEY}={SECRET}\n"
    );
    let source = source.as_bytes();
    let finding = || Finding {
        key: Some(SECRET_KEY.to_string()),
        vars: vec![
            ("code", "AADSTS7000215".to_string()),
            ("description", "Invalid client secret provided.".to_string()),
        ],
        label: Some("AADSTS7000215".to_string()),
        notes: vec!["Microsoft's answer: Invalid client secret provided.".to_string()],
        ..Finding::default()
    };
    for lang in [Lang::En, Lang::Fr] {
        let offline = build(&rules, lang, source, Origin::Offline, finding());
        let online = build(&rules, lang, source, Origin::Online, finding());
        let what = format!("{} {lang:?}", describe(rule));
        assert_eq!(
            (offline.origin, online.origin),
            (Origin::Offline, Origin::Online),
            "{what}"
        );
        assert_eq!(offline.code, online.code, "{what}: code");
        assert_eq!(offline.severity, online.severity, "{what}: severity");
        assert_eq!(offline.key, online.key, "{what}: key");
        assert_eq!(offline.span, online.span, "{what}: span");
        assert_eq!(offline.message, online.message, "{what}: message");
        assert_eq!(offline.help, online.help, "{what}: help");
        assert_eq!(offline.why, online.why, "{what}: why");
        assert_eq!(offline.step, online.step, "{what}: step");
        assert_eq!(offline.label, online.label, "{what}: label");
        assert_eq!(offline.notes, online.notes, "{what}: notes");
        // The texts are the rule's, filled in: the key, the code, and the rule's step.
        assert!(
            offline.message.contains(SECRET_KEY) && offline.message.contains("AADSTS7000215"),
            "{what}: the message does not name the key and the code: {}",
            offline.message
        );
        assert!(offline.help.is_some() && offline.why.is_some(), "{what}");
        assert_eq!(
            offline.step.as_ref().map(|s| s.name.as_str()),
            rule.step.as_deref(),
            "{what}: step"
        );
        for d in [&offline, &online] {
            for (field, text) in all_texts(d) {
                assert!(
                    !text.contains(SECRET),
                    "{what} {:?}: the {field} shows the secret: {text}",
                    d.origin
                );
            }
        }

        // A finding that quotes the secret (as Microsoft's answer might): neither origin shows it.
        let quoting = || {
            let mut f = finding();
            f.vars = vec![
                ("code", format!("AADSTS7000215 for {SECRET}")),
                ("description", format!("the secret {SECRET} is wrong")),
            ];
            f.label = Some(format!("got {SECRET}"));
            f.notes = vec![format!("Microsoft's answer: {SECRET} is invalid")];
            f
        };
        for origin in [Origin::Offline, Origin::Online] {
            let d = build(&rules, lang, source, origin, quoting());
            for (field, text) in all_texts(&d) {
                assert!(
                    !text.contains(SECRET),
                    "{what} {origin:?}: a finding quoting the secret shows it in the {field}: {text}"
                );
            }
        }
    }
}

/// The same, for every live rule that is about a secret key: built offline and online from the same
/// finding, it reads the same.
#[test]
fn every_online_rule_on_a_key_reads_the_same_offline_and_online() {
    let rules = builtin();
    let source = format!("{SECRET_KEY}={SECRET}\nmail.smtp.user=notification@contoso.com\n");
    let source = source.as_bytes();
    let doc = Document::parse(source);
    let settings = Settings::new(&doc);
    let display = DisplayText::new(source);
    let secrets = Redactor::new(secret_texts(&doc, &settings));
    let mut problems = Vec::new();
    for rule in rules
        .rules
        .iter()
        .filter(|r| matches!(r.check, Check::Online))
    {
        let Some(key) = settings.iter().map(|(k, _)| k).find(|k| rule.applies_to(k)) else {
            continue;
        };
        let entry = settings.get(key);
        let mut texts = Vec::new();
        for origin in [Origin::Offline, Origin::Online] {
            let builder = Builder {
                rules: &rules,
                lang: Lang::En,
                source,
                display: &display,
                secrets: &secrets,
                origin,
            };
            let d = builder.build(rule, rule.severity, Finding::default(), Some(key), entry);
            texts.push((d.message, d.help, d.why, d.step));
        }
        if texts[0] != texts[1] {
            problems.push(format!(
                "{} on {key}: offline {:?} but online {:?}",
                describe(rule),
                texts[0],
                texts[1]
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
