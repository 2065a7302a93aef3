//! Property keys: the one key-pattern matcher, the one policy of what is secret (keys, value shapes, glued
//! assignments), and the names every layer shares.

use std::fmt;

/// What is printed in place of a secret value.
pub const REDACTED: &str = "********";

/// The three characters a UTF-8 byte order mark becomes when read as Latin-1, as Java reads it.
pub const BOM_AS_LATIN1: &str = "\u{ef}\u{bb}\u{bf}";

/// The keys of the Microsoft 365 mail settings that more than one part of racm-lint reads.
pub mod mail {
    pub const TOKEN_URL: &str = "mail.oauth2.token.url";
    pub const CLIENT_ID: &str = "mail.oauth2.client.id";
    pub const SECRET: &str = "mail.oauth2.client.secret";
    pub const SCOPES: &str = "mail.oauth2.scopes";
    pub const HOST: &str = "mail.server.host";
    pub const PORT: &str = "mail.server.port";
    pub const USER: &str = "mail.server.user";
    pub const SENDER: &str = "mail.option.sender";
    pub const STARTTLS: &str = "mail.server.starttls.enable";
    /// Every mail setting: `mail.*`.
    pub const ALL: &str = "mail.*";
}

/// A key pattern, as rule files write them: an exact key (`mail.server.host`) or a prefix ending in `*`
/// (`mail.*`). Every place that matches keys against rules goes through it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(from = "String", into = "String")]
pub struct KeyPattern {
    text: String,
    /// `Some(prefix)` for `prefix*`.
    prefix_len: Option<usize>,
}

impl KeyPattern {
    pub fn new(text: impl Into<String>) -> KeyPattern {
        let text = text.into();
        let prefix_len = text.strip_suffix('*').map(str::len);
        KeyPattern { text, prefix_len }
    }

    /// The prefix of a `prefix*` pattern (`mail.` for `mail.*`).
    pub fn prefix(&self) -> Option<&str> {
        self.prefix_len.map(|len| &self.text[..len])
    }

    /// The exact key of a pattern without `*`.
    pub fn exact(&self) -> Option<&str> {
        self.prefix_len.is_none().then_some(self.text.as_str())
    }

    /// Whether `key` matches as Java compares keys: exactly, case-sensitive.
    pub fn matches(&self, key: &str) -> bool {
        match self.prefix() {
            Some(prefix) => key.starts_with(prefix),
            None => key == self.text,
        }
    }

    /// Whether `key` falls under the pattern once a miscapitalised prefix is allowed: a prefix is compared
    /// case-insensitively (`Mail.Server.Host` is a misspelt mail key), an exact key exactly.
    pub fn covers(&self, key: &str) -> bool {
        match self.prefix() {
            Some(prefix) => starts_with_ignore_ascii_case(key, prefix),
            None => key == self.text,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Whether `text` starts with `prefix`, ASCII letters compared without case.
pub fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

impl From<String> for KeyPattern {
    fn from(text: String) -> KeyPattern {
        KeyPattern::new(text)
    }
}

impl From<&str> for KeyPattern {
    fn from(text: &str) -> KeyPattern {
        KeyPattern::new(text)
    }
}

impl From<KeyPattern> for String {
    fn from(pattern: KeyPattern) -> String {
        pattern.text
    }
}

impl fmt::Display for KeyPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The words that make a key a secret key, wherever they stand in its name and in any case.
const SECRET_WORDS: [&str; 5] = ["secret", "password", "passwd", "pwd", "credential"];

/// The words whose misspellings (one letter wrong, missing, extra or two swapped: `secert`, `scret`,
/// `pasword`, `clientscret`) still make a key a secret key: a misspelt key holds the secret all the same.
const NEAR_MISS_WORDS: [&str; 4] = ["secret", "password", "credential", "clientsecret"];

/// Whether the value of `key` must never be shown: `mail.oauth2.client.secret` and every key whose name
/// contains secret, password, passwd, pwd or credential, in any case, written with look-alike letters
/// (a Cyrillic `е`, a full-width `ｅ`) or misspelt by one letter (`mail.oauth2.client.secert`).
pub fn is_secret_key(key: &str) -> bool {
    if key.is_ascii() {
        contains_secret_word(key.as_bytes()) || near_miss(key)
    } else {
        let folded = fold_look_alikes(key);
        contains_secret_word(folded.as_bytes()) || near_miss(&folded)
    }
}

/// Whether `text` holds one of the secret words (secret, password, passwd, pwd, credential), in any case.
pub fn contains_secret_word(key: &[u8]) -> bool {
    // One pass, no allocation: this runs on every key of every file, however large.
    (0..key.len()).any(|i| {
        let rest = &key[i..];
        let starts = |word: &str| {
            rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes())
        };
        match key[i].to_ascii_lowercase() {
            b's' => starts(SECRET_WORDS[0]),
            b'p' => starts(SECRET_WORDS[1]) || starts(SECRET_WORDS[2]) || starts(SECRET_WORDS[3]),
            b'c' => starts(SECRET_WORDS[4]),
            _ => false,
        }
    })
}

/// Where the first secret word of `key` ends (`mail.oauth2.client.secret` for
/// `mail.oauth2.client.secretXq48Q~…`), compared without case.
pub fn secret_word_end(key: &str) -> Option<usize> {
    let lower = key.to_ascii_lowercase();
    SECRET_WORDS
        .iter()
        .filter_map(|word| lower.find(word).map(|at| (at, at + word.len())))
        .min()
        .map(|(_, end)| end)
}

/// Whether a segment of `key` (between `.`, `_`, `-`) is one edit from a secret word.
fn near_miss(key: &str) -> bool {
    key.split(['.', '_', '-', '/']).any(|segment| {
        NEAR_MISS_WORDS.iter().any(|word| {
            // Cheap first (this runs on every key): only segments of about the word's length that start as
            // it does (one of their first two letters is its first, or their first is its second).
            let (s, w) = (segment.as_bytes(), word.as_bytes());
            let starts_alike = s.len() >= 2
                && (s[0].eq_ignore_ascii_case(&w[0])
                    || s[1].eq_ignore_ascii_case(&w[0])
                    || s[0].eq_ignore_ascii_case(&w[1]));
            segment.len().abs_diff(word.len()) <= 1
                && starts_alike
                && strsim::osa_distance(&segment.to_ascii_lowercase(), word) == 1
        })
    })
}

/// `text` with the letters that look like Latin ones (Cyrillic, Greek, full-width) replaced by them.
pub fn fold_look_alikes(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'а' => 'a',
            'е' | 'ё' | 'ε' => 'e',
            'о' | 'ο' => 'o',
            'р' | 'ρ' => 'p',
            'с' | 'ϲ' => 'c',
            'у' => 'y',
            'х' | 'χ' => 'x',
            'і' | 'ι' => 'i',
            'ѕ' => 's',
            'ԁ' => 'd',
            'ԝ' => 'w',
            'А' | 'Α' => 'A',
            'В' | 'Β' => 'B',
            'Е' | 'Ε' => 'E',
            'К' | 'Κ' => 'K',
            'М' | 'Μ' => 'M',
            'Н' | 'Η' => 'H',
            'О' | 'Ο' => 'O',
            'Р' | 'Ρ' => 'P',
            'С' => 'C',
            'Т' | 'Τ' => 'T',
            'Х' | 'Χ' => 'X',
            'Ѕ' => 'S',
            'І' | 'Ι' => 'I',
            // Full-width ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Whether `value` has the shape of a Microsoft Entra client secret: the current format (40 characters,
/// `8Q~` after the first three) or the previous one (37 characters, `7Q~`). Such a value is a secret under
/// any key: pasted under the client ID, say.
pub fn has_secret_shape(value: &str) -> bool {
    // No allocation: this runs on every value of every file.
    if !(37..=160).contains(&value.len()) {
        return false;
    }
    let mut marker = value.chars().skip(3);
    let digit = match (marker.next(), marker.next(), marker.next()) {
        (Some(d @ ('7' | '8')), Some('Q'), Some('~')) => d,
        _ => return false,
    };
    let count = value.chars().count();
    (digit == '8' && count == 40) || (digit == '7' && count == 37)
}

/// Whether `value` has the shape of a legacy client secret: 32 or 34 characters of letters (both cases),
/// digits and the signs those secrets may hold (`+ = : [ @ * ? /`), at least one of `+ [ * ? =` among them
/// (which addresses, paths and host names do not have), no blank, and not a URL.
pub fn has_legacy_secret_shape(value: &str) -> bool {
    // `scheme://…`: an address, not a secret.
    let url = value.find(':').is_some_and(|at| {
        at > 1
            && value[..at].bytes().all(|b| b.is_ascii_alphabetic())
            && value[at + 1..].starts_with("//")
    });
    if !matches!(value.len(), 32 | 34) || url {
        return false;
    }
    // The signs legacy secrets hold (no `.`, `_`, `-` or `~`, which the dotted words of keys and hosts have).
    let allowed = |c: char| c.is_ascii_alphanumeric() || "+=:[@*?/".contains(c);
    value.chars().all(allowed)
        && value.chars().any(|c| c.is_ascii_uppercase())
        && value.chars().any(|c| c.is_ascii_lowercase())
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| "+[*?=".contains(c))
}

/// The secret key of an assignment glued into `value` (`…mail.oauth2.client.secret=…`, `…?password=…`),
/// which a line ending in `\` brings into the value before it, or a URL carries: the run of key characters
/// before an `=` or `:` that names a secret.
pub fn glued_secret_key(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    let is_key_byte = |b: u8| b.is_ascii_alphanumeric() || b".-_".contains(&b) || b >= 0x80;
    for (at, &b) in bytes.iter().enumerate() {
        if b != b'=' && b != b':' {
            continue;
        }
        let before = bytes[..at].iter().rposition(|&c| c != b' ' && c != b'\t');
        let Some(end) = before.map(|e| e + 1) else {
            continue;
        };
        let start = bytes[..end]
            .iter()
            .rposition(|&c| !is_key_byte(c))
            .map_or(0, |s| s + 1);
        // `https:`, `jdbc:` are schemes, not assignments.
        let key = &value[start..end];
        if !key.is_empty() && is_secret_key(key) {
            return Some(key);
        }
    }
    None
}

/// Whether `text` has the shape of a client secret in any of Microsoft's formats (current, previous or
/// legacy).
pub fn looks_like_secret(text: &str) -> bool {
    has_secret_shape(text) || has_legacy_secret_shape(text)
}

/// Whether the entry `key`=`value` holds secret material, so that its value is never shown: a secret key
/// (see [`is_secret_key`]), a value shaped like a client secret (current, previous or legacy format), a
/// value holding a glued secret assignment, or a key shaped like a secret. The one policy every output
/// follows.
pub fn is_secret_entry(key: &str, value: &str) -> bool {
    let value = value.trim();
    is_secret_key(key)
        || looks_like_secret(value)
        || glued_secret_key(value).is_some()
        // A line `<secret>=x`: the key is the secret.
        || looks_like_secret(key.trim())
}

/// Stands for a file's bytes in `Debug` output, which must not show them (they hold secrets): their size only.
pub struct Withheld(pub usize);

impl fmt::Debug for Withheld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes, not shown>", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_as_java_and_cover_miscapitalised_prefixes() {
        let all = KeyPattern::new("mail.*");
        assert_eq!(all.prefix(), Some("mail."));
        assert!(all.matches("mail.server.host") && !all.matches("Mail.Server.Host"));
        assert!(all.covers("Mail.Server.Host") && !all.covers("mai"));
        // A prefix cut inside a multi-byte character is no match, not a panic.
        assert!(!KeyPattern::new("é*").covers("e\u{301}x"));
        let one = KeyPattern::new("mail.server.host");
        assert_eq!(one.exact(), Some("mail.server.host"));
        assert!(one.matches("mail.server.host") && !one.covers("MAIL.server.host"));
        assert_eq!(one.to_string(), "mail.server.host");
    }

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
            "mail.smtp.secure",
            "app.passport.number",
            "test.passed",
            "mail.option.sender",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn misspelt_and_look_alike_secret_keys_are_secret_keys() {
        for key in [
            "mail.oauth2.client.secert",
            "mail.oauth2.client.scret",
            "mail.oauth2.client.secrte",
            "mail.oauth2.clientscret",
            "mail.oauth2.client_scret",
            "db.pasword",
            "db.passowrd",
            "azure.credentail",
            // Cyrillic `е` (U+0435), as `\u0435` in the file.
            "mail.oauth2.client.s\u{435}cret",
            "mail.oauth2.client.ѕecret",
            "mail.oauth2.client.ｓｅｃｒｅｔ",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn secret_shapes_and_glued_assignments_make_an_entry_secret() {
        let current = "Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u";
        let previous = "abc7Q~0123456789012345678901234567890";
        assert_eq!(previous.len(), 37);
        assert!(has_secret_shape(current) && has_secret_shape(previous));
        assert!(!has_secret_shape("4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e"));
        assert!(has_legacy_secret_shape("o3F8Qa2i+VxY0h=Q6[s@Lm*9KpaZt1Rq"));
        assert!(has_legacy_secret_shape("A:/AAAAAAAAAAAAAAAAAAAAAaAAA+a/1"));
        for not_secret in [
            "notification@contoso.onmicrosoft.com",
            "Notification@Contoso.OnMicrosof1",
            "/opt/racm/conf/keys/server2A.pem",
            "https://outlook.office.com/.default",
            "https://h.example/a?b=C1&d=e5fgh",
            "4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e",
        ] {
            assert!(!has_legacy_secret_shape(not_secret), "{not_secret}");
        }
        assert!(is_secret_entry("mail.oauth2.client.id", current));
        assert!(is_secret_entry(
            "mail.oauth2.client.id",
            &format!(" {current} ")
        ));
        let glued = format!("notification@contoso.commail.oauth2.client.secret={current}");
        assert_eq!(
            glued_secret_key(&glued),
            Some("contoso.commail.oauth2.client.secret")
        );
        assert!(is_secret_entry("mail.server.user", &glued));
        assert!(is_secret_entry(
            "database.url",
            "jdbc:postgresql://db/racm?user=racm&password=hunter2"
        ));
        for (key, value) in [
            ("mail.server.user", "notification@contoso.onmicrosoft.com"),
            (
                "mail.oauth2.token.url",
                "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
            ),
            ("mail.oauth2.scopes", "https://outlook.office.com/.default"),
            ("mail.retry.interval.quartz", "0 0/5 * * * ?"),
            (
                "database.url",
                "jdbc:postgresql://db.internal.example.com:5432/racm",
            ),
        ] {
            assert!(!is_secret_entry(key, value), "{key}={value}");
        }
    }
}
