//! Reads `mail.oauth2.token.url`: `https://<identity host>/<tenant>/oauth2/v2.0/token`. The one place that
//! takes URLs apart: the `url` crate for the URL, and one scanner of the text as written for where its
//! tenant is (the `url` crate encodes and normalises, so its offsets are not the text's).

use std::ops::Range;

use url::Url;

use super::java::{is_domain, is_guid};
use crate::text::is_placeholder;

/// What the tenant segment of the token URL is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tenant {
    Guid(String),
    Domain(String),
    /// `common`, `organizations` or `consumers`: no tenant, which client credentials cannot use.
    MultiTenant(String),
    Placeholder(String),
    Invalid(String),
}

/// A token URL taken apart, or why it could not be.
#[derive(Debug, Clone)]
pub struct TokenUrl {
    pub url: Url,
    pub tenant: Option<Tenant>,
    /// Where the tenant segment is in the text as given (see [`tenant_range`]).
    pub tenant_range: Option<Range<usize>>,
    /// The path after the tenant (`oauth2/v2.0/token` when right).
    pub endpoint: String,
}

thread_local! {
    /// The last URL parsed and its result: a dozen rules read the same token URL in one lint.
    static LAST: std::cell::RefCell<Option<(String, Result<TokenUrl, String>)>> = const { std::cell::RefCell::new(None) };
}

/// Parses the value; `Err` holds the parser's reason.
pub fn parse(value: &str) -> Result<TokenUrl, String> {
    if let Some(hit) = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(v, _)| v == value)
            .map(|(_, r)| r.clone())
    }) {
        return hit;
    }
    let result = parse_uncached(value);
    LAST.with_borrow_mut(|last| *last = Some((value.to_string(), result.clone())));
    result
}

fn parse_uncached(value: &str) -> Result<TokenUrl, String> {
    // URL parsers of browsers (and the `url` crate) read `\` as `/` in an https URL; Java does not:
    // `java.net.URI` refuses it, `java.net.URL` keeps it in the host or the path. The server gets no token.
    if value.contains('\\') {
        return Err(
            "it contains a backslash `\\`, which Java does not read as `/` (browsers do)"
                .to_string(),
        );
    }
    let url = Url::parse(value).map_err(|e| e.to_string())?;
    let mut segments = url
        .path_segments()
        .map(|s| s.collect::<Vec<_>>())
        .unwrap_or_default();
    // `https://host/oauth2/v2.0/token`: the tenant was left out, `oauth2` is not a tenant.
    let tenant = if segments.is_empty()
        || segments[0].is_empty()
        || segments[0].eq_ignore_ascii_case("oauth2")
    {
        None
    } else {
        let raw = segments.remove(0);
        let decoded = percent_decode(raw);
        Some(classify_tenant(&decoded))
    };
    Ok(TokenUrl {
        tenant,
        tenant_range: tenant_range(value),
        endpoint: segments.join("/"),
        url,
    })
}

fn classify_tenant(tenant: &str) -> Tenant {
    let lower = tenant.to_ascii_lowercase();
    if ["common", "organizations", "consumers"].contains(&lower.as_str()) {
        Tenant::MultiTenant(tenant.to_string())
    } else if is_placeholder(tenant) {
        Tenant::Placeholder(tenant.to_string())
    } else if is_guid(tenant) {
        Tenant::Guid(tenant.to_string())
    } else if is_domain(tenant) {
        Tenant::Domain(tenant.to_string())
    } else {
        Tenant::Invalid(tenant.to_string())
    }
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| text.to_string())
}

impl TokenUrl {
    pub fn host(&self) -> Option<String> {
        self.url.host_str().map(str::to_ascii_lowercase)
    }

    /// The v1 endpoint `/<tenant>/oauth2/token`, which takes `resource=` instead of `scope=`.
    pub fn is_v1(&self) -> bool {
        self.endpoint.eq_ignore_ascii_case("oauth2/token")
    }

    /// Whether the path, query and fragment are exactly the v2 token endpoint's.
    pub fn is_v2_endpoint(&self) -> bool {
        self.endpoint == "oauth2/v2.0/token"
            && self.url.query().is_none()
            && self.url.fragment().is_none()
    }
}

/// The text after `scheme://` (all of it when there is no scheme).
pub fn without_scheme(text: &str) -> &str {
    text.split_once("://").map_or(text, |(_, rest)| rest)
}

/// The byte range, in `value` as given, of the first path segment: the tenant of a token URL. It starts after
/// `scheme://` and the host and one `/`, and ends at the next `/`, `?` or `#` (or the end). `None` when the
/// value has no `scheme://`, or nothing after its host.
pub fn tenant_range(value: &str) -> Option<Range<usize>> {
    let after_scheme = value.find("://")? + 3;
    let path_start = after_scheme + value[after_scheme..].find('/')? + 1;
    let len = value[path_start..]
        .find(['/', '?', '#'])
        .unwrap_or(value.len() - path_start);
    Some(path_start..path_start + len)
}

/// Whether the text (before URL parsing, which would encode them) holds a placeholder: brackets anywhere, or
/// a tenant segment that is a template word.
pub fn has_placeholder(value: &str) -> bool {
    let tenant_part = without_scheme(value).split('/').nth(1).unwrap_or("");
    is_placeholder(tenant_part)
        || ["[", "]", "<", ">", "{", "}"]
            .iter()
            .any(|c| value.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_url_parses() {
        let t = parse("https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token")
            .unwrap();
        assert_eq!(t.host().as_deref(), Some("login.microsoftonline.com"));
        assert!(matches!(t.tenant, Some(Tenant::Guid(_))));
        assert!(t.is_v2_endpoint() && !t.is_v1());
    }

    #[test]
    fn tenants_are_classified() {
        let tenant = |u: &str| parse(u).unwrap().tenant;
        assert!(matches!(
            tenant("https://h/common/oauth2/v2.0/token"),
            Some(Tenant::MultiTenant(_))
        ));
        assert!(matches!(
            tenant("https://h/contoso.com/oauth2/v2.0/token"),
            Some(Tenant::Domain(_))
        ));
        assert!(matches!(
            tenant("https://h/[ID_LOCATAIRE]/oauth2/v2.0/token"),
            Some(Tenant::Placeholder(_))
        ));
        assert!(matches!(
            tenant("https://h/contoso/oauth2/v2.0/token"),
            Some(Tenant::Invalid(_))
        ));
        assert!(has_placeholder(
            "https://login.microsoftonline.com/<TENANT_ID>/oauth2/v2.0/token"
        ));
        assert!(parse("https://h/t/oauth2/token").unwrap().is_v1());
        let no_tenant = parse("https://login.microsoftonline.com/oauth2/v2.0/token").unwrap();
        assert_eq!(no_tenant.tenant, None);
        assert_eq!(no_tenant.endpoint, "oauth2/v2.0/token");
        assert!(
            !parse("https://h/t/oauth2/v2.0/token?x=1")
                .unwrap()
                .is_v2_endpoint()
        );
    }

    #[test]
    fn a_backslash_is_not_a_slash() {
        // What Java 17 does with them: `URI.create` throws "Illegal character in authority" (or "in path");
        // `new URL` reads the host `login.microsoftonline.com\8f2b...\token` (or keeps `\` in the path).
        for url in [
            "https://login.microsoftonline.com\\8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d\\oauth2\\v2.0\\token",
            "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d\\oauth2/v2.0/token",
            "https:\\\\login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        ] {
            let reason = parse(url).unwrap_err();
            assert!(reason.contains("backslash"), "{url}: {reason}");
        }
    }
}
