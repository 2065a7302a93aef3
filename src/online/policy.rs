//! Where the secret may go: the token URL must be a Microsoft identity host of the cloud table over https, or a
//! host the admin named exactly with `--allow-host` (plain http only for a loopback host named that way).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use url::{Host, Url};

use crate::catalog::Cloud;
use crate::values::token_url;

/// A host (and port) the admin allows the secret to be sent to, from `--allow-host HOST[:PORT]`.
///
/// Without a port only the scheme's default port (443, or 80 for http) is allowed: the admin names the
/// destination exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost {
    /// Lower case; an IPv6 address without its brackets.
    pub host: String,
    pub port: Option<u16>,
}

impl FromStr for AllowedHost {
    type Err = String;

    fn from_str(text: &str) -> Result<AllowedHost, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty host".to_string());
        }
        if text.contains('/') {
            return Err("give a host name or address with an optional port, not a URL".to_string());
        }
        // `[::1]:8443`, `[::1]`, `::1`, `host:8443`, `host`.
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or("missing `]` after the IPv6 address")?;
            match after {
                "" => (host, None),
                _ => (
                    host,
                    Some(
                        after
                            .strip_prefix(':')
                            .ok_or("expected `:PORT` after `]`")?,
                    ),
                ),
            }
        } else if text.matches(':').count() > 1 {
            (text, None)
        } else {
            match text.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            }
        };
        let port = match port {
            Some(port) => Some(
                port.parse::<u16>()
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| format!("`{port}` is not a port number (1-65535)"))?,
            ),
            None => None,
        };
        let host = match host.parse::<IpAddr>() {
            Ok(IpAddr::V4(address)) => Host::Ipv4(address),
            Ok(IpAddr::V6(address)) => Host::Ipv6(address),
            Err(_) => Host::parse(&host.to_ascii_lowercase())
                .map_err(|_| format!("`{host}` is not a host name or address"))?,
        };
        Ok(AllowedHost {
            host: host_text(&host),
            port,
        })
    }
}

impl fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(port) => write!(f, "{host}:{port}"),
            None => f.write_str(&host),
        }
    }
}

/// Why a token URL is not contacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a URL the tool can send a request to (the reason, in the URL parser's words).
    Unusable(String),
    /// https, but neither a Microsoft identity host of the cloud table nor a host named by `--allow-host`.
    NotAllowed { host: String },
    /// Plain http: the secret would cross the network in clear; allowed only for a loopback host named by
    /// `--allow-host`.
    PlainHttp { host: String },
}

/// The token URL as it will be contacted, once allowed.
#[derive(Debug, Clone)]
pub struct Destination {
    pub url: Url,
    /// A loopback host (a test endpoint on this machine): no proxy is used for it.
    pub loopback: bool,
}

/// Decides whether the secret may be sent to `token_url`.
pub fn token_destination(
    token_url: &str,
    clouds: &[Cloud],
    allowed: &[AllowedHost],
) -> Result<Destination, Refusal> {
    let url = token_url::parse(token_url).map_err(Refusal::Unusable)?.url;
    let host = url
        .host()
        .ok_or_else(|| Refusal::Unusable("no host".to_string()))?;
    let host_name = host_text(&host.to_owned());
    let loopback = is_loopback(&host.to_owned());
    let default_port = if url.scheme() == "http" { 80 } else { 443 };
    let named = || {
        allowed.iter().any(|a| {
            a.host == host_name
                && Some(a.port.unwrap_or(default_port)) == url.port_or_known_default()
        })
    };
    match url.scheme() {
        "https" => {
            let identity_host = clouds
                .iter()
                .flat_map(|c| &c.token_hosts)
                .any(|h| h.eq_ignore_ascii_case(&host_name));
            if (identity_host && url.port_or_known_default() == Some(443)) || named() {
                Ok(Destination { url, loopback })
            } else {
                Err(Refusal::NotAllowed {
                    host: display_host(&url),
                })
            }
        }
        "http" => {
            if loopback && named() {
                Ok(Destination { url, loopback })
            } else {
                Err(Refusal::PlainHttp {
                    host: display_host(&url),
                })
            }
        }
        other => Err(Refusal::Unusable(format!(
            "`{other}:` is not http or https"
        ))),
    }
}

/// The SMTP port a `--allow-host` without a port stands for: submission, as Microsoft documents it.
pub const SMTP_DEFAULT_PORT: u16 = 587;

/// Decides whether the token may be sent to the SMTP server `host`:`port`: an SMTP host of the cloud table
/// (any port: the host is Microsoft's), or a host named exactly with `--allow-host` (without a port there, only
/// port 587).
pub fn smtp_allowed(host: &str, port: u16, clouds: &[Cloud], allowed: &[AllowedHost]) -> bool {
    let host = host.trim();
    let microsoft = clouds
        .iter()
        .flat_map(|c| &c.smtp_hosts)
        .any(|h| h.eq_ignore_ascii_case(host));
    // Named as `--allow-host` would write it: lower case, an IPv6 address without brackets.
    let named = host.parse::<AllowedHost>().is_ok_and(|h| {
        allowed
            .iter()
            .any(|a| a.host == h.host && a.port.unwrap_or(SMTP_DEFAULT_PORT) == port)
    });
    microsoft || named
}

/// `host` or `host:port` as the URL gives it.
pub fn display_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn host_text(host: &Host<String>) -> String {
    match host {
        Host::Domain(d) => d.to_ascii_lowercase(),
        Host::Ipv4(a) => a.to_string(),
        Host::Ipv6(a) => a.to_string(),
    }
}

/// `localhost`, 127.0.0.0/8 or `::1`.
pub fn is_loopback(host: &Host<String>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(a) => a.is_loopback(),
        Host::Ipv6(a) => a.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clouds() -> Vec<Cloud> {
        crate::catalog::RuleSet::builtin().unwrap().clouds
    }

    fn allow(list: &[&str]) -> Vec<AllowedHost> {
        list.iter().map(|a| a.parse().unwrap()).collect()
    }

    #[test]
    fn allowed_hosts_parse() {
        let a: AllowedHost = "LocalHost:8443".parse().unwrap();
        assert_eq!((a.host.as_str(), a.port), ("localhost", Some(8443)));
        let a: AllowedHost = "[::1]:25".parse().unwrap();
        assert_eq!((a.host.as_str(), a.port), ("::1", Some(25)));
        assert_eq!(a.to_string(), "[::1]:25");
        let a: AllowedHost = "127.0.0.1".parse().unwrap();
        assert_eq!((a.host.as_str(), a.port), ("127.0.0.1", None));
        for bad in ["", "https://x", "h:0", "h:x", "[::1", "a b"] {
            assert!(bad.parse::<AllowedHost>().is_err(), "{bad}");
        }
    }

    #[test]
    fn microsoft_identity_hosts_need_no_allowance() {
        let ok = token_destination(
            "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token",
            &clouds(),
            &[],
        );
        assert!(ok.is_ok_and(|d| !d.loopback));
        assert!(
            token_destination(
                "https://LOGIN.microsoftonline.us/t/oauth2/v2.0/token",
                &clouds(),
                &[]
            )
            .is_ok()
        );
        // Another port is another destination.
        assert!(matches!(
            token_destination(
                "https://login.microsoftonline.com:8443/t/oauth2/v2.0/token",
                &clouds(),
                &[]
            ),
            Err(Refusal::NotAllowed { .. })
        ));
    }

    #[test]
    fn other_hosts_must_be_named_exactly() {
        let url = "https://idp.example.com/t/oauth2/v2.0/token";
        assert_eq!(
            token_destination(url, &clouds(), &[]).unwrap_err(),
            Refusal::NotAllowed {
                host: "idp.example.com".into()
            }
        );
        assert!(token_destination(url, &clouds(), &allow(&["idp.example.com"])).is_ok());
        assert!(token_destination(url, &clouds(), &allow(&["idp.example.com:443"])).is_ok());
        assert!(token_destination(url, &clouds(), &allow(&["idp.example.com:8443"])).is_err());
        assert!(token_destination(url, &clouds(), &allow(&["example.com"])).is_err());
        let url = "https://127.0.0.1:8443/t/oauth2/v2.0/token";
        assert!(token_destination(url, &clouds(), &allow(&["127.0.0.1"])).is_err());
        assert!(
            token_destination(url, &clouds(), &allow(&["127.0.0.1:8443"]))
                .is_ok_and(|d| d.loopback)
        );
    }

    #[test]
    fn the_token_goes_to_microsofts_smtp_hosts_or_a_named_one() {
        assert!(smtp_allowed("smtp.office365.com", 587, &clouds(), &[]));
        assert!(smtp_allowed("SMTP.Office365.com", 25, &clouds(), &[]));
        assert!(smtp_allowed("smtp.office365.us", 587, &clouds(), &[]));
        assert!(!smtp_allowed("smtp.example.com", 587, &clouds(), &[]));
        assert!(!smtp_allowed("office365.com", 587, &clouds(), &[]));
        assert!(smtp_allowed(
            "smtp.example.com",
            587,
            &clouds(),
            &allow(&["smtp.example.com"])
        ));
        assert!(!smtp_allowed(
            "smtp.example.com",
            25,
            &clouds(),
            &allow(&["smtp.example.com"])
        ));
        assert!(smtp_allowed(
            "smtp.example.com",
            25,
            &clouds(),
            &allow(&["SMTP.example.com:25"])
        ));
        assert!(smtp_allowed(
            "127.0.0.1",
            2525,
            &clouds(),
            &allow(&["127.0.0.1:2525"])
        ));
        assert!(!smtp_allowed(
            "127.0.0.1",
            2526,
            &clouds(),
            &allow(&["127.0.0.1:2525"])
        ));
        assert!(smtp_allowed("::1", 587, &clouds(), &allow(&["[::1]"])));
        assert!(!smtp_allowed("", 587, &clouds(), &allow(&["127.0.0.1"])));
    }

    #[test]
    fn plain_http_only_to_a_named_loopback_host() {
        let url = "http://127.0.0.1:8080/t/oauth2/v2.0/token";
        assert!(matches!(
            token_destination(url, &clouds(), &[]),
            Err(Refusal::PlainHttp { .. })
        ));
        assert!(token_destination(url, &clouds(), &allow(&["127.0.0.1:8080"])).is_ok());
        assert!(token_destination("http://[::1]:80/t", &clouds(), &allow(&["::1"])).is_ok());
        let url = "http://login.microsoftonline.com/t/oauth2/v2.0/token";
        assert!(matches!(
            token_destination(url, &clouds(), &allow(&["login.microsoftonline.com:80"])),
            Err(Refusal::PlainHttp { .. })
        ));
        assert!(matches!(
            token_destination("ftp://h/x", &clouds(), &[]),
            Err(Refusal::Unusable(_))
        ));
        assert!(matches!(
            token_destination("not a url", &clouds(), &[]),
            Err(Refusal::Unusable(_))
        ));
    }
}
