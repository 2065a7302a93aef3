//! The check functions that rules name, with their options. Rules (in `rules/*.toml`) say *what* to check;
//! these functions say *how*. Each returns the findings it makes; the engine turns them into diagnostics.

pub mod cloud;
pub mod cron;
mod file;
pub use file::BOM_AS_LATIN1;
pub mod scope;
pub mod token_url;
pub mod values;

use serde::Deserialize;

use crate::i18n::Lang;
use crate::reader::{Document, Entry, Span};
use crate::rules::RuleSet;
use crate::secrets::is_secret_key;
use crate::settings::Settings;

/// A check function and its options, as named by a rule's `check = { function = "...", ... }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "function", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    // Whole-file checks.
    /// A malformed `\uXXXX` escape anywhere: Java cannot load the file.
    MalformedUnicodeEscape,
    /// A UTF-8 byte order mark at the start.
    Utf8Bom,
    /// A key given more than once.
    DuplicateKey,
    /// A key under the rule's prefix that the server does not know, compared case-insensitively for the prefix.
    UnknownKey,
    /// Bytes over 0x7F in a value (read as Latin-1).
    NonAscii,
    /// `\x` escapes whose backslash Java drops. `secrets`: apply to secret keys only (true) or to the others.
    DroppedBackslash {
        #[serde(default)]
        secrets: bool,
    },
    /// Unescaped whitespace at the end of a value (never on secret keys: they have their own rule).
    TrailingWhitespace,
    /// A required key is missing (while other keys under the prefix exist).
    MissingKey,
    /// No key under the rule's prefix at all.
    NoSettings,

    // Checks on one value, as Java reads it.
    /// Fires when the value differs from `expected`.
    NotEqual {
        expected: String,
        #[serde(default)]
        ignore_case: bool,
    },
    /// Fires when the value equals one of `expected` ignoring case, but not exactly. Fix: the expected spelling.
    CaseDiffers { expected: Vec<String> },
    /// Fires when the value is one of `values`.
    OneOf {
        values: Vec<String>,
        #[serde(default)]
        ignore_case: bool,
    },
    /// Fires when the regular expression matches the value.
    Matches { pattern: String },
    /// Fires when the value is an IPv4 or IPv6 address.
    IpAddress,
    /// Fires when the value contains whitespace. Fix: remove trailing whitespace when that is all there is.
    ContainsWhitespace,
    /// Fires when the value is none of the hosts of the clouds table for `service` (suggests the nearest).
    UnknownHost {
        service: HostService,
        #[serde(default = "default_max_distance")]
        max_distance: usize,
    },
    /// Fires when `Integer.parseInt` rejects the value.
    NotInteger,
    /// Fires when the value is an integer outside `min..=max`.
    IntegerOutside { min: i64, max: i64 },
    /// Fires when the value is an integer in `values`.
    IntegerIn { values: Vec<i64> },
    /// Fires when the value is an integer not in `values`.
    IntegerNotIn { values: Vec<i64> },
    /// Fires when `Boolean.parseBoolean` reads the value as false.
    BooleanFalse,
    /// Fires when the value is neither `true` nor `false` (any case).
    NotBoolean,
    /// Fires when the value is a template placeholder (or empty, with `empty = true`).
    Placeholder {
        #[serde(default)]
        empty: bool,
    },
    /// Fires when the value is not an address `local@domain`.
    NotAddress,
    /// Fires when the value is not a GUID.
    NotGuid,
    /// Fires when the value is shaped like a GUID.
    IsGuid,
    /// Fires when the value does not match any of the regular expressions (shapes of a secret).
    NoShape { patterns: Vec<String> },
    /// Fires when the value has leading or trailing whitespace.
    SurroundingWhitespace,
    /// Fires when the value equals the value of key `other`.
    SameAsKey {
        other: String,
        #[serde(default)]
        ignore_case: bool,
    },
    /// Fires when the value differs from the address in key `other` (and is not a configured alias); silent
    /// when `other` holds no address, which its own rules report.
    DiffersFromKey {
        other: String,
        #[serde(default)]
        ignore_case: bool,
    },
    /// Token URL checks; `finding` names which.
    TokenUrl { finding: TokenUrlFinding },
    /// Scope checks; `finding` names which.
    Scope { finding: ScopeFinding },
    /// Fires when the value is not a valid Quartz cron expression; points at the bad field.
    QuartzCron,
    /// Fires when the value equals the tenant GUID of the token URL key `token_url`.
    SameAsTenant { token_url: String },

    // Cross-key checks on the cloud table.
    /// The token host, scope resource and SMTP host come from different clouds.
    CloudMismatch {
        token_url: String,
        scopes: String,
        smtp_host: String,
    },
    /// A consistent set for a cloud other than the global one (or other than the configured one).
    NonGlobalCloud {
        token_url: String,
        scopes: String,
        smtp_host: String,
    },
    /// The tenant in the token URL is a domain that differs from the user's domain.
    TenantDomainDiffers { token_url: String, user: String },

    /// Findings about suppression comments, made by the engine after the other rules (never run as a check).
    Suppression,

    /// A finding of the live checks (`--online`), reported by `crate::online`: never run by the offline engine.
    Online,
}

fn default_max_distance() -> usize {
    3
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HostService {
    Smtp,
    Token,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TokenUrlFinding {
    Placeholder,
    Malformed,
    NotHttps,
    NotIdentityHost,
    V1Endpoint,
    BadPath,
    MultiTenant,
    BadTenant,
    NoTenant,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeFinding {
    Delegated,
    Graph,
    Several,
    Invalid,
}

impl Check {
    /// The regular expressions the check uses (compiled and validated when the rule file loads).
    pub fn patterns(&self) -> Vec<&str> {
        match self {
            Check::Matches { pattern } => vec![pattern.as_str()],
            Check::NoShape { patterns } => patterns.iter().map(String::as_str).collect(),
            _ => vec![],
        }
    }

    /// Whether the check works on the whole file (true) or on each key the rule names.
    pub fn is_file_wide(&self) -> bool {
        matches!(
            self,
            Check::MalformedUnicodeEscape
                | Check::Utf8Bom
                | Check::DuplicateKey
                | Check::UnknownKey
                | Check::MissingKey
                | Check::NoSettings
                | Check::CloudMismatch { .. }
                | Check::NonGlobalCloud { .. }
                | Check::TenantDomainDiffers { .. }
                | Check::Suppression
                | Check::Online
        )
    }

    /// Whether findings of this check come with a safe fix.
    pub fn fixable(&self) -> bool {
        matches!(
            self,
            Check::Utf8Bom
                | Check::BooleanFalse
                | Check::TrailingWhitespace
                | Check::CaseDiffers { .. }
                | Check::ContainsWhitespace
        )
    }
}

/// A replacement of a byte range of the file (bytes, since the file is Latin-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: Vec<u8>,
}

/// A secondary place in the file, with what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// What a check function found.
#[derive(Debug, Clone, Default)]
pub struct Finding {
    /// The key the finding is about (for file-wide checks; key checks get the rule's key).
    pub key: Option<String>,
    /// Where to point; `None` for the whole value of the key (or no place, for file-wide checks).
    pub span: Option<Span>,
    /// Where to point inside the value as Java reads it; used when the raw text is the same as the value.
    pub value_range: Option<std::ops::Range<usize>>,
    /// Placeholders for the rule's texts (`{expected}`, `{suggestion}`...).
    pub vars: Vec<(&'static str, String)>,
    /// A short text under the primary place.
    pub label: Option<String>,
    /// Other places involved.
    pub labels: Vec<Label>,
    /// Extra notes (already in the output language).
    pub notes: Vec<String>,
    /// A safe fix.
    pub edits: Vec<Edit>,
}

impl Finding {
    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.vars.push((name, value.into()));
        self
    }
}

/// Organisation policy that checks take into account (from `.racm-lint.toml`).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The cloud the organisation uses; other clouds are errors.
    pub expected_cloud: Option<String>,
    /// Sender addresses known to be good aliases of the user (compared case-insensitively).
    pub sender_aliases: Vec<String>,
}

/// What a check function can see.
pub struct Context<'c, 'd, 'a> {
    pub doc: &'d Document<'a>,
    pub settings: &'c Settings<'d, 'a>,
    pub rules: &'c RuleSet,
    pub lang: Lang,
    pub policy: &'c Policy,
}

impl Context<'_, '_, '_> {
    /// The value Java uses for `key`, if set.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(|e| e.value())
    }
}

/// Runs a key check on the entry that wins for `key`.
pub fn check_key(
    check: &Check,
    ctx: &Context<'_, '_, '_>,
    key: &str,
    entry: &Entry<'_>,
) -> Vec<Finding> {
    let value: &str = entry.value();
    let lang = ctx.lang;
    let secret = is_secret_key(key);
    let found = |fires: bool| {
        if fires {
            vec![Finding::default()]
        } else {
            vec![]
        }
    };
    match check {
        Check::NotEqual {
            expected,
            ignore_case,
        } => {
            let same = if *ignore_case {
                value.eq_ignore_ascii_case(expected)
            } else {
                value == expected
            };
            if same {
                vec![]
            } else {
                vec![Finding::default().var("expected", format!("`{expected}`"))]
            }
        }
        Check::CaseDiffers { expected } => expected
            .iter()
            .find(|e| value.eq_ignore_ascii_case(e) && value != e.as_str())
            .map(|e| {
                let edits = if entry.is_continued() || !entry.value_escapes().is_empty() {
                    vec![]
                } else {
                    vec![Edit {
                        span: entry.value_span(),
                        replacement: e.as_bytes().to_vec(),
                    }]
                };
                vec![
                    Finding {
                        edits,
                        ..Finding::default()
                    }
                    .var("expected", format!("`{e}`")),
                ]
            })
            .unwrap_or_default(),
        Check::OneOf {
            values,
            ignore_case,
        } => found(values.iter().any(|v| {
            if *ignore_case {
                v.eq_ignore_ascii_case(value)
            } else {
                v == value
            }
        })),
        Check::Matches { .. } => {
            // The compiled pattern is looked up by the engine, which calls `check_pattern`.
            vec![]
        }
        Check::IpAddress => found(value.trim().parse::<std::net::IpAddr>().is_ok()),
        Check::ContainsWhitespace => {
            if !value.chars().any(char::is_whitespace) {
                return vec![];
            }
            let only_trailing =
                value.trim_end() == value.trim() && !value.trim().contains(char::is_whitespace);
            let edits = if only_trailing && !value.trim().is_empty() {
                drop_trailing_whitespace(entry)
            } else {
                vec![]
            };
            vec![Finding {
                edits,
                ..Finding::default()
            }]
        }
        Check::UnknownHost {
            service,
            max_distance,
        } => cloud::unknown_host(ctx, *service, *max_distance, value),
        Check::NotInteger => found(values::java_int(value).is_none()),
        Check::IntegerOutside { min, max } => found(
            values::java_int(value).is_some_and(|n| i64::from(n) < *min || i64::from(n) > *max),
        ),
        Check::IntegerIn { values } => {
            found(values::java_int(value).is_some_and(|n| values.contains(&i64::from(n))))
        }
        Check::IntegerNotIn { values } => {
            found(values::java_int(value).is_some_and(|n| !values.contains(&i64::from(n))))
        }
        Check::BooleanFalse => {
            if values::java_bool(value) {
                return vec![];
            }
            // `true` followed by blanks: dropping the blanks is the fix, and a safe one.
            let edits = if values::java_bool(value.trim_end_matches([' ', '\t', '\x0c'])) {
                drop_trailing_whitespace(entry)
            } else {
                vec![]
            };
            vec![Finding {
                edits,
                ..Finding::default()
            }]
        }
        Check::NotBoolean => {
            found(!value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false"))
        }
        Check::Placeholder { empty } => {
            found((*empty && value.trim().is_empty()) || values::is_placeholder(value))
        }
        Check::NotAddress => found(!values::is_address(value)),
        Check::NotGuid => found(!values::is_guid(value)),
        Check::IsGuid => found(values::is_guid(value.trim())),
        Check::NoShape { .. } => vec![], // needs compiled patterns: see `check_shapes`
        Check::SurroundingWhitespace => found(value != value.trim_matches([' ', '\t', '\x0c'])),
        Check::SameAsKey { other, ignore_case } => match ctx.value(other) {
            Some(o)
                if !o.is_empty()
                    && (o == value || (*ignore_case && o.eq_ignore_ascii_case(value))) =>
            {
                let mut f = Finding::default().var("other", other.clone());
                f.labels.extend(value_label(ctx, other));
                vec![f]
            }
            _ => vec![],
        },
        Check::DiffersFromKey { other, ignore_case } => match ctx.settings.get(other) {
            // Nothing to compare with: the other key's own rules report it.
            Some(o)
                if o.value().trim().is_empty()
                    || values::is_placeholder(o.value())
                    || !values::is_address(o.value()) =>
            {
                vec![]
            }
            Some(o) => {
                let differs = if *ignore_case {
                    !o.value().eq_ignore_ascii_case(value)
                } else {
                    o.value() != value
                };
                let alias = ctx
                    .policy
                    .sender_aliases
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(value));
                if differs && !alias {
                    let other_value = crate::show::quote_for_display(crate::secrets::displayable(
                        other,
                        o.value(),
                    ));
                    vec![
                        Finding {
                            labels: vec![Label {
                                span: o.value_span(),
                                message: format!("`{other}` = {other_value}"),
                            }],
                            ..Finding::default()
                        }
                        .var("other", other.clone())
                        .var("other_value", other_value),
                    ]
                } else {
                    vec![]
                }
            }
            None => vec![],
        },
        Check::TokenUrl { finding } => cloud::token_url(ctx, *finding, value),
        Check::Scope { finding } => cloud::scope(ctx, *finding, value),
        Check::QuartzCron => match cron::validate(value) {
            Ok(()) => vec![],
            Err(error) => {
                let detail = cron_detail(&error, value, lang);
                vec![
                    Finding {
                        value_range: Some(error.span.clone()),
                        label: Some(detail.clone()),
                        ..Finding::default()
                    }
                    .var("detail", detail),
                ]
            }
        },
        Check::SameAsTenant { token_url } => {
            let tenant = ctx
                .value(token_url)
                .and_then(|u| token_url::parse(u).ok())
                .and_then(|t| t.tenant);
            match tenant {
                Some(token_url::Tenant::Guid(g)) if g.eq_ignore_ascii_case(value) => {
                    let mut f = Finding::default();
                    f.labels.extend(value_label(ctx, token_url));
                    vec![f]
                }
                _ => vec![],
            }
        }
        Check::TrailingWhitespace => match &entry.trailing_whitespace() {
            Some(span) if !secret => vec![
                Finding {
                    span: Some(span.clone()),
                    edits: drop_trailing_whitespace(entry),
                    ..Finding::default()
                }
                .var("count", (span.end - span.start).to_string()),
            ],
            _ => vec![],
        },
        Check::NonAscii => file::non_ascii(ctx, key, entry),
        Check::DroppedBackslash { secrets } => {
            if *secrets != secret {
                return vec![];
            }
            file::dropped_backslash(entry, secret)
        }
        // File-wide checks (`is_file_wide`) are run by `check_file`.
        _ => vec![],
    }
}

/// The safe fix that removes a value's unescaped trailing whitespace (none when it has none).
fn drop_trailing_whitespace(entry: &Entry<'_>) -> Vec<Edit> {
    entry
        .trailing_whitespace()
        .map(|span| Edit {
            span,
            replacement: vec![],
        })
        .into_iter()
        .collect()
}

/// A label on the value of another key, named by it (the other side of a comparison).
fn value_label(ctx: &Context<'_, '_, '_>, key: &str) -> Option<Label> {
    ctx.settings.get(key).map(|e| Label {
        span: e.value_span(),
        message: format!("`{key}`"),
    })
}

/// Runs a `matches` check with its compiled pattern.
pub fn check_pattern(pattern: &regex_lite::Regex, value: &str) -> Vec<Finding> {
    if pattern.is_match(value) {
        vec![Finding::default()]
    } else {
        vec![]
    }
}

/// Runs a `no_shape` check: fires when no pattern matches the value (trimmed).
pub fn check_shapes(patterns: &[regex_lite::Regex], value: &str) -> Vec<Finding> {
    let value = value.trim_matches([' ', '\t', '\x0c']);
    if value.is_empty() || patterns.iter().any(|p| p.is_match(value)) {
        vec![]
    } else {
        vec![Finding::default()]
    }
}

/// Runs a file-wide check. `rule_keys` are the rule's key patterns (e.g. `mail.*`).
pub fn check_file(check: &Check, ctx: &Context<'_, '_, '_>, rule_keys: &[String]) -> Vec<Finding> {
    match check {
        Check::MalformedUnicodeEscape => file::malformed_unicode(ctx),
        Check::Utf8Bom => file::bom(ctx),
        Check::DuplicateKey => file::duplicates(ctx, rule_keys),
        Check::UnknownKey => file::unknown_keys(ctx, rule_keys),
        Check::MissingKey => file::missing_keys(ctx, rule_keys),
        Check::NoSettings => file::no_settings(ctx, rule_keys),
        Check::CloudMismatch {
            token_url,
            scopes,
            smtp_host,
        } => cloud::mismatch(ctx, &cloud::Keys::new(token_url, scopes, smtp_host)),
        Check::NonGlobalCloud {
            token_url,
            scopes,
            smtp_host,
        } => cloud::non_global(ctx, &cloud::Keys::new(token_url, scopes, smtp_host)),
        Check::TenantDomainDiffers { token_url, user } => {
            cloud::tenant_domain(ctx, token_url, user)
        }
        _ => vec![],
    }
}

fn cron_detail(error: &cron::CronError, value: &str, lang: Lang) -> String {
    let text = value.get(error.span.clone()).unwrap_or("");
    match (error.reason, lang) {
        (cron::CronReason::FieldCount(n), Lang::En) => {
            format!(
                "{n} fields, where Quartz needs 6 or 7 (seconds minutes hours day-of-month month day-of-week [year])"
            )
        }
        (cron::CronReason::FieldCount(n), Lang::Fr) => format!(
            "{n} champs, alors que Quartz en attend 6 ou 7 (secondes minutes heures jour-du-mois mois jour-de-la-semaine [année])"
        ),
        (cron::CronReason::BadField, Lang::En) => {
            format!(
                "`{text}` is not a valid {} field",
                error.field.unwrap_or("?")
            )
        }
        (cron::CronReason::BadField, Lang::Fr) => {
            format!(
                "`{text}` n'est pas un champ {} valide",
                error.field.unwrap_or("?")
            )
        }
        (cron::CronReason::QuestionMark, Lang::En) => {
            "exactly one of day-of-month and day-of-week must be `?`".to_string()
        }
        (cron::CronReason::QuestionMark, Lang::Fr) => {
            "exactement un des champs jour-du-mois et jour-de-la-semaine doit valoir `?`"
                .to_string()
        }
    }
}
