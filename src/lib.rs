//! racm-lint: checks the Microsoft 365 SMTP OAuth2 settings of RAC/M Identity's `config.properties`.
//!
//! The modules form one-way layers: each imports only from the layers below it (`tests/architecture.rs`
//! holds the table and checks it).
//!
//! | layer | modules | what they own |
//! |---|---|---|
//! | 0 | `text`, `i18n`, `keys` | leaf helpers: text, language, key patterns and secret-key names |
//! | 1 | `properties` | bytes to what Java sees, with spans; the winning settings; lines and columns |
//! | 2 | `values`, `secrets` | the meaning of single values; what is secret and how it is hidden |
//! | 3 | `catalog` | the rules as data, loading them, which run at which severity |
//! | 4 | `diagnostic` | what is reported, and the one builder of diagnostics |
//! | 5 | `checks` | how rules check: one file per family, one registry |
//! | 6 | `engine` | running the rules on a file: lint, suppressions, fixes |
//! | 7 | `online`, `render`, `docs` | the network; the outputs; the rule documentation |
//! | 8 | `app` | the commands: configuration, inputs, lint, show, template, file writes |
//! | 9 | `cli` | the command line (clap), and exit codes |

pub mod i18n;
pub mod keys;
pub mod text;

pub mod properties;

pub mod secrets;
pub mod values;

pub mod catalog;

pub mod diagnostic;

pub mod checks;

pub mod engine;

pub mod docs;
pub mod online;
pub mod render;

pub mod app;

pub mod cli;
