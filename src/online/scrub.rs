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
        // An access token (a JWT): each of its three segments alone, its signature above all.
        if secret.matches('.').count() == 2 {
            for segment in secret.split('.') {
                self.redactor.add(segment);
            }
        }
    }

    /// `text` with every hidden text, and every piece of one, replaced by `********`: as it is, and in the
    /// views a server may encode it in (JSON `\u` escapes, URL encoding once or twice, HTML entities, base64
    /// runs). When a decoded view holds a secret, the text is shown decoded, with the secret hidden.
    pub fn text(&self, text: &str) -> String {
        let mut shown = self.redactor.redact(text.to_string());
        let views: [fn(&str) -> String; 4] = [
            json_unescaped,
            url_decoded,
            url_decoded_twice,
            html_unescaped,
        ];
        for view in views {
            let decoded = view(&shown);
            if decoded != shown {
                let hidden = self.redactor.redact(decoded.clone());
                if hidden != decoded {
                    shown = hidden;
                }
            }
        }
        self.hide_base64_runs(shown)
    }

    /// `text` with every base64 run (16 characters or more) that decodes to a secret replaced by `********`:
    /// the XOAUTH2 line that carries the token, a token's signature.
    fn hide_base64_runs(&self, text: String) -> String {
        use base64::Engine as _;
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        let is_b64 = |c: char| c.is_ascii_alphanumeric() || "+/=-_".contains(c);
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(start) = rest.find(is_b64) {
            out.push_str(&rest[..start]);
            let run_len = rest[start..]
                .find(|c: char| !is_b64(c))
                .unwrap_or(rest.len() - start);
            let run = &rest[start..start + run_len];
            // A cut run (the tail of an XOAUTH2 line) decodes once aligned: each of the four starts, cut
            // to whole groups of four.
            let aligned = (0..4).filter_map(|skip| {
                let body = run.get(skip..)?.trim_end_matches('=');
                body.get(..body.len() - body.len() % 4)
            });
            let holds_secret = run.len() >= 16
                && std::iter::once(run).chain(aligned).any(|candidate| {
                    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                        .iter()
                        .filter_map(|engine| engine.decode(candidate).ok())
                        .any(|bytes| {
                            let decoded = String::from_utf8_lossy(&bytes).into_owned();
                            self.redactor.redact(decoded.clone()) != decoded
                        })
                });
            out.push_str(if holds_secret { "********" } else { run });
            rest = &rest[start + run_len..];
        }
        out.push_str(rest);
        out
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

/// `text` with JSON's `\uXXXX`, `\/` and `\\` escapes decoded (a body quoted as raw JSON).
fn json_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('u') => {
                let hex: String = chars.clone().skip(1).take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == 4 => {
                        out.push(decoded);
                        for _ in 0..5 {
                            chars.next();
                        }
                    }
                    _ => out.push(c),
                }
            }
            Some(&next @ ('/' | '\\' | '"')) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` URL-decoded once (`%7E` to `~`; a `+` stays a `+`).
fn url_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(&h), Some(&l)) = (bytes.get(i + 1), bytes.get(i + 2))
            && let (Some(h), Some(l)) = (hex(h), hex(l))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `text` URL-decoded twice (a redirect that encoded an encoded request).
fn url_decoded_twice(text: &str) -> String {
    url_decoded(&url_decoded(text))
}

/// `text` with HTML's character references decoded (`&#126;`, `&#x7e;`, `&amp;` and the like).
fn html_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(end) = after.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "tilde" => Some('~'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
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
    fn encoded_echoes_are_hidden() {
        use base64::Engine as _;
        let secret = "Zq78Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456";
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi0xMjM0NTY";
        let mut scrub = Scrub::new([secret]);
        scrub.add(token);
        let json = secret.replace('~', "\\u007e").replace('Q', "\\u0051");
        let twice = secret.replace('~', "%257E");
        let html = secret.replace('~', "&#126;").replace('A', "&#x41;");
        let b64 = base64::engine::general_purpose::STANDARD
            .encode(format!("user=a\x01auth=Bearer {token}\x01\x01"));
        let signature = token.rsplit('.').next().unwrap();
        // The tail of the XOAUTH2 line, cut anywhere.
        let tail = b64[b64.len() - 45..].to_string();
        for echo in [json, twice, html, b64.clone(), signature.to_string(), tail] {
            let shown = scrub.text(&format!("server said: {echo} (end)"));
            assert!(shown.ends_with(" (end)"), "{shown}");
            for piece in secret
                .as_bytes()
                .windows(10)
                .chain(signature.as_bytes().windows(10))
            {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(!shown.contains(piece), "{echo}: {shown}");
            }
            assert!(
                !shown.contains(&b64[b64.len() - 40..b64.len() - 20]),
                "{shown}"
            );
        }
        // Text with nothing secret in it is left as it is, encoded or not.
        assert_eq!(scrub.text("a%20b &amp; c \\u0041"), "a%20b &amp; c \\u0041");
    }

    #[test]
    fn short_texts_are_not_hidden_and_debug_shows_none() {
        let mut scrub = Scrub::new(["abc"]);
        assert_eq!(scrub.text("abc"), "abc");
        scrub.add("secret-value");
        assert!(!format!("{scrub:?}").contains("secret"));
    }
}
