//! The access token's claims, decoded from its JWT payload without verifying the signature (Microsoft's
//! answer over TLS is trusted; the claims only say what was granted).

use base64::Engine as _;
use serde_json::Value;

/// Exchange Online's audiences, besides the clouds' scope resources.
const EXCHANGE_AUDIENCES: [&str; 4] = [
    "https://outlook.office.com",
    "https://outlook.office365.com",
    "https://ps.outlook.com",
    "00000002-0000-0ff1-ce00-000000000000",
];

/// Microsoft Graph's audiences: a token SMTP refuses with `535 5.7.3`.
const GRAPH_AUDIENCES: [&str; 2] = [
    "https://graph.microsoft.com",
    "00000003-0000-0000-c000-000000000000",
];

/// The application permission SMTP needs.
pub const SMTP_ROLE: &str = "SMTP.SendAsApp";

/// The claims that matter for SMTP.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    pub aud: Vec<String>,
    pub tid: Option<String>,
    /// `appid` (v1 tokens) or `azp` (v2).
    pub app_id: Option<String>,
    pub roles: Vec<String>,
    /// Present only in delegated (user) tokens.
    pub scp: Option<String>,
    /// The enterprise application's (service principal's) Object ID.
    pub oid: Option<String>,
    /// Expiry, in seconds since the Unix epoch.
    pub exp: Option<i64>,
}

impl Claims {
    /// Decodes the payload of a JWT (`header.payload.signature`); `None` when the token is not one.
    pub fn decode(token: &str) -> Option<Claims> {
        let mut parts = token.split('.');
        let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        let json: Value = serde_json::from_slice(&bytes).ok()?;
        let json = json.as_object()?;
        let text = |name: &str| json.get(name).and_then(Value::as_str).map(str::to_string);
        let list = |name: &str| match json.get(name) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => vec![],
        };
        Some(Claims {
            aud: list("aud"),
            tid: text("tid"),
            app_id: text("appid").or_else(|| text("azp")),
            roles: list("roles"),
            scp: text("scp"),
            oid: text("oid"),
            exp: json.get("exp").and_then(Value::as_i64),
        })
    }

    /// Whether some audience is Exchange Online's (or one of `resources`, the clouds' scope resources).
    pub fn has_exchange_audience<'r>(
        &self,
        resources: impl IntoIterator<Item = &'r str> + Clone,
    ) -> bool {
        self.aud.iter().any(|aud| {
            let aud = aud.trim_end_matches('/');
            EXCHANGE_AUDIENCES
                .iter()
                .copied()
                .chain(resources.clone())
                .any(|known| known.trim_end_matches('/').eq_ignore_ascii_case(aud))
        })
    }

    /// Whether the token is for Microsoft Graph.
    pub fn is_graph(&self) -> bool {
        self.aud.iter().any(|aud| {
            GRAPH_AUDIENCES
                .iter()
                .any(|g| g.eq_ignore_ascii_case(aud.trim_end_matches('/')))
        })
    }

    pub fn has_smtp_role(&self) -> bool {
        self.roles.iter().any(|r| r == SMTP_ROLE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256","typ":"JWT"}"#),
            b64(payload)
        )
    }

    #[test]
    fn v1_and_v2_tokens_decode() {
        let claims = Claims::decode(&jwt(
            r#"{"aud":"https://outlook.office.com","tid":"t","appid":"a","roles":["SMTP.SendAsApp"],"oid":"o","exp":5}"#,
        ))
        .unwrap();
        assert!(claims.has_exchange_audience([]) && !claims.is_graph() && claims.has_smtp_role());
        assert_eq!(
            (claims.app_id.as_deref(), claims.oid.as_deref(), claims.exp),
            (Some("a"), Some("o"), Some(5))
        );
        let claims = Claims::decode(&jwt(
            r#"{"aud":["https://graph.microsoft.com/"],"azp":"b","scp":"Mail.Send"}"#,
        ))
        .unwrap();
        assert!(claims.is_graph() && !claims.has_exchange_audience([]) && !claims.has_smtp_role());
        assert_eq!(
            (claims.app_id.as_deref(), claims.scp.as_deref()),
            (Some("b"), Some("Mail.Send"))
        );
        let claims = Claims::decode(&jwt(r#"{"aud":"https://outlook.office365.us"}"#)).unwrap();
        assert!(claims.has_exchange_audience(["https://outlook.office365.us"]));
    }

    #[test]
    fn other_tokens_are_not_decoded() {
        for token in ["opaque", "a.b", "a.!!!.c", &jwt("[1]"), "a.b.c.d"] {
            assert_eq!(Claims::decode(token), None, "{token}");
        }
    }
}
