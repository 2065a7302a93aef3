//! `racm-lint template`: prints a correct `mail.*` block from the IDs the admin copied during setup, checked
//! with the linter's own rules before it is printed.

use super::{Exit, Outcome, print};
use crate::catalog::{RuleSet, Severity};
use crate::checks::Policy;
use crate::engine::Linter;
use crate::i18n::Lang;

/// What the admin gives.
#[derive(Debug, Clone)]
pub struct Template {
    pub tenant: String,
    pub client_id: String,
    pub user: String,
    pub sender: Option<String>,
    /// Cloud name from the clouds table (default: the first, global).
    pub cloud: Option<String>,
    /// SMTP host, for clouds where Microsoft documents none.
    pub smtp_host: Option<String>,
}

/// `racm-lint template`: prints the block, or says what is wrong with the arguments (exit code 2).
pub fn run(builtin: &std::sync::Arc<RuleSet>, t: Template) -> Outcome {
    let mut policy = Policy::default();
    if let Some(sender) = &t.sender {
        // The admin says the sender is an alias: do not warn about it.
        policy.sender_aliases.push(sender.clone());
    }
    let linter = Linter::new(std::sync::Arc::clone(builtin), Lang::En).with_policy(policy);
    match render(builtin, &linter, &t) {
        Ok(block) => print(&block),
        Err(problems) => {
            for problem in problems {
                eprintln!("racm-lint: error: {problem}");
            }
            Err(Exit::Failure)
        }
    }
}

/// The line that stands for the secret until the admin pastes it.
pub const SECRET_PLACEHOLDER: &str = "[secret value, Azure step 6]";

/// A well-formed stand-in secret used only to check the block (never printed).
const STAND_IN_SECRET: &str = "abc8Q~abcdefghijklmnopqrstuvwxyz01234567";

/// Escapes a value for a properties file so that Java reads back exactly `value`.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x0c' => out.push_str("\\f"),
            ' ' if i == 0 => out.push_str("\\ "),
            c if !c.is_ascii() || c.is_ascii_control() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The block, or the problems with the arguments (each naming the key and what is wrong).
pub fn render(rules: &RuleSet, linter: &Linter, t: &Template) -> Result<String, Vec<String>> {
    let cloud_name = t.cloud.as_deref().unwrap_or("global");
    let Some(cloud) = rules.clouds.iter().find(|c| c.name == cloud_name) else {
        let names: Vec<&str> = rules.clouds.iter().map(|c| c.name.as_str()).collect();
        return Err(vec![format!(
            "--cloud: unknown cloud `{cloud_name}`: expected one of {}",
            names.join(", ")
        )]);
    };
    let Some(smtp_host) = t
        .smtp_host
        .clone()
        .or_else(|| cloud.smtp_hosts.first().cloned())
    else {
        return Err(vec![format!(
            "--smtp-host: Microsoft documents no SMTP host for the {} cloud: give it with --smtp-host",
            cloud.en
        )]);
    };
    let token_host = cloud.token_hosts.first().cloned().unwrap_or_default();
    let resource = cloud.scope_resources.first().cloned().unwrap_or_default();
    let sender = t.sender.clone().unwrap_or_else(|| t.user.clone());
    let block = |secret: &str| {
        format!(
            "# Microsoft 365 SMTP OAuth2 for RAC/M Identity (racm-lint template)\n\
             mail.auth.protocol=oauth2\n\
             mail.server.host={}\n\
             mail.server.port=587\n\
             mail.server.starttls.enable=true\n\
             mail.server.user={}\n\
             mail.oauth2.token.url=https://{}/{}/oauth2/v2.0/token\n\
             mail.oauth2.client.id={}\n\
             # Paste the secret's Value (not its Secret ID) from Azure step 6, then run racm-lint again.\n\
             mail.oauth2.client.secret={secret}\n\
             mail.oauth2.scopes={}/.default\n\
             mail.option.sender={}\n",
            escape_value(&smtp_host),
            escape_value(&t.user),
            token_host,
            escape_value(&t.tenant),
            escape_value(&t.client_id),
            resource,
            escape_value(&sender),
        )
    };
    let checked = block(STAND_IN_SECRET);
    let mut policy = linter.policy().clone();
    policy.expected_cloud = Some(cloud.name.clone());
    let linter = linter.clone().with_policy(policy);
    let problems: Vec<String> = linter
        .lint(checked.as_bytes())
        .into_iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| {
            let flag = match d.key.as_deref() {
                Some("mail.server.user") => "--user",
                Some("mail.option.sender") => "--sender",
                Some("mail.oauth2.client.id") => "--client-id",
                Some("mail.oauth2.token.url") => "--tenant",
                Some("mail.server.host") => "--smtp-host",
                _ => "racm-lint template",
            };
            format!("{flag}: {} [{}]", d.message, d.code)
        })
        .collect();
    if problems.is_empty() {
        Ok(block(SECRET_PLACEHOLDER))
    } else {
        Err(problems)
    }
}
