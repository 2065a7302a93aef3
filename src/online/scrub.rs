//! Texts never to show (the client secret, the access token), in every form they can come back in: a proxy or
//! an endpoint that echoes the request shows the secret form-urlencoded (`~` as `%7E`), not as written.
//!
//! Whatever a server sends back is scrubbed where it is read, before it is cut to length: a secret cut at the
//! boundary would no longer match, and its start would show.

use url::form_urlencoded::byte_serialize;

use crate::diagnostic::Redact;
use crate::secrets::{MIN_SECRET_LEN, Redactor};
use crate::text::one_line;

/// The texts to hide, each in its every form: whole, and in pieces, in any case, across line breaks (see
/// [`Redactor`]).
#[derive(Clone, Default)]
pub struct Scrub {
    redactor: Redactor,
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
        if secret.chars().count() < MIN_SECRET_LEN {
            return;
        }
        for form in forms(secret) {
            self.redactor.add(&form);
        }
    }

    /// `text` with every hidden text, and every piece of one, replaced by `********`.
    pub fn text(&self, text: &str) -> String {
        self.redactor.redact(text.to_string())
    }

    /// [`Scrub::text`], then on one line of at most `max` characters (see [`one_line`]).
    pub fn line(&self, text: &str, max: usize) -> String {
        one_line(&self.text(text), max)
    }
}

impl Redact for Scrub {
    fn redact(&self, text: String) -> String {
        self.redactor.redact(text)
    }
}

impl std::fmt::Debug for Scrub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrub({:?})", self.redactor)
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
    fn pieces_in_any_case_and_split_by_line_breaks_are_hidden() {
        let secret = "Zq78Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456";
        let scrub = Scrub::new([secret]);
        for echoed in [
            secret.to_ascii_uppercase(),
            format!("{}\n{}", &secret[..20], &secret[20..]),
            format!("{}\r\n{}", &secret[..7], &secret[7..]),
            secret[..12].to_string(),
            secret[secret.len() - 12..].to_string(),
            secret[10..22].to_ascii_lowercase(),
        ] {
            let shown = scrub.text(&format!("Microsoft's answer: {echoed} (end)"));
            assert!(
                shown.starts_with("Microsoft's answer: ") && shown.ends_with(" (end)"),
                "{shown}"
            );
            let chars: Vec<char> = secret.chars().collect();
            for piece in chars.windows(10) {
                let piece: String = piece.iter().collect();
                assert!(
                    !shown
                        .to_ascii_lowercase()
                        .contains(&piece.to_ascii_lowercase()),
                    "{echoed:?} -> {shown}"
                );
            }
        }
    }

    #[test]
    fn short_texts_are_not_hidden_and_debug_shows_none() {
        let mut scrub = Scrub::new(["abc"]);
        assert_eq!(scrub.text("abc"), "abc");
        scrub.add("secret-value");
        assert!(!format!("{scrub:?}").contains("secret"));
    }
}
