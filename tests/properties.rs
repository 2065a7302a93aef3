//! Property tests on the stable toolchain: the reader never panics on any bytes, its spans always slice the
//! input, and the `--fix` path is byte-exact (no edits, no change; fixes touch only their spans).

#[path = "support/seed.rs"]
mod seed;

use proptest::prelude::*;
use racm_lint::catalog::RuleSet;
use racm_lint::engine::Linter;
use racm_lint::engine::fix::{apply_edits, fix_all};
use racm_lint::i18n::Lang;
use racm_lint::properties::{Document, Item};

static LINTER: std::sync::LazyLock<Linter> =
    std::sync::LazyLock::new(|| Linter::new(RuleSet::builtin().unwrap(), Lang::En));

/// Bytes biased towards the format's special characters, so that interesting lines are common.
fn properties_bytes() -> impl Strategy<Value = Vec<u8>> {
    let special = prop::sample::select(vec![
        b'\\', b'\n', b'\r', b' ', b'\t', b'\x0c', b'=', b':', b'#', b'!', b'u', b'0', b'a', b'F',
        b'\xef', b'\xbb', b'\xbf', b'\xe9', b'\0', b'm',
    ]);
    let fragment = prop_oneof![
        3 => special.prop_map(|b| vec![b]),
        1 => any::<u8>().prop_map(|b| vec![b]),
        1 => Just(b"mail.server.port=587\n".to_vec()),
        1 => Just(b"mail.server.starttls.enable=TRUE \r\n".to_vec()),
        1 => Just(b"\\u00e9".to_vec()),
        1 => Just(b"\\\r\n  ".to_vec()),
    ];
    prop::collection::vec(fragment, 0..64).prop_map(|parts| parts.concat())
}

proptest! {
    // No regressions file: a failing run must not write into the tracked tree (the failing input is printed;
    // add it to the fixed cases below).
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, rng_seed: seed::seed(), ..ProptestConfig::default() })]

    #[test]
    fn the_reader_never_panics_and_spans_slice_the_input(bytes in properties_bytes()) {
        let doc = Document::parse(&bytes);
        for item in &doc.items {
            let span = match item {
                Item::Blank { span, .. } | Item::Comment { span, .. } => span.clone(),
                Item::Entry(e) => {
                    prop_assert!(e.key_span().start <= e.key_span().end && e.key_span().end <= bytes.len());
                    prop_assert!(e.value_span().start <= e.value_span().end && e.value_span().end <= bytes.len());
                    prop_assert!(e.span().start <= e.key_span().start && e.value_span().end <= e.span().end);
                    e.span()
                }
            };
            prop_assert!(span.start <= span.end && span.end <= bytes.len());
        }
        for p in &doc.problems {
            prop_assert!(p.span.start <= p.span.end && p.span.end <= bytes.len());
        }
    }

    #[test]
    fn any_bytes_arbitrary(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let doc = Document::parse(&bytes);
        prop_assert!(doc.items.len() <= bytes.len() + 1);
    }

    #[test]
    fn no_edits_means_the_same_bytes(bytes in properties_bytes()) {
        let (out, applied) = apply_edits(&bytes, &[]);
        prop_assert_eq!(applied, 0);
        prop_assert_eq!(out, bytes);
    }

    #[test]
    fn fixes_keep_every_key_and_every_unfixed_value(bytes in properties_bytes()) {
        fixes_keep_every_key_and_every_unfixed_value_of(&bytes)?;
    }
}

/// The fixes that change which lines are entries: the BOM's (RL002, the mark glued to the first key) and the
/// stray backslash's (RL011, a line glued to the value above it). The others only edit values.
const STRUCTURAL: [&str; 3] = ["RL002", "RL011", "RL012"];

/// `bytes` with only the structural fixes applied, as many passes as `fix_all` makes.
fn structurally_fixed(bytes: &[u8]) -> Vec<u8> {
    let mut current = bytes.to_vec();
    for _ in 0..racm_lint::engine::fix::MAX_FIX_PASSES {
        let edits: Vec<_> = LINTER
            .lint(&current)
            .into_iter()
            .filter(|d| STRUCTURAL.contains(&d.code.as_str()))
            .flat_map(|d| d.fix)
            .collect();
        let (next, applied) = apply_edits(&current, &edits);
        if applied == 0 {
            break;
        }
        current = next;
    }
    current
}

/// The keys after the fixes are those of the file with only its structural fixes applied (the BOM's, which
/// deletes the first three bytes; the stray backslash's, which gives the glued line back its key), and the
/// value of every key no fix is about is unchanged. (Comparing with the keys of the file as it was failed on
/// a file that is only a BOM: the bogus key `ï»¿` is rightly gone once the mark is.)
fn fixes_keep_every_key_and_every_unfixed_value_of(bytes: &[u8]) -> Result<(), TestCaseError> {
    let linter = &*LINTER;
    let diagnostics = linter.lint(bytes);
    let fixed = fix_all(linter, bytes, &diagnostics).bytes;
    let expected = structurally_fixed(bytes);
    let before = Document::parse(&expected);
    let after = Document::parse(&fixed);
    // Fixed keys: those of the file, and those a structural fix gave back their own line.
    let restored = linter.lint(&expected);
    let fixed_keys: Vec<&str> = diagnostics
        .iter()
        .chain(&restored)
        .filter(|d| d.fixable())
        .filter_map(|d| d.key.as_deref())
        .collect();
    let keys_before: Vec<&str> = before.entries().map(|e| e.key()).collect();
    let keys_after: Vec<&str> = after.entries().map(|e| e.key()).collect();
    prop_assert_eq!(&keys_before, &keys_after);
    let bom = "\u{ef}\u{bb}\u{bf}";
    for (b, a) in before.entries().zip(after.entries()) {
        let was_fixed = fixed_keys
            .iter()
            .any(|k| k.trim_start_matches(bom) == b.key());
        if !was_fixed {
            prop_assert_eq!(&b.value(), &a.value(), "value of {:?} changed", b.key());
        }
    }
    // The fixes settle: nothing fixable is left.
    let remaining = linter.lint(&fixed).iter().filter(|d| d.fixable()).count();
    prop_assert_eq!(
        remaining,
        0,
        "fixes left in {:?}",
        String::from_utf8_lossy(&fixed)
    );
    Ok(())
}

/// The shapes the random search found only now and then, run every time.
#[test]
fn fixes_keep_keys_on_files_that_are_only_a_bom() {
    for bytes in [
        &b"\xEF\xBB\xBF"[..],
        b"\xEF\xBB\xBF\n",
        b"\xEF\xBB\xBF\r\n",
        b"\xEF\xBB\xBF  \t",
        b"\xEF\xBB\xBF# a comment\nmail.server.port=587\n",
        b"\xEF\xBB\xBF!x\r\nmail.server.starttls.enable=TRUE \r\n",
        b"\xEF\xBB\xBF\\\n  \n",
        b"\xEF\xBB\xBFmail.server.starttls.enable=TRUE \n",
        // A stray backslash glues the next key's line to the value; the fix gives it back.
        b"u\\\r\nmail.server.starttls.enable=TRUE \r\n",
        b"mail.server.user=a@b.com\\\nmail.oauth2.client.secret=x\\\n  mail.server.port=587\n",
    ] {
        if let Err(error) = fixes_keep_every_key_and_every_unfixed_value_of(bytes) {
            panic!("{:?}: {error}", String::from_utf8_lossy(bytes));
        }
    }
}
