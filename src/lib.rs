//! racm-lint: checks the Microsoft 365 SMTP OAuth2 settings of RAC/M Identity's `config.properties`.

pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod engine;
pub mod fix;
pub mod i18n;
pub mod input;
pub mod online;
pub mod reader;
pub mod render;
pub mod rules;
pub mod secrets;
pub mod settings;
pub mod show;
pub mod source;
pub mod suppress;
pub mod template;
pub mod walk;
