//! Differential test of `racm_lint::reader` against the real thing: `java.util.Properties.load(InputStream)`.
//!
//! `tests/java/PropertiesDump.java` is compiled with `javac` (once for both tests) and run once over every file
//! under `testdata/`, a dozen large generated files and (by default) 20,000 small files made by a seeded
//! generator over the format's grammar (`tests/support`). For each file, Java either throws (then the reader
//! must record a `MalformedUnicodeEscape`, and vice versa) or prints its entries sorted by key; the reader's
//! entries, after last-wins and the same sort, must print exactly the same, down to lone surrogates.
//!
//! A JDK is required: without `javac` and `java` the test fails (CI installs one). `JAVA_HOME` is used when
//! set, else `PATH`. `RACM_DIFF_SEED` and `RACM_DIFF_CASES` override the generator's seed and file count for
//! longer local runs. Failing cases are written, with a hex dump and both outcomes, under
//! `target/tmp/java_differential/`.
//!
//! A second test runs the real command, `racm-lint show --all --format json FILE`, over every testdata file and a
//! few hundred generated ones (some with secret-named keys added), and checks its JSON against Java's view:
//! the same keys and values, secrets as `********` (in other keys' values too), and exit code 1 (with the reason) exactly where Java throws.

#[path = "support/cli.rs"]
mod cli_support;
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use racm_lint::keys::is_secret_entry;
use racm_lint::properties::Document;
use support::{
    Features, Outcome, env_or, failure_dir, files_under, generated_corpus, hex_dump, parse_dump,
    reader_outcome,
};

const DEFAULT_SEED: u64 = 0x5241_434D_4C49_4E54; // "RACMLINT"
const DEFAULT_CASES: usize = 20_000;
const BIG_FILES: usize = 12;

fn jdk_tool(name: &str) -> PathBuf {
    let tool = match std::env::var_os("JAVA_HOME") {
        Some(home) if Path::new(&home).join("bin").join(name).exists() => {
            Path::new(&home).join("bin").join(name)
        }
        _ => PathBuf::from(name),
    };
    match Command::new(&tool).arg("-version").output() {
        Ok(out) if out.status.success() => tool,
        Ok(out) => panic!(
            "`{} -version` failed ({}): {}\nThe Java differential test needs a JDK 17+ (javac and java).",
            tool.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!(
            "cannot run `{}` ({e}).\nThe Java differential test needs a JDK 17+ (javac and java) on PATH or in \
             JAVA_HOME; it is never skipped. Install one (e.g. `apt-get install openjdk-17-jdk-headless`).",
            tool.display()
        ),
    }
}

/// The directory holding `PropertiesDump.class`, compiled on first use: once per run of this test binary,
/// whichever test asks first (a fresh compilation each run, so an edited `PropertiesDump.java` is never
/// missed). It lives under Cargo's target dir, apart from the per-test temporary directories.
fn dump_classes() -> &'static Path {
    static CLASSES: OnceLock<PathBuf> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("java_differential_classes");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the classes directory");
        compile_dump(&dir);
        dir
    })
}

/// Compiles `PropertiesDump.java` into `dir`.
fn compile_dump(dir: &Path) {
    let javac = jdk_tool("javac");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/PropertiesDump.java");
    let out = Command::new(&javac)
        .arg("-encoding")
        .arg("UTF-8")
        .arg("-d")
        .arg(dir)
        .arg(&source)
        .output()
        .expect("run javac");
    assert!(
        out.status.success(),
        "javac failed on {}:\n{}{}",
        source.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs the dump in one JVM over the files at `paths` (read from disk), then over `packed` (read from memory,
/// in order). Returns one outcome per input, files first.
fn java_outcomes(classes: &Path, work: &Path, paths: &[PathBuf], packed: &[&[u8]]) -> Vec<Outcome> {
    let java = jdk_tool("java");
    let mut list = String::new();
    for p in paths {
        let s = p.to_str().expect("UTF-8 path");
        assert!(!s.contains('\n'), "path with a newline: {s:?}");
        list.push_str(s);
        list.push('\n');
    }
    let list_file = work.join("list.txt");
    std::fs::write(&list_file, list).expect("write the list file");
    let mut pack = Vec::new();
    for bytes in packed {
        pack.extend_from_slice(&u32::try_from(bytes.len()).unwrap().to_be_bytes());
        pack.extend_from_slice(bytes);
    }
    let pack_file = work.join("generated.pack");
    std::fs::write(&pack_file, pack).expect("write the pack file");
    let out = Command::new(&java)
        .arg("-Xshare:auto")
        .arg("-cp")
        .arg(classes)
        .arg("PropertiesDump")
        .arg("--list")
        .arg(&list_file)
        .arg("--pack")
        .arg(&pack_file)
        .output()
        .expect("run java");
    assert!(
        out.status.success(),
        "PropertiesDump failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("the dump is ASCII");
    let outcomes = parse_dump(&stdout);
    assert_eq!(
        outcomes.len(),
        paths.len() + packed.len(),
        "one block per input"
    );
    for (i, outcome) in outcomes.iter().enumerate() {
        if let Outcome::Error(message) = outcome {
            // Only the documented failure of `load` is a result; anything else is a broken harness.
            assert!(
                message
                    .starts_with("java.lang.IllegalArgumentException: Malformed \\uxxxx encoding."),
                "unexpected Java failure on input {i}: {message}"
            );
        }
    }
    outcomes
}

struct Case {
    name: String,
    bytes: Vec<u8>,
    /// The file Java read, or `None` when it read the bytes from the pack.
    path: Option<PathBuf>,
}

#[test]
fn reader_matches_java_properties_load() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("temp dir");
    let classes = dump_classes();
    // javac, or nothing (or waiting for it) when the other test compiled first.
    let javac_time = started.elapsed();

    // Files Java reads from disk: testdata/, then large generated files.
    let mut cases: Vec<Case> = Vec::new();
    let testdata = support::testdata_dir();
    for path in files_under(&testdata) {
        let bytes = std::fs::read(&path).expect("read testdata file");
        let name = path.strip_prefix(&testdata).unwrap().display().to_string();
        cases.push(Case {
            name: format!("testdata/{name}"),
            bytes,
            path: Some(path),
        });
    }
    let testdata_count = cases.len();

    // Large files, so that lines straddle the 8 KiB buffer boundaries of Java's `LineReader`: many generated
    // files (that Java reads without throwing) end to end.
    let seed = env_or("RACM_DIFF_SEED", DEFAULT_SEED);
    let count = env_or("RACM_DIFF_CASES", DEFAULT_CASES);
    let no_throw = Features {
        malformed_unicode: false,
        plus_in_unicode: false,
        ..Features::ALL
    };
    for i in 0..BIG_FILES {
        let mut bytes = Vec::new();
        for part in generated_corpus(seed ^ (0xB16 + i as u64), 400, &no_throw) {
            bytes.extend_from_slice(&part.bytes);
            bytes.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
        }
        let path = tmp.path().join(format!("big-{i:02}.properties"));
        std::fs::write(&path, &bytes).expect("write generated file");
        cases.push(Case {
            name: format!("big generated #{i} ({} bytes, seed {seed:#x})", bytes.len()),
            bytes,
            path: Some(path),
        });
    }
    let file_count = cases.len();

    // The generated corpus, packed into one file (thousands of small files are slow to create).
    for (i, generated) in generated_corpus(seed, count, &Features::ALL)
        .into_iter()
        .enumerate()
    {
        cases.push(Case {
            name: format!("generated #{i} ({}, seed {seed:#x})", generated.kind),
            bytes: generated.bytes,
            path: None,
        });
    }

    let paths: Vec<PathBuf> = cases[..file_count]
        .iter()
        .map(|c| c.path.clone().unwrap())
        .collect();
    let packed: Vec<&[u8]> = cases[file_count..]
        .iter()
        .map(|c| c.bytes.as_slice())
        .collect();
    let java_started = Instant::now();
    let java = java_outcomes(classes, tmp.path(), &paths, &packed);
    let java_time = java_started.elapsed();

    let mut mismatches = Vec::new();
    let mut java_errors = 0;
    for (case, expected) in cases.iter().zip(&java) {
        let doc = Document::parse(&case.bytes);
        let actual = reader_outcome(&doc);
        java_errors += usize::from(expected.is_error());
        let same = match (expected, &actual) {
            (Outcome::Error(_), Outcome::Error(_)) => true,
            (a, b) => a == b,
        };
        if !same {
            mismatches.push((case, expected, actual, doc.problems.clone()));
        }
    }

    eprintln!(
        "java differential: {} files ({} testdata, {} generated, {BIG_FILES} big, seed {seed:#x}); Java threw \
         on {}; mismatches: {}; javac {:.2?}, JVM run {:.2?}, total {:.2?}",
        cases.len(),
        testdata_count,
        count,
        java_errors,
        mismatches.len(),
        javac_time,
        java_time,
        started.elapsed()
    );
    assert!(
        java_errors > 0 && java_errors < cases.len() / 2,
        "the corpus should make Java throw sometimes"
    );

    if mismatches.is_empty() {
        return;
    }
    let dir = failure_dir("java_differential");
    let mut report = String::new();
    for (n, (case, expected, actual, problems)) in mismatches.iter().enumerate() {
        let file = dir.join(format!("case-{n}.properties"));
        std::fs::write(&file, &case.bytes).unwrap();
        let read_from = case
            .path
            .as_ref()
            .map_or("(packed)".to_string(), |p| p.display().to_string());
        let text = format!(
            "case: {} [Java read {read_from}]\nfile: {}\nhex dump:\n{}\nJava:\n{}\nreader:\n{}\nreader problems: {:?}\n",
            case.name,
            file.display(),
            hex_dump(&case.bytes),
            expected.render(),
            actual.render(),
            problems
        );
        std::fs::write(dir.join(format!("case-{n}.txt")), &text).unwrap();
        if n < 5 {
            report.push_str(&text);
            report.push('\n');
        }
    }
    panic!(
        "{} of {} files read differently by the reader and by Java; cases written to {}\n\n{report}",
        mismatches.len(),
        cases.len(),
        dir.display()
    );
}

/// Lines added to some generated files so that `show` has secrets to hide: keys whose names say secret,
/// password, pwd, passwd or credential, in several cases and shapes.
const SECRET_LINES: &[&str] = &[
    "mail.oauth2.client.secret=Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u",
    "db.Password : hunter2 ",
    "ldap.bind.pwd hidden\\value",
    "api.CREDENTIAL=caf\\u00e9-credential",
    "smtp.passwd=",
];

/// Decodes a key or value of the dump (`\uXXXX` for every unit outside printable ASCII and the backslash).
fn dump_text(escaped: &str) -> String {
    let mut units = Vec::new();
    let mut rest = escaped;
    while let Some(c) = rest.chars().next() {
        if let Some(hex) = rest.strip_prefix("\\u") {
            units.push(u16::from_str_radix(&hex[..4], 16).expect("dump escape"));
            rest = &hex[4..];
        } else {
            units.push(c as u16);
            rest = &rest[1..];
        }
    }
    // What a JSON string can hold: a lone surrogate becomes U+FFFD, as in the reader's text.
    String::from_utf16_lossy(&units)
}

/// Whether `got` (what `show` printed) is `want` (what Java read) with only secret material redacted: the
/// same keys and values, where each `********` stands for some text; every secret entry's value all
/// `********`.
fn same_but_redacted(got: &[(String, String)], want: &BTreeMap<String, String>) -> bool {
    if got.len() != want.len() {
        return false;
    }
    let mut unmatched: Vec<(&String, &String)> = want.iter().collect();
    for (key, value) in got {
        let Some(at) = unmatched.iter().position(|(k, v)| {
            redacted_match(key, k)
                && if is_secret_entry(k, v) {
                    value == "********"
                } else {
                    redacted_match(value, v)
                }
        }) else {
            return false;
        };
        unmatched.remove(at);
    }
    true
}

/// Whether `shown` is `text` with some parts replaced by `********` (each standing for at least a
/// character).
fn redacted_match(shown: &str, text: &str) -> bool {
    const MARK: &str = "********";
    if !shown.contains(MARK) {
        return shown == text;
    }
    let parts: Vec<&str> = shown.split(MARK).collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text.ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) if at > 0 => rest = &rest[at + part.len()..],
            _ => return false,
        }
    }
    !rest.is_empty() || parts.len() == 1
}

#[test]
fn show_all_json_matches_java() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let classes = dump_classes();

    let mut paths = files_under(&support::testdata_dir());
    let generated = generated_corpus(DEFAULT_SEED ^ 0x5A0E, 400, &Features::ALL);
    for (i, g) in generated.iter().enumerate() {
        let mut bytes = g.bytes.clone();
        if i % 2 == 0 {
            for line in SECRET_LINES.iter().skip(i % 3) {
                bytes.extend_from_slice(if i % 4 == 0 { b"\r\n" } else { b"\n" });
                bytes.extend_from_slice(line.as_bytes());
            }
        }
        let path = tmp.path().join(format!("generated-{i:03}.properties"));
        std::fs::write(&path, &bytes).expect("write generated file");
        paths.push(path);
    }
    let java = java_outcomes(classes, tmp.path(), &paths, &[]);

    let (mut compared, mut redacted, mut refused, mut collisions) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for (path, expected) in paths.iter().zip(&java) {
        let out = cli_support::racm_lint_process()
            .args(["show", "--all", "--format", "json"])
            .arg(path)
            .env("NO_COLOR", "1")
            .output()
            .expect("run racm-lint show");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let Outcome::Entries(lines) = expected else {
            // Java cannot load the file, so the server reads none of it: `show` still shows what it could
            // read, but says so and exits 1.
            refused += 1;
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(1)
                || !stderr.contains("malformed \\uXXXX escape: Java cannot load this file")
            {
                failures.push(format!(
                    "{}: Java throws, show exited {:?} and said {stderr:?}",
                    path.display(),
                    out.status.code()
                ));
            }
            continue;
        };
        let pairs: Vec<(String, String)> = lines
            .iter()
            .map(|line| {
                let (key, value) = line.split_once('\t').expect("key\tvalue");
                (dump_text(key), dump_text(value))
            })
            .collect();
        // What Java reads, one value per key (two keys that differ only by lone surrogates are one key once
        // they are text).
        let mut want: BTreeMap<String, String> = BTreeMap::new();
        for (key, value) in pairs.iter().cloned() {
            if is_secret_entry(&key, &value) {
                redacted += 1;
            }
            if want.insert(key, value).is_some() {
                collisions += 1;
            }
        }
        if out.status.code() != Some(0) {
            failures.push(format!(
                "{}: show exited {:?}: {}",
                path.display(),
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let json: serde_json::Value = match serde_json::from_str(&stdout) {
            Ok(json) => json,
            Err(e) => {
                failures.push(format!("{}: not JSON ({e}): {stdout}", path.display()));
                continue;
            }
        };
        let got: Vec<(String, String)> = json["properties"]
            .as_object()
            .map(|map| {
                map.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str().unwrap_or("<not a string>").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        if json["file"].as_str() != Some(path.to_str().unwrap()) || !same_but_redacted(&got, &want)
        {
            failures.push(format!(
                "{}:\n  Java: {want:?}\n  show: {stdout}",
                path.display()
            ));
            continue;
        }
        compared += 1;
    }
    eprintln!(
        "show --all --format json vs Java: {} files, {compared} equal, {refused} refused as Java does, \
         {redacted} secret values redacted, {collisions} keys merged by lone surrogates, {} failures",
        paths.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} files where show differs from Java:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(refused > 0 && redacted > 100 && compared > 300);
}
