//! What every rule says about the token URL, pinned on a corpus of the URLs admins write (right ones, typos,
//! placeholders, backslashes, encodings, other endpoints): the token URL is read by one parser, and a change
//! to it that changes a finding is a visible diff of `tests/snapshots/token_url_corpus__*.snap`. Each corpus
//! entry is the value as written in the file.

#[path = "support/seed.rs"]
mod seed;

use std::fmt::Write as _;

use racm_lint::catalog::RuleSet;
use racm_lint::engine::Linter;
use racm_lint::i18n::Lang;

const TENANT: &str = "8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d";

/// The URLs: a few written out, then the combinations of their parts.
fn corpus() -> Vec<String> {
    let mut urls: Vec<String> = [
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.com/[ID_LOCATAIRE]/oauth2/v2.0/token",
        "https://login.microsoftonline.com/<TENANT_ID>/oauth2/v2.0/token",
        "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        "https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token",
        "https://login.microsoftonline.com/%7Btenant%7D/oauth2/v2.0/token",
        "https://login.microsoftonline.com/your-tenant-id/oauth2/v2.0/token",
        "https://login.microsoftonline.com/oauth2/v2.0/token",
        "https://login.microsoftonline.com//oauth2/v2.0/token",
        "https://login.microsoftonline.com",
        "https://login.microsoftonline.com/",
        "https://login.microsoftonline.com/common",
        "https://login.microsoftonline.com\\8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d\\oauth2\\v2.0\\token",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d\\oauth2/v2.0/token",
        "https:\\\\login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://LOGIN.MicrosoftOnline.com/8F2B6C1E-3D4A-4F5B-9C7D-2E1F0A9B8C7D/oauth2/v2.0/token",
        "https://login.microsoftonline.com:443/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://user@login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token/",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token?x=1",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token#frag",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d?x=1",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d#x",
        "https://login.microsoftonline.com/8f2b6c1e%2D3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.com/ 8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d /oauth2/v2.0/token",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token ",
        " https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token\t",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/token",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/authorize",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/v2.0/token",
        "https://login.microsoftonline.com/tenant.onmicrosoft.com/oauth2/v2.0/token",
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
        "https://login.microsoftonline.com/fabrikam.com/oauth2/v2.0/token",
        "https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
        "https://login.microsoftonline.com/Common/oauth2/v2.0/token",
        "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
        "https://login.microsoftonline.com/consumers/oauth2/v2.0/token",
        "https://login.microsoftonline.com/{8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d}/oauth2/v2.0/token",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7/oauth2/v2.0/token",
        "https://login.microsoftonline.com/4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e/oauth2/v2.0/token",
        "https://login.microsoftonline.com/été/oauth2/v2.0/token",
        "https://login.microsoftonline.com/xn--t-bga.com/oauth2/v2.0/token",
        "http://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "HTTPS://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "ftp://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "//login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https:/login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https:login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.us/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.chinacloudapi.cn/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoft.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.windows.net/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.co/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://sts.windows.net/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://127.0.0.1:8443/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://[::1]/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.com:99999/x/oauth2/v2.0/token",
        "https://login micro.com/x/oauth2/v2.0/token",
        "https://",
        "https:///8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "",
        " ",
        "token",
        "[URL]",
        "<https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token>",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token # tenant",
        "https://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/./oauth2/v2.0/token",
        "https://login.microsoftonline.com/../8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
        "https://login.microsoftonline.com/a%2Fb/oauth2/v2.0/token",
        "https://login.microsoftonline.com/a+b/oauth2/v2.0/token",
        "https://login.microsoftonline.com/xxx/oauth2/v2.0/token",
        "https://login.microsoftonline.com/changeme/oauth2/v2.0/token",
        "https://login.microsoftonline.com/TENANT_ID/oauth2/v2.0/token",
        "https://login.microsoftonline.com/ID_LOCATAIRE/oauth2/v2.0/token",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for scheme in ["https://", "http://"] {
        for host in [
            "login.microsoftonline.com",
            "login.microsoftonline.us",
            "example.com",
        ] {
            for tenant in [TENANT, "common", "contoso.com", "[tenant]", "bad_tenant!"] {
                for sep in ["/", "\\"] {
                    for path in [
                        "oauth2/v2.0/token",
                        "oauth2/token",
                        "oauth2/v2.0/token?p=1",
                        "",
                    ] {
                        urls.push(format!("{scheme}{host}{sep}{tenant}{sep}{path}"));
                    }
                }
            }
        }
    }
    // A backslash as written is dropped by Java (`\8` is `8`); written twice, it is one in the value, which a
    // URL parser may read as `/`.
    let doubled: Vec<String> = urls
        .iter()
        .filter(|u| u.contains('\\'))
        .map(|u| u.replace('\\', "\\\\"))
        .collect();
    urls.extend(doubled);
    urls.dedup();
    urls
}

/// A correct file but for the token URL, with the tenant also pasted as the client ID in half the files (the
/// `same_as_tenant` rule) and a user whose domain the tenant may differ from.
fn file(url: &str, tenant_as_client: bool) -> Vec<u8> {
    let client = if tenant_as_client {
        TENANT
    } else {
        "4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e"
    };
    format!(
        "mail.auth.protocol=oauth2\n\
         mail.server.host=smtp.office365.com\n\
         mail.server.port=587\n\
         mail.server.starttls.enable=true\n\
         mail.server.user=notification@contoso.onmicrosoft.com\n\
         mail.oauth2.token.url={url}\n\
         mail.oauth2.client.id={client}\n\
         mail.oauth2.client.secret=Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u\n\
         mail.oauth2.scopes=https://outlook.office.com/.default\n\
         mail.option.sender=notification@contoso.onmicrosoft.com\n"
    )
    .into_bytes()
}

#[test]
fn every_finding_on_the_token_url_is_pinned() {
    let linter = Linter::new(RuleSet::builtin().unwrap(), Lang::En);
    let mut out = String::new();
    for url in corpus() {
        let _ = writeln!(out, "{url:?}");
        for tenant_as_client in [false, true] {
            let source = file(&url, tenant_as_client);
            for d in linter.lint(&source) {
                let at = d.span.clone().map_or("-".to_string(), |s| {
                    format!("{:?}", String::from_utf8_lossy(&source[s]))
                });
                let line = format!("  {} {at} {}", d.code, d.message);
                // The client-ID half only adds what the client ID changes.
                if tenant_as_client && !d.message.contains("client") && !d.message.contains("ID") {
                    continue;
                }
                let _ = writeln!(out, "{line}");
            }
        }
    }
    insta::assert_snapshot!(out);
}

mod generated {
    use proptest::prelude::*;
    use racm_lint::values::token_url::{self, Tenant};

    fn tenant() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}",
            "[a-z][a-z0-9-]{0,10}[a-z0-9](\\.[a-z][a-z0-9]{1,8}){1,3}",
            Just("common".to_string()),
            Just("organizations".to_string()),
            "[A-Za-z0-9_~.-]{1,20}",
        ]
    }

    fn name(tenant: &Tenant) -> &str {
        match tenant {
            Tenant::Guid(t)
            | Tenant::Domain(t)
            | Tenant::MultiTenant(t)
            | Tenant::Placeholder(t)
            | Tenant::Invalid(t) => t,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, rng_seed: super::seed::seed(), ..ProptestConfig::default() })]

        /// The text at the tenant's range is the tenant the parser read.
        #[test]
        fn the_tenant_range_holds_the_parsed_tenant(
            host in prop::sample::select(vec!["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "h"]),
            tenant in tenant(),
            path in prop::sample::select(vec!["/oauth2/v2.0/token", "/oauth2/token", "", "/", "?x=1", "#f", "/oauth2/v2.0/token?a=b"]),
        ) {
            prop_assume!(!tenant.eq_ignore_ascii_case("oauth2") && tenant != "." && tenant != "..");
            let url = format!("https://{host}/{tenant}{path}");
            let parsed = token_url::parse(&url).unwrap();
            let range = parsed.tenant_range.clone().expect("a tenant range");
            prop_assert_eq!(&url[range.clone()], tenant.as_str());
            prop_assert_eq!(parsed.tenant.as_ref().map(name), Some(tenant.as_str()));
            prop_assert_eq!(token_url::tenant_range(&url), Some(range));
        }
    }
}
