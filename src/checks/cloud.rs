//! Checks against the clouds table: known hosts and resources, and that the token host, the scope's resource
//! and the SMTP host all belong to the same Microsoft cloud.

use super::{Context, FileCheck, KeyCheck, OnKey};
use crate::catalog::Cloud;
use crate::catalog::spec::{
    CloudMismatch, HostService, NonGlobalCloud, Scope as ScopeCheck, ScopeFinding,
    TenantDomainDiffers, TokenUrl as TokenUrlCheck, TokenUrlFinding, UnknownHost,
};
use crate::diagnostic::{Finding, Label};
use crate::i18n::{Lang, did_you_mean};
use crate::keys::KeyPattern;
use crate::properties::Span;
use crate::text::nearest;
use crate::values::java::address_domain;
use crate::values::scope::{self, Scope};
use crate::values::token_url::{self, Tenant};

/// The three keys whose values must come from the same cloud.
struct Keys<'k> {
    token_url: &'k str,
    scopes: &'k str,
    smtp_host: &'k str,
}

/// `unknown_host`: fires when the value is none of the hosts of the clouds table for `service`, with the
/// nearest one within `max_distance` edits.
impl KeyCheck for UnknownHost {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        unknown_host(on.ctx, self.service, self.max_distance, on.value())
    }
}

/// `token_url`: the token URL findings, one per rule (`finding` names which): a placeholder, not a URL, not
/// https, not an identity host, the v1 endpoint, a wrong path, a multi-tenant or invalid tenant, no tenant.
impl KeyCheck for TokenUrlCheck {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        token_url(on.ctx, self.finding, on.value())
    }
}

/// `scope`: the scope findings, one per rule (`finding` names which): a delegated permission, Microsoft
/// Graph, several scopes, not Exchange Online's `.default`.
impl KeyCheck for ScopeCheck {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        scope(on.ctx, self.finding, on.value())
    }
}

/// `cloud_mismatch`: fires when the token host, the scope's resource and the SMTP host come from different
/// Microsoft clouds.
impl FileCheck for CloudMismatch {
    fn run(&self, ctx: &Context<'_, '_, '_>, _keys: &[KeyPattern]) -> Vec<Finding> {
        mismatch(
            ctx,
            &Keys {
                token_url: &self.token_url,
                scopes: &self.scopes,
                smtp_host: &self.smtp_host,
            },
        )
    }
}

/// `non_global_cloud`: fires when the three values agree on a cloud other than the global one (or than the
/// configured `cloud`).
impl FileCheck for NonGlobalCloud {
    fn run(&self, ctx: &Context<'_, '_, '_>, _keys: &[KeyPattern]) -> Vec<Finding> {
        non_global(
            ctx,
            &Keys {
                token_url: &self.token_url,
                scopes: &self.scopes,
                smtp_host: &self.smtp_host,
            },
        )
    }
}

/// `tenant_domain_differs`: fires when the token URL's tenant is a domain other than the user's.
impl FileCheck for TenantDomainDiffers {
    fn run(&self, ctx: &Context<'_, '_, '_>, _keys: &[KeyPattern]) -> Vec<Finding> {
        tenant_domain(ctx, &self.token_url, &self.user)
    }
}

fn hosts(clouds: &[Cloud], service: HostService) -> impl Iterator<Item = &str> {
    clouds
        .iter()
        .flat_map(move |c| match service {
            HostService::Smtp => c.smtp_hosts.iter(),
            HostService::Token => c.token_hosts.iter(),
        })
        .map(String::as_str)
}

fn unknown_host(
    ctx: &Context<'_, '_, '_>,
    service: HostService,
    max: usize,
    value: &str,
) -> Vec<Finding> {
    let host = value.trim().to_ascii_lowercase();
    if hosts(&ctx.rules.clouds, service).any(|h| h == host) {
        return vec![];
    }
    let suggestion = nearest(&host, hosts(&ctx.rules.clouds, service), max);
    let expected = hosts(&ctx.rules.clouds, service)
        .next()
        .unwrap_or_default()
        .to_string();
    vec![
        Finding::default()
            .var("did_you_mean", did_you_mean(ctx.lang, suggestion))
            .var("expected", format!("`{expected}`")),
    ]
}

fn token_url(ctx: &Context<'_, '_, '_>, finding: TokenUrlFinding, value: &str) -> Vec<Finding> {
    let parsed = token_url::parse(value);
    let tenant_finding = |t: &token_url::TokenUrl, name: &str| {
        Finding {
            value_range: t.tenant_range.clone(),
            ..Finding::default()
        }
        .var("tenant", format!("`{name}`"))
    };
    let fires = match (finding, &parsed) {
        (TokenUrlFinding::Placeholder, _) => {
            if token_url::has_placeholder(value) {
                return vec![Finding {
                    value_range: token_url::tenant_range(value),
                    ..Finding::default()
                }];
            }
            return vec![];
        }
        (TokenUrlFinding::Malformed, Err(reason)) => {
            return vec![Finding::default().var("reason", reason.clone())];
        }
        (_, Err(_)) => return vec![],
        (TokenUrlFinding::Malformed, Ok(_)) => false,
        (TokenUrlFinding::NotHttps, Ok(t)) => {
            if t.url.scheme() != "https" {
                return vec![Finding::default().var("scheme", format!("`{}`", t.url.scheme()))];
            }
            false
        }
        (TokenUrlFinding::NotIdentityHost, Ok(t)) => {
            let host = t.host().unwrap_or_default();
            if hosts(&ctx.rules.clouds, HostService::Token).any(|h| h == host) {
                return vec![];
            }
            let suggestion = nearest(&host, hosts(&ctx.rules.clouds, HostService::Token), 4);
            return vec![
                Finding::default()
                    .var("host", format!("`{host}`"))
                    .var("did_you_mean", did_you_mean(ctx.lang, suggestion)),
            ];
        }
        (TokenUrlFinding::V1Endpoint, Ok(t)) => t.is_v1(),
        (TokenUrlFinding::BadPath, Ok(t)) => {
            if t.tenant.is_some() && !t.is_v1() && !t.is_v2_endpoint() {
                let mut rest = format!("/{}", t.endpoint);
                if let Some(q) = t.url.query() {
                    rest.push('?');
                    rest.push_str(q);
                }
                if let Some(f) = t.url.fragment() {
                    rest.push('#');
                    rest.push_str(f);
                }
                return vec![Finding::default().var("path", format!("`{rest}`"))];
            }
            false
        }
        (TokenUrlFinding::MultiTenant, Ok(t)) => {
            if let Some(Tenant::MultiTenant(name)) = &t.tenant {
                return vec![tenant_finding(t, name)];
            }
            false
        }
        (TokenUrlFinding::BadTenant, Ok(t)) => {
            if let Some(Tenant::Invalid(name)) = &t.tenant {
                return vec![tenant_finding(t, name)];
            }
            false
        }
        (TokenUrlFinding::NoTenant, Ok(t)) => t.tenant.is_none(),
    };
    if fires {
        vec![Finding::default()]
    } else {
        vec![]
    }
}

fn exchange_resources(clouds: &[Cloud]) -> impl Iterator<Item = &str> {
    clouds
        .iter()
        .flat_map(|c| c.scope_resources.iter())
        .map(String::as_str)
}

fn scope(ctx: &Context<'_, '_, '_>, finding: ScopeFinding, value: &str) -> Vec<Finding> {
    let parsed = scope::parse(value);
    let expected = exchange_resources(&ctx.rules.clouds)
        .next()
        .unwrap_or_default();
    let expected = format!("`{expected}/.default`");
    match (finding, parsed) {
        (
            ScopeFinding::Delegated,
            Scope::Delegated {
                resource,
                permission,
            },
        ) if exchange_resources(&ctx.rules.clouds)
            .any(|r| r.eq_ignore_ascii_case(resource.trim_end_matches('/'))) =>
        {
            vec![
                Finding::default()
                    .var("permission", format!("`{permission}`"))
                    .var(
                        "expected",
                        format!("`{}/.default`", resource.trim_end_matches('/')),
                    ),
            ]
        }
        (ScopeFinding::Graph, Scope::Graph) => vec![Finding::default().var("expected", expected)],
        (ScopeFinding::Several, Scope::Several(list)) => vec![
            Finding::default()
                .var("count", list.len().to_string())
                .var("expected", expected),
        ],
        (ScopeFinding::Invalid, Scope::Other) => vec![
            Finding::default()
                .var("expected", expected)
                .var("did_you_mean", String::new()),
        ],
        (ScopeFinding::Invalid, Scope::Default { resource })
            if !exchange_resources(&ctx.rules.clouds)
                .any(|r| r.eq_ignore_ascii_case(&resource)) =>
        {
            let suggestion = nearest(&resource, exchange_resources(&ctx.rules.clouds), 4);
            vec![Finding::default().var("expected", expected).var(
                "did_you_mean",
                did_you_mean(
                    ctx.lang,
                    suggestion.map(|s| format!("{s}/.default")).as_deref(),
                ),
            )]
        }
        (ScopeFinding::Invalid, Scope::Delegated { resource, .. })
            if !exchange_resources(&ctx.rules.clouds)
                .any(|r| r.eq_ignore_ascii_case(resource.trim_end_matches('/'))) =>
        {
            vec![
                Finding::default()
                    .var("expected", expected)
                    .var("did_you_mean", String::new()),
            ]
        }
        _ => vec![],
    }
}

/// One of the three values, with the clouds it can belong to.
struct Placed<'r> {
    key: String,
    span: Span,
    clouds: Vec<&'r Cloud>,
    /// Whether the value is an SMTP host (which some clouds do not document).
    smtp: bool,
}

/// The clouds each of the three values belongs to (values that belong to none are left out: their own rules
/// report them).
fn place_values<'r>(ctx: &'r Context<'_, '_, '_>, keys: &Keys) -> Vec<Placed<'r>> {
    let clouds = &ctx.rules.clouds;
    let mut out = Vec::new();
    if let Some(entry) = ctx.settings.get(keys.token_url)
        && let Some(host) = token_url::parse(entry.value()).ok().and_then(|t| t.host())
    {
        let of: Vec<&Cloud> = clouds
            .iter()
            .filter(|c| c.token_hosts.contains(&host))
            .collect();
        if !of.is_empty() {
            out.push(Placed {
                key: keys.token_url.to_string(),
                span: entry.value_span(),
                clouds: of,
                smtp: false,
            });
        }
    }
    if let Some(entry) = ctx.settings.get(keys.scopes)
        && let Scope::Default { resource } = scope::parse(entry.value())
    {
        let of: Vec<&Cloud> = clouds
            .iter()
            .filter(|c| {
                c.scope_resources
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case(&resource))
            })
            .collect();
        if !of.is_empty() {
            out.push(Placed {
                key: keys.scopes.to_string(),
                span: entry.value_span(),
                clouds: of,
                smtp: false,
            });
        }
    }
    if let Some(entry) = ctx.settings.get(keys.smtp_host) {
        let host = entry.value().trim().to_ascii_lowercase();
        let of: Vec<&Cloud> = clouds
            .iter()
            .filter(|c| c.smtp_hosts.contains(&host))
            .collect();
        if !of.is_empty() {
            out.push(Placed {
                key: keys.smtp_host.to_string(),
                span: entry.value_span(),
                clouds: of,
                smtp: true,
            });
        }
    }
    out
}

/// The clouds all placed values agree on. An SMTP host does not count against a cloud that documents none.
fn agreed<'r>(placed: &[Placed<'r>]) -> Vec<&'r Cloud> {
    let mut common: Option<Vec<&Cloud>> = None;
    for p in placed.iter().filter(|p| !p.smtp) {
        common = Some(match common {
            None => p.clouds.clone(),
            Some(c) => c
                .into_iter()
                .filter(|x| p.clouds.iter().any(|y| y.name == x.name))
                .collect(),
        });
    }
    let common = common.unwrap_or_else(|| placed.iter().flat_map(|p| p.clouds.clone()).collect());
    match placed.iter().find(|p| p.smtp) {
        Some(smtp) => common
            .into_iter()
            .filter(|c| c.smtp_hosts.is_empty() || smtp.clouds.iter().any(|y| y.name == c.name))
            .collect(),
        None => common,
    }
}

fn cloud_names(clouds: &[&Cloud], lang: Lang) -> String {
    clouds
        .iter()
        .map(|c| c.title(lang))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn mismatch(ctx: &Context<'_, '_, '_>, keys: &Keys) -> Vec<Finding> {
    let placed = place_values(ctx, keys);
    if placed.len() < 2 || !agreed(&placed).is_empty() {
        return vec![];
    }
    let lang = ctx.lang;
    let mut labels: Vec<Label> = placed
        .iter()
        .map(|p| Label {
            span: p.span.clone(),
            message: match lang {
                Lang::En => format!("`{}`: {}", p.key, cloud_names(&p.clouds, lang)),
                Lang::Fr => format!("`{}` : {}", p.key, cloud_names(&p.clouds, lang)),
            },
        })
        .collect();
    let first = labels.remove(0);
    let summary = placed
        .iter()
        .map(|p| format!("{} → {}", p.key, cloud_names(&p.clouds, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        Finding {
            key: Some(placed[0].key.clone()),
            span: Some(first.span),
            label: Some(first.message),
            labels,
            ..Finding::default()
        }
        .var("clouds", summary),
    ]
}

fn non_global(ctx: &Context<'_, '_, '_>, keys: &Keys) -> Vec<Finding> {
    let placed = place_values(ctx, keys);
    if placed.is_empty() {
        return vec![];
    }
    let agreed = agreed(&placed);
    let expected = ctx.policy.expected_cloud.as_deref().unwrap_or("global");
    if agreed.is_empty() || agreed.iter().any(|c| c.name == expected) {
        return vec![];
    }
    let undocumented_smtp = agreed.iter().all(|c| c.smtp_hosts.is_empty());
    let mut notes = Vec::new();
    if undocumented_smtp {
        notes.push(match ctx.lang {
            Lang::En => "Microsoft documents no SMTP host for this cloud: check the host with your Microsoft contact".to_string(),
            Lang::Fr => "Microsoft ne documente aucun hôte SMTP pour ce nuage : vérifiez l'hôte auprès de votre contact Microsoft".to_string(),
        });
    }
    let anchor = &placed[0];
    vec![
        Finding {
            key: Some(anchor.key.clone()),
            span: Some(anchor.span.clone()),
            notes,
            ..Finding::default()
        }
        .var("cloud", cloud_names(&agreed, ctx.lang))
        .var("expected_cloud", expected.to_string()),
    ]
}

fn tenant_domain(ctx: &Context<'_, '_, '_>, token_key: &str, user_key: &str) -> Vec<Finding> {
    let (Some(url_entry), Some(user)) = (ctx.settings.get(token_key), ctx.value(user_key)) else {
        return vec![];
    };
    let Ok(parsed) = token_url::parse(url_entry.value()) else {
        return vec![];
    };
    let Some(Tenant::Domain(tenant)) = &parsed.tenant else {
        return vec![];
    };
    let Some(user_domain) = address_domain(user) else {
        return vec![];
    };
    if tenant.eq_ignore_ascii_case(&user_domain) {
        return vec![];
    }
    let mut labels = vec![];
    if let Some(e) = ctx.settings.get(user_key) {
        labels.push(Label {
            span: e.value_span(),
            message: format!("`{user_key}`"),
        });
    }
    vec![
        Finding {
            key: Some(token_key.to_string()),
            span: None,
            value_range: parsed.tenant_range.clone(),
            labels,
            ..Finding::default()
        }
        .var("tenant", format!("`{tenant}`"))
        .var("user_domain", format!("`{user_domain}`")),
    ]
}
