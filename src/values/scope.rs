//! Reads `mail.oauth2.scopes`: exactly one scope, `<Exchange resource>/.default`.

/// What the scope value asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One scope `<resource>/.default`; `resource` is as written.
    Default { resource: String },
    /// A delegated permission on a resource (`https://outlook.office.com/SMTP.Send`).
    Delegated {
        resource: String,
        permission: String,
    },
    /// A Microsoft Graph scope: the token works but Exchange's SMTP server refuses it.
    Graph,
    /// More than one scope (space-separated).
    Several(Vec<String>),
    /// Anything else: empty, not a URL, no `/.default`.
    Other,
}

const GRAPH_HOSTS: [&str; 4] = [
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
];

pub fn parse(value: &str) -> Scope {
    let scopes: Vec<&str> = value.split_whitespace().collect();
    match scopes.as_slice() {
        [] => Scope::Other,
        [one] => parse_one(one),
        many => Scope::Several(many.iter().map(|s| (*s).to_string()).collect()),
    }
}

fn parse_one(scope: &str) -> Scope {
    let Some((resource, permission)) = scope.rsplit_once('/') else {
        return Scope::Other;
    };
    let host = super::token_url::without_scheme(resource)
        .trim_end_matches('/')
        .to_ascii_lowercase();
    if GRAPH_HOSTS.contains(&host.as_str()) {
        return Scope::Graph;
    }
    if !resource.starts_with("https://") && !resource.starts_with("http://") {
        return Scope::Other;
    }
    if permission == ".default" {
        Scope::Default {
            resource: resource.trim_end_matches('/').to_string(),
        }
    } else if permission.is_empty() {
        Scope::Other
    } else {
        Scope::Delegated {
            resource: resource.to_string(),
            permission: permission.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_classified() {
        assert_eq!(
            parse("https://outlook.office.com/.default"),
            Scope::Default {
                resource: "https://outlook.office.com".into()
            }
        );
        assert!(matches!(
            parse("https://outlook.office.com/SMTP.SendAsApp"),
            Scope::Delegated { .. }
        ));
        assert_eq!(parse("https://graph.microsoft.com/.default"), Scope::Graph);
        assert!(matches!(
            parse("https://outlook.office.com/.default offline_access"),
            Scope::Several(_)
        ));
        assert_eq!(parse(""), Scope::Other);
        assert_eq!(parse("SMTP.Send"), Scope::Other);
    }
}
