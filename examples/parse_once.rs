//! One parse of a file in a fresh process, for the cold-start comparison of `scripts/bench.sh`: the criterion
//! benchmark measures the readers warmed up, in a loop, where the allocator reuses the memory of the previous
//! round; a command line parses once, into fresh memory.
//!
//! Usage: `parse_once racm|java-properties FILE` (prints the number of entries).

use std::process::ExitCode;

#[path = "../benches/support/mod.rs"]
mod support;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let [reader, path] = args.as_slice() else {
        eprintln!("usage: parse_once racm|java-properties FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("parse_once: {}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let entries = match reader.to_str() {
        Some("racm") => racm_lint::properties::Document::parse(&bytes)
            .entries()
            .count(),
        Some("java-properties") => match support::try_java_properties_pairs(&bytes) {
            Ok(pairs) => pairs,
            Err(e) => {
                eprintln!("parse_once: java-properties: {e}");
                return ExitCode::from(1);
            }
        },
        _ => {
            eprintln!("usage: parse_once racm|java-properties FILE");
            return ExitCode::from(2);
        }
    };
    println!("{entries}");
    ExitCode::SUCCESS
}
