//! Nothing a user can put in a file or on the command line crashes, hangs or exhausts racm-lint: each gives
//! a clear message and the right exit code, and the other files are still linted.

#[path = "support/cli.rs"]
mod cli_support;

use cli_support::{racm_lint, temp_file};
use predicates::prelude::*;

const DOCUMENTED: &str = include_str!("../testdata/examples/config.properties");

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.properties");
    // Sparse: 65 MiB on paper, nothing on disk.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let good = dir.path().join("config.properties");
    std::fs::write(&good, DOCUMENTED).unwrap();
    racm_lint()
        .arg(&huge)
        .arg(&good)
        .args(["--format", "json"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("huge.properties").and(predicate::str::contains("more than")),
        )
        .stdout(predicate::str::contains("\"files\": 1"));
}

#[test]
fn a_fifo_or_a_device_is_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.properties");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    racm_lint()
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    racm_lint()
        .arg("/dev/zero")
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
}

#[test]
fn a_line_of_many_megabytes_and_thousands_of_continuations_are_fine() {
    let mut text = DOCUMENTED.to_string();
    text.push_str("other.key=");
    text.push_str(&"x".repeat(8 * 1024 * 1024));
    text.push_str("\nmail.retry.interval.quartz=0 \\\n");
    for _ in 0..50_000 {
        text.push_str("   \\\n");
    }
    text.push_str("*/5 * ? * * *\n");
    let file = temp_file(text.as_bytes());
    racm_lint()
        .arg(file.path())
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(0);
}

#[test]
fn nul_bytes_and_invalid_utf8_are_read_and_reported() {
    let mut bytes = DOCUMENTED.as_bytes().to_vec();
    bytes.extend_from_slice(b"mail.server.host=smtp.office365.com\x00\xff\xfe\n");
    let file = temp_file(&bytes);
    for format in [
        "human", "json", "sarif", "junit", "github", "gitlab", "azure", "concise",
    ] {
        racm_lint()
            .arg(file.path())
            .args(["--format", format])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("RL115").or(predicate::str::contains("RL111")));
    }
}

#[test]
fn a_missing_file_among_others_fails_the_run_but_the_others_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("config.properties");
    std::fs::write(
        &good,
        DOCUMENTED.replace("mail.server.port=587", "mail.server.port=465"),
    )
    .unwrap();
    racm_lint()
        .arg(dir.path().join("missing.properties"))
        .arg(&good)
        .args(["--format", "concise"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.properties: no such file"))
        .stdout(predicate::str::contains("error[RL122]"));
}

#[test]
fn a_directory_with_a_symlink_loop_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::fs::write(dir.path().join("config.properties"), DOCUMENTED).unwrap();
    racm_lint()
        .arg(dir.path())
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in 1 file"));
}

/// Makes a directory immutable (even root cannot create files in it) for the life of the guard.
struct Immutable<'p>(&'p std::path::Path);

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(self.0)
            .status();
    }
}

#[test]
fn fix_leaves_the_file_byte_for_byte_unchanged_when_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.properties");
    std::fs::write(
        &file,
        format!(
            "\u{feff}{}",
            DOCUMENTED.replace("starttls.enable=true", "starttls.enable=TRUE")
        ),
    )
    .unwrap();
    let before = std::fs::read(&file).unwrap();
    let made_immutable = std::process::Command::new("chattr")
        .arg("+i")
        .arg(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !made_immutable {
        // Without chattr (or a file system that supports it, or root) the write cannot be made to fail from
        // outside; `fix::tests` injects a failing write instead. Locally that is a skip; in CI (`.ci/run`
        // sets `CI`, as hosted CI services do) the environment is meant to allow it, so it is a failure.
        let in_ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
        assert!(
            !in_ci,
            "chattr +i failed on {} and CI is set: this test would have checked nothing",
            dir.path().display()
        );
        eprintln!(
            "chattr +i unavailable: the failing-write case is covered by the unit tests of `fix`"
        );
        return;
    }
    let _guard = Immutable(dir.path());
    racm_lint()
        .arg(&file)
        .arg("--fix")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "could not write the fixes, the file is unchanged",
        ));
    assert_eq!(std::fs::read(&file).unwrap(), before);
}
