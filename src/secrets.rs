//! Which keys hold secrets, and how they are kept out of every output: redacted values, scrubbed texts,
//! and masked source lines.

use crate::keys::{REDACTED, is_secret_key};
use crate::properties::{Document, Item, Settings};
use crate::text::{latin1, quote_for_display};

/// The value as it may be shown: itself, or [`REDACTED`] for a secret key.
pub fn displayable<'v>(key: &str, value: &'v str) -> &'v str {
    if is_secret_key(key) { REDACTED } else { value }
}

/// The texts of every secret value in the file, long enough to be recognised, for scrubbing any text before
/// it is shown: as Java reads it, as written in the file, and as a message quotes it (`"` and `\` escaped,
/// see [`quote_for_display`]).
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
                if text.chars().count() < 4 {
                    continue;
                }
                let quoted = quote_for_display(&text);
                let quoted = quoted
                    .strip_prefix('"')
                    .and_then(|q| q.strip_suffix('"'))
                    .unwrap_or(&quoted);
                if quoted != text {
                    out.push(quoted.to_string());
                }
                out.push(text);
            }
        }
    }
    // Longest first, so that a secret containing another is replaced whole.
    out.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// Replaces the secrets of one file in any text.
#[derive(Debug, Clone)]
pub struct Redactor {
    texts: Vec<String>,
    /// For a file of many secrets: the texts, and their distinct lengths (longest first), so that a text is
    /// checked position by position instead of once per secret.
    many: Option<(std::collections::HashSet<String>, Vec<usize>)>,
}

impl Redactor {
    /// For the [`secret_texts`] of a file.
    pub fn new(texts: Vec<String>) -> Redactor {
        let many = (texts.len() > 16).then(|| {
            let mut lengths: Vec<usize> = texts.iter().map(String::len).collect();
            lengths.sort_unstable_by(|a, b| b.cmp(a));
            lengths.dedup();
            (texts.iter().cloned().collect(), lengths)
        });
        Redactor { texts, many }
    }

    /// The secret texts, longest first.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// `text` with every secret replaced by [`REDACTED`] (overlapping ones by one mark).
    pub fn redact(&self, text: String) -> String {
        let Some((set, lengths)) = &self.many else {
            return redact(text, &self.texts);
        };
        let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
        for (start, _) in text.char_indices() {
            let found = lengths.iter().find(|&&len| {
                text.get(start..start + len)
                    .is_some_and(|piece| set.contains(piece))
            });
            if let Some(&len) = found {
                match covered.last_mut() {
                    Some(last) if start <= last.end => last.end = last.end.max(start + len),
                    _ => covered.push(start..start + len),
                }
            }
        }
        if covered.is_empty() {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for range in covered {
            out.push_str(&text[at..range.start]);
            out.push_str(REDACTED);
            at = range.end;
        }
        out.push_str(&text[at..]);
        out
    }
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
            Item::Entry(e) => is_secret_key(e.key()),
            _ => false,
        });
        Self::in_document(&doc)
    }

    /// The secrets of a document already read (which kept at least its secret entries).
    pub fn in_document(doc: &Document<'_>) -> SecretPlaces {
        let settings = Settings::filtered(doc, is_secret_key);
        Self::with_texts(doc, &secret_texts(doc, &settings))
    }

    /// The secrets of a document whose [`secret_texts`] are already known.
    pub fn with_texts(doc: &Document<'_>, texts: &[String]) -> SecretPlaces {
        let source = doc.source;
        let mut spans: Vec<std::ops::Range<usize>> = doc
            .entries()
            .filter(|e| is_secret_key(e.key()))
            .map(|e| e.value_span())
            .collect();
        // The texts as file bytes (Latin-1); one made of characters beyond U+00FF cannot be in the file.
        let needles: Vec<Vec<u8>> = texts
            .iter()
            .filter_map(|text| {
                text.chars()
                    .map(|c| u8::try_from(u32::from(c)).ok())
                    .collect()
            })
            .collect();
        let mut lengths: Vec<usize> = needles.iter().map(Vec::len).collect();
        lengths.sort_unstable();
        lengths.dedup();
        if needles.len() <= 100 * lengths.len() {
            // A search of the file per secret: the fastest for the few secrets of a real file.
            for needle in &needles {
                spans.extend(
                    memchr::memmem::find_iter(source, needle).map(|at| at..at + needle.len()),
                );
            }
        } else {
            // Thousands of secrets: one pass, each position looked up once per length.
            let set: std::collections::HashSet<&[u8]> = needles.iter().map(Vec::as_slice).collect();
            for start in 0..source.len() {
                for &len in &lengths {
                    if source
                        .get(start..start + len)
                        .is_some_and(|piece| set.contains(piece))
                    {
                        spans.push(start..start + len);
                    }
                }
            }
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
    fn many_secrets_are_found_and_hidden_as_a_few_are() {
        // Over the thresholds where both switch from one search per secret to one pass.
        for count in [3, 40, 2000] {
            let mut file = String::new();
            for i in 0..count {
                file.push_str(&format!("db.password{i}=s3cr{i:04}x\n"));
            }
            file.push_str("note=s3cr0001x and s3cr0002xs3cr0002x\n");
            let doc = Document::parse(file.as_bytes());
            let texts = secret_texts(&doc, &Settings::new(&doc));
            assert_eq!(texts.len(), count, "{count}");
            let masked =
                SecretPlaces::with_texts(&doc, &texts).masked(doc.source, 0..doc.source.len());
            let masked = String::from_utf8(masked).unwrap();
            assert!(!masked.contains("s3cr"), "{count}: {masked}");
            let redactor = Redactor::new(texts);
            let shown = redactor.redact("a s3cr0001x b s3cr0002xs3cr0002x c".to_string());
            assert!(
                shown.starts_with("a ******** b ********") && shown.ends_with("** c"),
                "{count}: {shown}"
            );
            assert!(!shown.contains("s3cr"), "{count}: {shown}");
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
