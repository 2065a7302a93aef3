//! The whole lint, measured against what it is compared with in the same run:
//! 1. the documented file (one small file, the everyday case);
//! 2. the generated 20 MB file: `Linter::lint` vs the java-properties crate merely parsing it vs
//!    `std::fs::read` of it;
//! 3. 1,000 environment files: read and linted one at a time vs in parallel (rayon, as the CLI does).
//!
//! Run: `cargo bench --bench lint` (or `scripts/bench.sh`, which adds the process-level figures: start-up,
//! peak memory, the CLI on a directory).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use racm_lint::catalog::RuleSet;
use racm_lint::engine::Linter;
use racm_lint::i18n::Lang;
use rayon::prelude::*;

mod support;

fn linter() -> Linter {
    Linter::new(RuleSet::builtin().expect("built-in rules"), Lang::En)
}

fn bench_documented(c: &mut Criterion) {
    let linter = linter();
    let bytes = support::DOCUMENTED.as_bytes();
    assert!(
        linter.lint(bytes).is_empty(),
        "the documented file lints clean"
    );
    c.bench_function("lint/documented file", |b| {
        b.iter(|| black_box(linter.lint(black_box(bytes)).len()))
    });
}

fn bench_large(c: &mut Criterion) {
    let linter = linter();
    let bytes = support::generate(20 * 1024 * 1024);
    let file = support::temp_file(&bytes);
    let path = file.path().to_path_buf();

    let mut group = c.benchmark_group("lint/20 MB file");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("racm-lint: read + lint", |b| {
        b.iter(|| {
            let bytes = std::fs::read(black_box(&path)).unwrap();
            black_box(linter.lint(&bytes).len())
        })
    });
    group.bench_function("java-properties: read + parse only", |b| {
        b.iter(|| {
            let bytes = std::fs::read(black_box(&path)).unwrap();
            black_box(support::java_properties_pairs(&bytes))
        })
    });
    group.bench_function("std::fs::read", |b| {
        b.iter(|| black_box(std::fs::read(black_box(&path)).unwrap().len()))
    });
    group.finish();
}

fn bench_many_files(c: &mut Criterion) {
    let linter = linter();
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<std::path::PathBuf> = support::environments(1000)
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(format!("{name}.properties"));
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    let lint_one = |path: &std::path::PathBuf| linter.lint(&std::fs::read(path).unwrap()).len();

    let mut group = c.benchmark_group("lint/1000 files");
    group.sample_size(10);
    group.bench_function("one at a time", |b| {
        b.iter(|| black_box(paths.iter().map(lint_one).sum::<usize>()))
    });
    group.bench_function("in parallel (rayon)", |b| {
        b.iter(|| black_box(paths.par_iter().map(lint_one).sum::<usize>()))
    });
    group.finish();
}

criterion_group!(benches, bench_documented, bench_large, bench_many_files);
criterion_main!(benches);
