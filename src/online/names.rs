//! The names of the live checks' rules in `rules/online.toml`, in one list that a test holds against the file.

pub const TOKEN_CHECK_SKIPPED: &str = "token-check-skipped";
pub const SMTP_CHECK_SKIPPED: &str = "smtp-check-skipped";
pub const TOKEN_URL_UNUSABLE: &str = "token-url-unusable";
pub const TOKEN_HTTP_REFUSED: &str = "token-http-refused";
pub const TOKEN_HOST_REFUSED: &str = "token-host-refused";
pub const SMTP_HOST_REFUSED: &str = "smtp-host-refused";

pub const TOKEN_ENDPOINT_UNREACHABLE: &str = "token-endpoint-unreachable";
pub const TOKEN_ENDPOINT_TIMEOUT: &str = "token-endpoint-timeout";
pub const TOKEN_ENDPOINT_TLS: &str = "token-endpoint-tls";
pub const TOKEN_REDIRECTED: &str = "token-redirected";
pub const TOKEN_RESPONSE_TOO_LARGE: &str = "token-response-too-large";
pub const TOKEN_RESPONSE_UNREADABLE: &str = "token-response-unreadable";

pub const TOKEN_TENANT_MALFORMED: &str = "token-tenant-malformed";
pub const TOKEN_TENANT_NOT_FOUND: &str = "token-tenant-not-found";
pub const TOKEN_TENANT_NOT_SPECIFIC: &str = "token-tenant-not-specific";
pub const TOKEN_APP_NOT_FOUND: &str = "token-app-not-found";
pub const TOKEN_APP_DISABLED: &str = "token-app-disabled";
pub const TOKEN_SECRET_INVALID: &str = "token-secret-invalid";
pub const TOKEN_SECRET_EXPIRED: &str = "token-secret-expired";
pub const TOKEN_SECRET_MISSING: &str = "token-secret-missing";
pub const TOKEN_SCOPE_NOT_DEFAULT: &str = "token-scope-not-default";
pub const TOKEN_SCOPE_INVALID: &str = "token-scope-invalid";
pub const TOKEN_RESOURCE_NOT_FOUND: &str = "token-resource-not-found";
pub const TOKEN_CONDITIONAL_ACCESS: &str = "token-conditional-access";
pub const TOKEN_REQUEST_REFUSED: &str = "token-request-refused";

pub const TOKEN_OBTAINED: &str = "token-obtained";
pub const TOKEN_NOT_JWT: &str = "token-not-jwt";
pub const TOKEN_AUDIENCE_NOT_EXCHANGE: &str = "token-audience-not-exchange";
pub const TOKEN_TENANT_DIFFERS: &str = "token-tenant-differs";
pub const TOKEN_APP_DIFFERS: &str = "token-app-differs";
pub const TOKEN_ROLE_MISSING: &str = "token-role-missing";
pub const TOKEN_DELEGATED: &str = "token-delegated";
pub const TOKEN_EXPIRED: &str = "token-expired";

pub const SMTP_UNREACHABLE: &str = "smtp-unreachable";
pub const SMTP_TIMEOUT: &str = "smtp-timeout";
pub const SMTP_NO_STARTTLS: &str = "smtp-no-starttls";
pub const SMTP_TLS_FAILED: &str = "smtp-tls-failed";
pub const SMTP_NO_XOAUTH2: &str = "smtp-no-xoauth2";
pub const SMTP_AUTH_DENIED: &str = "smtp-auth-denied";
pub const SMTP_AUTH_DISABLED: &str = "smtp-auth-disabled";
pub const SMTP_NOT_AUTHENTICATED: &str = "smtp-not-authenticated";
pub const SMTP_AUTH_REJECTED: &str = "smtp-auth-rejected";
pub const SMTP_UNEXPECTED_REPLY: &str = "smtp-unexpected-reply";
pub const SMTP_CONNECTION_LOST: &str = "smtp-connection-lost";
pub const SMTP_LOGIN_SUCCEEDED: &str = "smtp-login-succeeded";

pub const SEND_TEST_SKIPPED: &str = "send-test-skipped";
pub const SEND_AS_DENIED: &str = "send-as-denied";
pub const SEND_REJECTED: &str = "send-rejected";
pub const SEND_TEST_SENT: &str = "send-test-sent";

/// Every name above.
#[cfg(test)]
pub const ALL: [&str; 49] = [
    TOKEN_CHECK_SKIPPED,
    SMTP_CHECK_SKIPPED,
    TOKEN_URL_UNUSABLE,
    TOKEN_HTTP_REFUSED,
    TOKEN_HOST_REFUSED,
    SMTP_HOST_REFUSED,
    TOKEN_ENDPOINT_UNREACHABLE,
    TOKEN_ENDPOINT_TIMEOUT,
    TOKEN_ENDPOINT_TLS,
    TOKEN_REDIRECTED,
    TOKEN_RESPONSE_TOO_LARGE,
    TOKEN_RESPONSE_UNREADABLE,
    TOKEN_TENANT_MALFORMED,
    TOKEN_TENANT_NOT_FOUND,
    TOKEN_TENANT_NOT_SPECIFIC,
    TOKEN_APP_NOT_FOUND,
    TOKEN_APP_DISABLED,
    TOKEN_SECRET_INVALID,
    TOKEN_SECRET_EXPIRED,
    TOKEN_SECRET_MISSING,
    TOKEN_SCOPE_NOT_DEFAULT,
    TOKEN_SCOPE_INVALID,
    TOKEN_RESOURCE_NOT_FOUND,
    TOKEN_CONDITIONAL_ACCESS,
    TOKEN_REQUEST_REFUSED,
    TOKEN_OBTAINED,
    TOKEN_NOT_JWT,
    TOKEN_AUDIENCE_NOT_EXCHANGE,
    TOKEN_TENANT_DIFFERS,
    TOKEN_APP_DIFFERS,
    TOKEN_ROLE_MISSING,
    TOKEN_DELEGATED,
    TOKEN_EXPIRED,
    SMTP_UNREACHABLE,
    SMTP_TIMEOUT,
    SMTP_NO_STARTTLS,
    SMTP_TLS_FAILED,
    SMTP_NO_XOAUTH2,
    SMTP_AUTH_DENIED,
    SMTP_AUTH_DISABLED,
    SMTP_NOT_AUTHENTICATED,
    SMTP_AUTH_REJECTED,
    SMTP_UNEXPECTED_REPLY,
    SMTP_CONNECTION_LOST,
    SMTP_LOGIN_SUCCEEDED,
    SEND_TEST_SKIPPED,
    SEND_AS_DENIED,
    SEND_REJECTED,
    SEND_TEST_SENT,
];

#[cfg(test)]
mod tests {
    use crate::catalog::Check;
    use crate::catalog::RuleSet;

    #[test]
    fn every_name_is_an_online_rule_and_every_online_rule_is_named() {
        let rules = RuleSet::builtin().unwrap();
        for name in super::ALL {
            let rule = rules
                .find(name)
                .unwrap_or_else(|| panic!("no rule `{name}` in rules/online.toml"));
            assert!(matches!(rule.check, Check::Online), "{name}");
            assert!(rule.code.starts_with("RL5"), "{name}: {}", rule.code);
        }
        for rule in rules
            .rules
            .iter()
            .filter(|r| matches!(r.check, Check::Online))
        {
            assert!(
                super::ALL.contains(&rule.name.as_str()),
                "{} is not used by the online module",
                rule.name
            );
        }
    }
}
