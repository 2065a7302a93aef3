//! Live checks (`--online`): ask Microsoft for a token with the file's credentials, read its claims, sign in to
//! SMTP with it (and optionally send a test message); every result is a diagnostic of the same model as the
//! offline ones, from the rules of `rules/online.toml`.
//!
//! Nothing here touches the network until [`OnlineSession::check`] runs, and no HTTP or TLS client is built
//! before then. The secret and the token go only to the Microsoft identity hosts of the cloud table (https),
//! or to a host named exactly with `--allow-host`, and the token only to an SMTP host of the cloud table or one
//! named exactly with `--allow-host`, after a verified STARTTLS.

mod claims;
mod findings;
mod names;
mod options;
mod policy;
mod report;
mod scrub;
mod session;
mod smtp;
mod tls;
mod token;

pub use options::{DEFAULT_TIMEOUT, MAX_TIMEOUT_SECS, OnlineError, OnlineMode, OnlineOptions};
pub use policy::AllowedHost;
pub use session::OnlineSession;
