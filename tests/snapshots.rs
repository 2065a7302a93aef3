//! The human output of every `testdata/lint` situation, in English and in French, as reviewed snapshots:
//! a change of wording or layout is a visible diff (`tests/snapshots/`), not a surprise.

use std::path::{Path, PathBuf};

use racm_lint::catalog::RuleSet;
use racm_lint::diagnostic::FileReport;
use racm_lint::engine::Linter;
use racm_lint::i18n::Lang;
use racm_lint::render::{RenderOptions, human};

fn lint_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/lint");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "properties"))
        .collect();
    files.sort();
    files
}

#[test]
fn human_output_in_both_languages() {
    let rules = RuleSet::builtin().unwrap();
    let linters = [Lang::En, Lang::Fr].map(|lang| (lang, Linter::new(rules.clone(), lang)));
    let files = lint_files();
    assert!(files.len() > 50, "testdata/lint has the situations");
    for file in files {
        let source = std::fs::read(&file).unwrap();
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let mut both = String::new();
        for (lang, linter) in &linters {
            let report = FileReport {
                secrets: None,
                path: "config.properties".into(),
                source: source.clone(),
                diagnostics: linter.lint(&source),
            };
            both.push_str(&format!("===== {} =====\n", lang.code()));
            both.push_str(&human::render(
                &[report],
                RenderOptions {
                    lang: *lang,
                    color: false,
                },
            ));
        }
        insta::assert_snapshot!(name, both);
    }
}
