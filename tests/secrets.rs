//! No output of any command, format or language ever shows a secret, wherever it sits in the file.

#[path = "support/cli.rs"]
mod cli_support;

use cli_support::{racm_lint_process, testdata};

const FORMATS: [&str; 8] = [
    "human", "concise", "json", "sarif", "github", "gitlab", "azure", "junit",
];

/// Files holding secrets in every awkward way, each with the secret values it holds.
fn cases() -> Vec<(&'static str, String, Vec<&'static str>)> {
    let base = std::fs::read_to_string(testdata("examples/config.properties")).unwrap();
    let with = |secret: &str| base.replace("Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u", secret);
    vec![
        (
            "documented",
            base.clone(),
            vec!["Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u", "Zx9!q7Lm-Rw2vT"],
        ),
        (
            "secret-id",
            with("5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"),
            vec!["5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"],
        ),
        ("placeholder", with("[Secret]"), vec!["[Secret]"]),
        (
            "trailing-space",
            with("Qw78Q~Hj2kL9mN3bV5cX7zA1sD4fG6hJ8kL0pO2i  "),
            vec!["Qw78Q~Hj2kL9mN3bV5cX7zA1sD4fG6hJ8kL0pO2i"],
        ),
        (
            "dropped-backslash",
            with("Rt58Q~Yu\\iO1pA3sD5fG7hJ9kL2zX4cV6bN8mQ0w"),
            vec!["Rt58Q~Yu", "iO1pA3sD5fG7hJ9kL2zX4cV6bN8mQ0w"],
        ),
        (
            "non-ascii",
            with("Pé78Q~Hj2kL9mN3bV5cX7zA1sD4fG6hJ8kL0pO2i"),
            vec!["Hj2kL9mN3bV5cX7zA1sD4fG6hJ8kL0pO2i"],
        ),
        (
            "same-as-client-id",
            with("4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e"),
            vec![],
        ),
        (
            "continued",
            with("Mn38Q~Bv\\\n    Cx1zA2sD3fG4hJ5kL6pO7iU8yT9rE0wQ1aZ2"),
            vec!["Mn38Q~Bv", "Cx1zA2sD3fG4hJ5kL6pO7iU8yT9rE0wQ1aZ2"],
        ),
        (
            "in-a-comment-too",
            with("Lk98Q~Jh7gF6dS5aP4oI3uY2tR1eW0qZ9xC8vB7n").replace(
                "# Secret de l'étape",
                "# previous: Lk98Q~Jh7gF6dS5aP4oI3uY2tR1eW0qZ9xC8vB7n\n# Secret de l'étape",
            ),
            vec!["Lk98Q~Jh7gF6dS5aP4oI3uY2tR1eW0qZ9xC8vB7n"],
        ),
        (
            "bom-crlf-and-duplicates",
            format!(
                "\u{feff}{}mail.oauth2.client.secret=Gf58Q~Dd4sA3pO2iU1yT0rE9wQ8zX7cV6bN5mL4k \r\n",
                with("Ab18Q~Cd2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ").replace('\n', "\r\n")
            ),
            vec![
                "Ab18Q~Cd2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ",
                "Gf58Q~Dd4sA3pO2iU1yT0rE9wQ8zX7cV6bN5mL4k",
            ],
        ),
        (
            "other-secret-keys",
            format!(
                "{base}smtp.relay.Password=Tr0ub4dor&3xyz\nvault.credentials=s3cr3t-t0k3n-qzx81\n"
            ),
            vec!["Tr0ub4dor&3xyz", "s3cr3t-t0k3n-qzx81"],
        ),
    ]
}

/// Fails if `output` shows any 6 consecutive characters of `secret` past its first three (which the Azure
/// portal shows too, and racm-lint may quote to help recognise it).
fn assert_no_leak(case: &str, what: &str, output: &str, secret: &str) {
    let chars: Vec<char> = secret.chars().collect();
    // Short values (placeholders) are checked whole: their pieces are ordinary words.
    if chars.len() < 12 {
        assert!(
            !output.contains(secret),
            "{case}: {what} shows the secret {secret:?}:\n{output}"
        );
        return;
    }
    for window in chars.windows(6).skip(1) {
        let piece: String = window.iter().collect();
        assert!(
            !output.contains(&piece),
            "{case}: {what} shows {piece:?} of a secret:\n{output}"
        );
    }
}

fn run(args: &[&str], file: &std::path::Path) -> String {
    let out = racm_lint_process().args(args).arg(file).output().unwrap();
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_format_no_language_no_command_leaks_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    for (case, text, secrets) in cases() {
        let file = dir.path().join(format!("{case}.properties"));
        std::fs::write(&file, text.as_bytes()).unwrap();
        let mut outputs = Vec::new();
        for format in FORMATS {
            for lang in ["en", "fr"] {
                let args = ["--format", format, "--lang", lang, "--color", "always"];
                outputs.push((
                    format!("--format {format} --lang {lang}"),
                    run(&args, &file),
                ));
            }
        }
        outputs.push(("--diff".into(), run(&["--diff"], &file)));
        outputs.push(("show --all".into(), run(&["show", "--all"], &file)));
        outputs.push((
            "show --all --format json".into(),
            run(&["show", "--all", "--format", "json"], &file),
        ));
        for (what, output) in &outputs {
            for secret in &secrets {
                assert_no_leak(case, what, output, secret);
            }
        }
    }
}

#[test]
fn the_secret_line_is_masked_in_source_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text, _) = cases()
        .into_iter()
        .find(|(c, _, _)| *c == "secret-id")
        .unwrap();
    let file = dir.path().join("config.properties");
    std::fs::write(&file, text).unwrap();
    let out = run(&["--color", "never"], &file);
    assert!(
        out.contains("mail.oauth2.client.secret=************************************"),
        "{out}"
    );
    assert!(out.contains("RL172"), "{out}");
}
