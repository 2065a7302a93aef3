//! The command-line tests' shared helpers: the `racm-lint` binary in a predictable environment, temporary
//! `.properties` files and `testdata/` paths. Included by each test binary that runs the command with
//! `#[path = "support/cli.rs"] mod cli_support;`.
#![allow(dead_code)] // each test binary takes what it needs

use std::path::PathBuf;

/// The variables that change what racm-lint prints: the language (`LC_ALL`, then `LC_MESSAGES`, then `LANG`,
/// see `Lang::from_env`) and colour (`NO_COLOR`). racm-lint reads no other variable offline (no `RACM_*`).
pub const ENV_TO_CLEAR: &[&str] = &["LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR"];

/// The `racm-lint` binary of this build as a plain process, English and with no colour preference whatever
/// the developer's or the CI's environment.
pub fn racm_lint_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_racm-lint"));
    for name in ENV_TO_CLEAR {
        cmd.env_remove(name);
    }
    cmd
}

/// [`racm_lint_process`] for `assert_cmd`'s assertions.
pub fn racm_lint() -> assert_cmd::Command {
    assert_cmd::Command::from_std(racm_lint_process())
}

/// A path under the repository's `testdata/`.
pub fn testdata(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(path)
}

/// A temporary `.properties` file holding `content` (deleted when dropped).
pub fn temp_file(content: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new()
        .suffix(".properties")
        .tempfile()
        .unwrap();
    std::io::Write::write_all(&mut file, content).unwrap();
    file
}
