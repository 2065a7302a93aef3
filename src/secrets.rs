//! What is secret material, and how it is kept out of every output: one policy (`keys::is_secret_entry`:
//! secret keys and their misspellings, client-secret shapes under any key, glued secret assignments),
//! applied wherever text leaves the process: the texts of a file's secrets, a [`Redactor`] that hides them,
//! whole or in pieces, in any text, and the places of the file that source excerpts mask.

use std::collections::HashSet;

use crate::keys::{
    KeyPattern, REDACTED, contains_secret_word, glued_secret_key, is_secret_entry, is_secret_key,
    looks_like_secret, mail, secret_word_end,
};
use crate::properties::{Document, Entry, Item, Settings};
use crate::text::{is_placeholder, latin1, quote_for_display};

/// How many characters of a secret make a piece that is hidden wherever it appears (in any case, across line
/// breaks): no piece that long of a secret ever leaves the process.
pub const PIECE_LEN: usize = 10;

/// Shorter secrets are not hidden in other texts: they would match ordinary words.
pub const MIN_SECRET_LEN: usize = 4;

/// The value as it may be shown: itself, or [`REDACTED`] when the entry is secret.
pub fn displayable<'v>(key: &str, value: &'v str) -> &'v str {
    if is_secret_entry(key, value) {
        REDACTED
    } else {
        value
    }
}

/// A key as it may be shown: itself, or [`REDACTED`] when it has the shape of a client secret (a line
/// `<secret>=x`).
pub fn displayable_key(key: &str) -> &str {
    if looks_like_secret(key.trim()) {
        REDACTED
    } else {
        key
    }
}

/// Whether the entry holds secret material anywhere: secret by the policy, a key that holds the secret, or
/// a run shaped like a secret in its key or value.
pub fn holds_secret_material(entry: &Entry<'_>) -> bool {
    is_secret(entry)
        || secret_in_key(entry).is_some()
        || secret_runs(entry.key()).next().is_some()
        || secret_runs(entry.value()).next().is_some()
}

/// Whether the entry holds secret material (see [`is_secret_entry`]).
pub fn is_secret(entry: &Entry<'_>) -> bool {
    is_secret_entry(entry.key(), entry.value())
}

/// The texts of every secret in the file, long enough to be recognised, for hiding them in any text before
/// it is shown: each secret value as Java reads it, as written in the file, and as a message quotes it (`"`
/// and `\` escaped, see [`quote_for_display`]); the secret of a glued assignment (what follows its `=`);
/// and every key shaped like a client secret.
pub fn secret_texts(doc: &Document<'_>, settings: &Settings<'_, '_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |text: &str| {
        let text = text.trim();
        if text.chars().count() < MIN_SECRET_LEN {
            return;
        }
        let quoted = quote_for_display(text);
        let quoted = quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or(&quoted);
        if quoted != text {
            out.push(quoted.to_string());
        }
        out.push(text.to_string());
    };
    for item in &doc.items {
        if let Item::Comment { span, .. } = item {
            for text in comment_secrets(&latin1(&doc.source[span.clone()])) {
                push(&text);
            }
        }
    }
    for (key, entries) in settings.groups() {
        if looks_like_secret(key.trim()) {
            push(key);
        }
        for run in secret_runs(key) {
            push(run);
        }
        for entry in entries.iter() {
            if let Some(rest) = secret_in_key(entry) {
                push(rest);
                // A sign of the secret itself ended the key (`:` or `=` of a legacy secret): the secret
                // runs on into the value.
                if !entry.value().is_empty() {
                    for sign in ['=', ':', ' '] {
                        push(&format!("{rest}{sign}{}", entry.value()));
                    }
                }
            }
            for run in secret_runs(entry.value()) {
                push(run);
            }
        }
        for entry in entries.iter().filter(|e| is_secret(e)) {
            let parts = secret_parts(entry, doc.source);
            let whole = parts.len() == 1 && parts[0].0 == entry.value();
            for (part, _) in parts {
                push(part);
            }
            // The text as written, when it is the secret itself (not lines glued together).
            if whole {
                push(&latin1(entry.raw_value(doc.source)));
            }
        }
    }
    // Longest first, so that a secret containing another is replaced whole.
    out.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// The runs of `text` shaped like a client secret: its words, between blanks, quotes and punctuation, and
/// each word's part after an `=` or `:`.
pub fn secret_runs(text: &str) -> impl Iterator<Item = &str> {
    // Most texts hold nothing shaped like a secret: found without splitting them.
    let candidate = may_hold_secret_shape(text.as_bytes());
    text.split(|c: char| c.is_whitespace() || "\"'`,;()<>#!|".contains(c))
        .flat_map(|word| {
            let after = word.split_once(['=', ':']).map(|(_, rest)| rest);
            std::iter::once(word).chain(after)
        })
        .filter(move |run| candidate && looks_like_secret(run))
}

/// Whether `text` may hold a run shaped like a client secret, cheaply: the `Q~` of the current and previous
/// formats, or a word of 32 bytes or more (a legacy secret).
fn may_hold_secret_shape(text: &[u8]) -> bool {
    if memchr::memmem::find(text, b"Q~").is_some() {
        return true;
    }
    let mut run = 0;
    for &b in text {
        if b.is_ascii_whitespace() || b"\"'`,;()<>#!|".contains(&b) {
            run = 0;
        } else {
            run += 1;
            if run >= 32 {
                return true;
            }
        }
    }
    false
}

/// The secret a key holds when its line lost its `=`: the text after the secret word (`Xq48Q~…` of
/// `mail.oauth2.client.secretXq48Q~…`, of `mail.oauth2.client.secret\u00a0Xq48Q~…`), without the look-alike
/// that stands for the `=`. A `:` or `=` of the secret then ends the key, and the rest of the secret is the
/// value.
pub fn secret_in_key<'e>(entry: &'e Entry<'_>) -> Option<&'e str> {
    let key = entry.key();
    if !contains_secret_word(key.as_bytes()) {
        return None;
    }
    let rest = &key[secret_word_end(key)?..];
    let plural = rest.strip_prefix(['s', 'S']);
    if rest.is_empty()
        || rest.starts_with(['.', '_', '-'])
        || plural.is_some_and(|p| p.is_empty() || p.starts_with(['.', '_', '-']))
    {
        // `secret.path`, `password_file`, `credentials`: another key's name goes on.
        return None;
    }
    let rest = rest.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    // With a value, only a long run counts (`password2` or `secret1000` are keys of their own).
    let min = if entry.value().is_empty() {
        MIN_SECRET_LEN
    } else {
        8
    };
    (rest.chars().count() >= min).then_some(rest)
}

/// The secret material of a comment: the value of a commented-out secret assignment (`#mail.oauth2.client.
/// secret=<the old one>`, kept while Azure still accepts it), without quotes and what follows ` #`, and
/// every run shaped like a client secret.
pub fn comment_secrets(comment: &str) -> Vec<String> {
    let body = comment
        .trim_start_matches(['#', '!'])
        .trim_start_matches([' ', '\t', '\x0c']);
    let mut out: Vec<String> = Vec::new();
    if let Some(at) = body.find(['=', ':']) {
        let (key, value) = (body[..at].trim(), &body[at + 1..]);
        if is_secret_key(key) {
            let value = value.split(" #").next().unwrap_or(value).trim();
            let value = value.trim_matches(['"', '\'']);
            if value.chars().count() >= MIN_SECRET_LEN && !is_placeholder(value) {
                out.push(value.to_string());
            }
        }
    }
    out.extend(secret_runs(body).map(str::to_string));
    out
}

/// Whether a comment holds secret material (see [`comment_secrets`]), cheaply: a secret word or a run shaped
/// like a secret.
pub fn comment_has_secret(comment: &[u8]) -> bool {
    // A comment is read only when it names a secret word or may hold a secret's shape (most do neither).
    if !contains_secret_word(comment) && !may_hold_secret_shape(comment) {
        return false;
    }
    let text = latin1(comment);
    !comment_secrets(&text).is_empty()
}

/// The secret parts of an entry's value, each with the bytes of the file it is written in. A stray `\` at
/// the end of a line glues the next line to the value: then each glued `key=value` line is a part of its
/// own, secret when it is by itself (the `mail.oauth2.client.secret` line after `mail.server.user=…\`),
/// and the entry's own part before it is secret when the entry's key is; an assignment glued in any other
/// way (`…?password=x`) has its secret after its `=`. Hiding only those parts keeps the rest readable: the
/// user's address, the next key's name.
pub fn secret_parts<'v>(
    entry: &'v Entry<'_>,
    source: &[u8],
) -> Vec<(&'v str, std::ops::Range<usize>)> {
    let value = entry.value();
    let whole = entry.value_span();
    // Each glued line: where it starts in the value, the key it sets, where its value starts in the file
    // and the backslash that glued it.
    let mut junctions: Vec<(usize, String, usize, usize)> = Vec::new();
    let mut from = 0;
    for continuation in entry.continuations(source) {
        let key = continuation.next_key(source);
        let after_key = continuation.next_text + key.len();
        let assignment = source.get(after_key).is_some_and(|b| b"=: \t".contains(b));
        // The glued value starts after the blanks and the separator.
        let mut value_start = after_key;
        while source.get(value_start).is_some_and(|b| b" \t".contains(b)) {
            value_start += 1;
        }
        if source.get(value_start).is_some_and(|b| b"=:".contains(b)) {
            value_start += 1;
        }
        if key.is_empty()
            || !assignment
            || !is_line_key(&key)
            || continuation.backslash < whole.start
        {
            continue;
        }
        if let Some(at) = value[from..].find(key.as_str()) {
            // The next glued line starts after this one's key: never before it.
            let next_from = from + at + key.len();
            junctions.push((from + at, key, value_start, continuation.backslash));
            from = next_from;
        }
    }
    if junctions.is_empty() {
        if !is_secret_entry(entry.key(), value) {
            return vec![];
        }
        if let Some(glued) = glued_secret_key(value)
            && !is_secret_key(entry.key())
            && !looks_like_secret(value.trim())
            && let Some(at) = value.find(glued)
        {
            let rest = value[at + glued.len()..].trim_start_matches([' ', '\t', '=', ':']);
            return vec![(rest, whole)];
        }
        return vec![(value, whole)];
    }
    let mut parts = Vec::new();
    let own = &value[..junctions[0].0];
    if is_secret_key(entry.key()) || looks_like_secret(own.trim()) {
        parts.push((own, whole.start..junctions[0].3));
    }
    for (i, (at, key, raw_start, _)) in junctions.iter().enumerate() {
        let (end, raw_end) = junctions
            .get(i + 1)
            .map_or((value.len(), whole.end), |next| (next.0, next.3));
        let line = &value[at + key.len()..end];
        let glued_value = line
            .trim_start_matches([' ', '\t'])
            .trim_start_matches(['=', ':']);
        if is_secret_entry(key, glued_value) {
            parts.push((glued_value, *raw_start..raw_end));
        }
    }
    parts
}

/// Whether `key`, at the start of a line that a `\` glued to the value above, is a setting of its own that
/// was lost: a `mail.*` key or a secret key (the rest of a value split over lines is not).
pub fn is_line_key(key: &str) -> bool {
    KeyPattern::new(mail::ALL).covers(key) || is_secret_key(key)
}

/// The secret line a stray `\` glued to the entry: its key and the number of the line that ends with the
/// backslash (`mail.oauth2.client.secret`, 12 when line 12 ends with `\`).
pub fn glued_secret_line(entry: &Entry<'_>, source: &[u8]) -> Option<(String, u32)> {
    entry.continuations(source).into_iter().find_map(|c| {
        let key = c.next_key(source);
        is_secret_key(&key).then_some((key, c.line))
    })
}

/// Hides the secrets of one file (and, online, the access token) in any text: each secret whole, and every
/// piece of [`PIECE_LEN`] characters of it, in any case and across line breaks.
#[derive(Clone, Default)]
pub struct Redactor {
    texts: Vec<String>,
    /// For a file of many secrets: the texts, and their distinct lengths (longest first), so that a text is
    /// checked position by position instead of once per secret.
    many: Option<(HashSet<String>, Vec<usize>)>,
    /// Rolling hashes of every piece of every secret long enough to have pieces, lower-cased.
    pieces: HashSet<u64>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} texts hidden)", self.texts.len())
    }
}

/// The multiplier of the pieces' rolling hash.
const HASH_BASE: u64 = 0x100_0000_01b3;

fn fold(c: char) -> u64 {
    u64::from(u32::from(c.to_ascii_lowercase()))
}

/// The hash of `chars` (at most [`PIECE_LEN`] of them matter).
fn piece_hash(chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(0u64, |h, c| h.wrapping_mul(HASH_BASE).wrapping_add(fold(c)))
}

impl Redactor {
    /// For the [`secret_texts`] of a file.
    pub fn new(texts: Vec<String>) -> Redactor {
        let mut redactor = Redactor::default();
        for text in texts {
            redactor.add_text(text);
        }
        redactor.index();
        redactor
    }

    /// Hides `text` too (the access token, say), whole and in pieces.
    pub fn add(&mut self, text: &str) {
        if text.chars().count() < MIN_SECRET_LEN || self.texts.iter().any(|t| t == text) {
            return;
        }
        self.add_text(text.to_string());
        self.index();
    }

    fn add_text(&mut self, text: String) {
        // A placeholder left in a secret key (`<client_secret>`) is template text, no secret: hidden whole,
        // but its pieces would hide the same words in every message (`client_secret` in Microsoft's errors).
        if !is_placeholder(&text) {
            let chars: Vec<char> = text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
            for window in chars.windows(PIECE_LEN) {
                self.pieces.insert(piece_hash(window.iter().copied()));
            }
        }
        self.texts.push(text);
    }

    /// Sorts the texts longest first (a secret containing another is replaced whole) and indexes many.
    fn index(&mut self) {
        self.texts
            .sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.texts.dedup();
        self.many = (self.texts.len() > 16).then(|| {
            let mut lengths: Vec<usize> = self.texts.iter().map(String::len).collect();
            lengths.sort_unstable_by(|a, b| b.cmp(a));
            lengths.dedup();
            (self.texts.iter().cloned().collect(), lengths)
        });
    }

    /// The secret texts, longest first.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// `text` with every secret, and every piece of one, replaced by [`REDACTED`] (overlapping ones by one
    /// mark).
    pub fn redact(&self, text: String) -> String {
        let text = match &self.many {
            None => redact(text, &self.texts),
            Some((set, lengths)) => redact_many(text, set, lengths),
        };
        self.redact_pieces(text)
    }

    /// `text` with every piece of a secret replaced: windows of [`PIECE_LEN`] characters, line breaks
    /// skipped, compared without case.
    fn redact_pieces(&self, text: String) -> String {
        if self.pieces.is_empty() || text.len() < PIECE_LEN {
            return text;
        }
        // The characters that count, with where each starts and ends in `text`.
        let chars: Vec<(usize, char)> = text
            .char_indices()
            .filter(|(_, c)| !matches!(c, '\r' | '\n'))
            .collect();
        if chars.len() < PIECE_LEN {
            return text;
        }
        let high = (1..PIECE_LEN).fold(1u64, |p, _| p.wrapping_mul(HASH_BASE));
        let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
        let mut hash = piece_hash(chars[..PIECE_LEN].iter().map(|(_, c)| *c));
        for start in 0..=chars.len() - PIECE_LEN {
            if start > 0 {
                let out = fold(chars[start - 1].1);
                let added = fold(chars[start + PIECE_LEN - 1].1);
                hash = hash
                    .wrapping_sub(out.wrapping_mul(high))
                    .wrapping_mul(HASH_BASE)
                    .wrapping_add(added);
            }
            if self.pieces.contains(&hash) {
                let (from, _) = chars[start];
                let (last, c) = chars[start + PIECE_LEN - 1];
                let to = last + c.len_utf8();
                match covered.last_mut() {
                    Some(range) if from <= range.end => range.end = range.end.max(to),
                    _ => covered.push(from..to),
                }
            }
        }
        replace_ranges(text, &covered)
    }
}

/// `text` with each of the (sorted, disjoint) `ranges` replaced by [`REDACTED`].
fn replace_ranges(text: String, ranges: &[std::ops::Range<usize>]) -> String {
    if ranges.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(&text[at..range.start]);
        out.push_str(REDACTED);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// [`redact`] for many secrets: each position of `text` looked up once per length.
fn redact_many(text: String, set: &HashSet<String>, lengths: &[usize]) -> String {
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
    replace_ranges(text, &covered)
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

/// A matcher of the secrets' pieces in file bytes (Latin-1), in any ASCII case: every run of [`PIECE_LEN`]
/// bytes of each secret, and each secret shorter than that whole. `None` when there is no secret.
fn piece_matcher(texts: &[String]) -> Option<aho_corasick::AhoCorasick> {
    let mut patterns: HashSet<Vec<u8>> = HashSet::new();
    for text in texts {
        let bytes = latin1_bytes(text);
        if bytes.len() < PIECE_LEN {
            if bytes.len() >= MIN_SECRET_LEN {
                patterns.insert(bytes);
            }
            continue;
        }
        if is_placeholder(text) {
            patterns.insert(bytes);
            continue;
        }
        for window in bytes.windows(PIECE_LEN) {
            patterns.insert(window.to_vec());
        }
    }
    if patterns.is_empty() {
        return None;
    }
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(patterns)
        .ok()
}

/// `text` as the file's Latin-1 bytes (a character beyond U+00FF, which no Latin-1 file holds, as `?`).
fn latin1_bytes(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// Where a file's secrets are: the value of every secret entry, every key shaped like a secret, and every
/// other occurrence of those texts (in a comment, say). Found once per file; then any part of the file can be copied with them masked.
#[derive(Debug, Clone, Default)]
pub struct SecretPlaces {
    spans: Vec<std::ops::Range<usize>>,
}

impl SecretPlaces {
    pub fn find(source: &[u8]) -> SecretPlaces {
        // Only secret entries are kept: a large file costs no memory here.
        let doc = Document::parse_filtered(source, &|item| match item {
            Item::Entry(e) => holds_secret_material(e),
            Item::Comment { span, .. } => comment_has_secret(&source[span.clone()]),
            Item::Blank { .. } => false,
        });
        Self::in_document(&doc)
    }

    /// The secrets of a document already read (which kept at least its secret entries).
    pub fn in_document(doc: &Document<'_>) -> SecretPlaces {
        let settings = Settings::new(doc);
        Self::with_texts(doc, &secret_texts(doc, &settings))
    }

    /// The secrets of a document whose [`secret_texts`] are already known: the value of every secret entry,
    /// every key shaped like a secret, and every other occurrence of the texts (in a comment, say).
    pub fn with_texts(doc: &Document<'_>, texts: &[String]) -> SecretPlaces {
        let source = doc.source;
        let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
        for entry in doc.entries() {
            if is_secret(entry) {
                spans.extend(
                    secret_parts(entry, source)
                        .into_iter()
                        .map(|(_, span)| span),
                );
            }
            if looks_like_secret(entry.key().trim()) {
                spans.push(entry.key_span());
            }
        }
        let Some(matcher) = piece_matcher(texts) else {
            spans.sort_by_key(|s| s.start);
            return SecretPlaces { spans };
        };
        // Every piece, anywhere in the file: a comment, a copy under another key, a key name.
        spans.extend(
            matcher
                .find_overlapping_iter(source)
                .map(|m| m.start()..m.end()),
        );
        // A copy spelt with escapes (`\~`, `\u007e`, a continuation) matches only once decoded, as Java
        // reads it: then the whole key or value is masked.
        for entry in doc.entries() {
            if !entry.value_escapes().is_empty()
                && matcher.is_match(latin1_bytes(entry.value()).as_slice())
            {
                spans.push(entry.value_span());
            }
            if !entry.key_escapes().is_empty()
                && matcher.is_match(latin1_bytes(entry.key()).as_slice())
            {
                spans.push(entry.key_span());
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
            .filter(|s| s.start < s.end && s.start < range.end && s.end > range.start)
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
    fn a_value_that_repeats_the_key_of_the_line_glued_to_it_is_read_without_panic() {
        // The glued key also stands before the line that sets it: each glued line is looked for after the
        // previous one, never inside it.
        let src = b"k=mail.server.port.x\\\nmail.server.port=1\\\nmail.server.port=2\nmail.oauth2.client.secret=Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u\\\nmail.oauth2.client.secret=Bb28Q~Yy7xW6vU5tS4rQ3pO2nM1lK0jI9hG8fE7d\n";
        let doc = Document::parse(src);
        for entry in doc.entries() {
            let _ = secret_parts(entry, src);
        }
        let masked = String::from_utf8(mask(src)).unwrap();
        assert!(
            !masked.contains("Zk3vN1pR7t") && !masked.contains("Yy7xW6vU5t"),
            "{masked}"
        );
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
