//! Texts never to show (the client secret, the access token), in every form they can come back in: a proxy or
//! an endpoint that echoes the request shows the secret form-urlencoded (`~` as `%7E`), not as written.
//!
//! Whatever a server sends back is scrubbed where it is read, before it is cut to length: a secret cut at the
//! boundary would no longer match, and its start would show.

use url::form_urlencoded::byte_serialize;

use crate::diagnostic::Redact;
use crate::secrets::redact;
use crate::text::one_line;

/// Shorter texts are not hidden: they would match ordinary words.
const MIN_CHARS: usize = 4;

/// The texts to hide, each in its every form, longest first.
#[derive(Clone, Default)]
pub struct Scrub {
    texts: Vec<String>,
}

impl Scrub {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Scrub {
        let mut scrub = Scrub::default();
        for secret in secrets {
            scrub.add(secret);
        }
        scrub
    }

    /// Hides `secret` too, as is and as the token request encodes it.
    pub fn add(&mut self, secret: &str) {
        if secret.chars().count() < MIN_CHARS {
            return;
        }
        for form in forms(secret) {
            if !self.texts.contains(&form) {
                self.texts.push(form);
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        self.texts.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every hidden text replaced by `********`.
    pub fn text(&self, text: &str) -> String {
        redact(text.to_string(), &self.texts)
    }

    /// [`Scrub::text`], then on one line of at most `max` characters (see [`one_line`]).
    pub fn line(&self, text: &str, max: usize) -> String {
        one_line(&self.text(text), max)
    }
}

impl Redact for Scrub {
    fn redact(&self, text: String) -> String {
        redact(text, &self.texts)
    }
}

impl std::fmt::Debug for Scrub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrub({} texts hidden)", self.texts.len())
    }
}

/// `secret` as is, and form-urlencoded as the token request sends it (`~` as `%7E`, a space as `+`), also with
/// lower-case hex digits and with `%20` for a space, as other encoders write it.
fn forms(secret: &str) -> Vec<String> {
    let encoded: String = byte_serialize(secret.as_bytes()).collect();
    // byte_serialize writes a `+` of the secret as `%2B`: every `+` left stands for a space.
    let spaces = encoded.replace('+', "%20");
    let mut out = vec![secret.to_string()];
    for form in [lower_hex(&encoded), lower_hex(&spaces), encoded, spaces] {
        if !out.contains(&form) {
            out.push(form);
        }
    }
    out
}

/// `%7E` as `%7e`.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut after_percent = 0;
    for c in encoded.chars() {
        if after_percent > 0 {
            out.push(c.to_ascii_lowercase());
            after_percent -= 1;
        } else {
            if c == '%' {
                after_percent = 2;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_is_hidden() {
        let scrub = Scrub::new(["Zq7~a b+c/d"]);
        for text in [
            "x Zq7~a b+c/d y",
            "x Zq7%7Ea+b%2Bc%2Fd y",
            "x Zq7%7ea+b%2bc%2fd y",
            "x Zq7%7Ea%20b%2Bc%2Fd y",
            "x Zq7%7ea%20b%2bc%2fd y",
        ] {
            assert_eq!(scrub.text(text), "x ******** y", "{text}");
        }
    }

    #[test]
    fn scrubbed_before_cut() {
        let scrub = Scrub::new(["ABCDEFGHIJ"]);
        assert_eq!(scrub.line("0123 ABCDEFGHIJ", 8), "0123 ***…");
        assert_eq!(one_line("0123 ABCDEFGHIJ", 8), "0123 ABC…");
    }

    #[test]
    fn short_texts_are_not_hidden_and_debug_shows_none() {
        let mut scrub = Scrub::new(["abc"]);
        assert_eq!(scrub.text("abc"), "abc");
        scrub.add("secret-value");
        assert!(!format!("{scrub:?}").contains("secret"));
    }
}
