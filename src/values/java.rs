//! How Java and Microsoft read single values: integers, booleans, GUIDs, addresses, domains.

use crate::text::is_placeholder;

/// `Integer.parseInt`: an optional sign, then ASCII digits only (no spaces, no units), within `i32`.
pub fn java_int(value: &str) -> Option<i32> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<i32>().ok()
}

/// `Boolean.parseBoolean`: true only for `true` in any case; anything else (`yes`, `1`, `"true "`) is false.
pub fn java_bool(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// A GUID as Azure shows it: 8-4-4-4-12 hexadecimal digits, any case, no braces.
pub fn is_guid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A DNS domain name with at least two labels (`contoso.onmicrosoft.com`): labels of letters, digits and
/// inner hyphens, at most 63 characters each, and a top-level label that starts with a letter.
pub fn is_domain(value: &str) -> bool {
    let labels: Vec<&str> = value.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    value.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// An address `local@domain` as Microsoft 365 accepts for a user principal name or a sender.
pub fn is_address(value: &str) -> bool {
    match value.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !local.starts_with('.')
                && !local.ends_with('.')
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
                && is_domain(domain)
        }
        None => false,
    }
}

/// The domain part of an address, lower-cased.
pub fn address_domain(value: &str) -> Option<String> {
    value.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase())
}

/// Whether the value contains what looks like a comment after it: ` #` or ` !` (Java keeps it in the value).
pub fn inline_comment_at(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    (1..bytes.len())
        .find(|&i| (bytes[i] == b'#' || bytes[i] == b'!') && bytes[i - 1].is_ascii_whitespace())
}

/// A short, safe description of a secret's shape: never more than its first three characters, which the
/// Azure portal also shows.
pub fn describe_secret(value: &str, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
    let len = value.chars().count();
    let shape = if is_guid(value) {
        Some(match lang {
            Lang::En => "shaped like a GUID",
            Lang::Fr => "en forme de GUID",
        })
    } else if is_placeholder(value) {
        Some(match lang {
            Lang::En => "that looks like a placeholder",
            Lang::Fr => "qui ressemble à un texte à remplacer",
        })
    } else if crate::keys::looks_like_secret(value.trim()) {
        Some(match lang {
            Lang::En => "shaped like a client secret's Value",
            Lang::Fr => "en forme de valeur de secret client",
        })
    } else {
        None
    };
    if len == 0 {
        return match lang {
            Lang::En => "an empty value",
            Lang::Fr => "une valeur vide",
        }
        .to_string();
    }
    let prefix: String = value.chars().take(3).collect();
    let show_prefix = len >= 12;
    let mut out = match lang {
        // "an 8-character value", "an 11-character value".
        Lang::En if len.to_string().starts_with('8') || len == 11 || len == 18 => {
            format!("an {len}-character value")
        }
        Lang::En => format!("a {len}-character value"),
        Lang::Fr => format!("une valeur de {len} caractères"),
    };
    if let Some(shape) = shape {
        out.push(' ');
        out.push_str(shape);
    }
    if show_prefix {
        out.push_str(match lang {
            Lang::En => " starting with ",
            Lang::Fr => " commençant par ",
        });
        out.push('`');
        out.push_str(&prefix);
        out.push('`');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_read_like_integer_parse_int() {
        assert_eq!(java_int("587"), Some(587));
        assert_eq!(java_int("+587"), Some(587));
        assert_eq!(java_int("-1"), Some(-1));
        assert_eq!(java_int("0587"), Some(587));
        for bad in [
            "587 ",
            " 587",
            "587ms",
            "",
            "+",
            "5_87",
            "2147483648",
            "5 87",
        ] {
            assert_eq!(java_int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn booleans_are_read_like_parse_boolean() {
        assert!(java_bool("true") && java_bool("TRUE") && java_bool("True"));
        for bad in ["true ", "yes", "1", "on", "", "t"] {
            assert!(!java_bool(bad), "{bad:?}");
        }
    }

    #[test]
    fn shapes() {
        assert!(is_guid("8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d"));
        assert!(is_guid("8F2B6C1E-3D4A-4F5B-9C7D-2E1F0A9B8C7D"));
        assert!(!is_guid("{8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d}"));
        assert!(is_domain("contoso.onmicrosoft.com"));
        assert!(!is_domain("contoso") && !is_domain("-a.com") && !is_domain("a..com"));
        assert!(is_address("notification@contoso.onmicrosoft.com"));
        assert!(!is_address("notification") && !is_address("a@b") && !is_address("a b@c.com"));
        for p in [
            "[Secret]",
            "<TENANT_ID>",
            "{tenant}",
            "changeme",
            "xxx",
            "your-client-id",
            "${SECRET}",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(!is_placeholder("Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u"));
        assert_eq!(inline_comment_at("587 # submission"), Some(4));
        assert_eq!(inline_comment_at("a#b"), None);
    }

    #[test]
    fn secret_descriptions_never_show_more_than_three_characters() {
        let d = describe_secret(
            "Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u",
            crate::i18n::Lang::En,
        );
        assert_eq!(
            d,
            "a 40-character value shaped like a client secret's Value starting with `Xq4`"
        );
        assert_eq!(describe_secret("", crate::i18n::Lang::En), "an empty value");
        assert_eq!(
            describe_secret("[Secret]", crate::i18n::Lang::En),
            "an 8-character value that looks like a placeholder"
        );
        let d = describe_secret("hunter2", crate::i18n::Lang::En);
        assert!(!d.contains("hun"), "{d}");
    }
}
