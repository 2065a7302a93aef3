//! Which keys hold secrets, and how they are kept out of every output: redacted values, scrubbed texts,
//! and masked source lines.

use crate::reader::{Document, latin1};

use crate::settings::Settings;

/// What is printed in place of a secret value.
pub const REDACTED: &str = "********";

/// Whether the value of `key` must never be shown: `mail.oauth2.client.secret` and every key whose name
/// contains secret, password, passwd, pwd or credential, in any case.
pub fn is_secret_key(key: &str) -> bool {
    // One pass, no allocation: this runs on every key of every file, however large.
    let key = key.as_bytes();
    (0..key.len()).any(|i| {
        let rest = &key[i..];
        let starts = |word: &str| {
            rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes())
        };
        match key[i].to_ascii_lowercase() {
            b's' => starts("secret"),
            b'p' => starts("password") || starts("passwd") || starts("pwd"),
            b'c' => starts("credential"),
            _ => false,
        }
    })
}

/// The value as it may be shown: itself, or [`REDACTED`] for a secret key.
pub fn displayable<'v>(key: &str, value: &'v str) -> &'v str {
    if is_secret_key(key) { REDACTED } else { value }
}

/// The texts of every secret value in the file (as Java reads them and as written), long enough to be
/// recognised, for scrubbing any text before it is shown.
pub fn secret_texts(doc: &Document<'_>, settings: &Settings<'_, '_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (key, entries) in settings.groups() {
        if !is_secret_key(key) {
            continue;
        }
        for entry in entries {
            for text in [
                entry.value().trim().to_string(),
                latin1(entry.raw_value(doc.source)).trim().to_string(),
            ] {
                if text.chars().count() >= 4 && !out.contains(&text) {
                    out.push(text);
                }
            }
        }
    }
    // Longest first, so that a secret containing another is replaced whole.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// Replaces every occurrence of a secret in `text`.
pub fn redact(mut text: String, secrets: &[String]) -> String {
    for secret in secrets {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), REDACTED);
        }
    }
    text
}

/// Where a file's secrets are: the value of every secret key, and every other occurrence of those values
/// (in a comment, say). Found once per file; then any part of the file can be copied with them masked.
#[derive(Debug, Clone, Default)]
pub struct SecretPlaces {
    spans: Vec<std::ops::Range<usize>>,
}

impl SecretPlaces {
    pub fn find(source: &[u8]) -> SecretPlaces {
        // Only secret entries are kept: a large file costs no memory here.
        let doc = Document::parse_filtered(source, &|item| match item {
            crate::reader::Item::Entry(e) => is_secret_key(e.key()),
            _ => false,
        });
        Self::in_document(&doc)
    }

    /// The secrets of a document already read (which kept at least its secret entries).
    pub fn in_document(doc: &Document<'_>) -> SecretPlaces {
        let source = doc.source;
        let mut spans: Vec<std::ops::Range<usize>> = doc
            .entries()
            .filter(|e| is_secret_key(e.key()))
            .map(|e| e.value_span())
            .collect();
        let settings = Settings::filtered(doc, is_secret_key);
        for secret in secret_texts(doc, &settings) {
            let needle: Vec<u8> = secret
                .chars()
                .filter_map(|c| u8::try_from(u32::from(c)).ok())
                .collect();
            if needle.len() != secret.chars().count() {
                continue;
            }
            spans
                .extend(memchr::memmem::find_iter(source, &needle).map(|at| at..at + needle.len()));
        }
        spans.sort_by_key(|s| s.start);
        SecretPlaces { spans }
    }

    /// A copy of `source[range]` with every secret byte replaced by `*` (line terminators kept, so lines and
    /// offsets stay the same).
    pub fn masked(&self, source: &[u8], range: std::ops::Range<usize>) -> Vec<u8> {
        let mut out = source[range.clone()].to_vec();
        for span in self
            .spans
            .iter()
            .filter(|s| s.start < range.end && s.end > range.start)
        {
            let from = span.start.max(range.start) - range.start;
            let to = span.end.min(range.end) - range.start;
            for b in &mut out[from..to] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b'*';
                }
            }
        }
        out
    }
}

/// The file's bytes with every secret masked by `*` (same length, line terminators kept), for anything that
/// shows source lines.
pub fn mask(source: &[u8]) -> Vec<u8> {
    SecretPlaces::find(source).masked(source, 0..source.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_recognised_in_any_case() {
        for key in [
            "mail.oauth2.client.secret",
            "db.PASSWORD",
            "ldap.bind.passwd",
            "smtp.Pwd",
            "azure.Credentials.file",
            "x.ClientSecretValue",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "mail.oauth2.client.id",
            "mail.server.user",
            "mail.oauth2.token.url",
            "pass",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn mask_hides_secret_values_wherever_they_are() {
        let src = b"a=1\r\nmail.oauth2.client.secret=abc8Q~xyz\\\n  tail\n# old: abc8Q~xyztail\n";
        let masked = mask(src);
        assert_eq!(masked.len(), src.len());
        let text = String::from_utf8(masked).unwrap();
        assert!(!text.contains("abc8Q~") && !text.contains("tail"), "{text}");
        assert!(text.starts_with("a=1\r\nmail.oauth2.client.secret=*"));
        assert_eq!(text.matches('\n').count(), 4);
    }

    #[test]
    fn displayable_hides_only_secrets() {
        assert_eq!(
            displayable("mail.oauth2.client.secret", "abc8Q~xyz"),
            REDACTED
        );
        assert_eq!(displayable("mail.server.port", "587"), "587");
    }
}
