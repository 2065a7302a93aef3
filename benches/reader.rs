//! Reader throughput on a large, realistic `.properties` file (~20 MB, ~400,000 lines), generated in process
//! and deterministic: comments, blank lines, continuations, escapes including `\uXXXX`, Latin-1 bytes, and a
//! block of `mail.*` keys.
//!
//! Compares `racm_lint::properties::Document::parse` with the `java-properties` crate reading the same bytes
//! (all pairs collected), with `std::fs::read` of the same file as the floor.
//!
//! Run: `cargo bench --bench reader`.
//!
//! Criterion measures both readers warmed up, in a loop, where the allocator hands back the memory of the
//! previous round. A command line parses once, into fresh memory that the kernel must fault in page by page:
//! `scripts/bench.sh` also compares one parse per fresh process (`examples/parse_once.rs`). In that cold case
//! much of the reader's time is the kernel providing the `items` vector (one 80-byte `Item` per logical line,
//! ~30 MB here); plain lines allocate nothing else, the others one string (and one slice of escapes).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use racm_lint::properties::Document;

mod support;
use support::generate;

fn bench_reader(c: &mut Criterion) {
    let bytes = generate(20 * 1024 * 1024);
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    let doc = Document::parse(&bytes);
    let entries = doc.entries().count();
    assert!(
        doc.problems.is_empty(),
        "the benchmark file should read cleanly"
    );
    let pairs = support::java_properties_pairs(&bytes);
    assert_eq!(pairs, entries, "both read the same number of entries");
    drop(doc);
    eprintln!(
        "benchmark file: {} bytes, {lines} lines, {entries} entries",
        bytes.len()
    );

    let file = support::temp_file(&bytes);
    let path = file.path().to_path_buf();

    let mut group = c.benchmark_group("reader");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("racm_lint::properties::Document::parse", |b| {
        b.iter(|| {
            let doc = Document::parse(black_box(&bytes));
            black_box(doc.items.len())
        })
    });
    group.bench_function("java_properties::PropertiesIter (collect pairs)", |b| {
        b.iter(|| black_box(support::java_properties_pairs(black_box(&bytes))))
    });
    group.bench_function("std::fs::read", |b| {
        b.iter(|| black_box(std::fs::read(black_box(&path)).unwrap().len()))
    });
    group.finish();
}

criterion_group!(benches, bench_reader);
criterion_main!(benches);
