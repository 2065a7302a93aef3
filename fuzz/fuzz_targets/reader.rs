//! The reader on arbitrary bytes: never panics, spans always slice the input, and lines are in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use racm_lint::properties::{Document, Item};

fuzz_target!(|data: &[u8]| {
    let doc = Document::parse(data);
    let mut last_line = 0;
    for item in &doc.items {
        let (span, line) = match item {
            Item::Blank { span, line } | Item::Comment { span, line } => (span.clone(), *line),
            Item::Entry(e) => {
                assert!(e.key_span().start <= e.key_span().end && e.key_span().end <= data.len());
                assert!(
                    e.value_span().start <= e.value_span().end && e.value_span().end <= data.len()
                );
                for escape in e.key_escapes().iter().chain(e.value_escapes()) {
                    assert!(escape.span.end <= data.len());
                }
                let _ = (e.key_utf16(), e.value_utf16());
                (e.span(), e.line)
            }
        };
        assert!(span.start <= span.end && span.end <= data.len());
        assert!(line >= last_line);
        last_line = line;
    }
    for problem in &doc.problems {
        assert!(problem.span.end <= data.len());
    }
});
