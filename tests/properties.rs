//! Property tests on the stable toolchain: the reader never panics on any bytes, its spans always slice the
//! input, and the `--fix` path is byte-exact (no edits, no change; fixes touch only their spans).

use proptest::prelude::*;
use racm_lint::engine::Linter;
use racm_lint::fix::{apply_edits, fix_all};
use racm_lint::i18n::Lang;
use racm_lint::reader::{Document, Item};
use racm_lint::rules::RuleSet;

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
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

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
        let linter = &*LINTER;
        let diagnostics = linter.lint(&bytes);
        let (fixed, _) = fix_all(linter, &bytes, &diagnostics);
        let before = Document::parse(&bytes);
        let after = Document::parse(&fixed);
        let fixed_keys: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.fixable())
            .filter_map(|d| d.key.as_deref())
            .collect();
        let bom = "\u{ef}\u{bb}\u{bf}";
        let keys_before: Vec<String> = before.entries().map(|e| e.key().trim_start_matches(bom).to_string()).collect();
        let keys_after: Vec<String> = after.entries().map(|e| e.key().trim_start_matches(bom).to_string()).collect();
        prop_assert_eq!(&keys_before, &keys_after);
        for (b, a) in before.entries().zip(after.entries()) {
            if !fixed_keys.contains(&b.key()) {
                prop_assert_eq!(&b.value(), &a.value(), "value of {:?} changed", b.key());
            }
        }
        // The fixes settle: nothing fixable is left.
        let remaining = linter.lint(&fixed).iter().filter(|d| d.fixable()).count();
        prop_assert_eq!(remaining, 0, "fixes left in {:?}", String::from_utf8_lossy(&fixed));
    }
}
