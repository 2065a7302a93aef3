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
//! (one 184-byte `Item` per line, ~74 MB here, 4 KiB pages) and the allocator (owned text of the ~1 line in
//! 5 with escapes, Latin-1 bytes or continuations); plain lines allocate nothing. The item size is set by
//! the public `Entry` fields.

use std::hint::black_box;
use std::io::Write as _;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use racm_lint::reader::Document;

/// SplitMix64, for a deterministic file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SECTIONS: &[&str] = &[
    "server", "db", "ldap", "sso", "audit", "report", "ui", "cache", "job", "api",
];
const NAMES: &[&str] = &[
    "host", "port", "url", "user", "timeout", "enabled", "path", "mode", "retries", "label",
];
const MAIL_KEYS: &[(&str, &str)] = &[
    ("mail.auth.protocol", "oauth2"),
    ("mail.server.host", "smtp.office365.com"),
    ("mail.server.port", "587"),
    ("mail.server.starttls.enable", "true"),
    ("mail.server.user", "notification@contoso.onmicrosoft.com"),
    (
        "mail.oauth2.token.url",
        "https\\://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
    ),
    (
        "mail.oauth2.client.id",
        "4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e",
    ),
    (
        "mail.oauth2.client.secret",
        "Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u",
    ),
    ("mail.oauth2.scopes", "https://outlook.office.com/.default"),
    ("mail.option.sender", "notification@contoso.onmicrosoft.com"),
];

/// About `target` bytes of properties text, in whole lines.
fn generate(target: usize) -> Vec<u8> {
    let mut rng = Rng(0x0BE7_C4A2_2024);
    let mut out = Vec::with_capacity(target + 256);
    let mut n = 0u64;
    while out.len() < target {
        n += 1;
        let section = SECTIONS[rng.below(SECTIONS.len() as u64) as usize];
        let name = NAMES[rng.below(NAMES.len() as u64) as usize];
        match rng.below(100) {
            0..=7 => {
                let text = "settings for the module, see the administration manual";
                writeln!(out, "# {section}.{name}: {text} (#{n})").unwrap();
            }
            8..=9 => {
                // A comment in UTF-8, as editors write them (Java reads it as Latin-1, and skips it).
                let text = "Param\u{e8}tre de l'\u{e9}tape de la configuration Azure";
                writeln!(out, "# {text} ({n})").unwrap();
            }
            10..=11 => writeln!(out, "! ---------------------------------------- {n}").unwrap(),
            12..=16 => out.push(b'\n'),
            17..=21 => {
                let (a, b) = (rng.below(1000), rng.below(1000));
                writeln!(
                    out,
                    "{section}.{name}.list{n} = first-value-{a}, \\\n    second-value-{b}, \\\n    third"
                )
                .unwrap();
            }
            22..=28 => {
                let text = r"Gr\u00fc\u00dfe \u00e0 tous\tet\nplus \\ ";
                writeln!(out, "{section}.label{n}={text}{}", rng.below(1000)).unwrap();
            }
            29..=33 => {
                out.extend_from_slice(format!("{section}.latin1.{n}=caf").as_bytes());
                out.extend_from_slice(b"\xe9 cr\xe8me br\xfbl\xe9e \xa7 \xb5 d\xe9j\xe0 vu\n");
            }
            34..=36 => {
                let text = "padded value with trailing blanks";
                writeln!(out, "  {section}.{name}.{n} : {text}   ").unwrap();
            }
            37..=40 => {
                let text = r"C\:\\Program Files\\RACM\\";
                writeln!(
                    out,
                    "{section}.path{n}={text}{section}\\\\{}",
                    rng.below(100)
                )
                .unwrap();
            }
            41..=42 => {
                for (k, v) in MAIL_KEYS {
                    writeln!(out, "{k}={v}").unwrap();
                }
            }
            43..=70 => {
                let port = 1024 + rng.below(60_000);
                let host = format!("{section}.internal.example.com");
                writeln!(
                    out,
                    "{section}.{name}.url.{n}=jdbc:postgresql://{host}:{port}/racm"
                )
                .unwrap();
            }
            _ => {
                let value = rng.below(1_000_000);
                writeln!(out, "{section}.{name}.{n}={section}-{name}-value-{value}").unwrap();
            }
        }
    }
    // The mail block the linter cares about, once more at the end.
    out.extend_from_slice(b"\n# Outgoing mail (Microsoft 365, OAuth2)\n");
    for (k, v) in MAIL_KEYS {
        writeln!(out, "{k} = {v}").unwrap();
    }
    out
}

fn bench_reader(c: &mut Criterion) {
    let bytes = generate(20 * 1024 * 1024);
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    let doc = Document::parse(&bytes);
    let entries = doc.entries().count();
    assert!(
        doc.problems.is_empty(),
        "the benchmark file should read cleanly"
    );
    let mut pairs = 0;
    java_properties::PropertiesIter::new(&bytes[..])
        .read_into(|_, _| pairs += 1)
        .expect("java-properties reads the benchmark file");
    assert_eq!(pairs, entries, "both read the same number of entries");
    drop(doc);
    eprintln!(
        "benchmark file: {} bytes, {lines} lines, {entries} entries",
        bytes.len()
    );

    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(&bytes).unwrap();
    file.flush().unwrap();
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
        b.iter(|| {
            let mut all: Vec<(String, String)> = Vec::new();
            java_properties::PropertiesIter::new(black_box(&bytes[..]))
                .read_into(|k, v| all.push((k, v)))
                .unwrap();
            black_box(all.len())
        })
    });
    group.bench_function("std::fs::read", |b| {
        b.iter(|| black_box(std::fs::read(black_box(&path)).unwrap().len()))
    });
    group.finish();
}

criterion_group!(benches, bench_reader);
criterion_main!(benches);
