//! No piece of the secret leaves racm-lint, whatever shape the file is in: generated files put a random
//! client secret where admins really put it (a stray `\` on the line above, a misspelt or look-alike key,
//! under the client ID, as a key name, twice, split over lines, behind escapes, in CRLF and Latin-1 files),
//! and every output is searched for any 10 characters of it: the eight formats in both languages, `show`
//! and `show --all` (text and JSON), `--diff`, and what `--fix` says. A sample of the files also goes
//! through the real binary.

#[path = "support/seed.rs"]
mod seed;

#[path = "support/cli.rs"]
mod cli_support;

use std::sync::LazyLock;

use proptest::prelude::*;
use racm_lint::app::show::{self, Scope};
use racm_lint::catalog::RuleSet;
use racm_lint::diagnostic::FileReport;
use racm_lint::engine::Linter;
use racm_lint::engine::fix::fix_all;
use racm_lint::i18n::Lang;
use racm_lint::render::diff::unified_diff;
use racm_lint::render::{Format, RenderOptions};

/// How many characters of the secret make a leak.
const PIECE: usize = 10;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().unwrap());
static LINTERS: LazyLock<[Linter; 2]> =
    LazyLock::new(|| [Lang::En, Lang::Fr].map(|lang| Linter::new(RULES.clone(), lang)));

/// The characters of current client secrets (`~` comes from the marker).
const SECRET_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

/// The characters of legacy client secrets.
const LEGACY_CHARS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=:[@*?/";

/// A secret in one of Microsoft's formats: current (40 characters, `8Q~`), previous (37, `7Q~`), or a
/// legacy one (32 or 34, with `+ / = [ * ?`).
fn secret() -> impl Strategy<Value = String> {
    let chars = |n: usize| prop::collection::vec(prop::sample::select(SECRET_CHARS.to_vec()), n);
    let legacy = |n: usize| prop::collection::vec(prop::sample::select(LEGACY_CHARS.to_vec()), n);
    prop_oneof![
        (chars(3), chars(34)).prop_map(|(a, b)| format!(
            "{}8Q~{}",
            String::from_utf8(a).unwrap(),
            String::from_utf8(b).unwrap()
        )),
        (chars(3), chars(31)).prop_map(|(a, b)| format!(
            "{}7Q~{}",
            String::from_utf8(a).unwrap(),
            String::from_utf8(b).unwrap()
        )),
        (
            legacy(28),
            prop::sample::select(vec!["+a/1", "Z9=A", "x[2Y", "*Aq7", "?b3C"])
        )
            .prop_map(|(a, b)| format!("{}{b}", String::from_utf8(a).unwrap())),
    ]
    .prop_filter("a legacy secret needs both cases and a digit", |s| {
        s.chars().any(|c| c.is_ascii_uppercase())
            && s.chars().any(|c| c.is_ascii_lowercase())
            && s.chars().any(|c| c.is_ascii_digit())
    })
}

/// Where the secret goes.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// `mail.oauth2.client.secret=S`.
    Plain,
    /// The line above the secret line ends with `\`: the secret is glued to that key's value.
    GluedTo(&'static str),
    /// The secret under a misspelt or look-alike key (as written in the file).
    Key(&'static str),
    /// The client ID and the secret swapped.
    UnderClientId,
    /// A line `S=x`.
    AsKeyName,
    /// The secret key twice: `S2` first, then `S`.
    Twice,
    /// The secret split over two lines with a continuation.
    Split,
    /// The secret key written with an escape (`client\.secret`).
    EscapedKey,
    /// The `=` lost: deleted, a no-break space, a full-width `＝`, an escaped `\=` (`0`..`3`).
    NoSeparator(u8),
    /// Enter pressed before pasting: the secret alone on the next line.
    NextLine,
    /// The other secret kept in a comment: `#mail.oauth2.client.secret=S2`.
    OldInComment,
    /// A partial or decorated copy of the secret under another key (`0`..`4`: the part after `~`, without
    /// its last character, in quotes under the secret key, followed by ` # rotated`, as the SMTP host).
    Copy(u8),
    /// A copy spelt differently in the raw text (`0`..`3`: `\~`, `\u007e`, over a continuation, `%7E`).
    Spelt(u8),
    /// A byte order mark and a first line ending in `\` (a comment: still glued) before the secret line.
    BomGlued,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Plain),
        prop::sample::select(vec![
            "mail.server.user",
            "mail.oauth2.client.id",
            "mail.server.port",
            "mail.oauth2.scopes",
            "mail.option.sender",
            "mail.oauth2.token.url",
        ])
        .prop_map(Shape::GluedTo),
        prop::sample::select(vec![
            "mail.oauth2.client.secert",
            "mail.oauth2.clientscret",
            "mail.oauth2.client.scret",
            "mail.oauth2.client.s\\u0435cret",
            "mail.oauth2.client.\\uFF53ecret",
            "Mail.OAuth2.Client.Secret",
        ])
        .prop_map(Shape::Key),
        Just(Shape::UnderClientId),
        Just(Shape::AsKeyName),
        Just(Shape::Twice),
        Just(Shape::Split),
        Just(Shape::EscapedKey),
        (0u8..4).prop_map(Shape::NoSeparator),
        Just(Shape::NextLine),
        Just(Shape::OldInComment),
        (0u8..5).prop_map(Shape::Copy),
        (0u8..4).prop_map(Shape::Spelt),
        Just(Shape::BomGlued),
    ]
}

/// The other lines of the file, the documented block.
const LINES: [(&str, &str); 9] = [
    ("mail.auth.protocol", "oauth2"),
    ("mail.server.host", "smtp.office365.com"),
    ("mail.server.port", "587"),
    ("mail.server.starttls.enable", "true"),
    ("mail.server.user", "notification@contoso.onmicrosoft.com"),
    (
        "mail.oauth2.token.url",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
    ),
    (
        "mail.oauth2.client.id",
        "4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e",
    ),
    ("mail.oauth2.scopes", "https://outlook.office.com/.default"),
    ("mail.option.sender", "notification@contoso.onmicrosoft.com"),
];

/// A file with `secret` (and `other`, for [`Shape::Twice`]) in `shapes`, with the line ending `eol` and a
/// Latin-1 comment when `latin1`.
fn file(secret: &str, other: &str, shapes: &[Shape], eol: &str, latin1: bool) -> Vec<u8> {
    let mut lines: Vec<String> = Vec::new();
    if latin1 {
        lines.push("# Secret de l'\u{e9}tape 6".to_string());
    }
    let glued: Vec<&str> = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::GluedTo(key) => Some(*key),
            _ => None,
        })
        .collect();
    let under_client_id = shapes.iter().any(|s| matches!(s, Shape::UnderClientId));
    for (key, value) in LINES {
        let value = if key == "mail.oauth2.client.id" && under_client_id {
            secret
        } else {
            value
        };
        if glued.contains(&key) {
            // The secret line follows right after the stray backslash.
            lines.push(format!("{key}={value}\\"));
            lines.push(format!("mail.oauth2.client.secret={secret}"));
        } else {
            lines.push(format!("{key}={value}"));
        }
    }
    // A copy of the secret is recognised by the secret itself: a file of copies holds the secret too.
    let places_secret = |shape: &Shape| {
        !matches!(
            shape,
            Shape::OldInComment | Shape::Copy(0 | 1 | 4) | Shape::Spelt(_)
        )
    };
    let mut shapes = shapes.to_vec();
    if !shapes.iter().any(places_secret) {
        shapes.push(Shape::Plain);
    }
    for shape in &shapes {
        match shape {
            Shape::Plain if !under_client_id => {
                lines.push(format!("mail.oauth2.client.secret={secret}"))
            }
            Shape::Plain => {
                lines.push("mail.oauth2.client.secret=4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e".into())
            }
            Shape::Key(key) => lines.push(format!("{key}={secret}")),
            // A `=` or `:` in a key is written escaped, or Java ends the key there.
            Shape::AsKeyName => lines.push(format!("{}=x", escape_key(secret))),
            Shape::Twice => {
                lines.push(format!("mail.oauth2.client.secret={other}"));
                lines.push(format!("mail.oauth2.client.secret = {secret} "));
            }
            Shape::Split => {
                let (a, b) = secret.split_at(secret.len() / 2);
                lines.push(format!("mail.oauth2.client.secret={a}\\"));
                lines.push(format!("    {b}"));
            }
            Shape::EscapedKey => lines.push(format!("mail.oauth2.client\\.secret={secret}")),
            Shape::NoSeparator(how) => {
                let between = ["", "\u{a0}", "\u{ff1d}", "\\="][usize::from(*how)];
                lines.push(format!("mail.oauth2.client.secret{between}{secret}"));
            }
            Shape::NextLine => {
                lines.push("mail.oauth2.client.secret=".to_string());
                lines.push(escape_key(secret));
            }
            Shape::OldInComment => lines.push(format!("#mail.oauth2.client.secret={other}")),
            Shape::Copy(how) => {
                let after_tilde = secret.split_once('~').map_or(secret, |(_, rest)| rest);
                match how {
                    0 if after_tilde.len() >= PIECE => {
                        lines.push(format!("backup.copy={after_tilde}"))
                    }
                    1 => lines.push(format!("backup.copy={}", &secret[..secret.len() - 1])),
                    2 => lines.push(format!("mail.oauth2.client.secret=\"{secret}\"")),
                    3 => lines.push(format!(
                        "mail.oauth2.client.secret={secret} # rotated 2026-11"
                    )),
                    _ => lines.push(format!("mail.server.host={secret}")),
                }
            }
            Shape::Spelt(how) => {
                let spelt = match how {
                    0 => secret.replace('~', "\\~"),
                    1 => secret.replace('~', "\\u007e"),
                    2 => {
                        let (a, b) = secret.split_at(secret.len() / 2);
                        format!("{a}\\{eol}   {b}")
                    }
                    _ => secret.replace('~', "%7E"),
                };
                lines.push(format!("backup.copy={spelt}"));
            }
            Shape::BomGlued => {}
            Shape::GluedTo(_) | Shape::UnderClientId => {}
        }
    }
    if shapes.iter().any(|s| matches!(s, Shape::BomGlued)) {
        // Java glues the secret line to the first line, the mark at its front.
        lines.insert(0, format!("mail.oauth2.client.secret={secret}"));
        lines.insert(0, "\u{feff}# RAC/M Identity mail settings\\".to_string());
    }
    let text = lines.join(eol) + eol;
    if latin1 {
        // As a Windows editor saves it: `é` is one byte.
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect()
    } else {
        text.into_bytes()
    }
}

/// A secret as a key: `=` and `:` escaped, or Java ends the key there.
fn escape_key(secret: &str) -> String {
    secret.replace('=', "\\=").replace(':', "\\:")
}

/// The first piece of `secret` that `output` shows (in any case), if any: as it is, URL-encoded,
/// JSON-escaped, as HTML references, or in base64.
fn leaked_piece(output: &str, secret: &str) -> Option<String> {
    use base64::Engine as _;
    let output = output.to_ascii_lowercase();
    let chars: Vec<char> = secret.chars().collect();
    let encoded = |piece: &str| -> Vec<String> {
        let url: String = url::form_urlencoded::byte_serialize(piece.as_bytes()).collect();
        let json = piece.replace('~', "\\u007e").replace('/', "\\/");
        let html = piece.replace('~', "&#126;").replace('&', "&amp;");
        vec![piece.to_string(), url, json, html]
    };
    for window in chars.windows(PIECE) {
        let piece: String = window.iter().collect();
        for form in encoded(&piece) {
            if output.contains(&form.to_ascii_lowercase()) {
                return Some(form);
            }
        }
    }
    // In base64, at each of the three alignments: any 16 characters of the encoding.
    for skip in 0..3 {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&secret.as_bytes()[skip..]);
        let b64: Vec<char> = b64.trim_end_matches('=').chars().collect();
        for window in b64.windows(16).step_by(4) {
            let piece: String = window.iter().collect();
            if output.contains(&piece.to_ascii_lowercase()) {
                return Some(format!("base64 {piece}"));
            }
        }
    }
    None
}

/// Every output racm-lint makes of `source`, each with what made it.
fn outputs(source: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for linter in LINTERS.iter() {
        let (diagnostics, secrets) = linter.lint_with_secrets(source);
        let report = FileReport {
            path: "conf/config.properties".into(),
            source: source.to_vec(),
            diagnostics: diagnostics.clone(),
            secrets: Some(secrets),
        };
        for format in Format::ALL {
            // Only the human output has colours.
            let colors: &[bool] = if format == Format::Human {
                &[false, true]
            } else {
                &[false]
            };
            for &color in colors {
                let options = RenderOptions {
                    lang: linter.lang,
                    color,
                };
                out.push((
                    format!(
                        "--format {} --lang {} (colour {color})",
                        format.name(),
                        linter.lang.code()
                    ),
                    format.render(std::slice::from_ref(&report), &RULES, options),
                ));
            }
        }
        let fixed = fix_all(linter, source, &diagnostics);
        out.push((
            "--diff".into(),
            unified_diff("conf/config.properties", source, &fixed.bytes),
        ));
        if let Some((after, _)) = &fixed.lint {
            // What --fix prints is the lint of the fixed file.
            let report = FileReport {
                path: "conf/config.properties".into(),
                source: fixed.bytes.clone(),
                diagnostics: after.clone(),
                secrets: None,
            };
            let options = RenderOptions {
                lang: linter.lang,
                color: false,
            };
            out.push((
                "--fix, then the report".into(),
                Format::Human.render(std::slice::from_ref(&report), &RULES, options),
            ));
        }
    }
    for scope in [Scope::Mail, Scope::All] {
        let doc = show::read(source, scope);
        out.push((format!("show {scope:?}"), show::to_text("f", &doc, scope)));
        out.push((
            format!("show {scope:?} --format json"),
            show::to_json("f", &doc, scope).to_string(),
        ));
    }
    out
}

fn check(secret: &str, other: &str, source: &[u8]) -> Result<(), TestCaseError> {
    for (what, mut output) in outputs(source) {
        // SARIF lists every rule's documentation first: the same for every file, it holds no secret of
        // one; searching it a thousand times would be most of this test's time.
        if what.starts_with("--format sarif")
            && let Some(at) = output.find("\"results\"")
        {
            output = output.split_off(at);
        }
        for s in [secret, other] {
            if let Some(piece) = leaked_piece(&output, s) {
                return Err(TestCaseError::fail(format!(
                    "{what} shows {piece:?} of the secret; the file:\n{}\nthe output:\n{output}",
                    String::from_utf8_lossy(source)
                )));
            }
        }
    }
    Ok(())
}

proptest! {
    // A thousand files a run; no regressions file in the tree (a failure prints its input).
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, rng_seed: seed::seed(), ..ProptestConfig::default() })]

    #[test]
    fn no_output_shows_ten_characters_of_the_secret(
        secret in secret(),
        other in secret(),
        shapes in prop::collection::vec(shape(), 1..4),
        crlf in any::<bool>(),
        latin1 in any::<bool>(),
    ) {
        let source = file(&secret, &other, &shapes, if crlf { "\r\n" } else { "\n" }, latin1);
        check(&secret, &other, &source)?;
    }
}

/// A sample through the real binary: the formats, `show`, `--diff` and `--fix`, as an admin runs them.
#[test]
fn the_binary_shows_no_piece_either() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "Kp58Q~mW3nR7xT2vB9cL4fH6jD1sG8aE0uY5iO_q";
    let other = "Zy37Q~XwVuTsRqPoNmLkJiHgFeDcBa987654321";
    let samples: [&[Shape]; 6] = [
        &[Shape::GluedTo("mail.server.user")],
        &[Shape::UnderClientId, Shape::Plain],
        &[Shape::Key("mail.oauth2.client.secert")],
        &[Shape::AsKeyName, Shape::Twice],
        &[Shape::Split, Shape::GluedTo("mail.oauth2.scopes")],
        &[
            Shape::Key("mail.oauth2.client.s\\u0435cret"),
            Shape::EscapedKey,
        ],
    ];
    for (i, shapes) in samples.iter().enumerate() {
        let source = file(secret, other, shapes, "\r\n", i % 2 == 0);
        let path = dir.path().join(format!("config-{i}.properties"));
        let mut runs: Vec<Vec<&str>> = Format::ALL
            .iter()
            .map(|f| vec!["--isolated", "--format", f.name()])
            .collect();
        runs.push(vec!["--isolated", "--lang", "fr", "--color", "always"]);
        runs.push(vec!["--isolated", "--diff"]);
        runs.push(vec!["show"]);
        runs.push(vec!["show", "--all", "--format", "json"]);
        runs.push(vec!["--isolated", "--fix"]);
        for args in runs {
            std::fs::write(&path, &source).unwrap();
            let out = cli_support::racm_lint_process()
                .args(&args)
                .arg(&path)
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for s in [secret, other] {
                assert!(
                    leaked_piece(&text, s).is_none(),
                    "{args:?} on {shapes:?} shows a piece of the secret:\n{text}"
                );
            }
        }
    }
}
