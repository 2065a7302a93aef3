//! Reader throughput on a large, realistic `.properties` file (~20 MB, ~400,000 lines), generated in process
//! and deterministic: comments, blank lines, continuations, escapes including `\uXXXX`, Latin-1 bytes, and a
//! block of `mail.*` keys.
//!
//! Compares `racm_lint::reader::Document::parse` with the `java-properties` crate reading the same bytes
//! (all pairs collected), with `std::fs::read` of the same file as the floor.
//!
//! Run: `cargo bench --bench reader`.
//!
//! Where the reader's time goes (perf, 20 MB file): about half is the kernel faulting in the `items` vector
//! (one 136-byte `Item` per line, ~55 MB here, 4 KiB pages) and the allocator (owned text of the ~1 line in
//! 5 with escapes, Latin-1 bytes or continuations); plain lines allocate nothing. The item size is set by
//! the public `Entry` fields.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use racm_lint::reader::Document;

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
    group.bench_function("racm_lint::reader::Document::parse", |b| {
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
