//! racm-lint: checks the Microsoft 365 SMTP OAuth2 settings of RAC/M Identity's `config.properties`.

pub mod cli;
pub mod input;
pub mod reader;
pub mod secrets;
pub mod settings;
pub mod show;
pub mod checks;
pub mod diagnostic;
pub mod engine;
pub mod i18n;
pub mod rules;
pub mod source;
pub mod render;
pub mod fix;
pub mod suppress;
pub mod config;
pub mod walk;
pub mod docs;
pub mod online;
pub mod template;
