//! TLS for both live checks: one crypto provider (ring), the Mozilla roots plus the admin's `--ca-file`s,
//! TLS 1.2 or later, certificates always verified.

use std::error::Error as StdError;
use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters, TlsVersion};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::options::OnlineError;

/// The trust roots added by `--ca-file`, on top of the built-in Mozilla roots.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    extra_roots: Vec<CertificateDer<'static>>,
}

impl Trust {
    /// Reads every certificate of each PEM file; a file that cannot be read or holds no certificate is an
    /// error naming it.
    pub fn load(paths: &[PathBuf]) -> Result<Trust, OnlineError> {
        let mut extra_roots = Vec::new();
        for path in paths {
            let error = |reason: String| OnlineError::CaFile {
                path: path.clone(),
                reason,
            };
            let bytes = std::fs::read(path).map_err(|e| error(e.to_string()))?;
            let certs = CertificateDer::pem_slice_iter(&bytes)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| error(format!("not a PEM certificate file ({e})")))?;
            if certs.is_empty() {
                return Err(error("no `BEGIN CERTIFICATE` block in it".to_string()));
            }
            // Reject what rustls would reject later, while the file name can still be given.
            let mut store = rustls::RootCertStore::empty();
            for cert in &certs {
                store.add(cert.clone()).map_err(|e| {
                    error(format!(
                        "a certificate cannot be used as a trust root ({e})"
                    ))
                })?;
            }
            extra_roots.extend(certs);
        }
        Ok(Trust { extra_roots })
    }

    /// An HTTP client for the token request: no redirects, timeouts on connect and on the whole exchange,
    /// proxy from the environment (`HTTPS_PROXY`...) except for a loopback host.
    pub fn http_client(
        &self,
        timeout: Duration,
        loopback: bool,
    ) -> Result<reqwest::blocking::Client, String> {
        install_crypto_provider();
        let mut builder = reqwest::blocking::Client::builder()
            .use_rustls_tls()
            .min_tls_version(reqwest::tls::Version::TLS_1_2)
            .tls_built_in_root_certs(true)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .timeout(timeout)
            .user_agent(concat!("racm-lint/", env!("CARGO_PKG_VERSION")));
        for root in &self.extra_roots {
            let cert = reqwest::Certificate::from_der(root).map_err(|e| e.to_string())?;
            builder = builder.add_root_certificate(cert);
        }
        if loopback {
            builder = builder.no_proxy();
        }
        builder.build().map_err(|e| error_chain(&e))
    }

    /// STARTTLS parameters for `host`: its certificate must be valid for that name.
    pub fn smtp_parameters(&self, host: &str) -> Result<TlsParameters, String> {
        install_crypto_provider();
        let mut builder = TlsParameters::builder(host.to_string())
            .certificate_store(CertificateStore::WebpkiRoots)
            .set_min_tls_version(TlsVersion::Tlsv12);
        for root in &self.extra_roots {
            let cert = Certificate::from_der(root.to_vec()).map_err(|e| error_chain(&e))?;
            builder = builder.add_root_certificate(cert);
        }
        builder.build_rustls().map_err(|e| error_chain(&e))
    }
}

/// Makes ring the process's rustls provider, so that reqwest and lettre agree (see Cargo.toml); a provider
/// installed earlier by the embedding program is kept.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The first error of type `T` in the chain of `error`, looking inside `io::Error`s too (their `source()`
/// skips the error they wrap).
pub fn find_cause<'e, T: StdError + 'static>(error: &'e (dyn StdError + 'static)) -> Option<&'e T> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        next = match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => error.source(),
        };
    }
    None
}

/// The kind of the innermost `io::Error` in the chain, if any.
pub fn io_kind(error: &(dyn StdError + 'static)) -> Option<std::io::ErrorKind> {
    let mut kind = None;
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            kind = Some(io.kind());
            next = io.get_ref().map(|inner| inner as &(dyn StdError + 'static));
        } else {
            next = error.source();
        }
    }
    kind
}

/// An error with its causes, `a: b: c`, without repeating a cause its parent already shows.
pub fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}
