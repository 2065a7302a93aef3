//! Property keys: the one key-pattern matcher, which keys hold secrets, and the names every layer shares.

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
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }
}
