//! Which keys hold secrets, and how a secret is described without being shown.

/// What is printed in place of a secret value.
pub const REDACTED: &str = "********";

/// Words that make a key secret wherever they appear in its name, in any case.
const SECRET_WORDS: [&str; 5] = ["secret", "password", "passwd", "pwd", "credential"];

/// Whether the value of `key` must never be shown: `mail.oauth2.client.secret` and every key whose name
/// contains secret, password, passwd, pwd or credential, in any case.
pub fn is_secret_key(key: &str) -> bool {
    let lower = key.to_lowercase();
    SECRET_WORDS.iter().any(|word| lower.contains(word))
}

/// The value as it may be shown: itself, or [`REDACTED`] for a secret key.
pub fn displayable<'v>(key: &str, value: &'v str) -> &'v str {
    if is_secret_key(key) { REDACTED } else { value }
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
    fn displayable_hides_only_secrets() {
        assert_eq!(
            displayable("mail.oauth2.client.secret", "abc8Q~xyz"),
            REDACTED
        );
        assert_eq!(displayable("mail.server.port", "587"), "587");
    }
}
