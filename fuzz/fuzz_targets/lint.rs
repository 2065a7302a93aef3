//! The whole lint and every renderer on arbitrary bytes: never panics, and fixes keep the file readable.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use racm_lint::catalog::RuleSet;
use racm_lint::diagnostic::FileReport;
use racm_lint::engine::Linter;
use racm_lint::i18n::Lang;
use racm_lint::render;

static LINTER: LazyLock<Linter> =
    LazyLock::new(|| Linter::new(RuleSet::builtin().unwrap(), Lang::Fr));

fuzz_target!(|data: &[u8]| {
    let diagnostics = LINTER.lint(data);
    let edits: Vec<_> = diagnostics
        .iter()
        .flat_map(|d| d.fix.iter().cloned())
        .collect();
    let (fixed, _) = racm_lint::engine::fix::apply_edits(data, &edits);
    let _ = LINTER.lint(&fixed);
    let reports = vec![FileReport {
        secrets: None,
        path: "config.properties".into(),
        source: data.to_vec(),
        diagnostics,
    }];
    let options = render::RenderOptions {
        lang: Lang::Fr,
        color: false,
    };
    let _ = render::human::render(&reports, options);
    let _ = render::json::render(&reports);
    // SARIF describes all 100-odd rules in every run: render it for some inputs only, to keep the pace.
    if data.len() % 8 == 0 {
        let _ = render::sarif::render(&reports, &LINTER.rules, Lang::Fr);
    }
    let _ = render::concise::render(&reports);
    let _ = render::github::render(&reports);
    let _ = render::gitlab::render(&reports);
    let _ = render::azure::render(&reports);
    let _ = render::junit::render(&reports);
});
