//! The rule catalog's data model: rules, their check functions with options, severities, setup steps,
//! clouds and known keys, as `rules/*.toml` write them. What each check function does lives in `checks`.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::i18n::Lang;
use crate::keys::{KeyPattern, starts_with_ignore_ascii_case};

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A rule's texts in one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// One line saying what is wrong; may use `{key}`, `{value}` and the check's own placeholders.
    pub message: String,
    /// Why it matters: what the server or Microsoft does with such a value.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    /// A correct line (or block) to copy.
    pub example: String,
}

/// One rule: what it checks, with which function, how serious, which setup step fixes it, and its texts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rule {
    /// Stable code, e.g. `RL101`.
    pub code: String,
    /// Stable kebab-case name, e.g. `auth-protocol-not-oauth2`.
    pub name: String,
    /// The keys it applies to; a trailing `*` matches a prefix (`mail.*`). Empty for file-wide rules.
    #[serde(default)]
    pub keys: Vec<KeyPattern>,
    /// Rules sharing a group on the same key are alternatives: only the first one (in file order) that fires
    /// is reported.
    #[serde(default)]
    pub group: Option<String>,
    /// Reported only when no error was found on the same key (e.g. trailing whitespace, when the typed check
    /// already says the value is wrong).
    #[serde(default)]
    pub unless_error_on_key: bool,
    pub check: Check,
    pub severity: Severity,
    /// The setup step that fixes it (a name from `steps.toml`).
    #[serde(default)]
    pub step: Option<String>,
    /// The texts, in English and French (required in rule files; see [`Rule::texts`]).
    #[serde(default)]
    pub(super) en: Texts,
    #[serde(default)]
    pub(super) fr: Texts,
    /// For a built-in rule: its texts as JSON, parsed on first use (a run reports few rules).
    #[serde(skip)]
    pub(super) lazy_texts: Option<&'static str>,
    #[serde(skip)]
    parsed_texts: OnceLock<Box<LangTexts>>,
}

/// A rule's texts in both languages, as the build script stores them apart.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LangTexts {
    en: Texts,
    fr: Texts,
}

impl Rule {
    pub fn texts(&self, lang: Lang) -> &Texts {
        match self.lazy_texts {
            Some(json) => {
                // The build script wrote this JSON from a file the test suite loads: it parses.
                let both = self
                    .parsed_texts
                    .get_or_init(|| Box::new(serde_json::from_str(json).unwrap_or_default()));
                lang.pick(&both.en, &both.fr)
            }
            None => lang.pick(&self.en, &self.fr),
        }
    }

    /// Whether the rule applies to `key` (as Java compares keys).
    pub fn applies_to(&self, key: &str) -> bool {
        self.keys.iter().any(|pattern| pattern.matches(key))
    }

    /// Whether `selector` (a code, a name, or a code prefix such as `RL1`; codes in any case, as everywhere
    /// else a rule is named) designates this rule.
    pub fn is_selected_by(&self, selector: &str) -> bool {
        selector == self.name
            || (!selector.is_empty() && starts_with_ignore_ascii_case(&self.code, selector))
    }
}

/// A step of the vendor's setup guide, cited by diagnostics.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: String,
    pub en: String,
    pub fr: String,
}

impl Step {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.fr)
    }
}

/// A Microsoft cloud: the hosts and resource that belong together.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cloud {
    pub name: String,
    pub en: String,
    pub fr: String,
    pub token_hosts: Vec<String>,
    pub scope_resources: Vec<String>,
    /// Empty when Microsoft documents no SMTP host for this cloud.
    #[serde(default)]
    pub smtp_hosts: Vec<String>,
}

impl Cloud {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.fr)
    }
}

/// A `mail.*` key RAC/M Identity knows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KnownKey {
    pub name: String,
    /// Whether the server needs it for Microsoft 365 OAuth2 mail.
    #[serde(default)]
    pub required: bool,
    /// The line to add when it is missing (placeholders in brackets).
    pub template: String,
}

/// A check function and its options, as named by a rule's `check = { function = "...", ... }`. The options
/// of each function are a struct of their own, so that `checks` can implement the function on them; what a
/// function does is documented where `checks` implements it.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "function", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    // Whole-file checks.
    MalformedUnicodeEscape,
    Utf8Bom,
    DuplicateKey,
    UnknownKey,
    MissingKey,
    NoSettings,
    ContinuedIntoKey,
    MissingSeparator,
    CloudMismatch(CloudMismatch),
    NonGlobalCloud(NonGlobalCloud),
    TenantDomainDiffers(TenantDomainDiffers),

    // Checks on the raw text of one entry.
    NonAscii,
    DroppedBackslash(DroppedBackslash),
    TrailingWhitespace,

    // Checks on one value, as Java reads it.
    NotEqual(NotEqual),
    CaseDiffers(CaseDiffers),
    OneOf(OneOf),
    Matches(Matches),
    IpAddress,
    ContainsWhitespace,
    UnknownHost(UnknownHost),
    NotInteger,
    IntegerOutside(IntegerOutside),
    IntegerIn(IntegerIn),
    IntegerNotIn(IntegerNotIn),
    BooleanFalse,
    NotBoolean,
    Placeholder(Placeholder),
    NotAddress,
    NotGuid,
    IsGuid,
    NoShape(NoShape),
    SurroundingWhitespace,
    TokenUrl(TokenUrl),
    Scope(Scope),
    QuartzCron,

    // Checks of one value against another key's.
    SameAsKey(SameAsKey),
    DiffersFromKey(DiffersFromKey),
    SameAsTenant(SameAsTenant),

    /// Findings about suppression comments, made by the engine after the other rules (never run as a check).
    Suppression,
    /// A finding of the live checks (`--online`), made by `crate::online`: never run by the offline engine.
    Online,
}

impl Check {
    /// The regular expressions the check uses (compiled and validated when the rule file loads).
    pub fn patterns(&self) -> Vec<&str> {
        match self {
            Check::Matches(m) => vec![m.pattern.as_str()],
            Check::NoShape(s) => s.patterns.iter().map(String::as_str).collect(),
            _ => vec![],
        }
    }
}

/// `dropped_backslash`: `secrets` says whether the rule is for secret keys (true) or for the others.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DroppedBackslash {
    #[serde(default)]
    pub secrets: bool,
}

/// `not_equal`: the one value that is right.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotEqual {
    pub expected: String,
    #[serde(default)]
    pub ignore_case: bool,
}

/// `case_differs`: the right spellings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDiffers {
    pub expected: Vec<String>,
}

/// `one_of`: the values that fire.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOf {
    pub values: Vec<String>,
    #[serde(default)]
    pub ignore_case: bool,
}

/// `matches`: a regular expression (regex-lite syntax).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matches {
    pub pattern: String,
}

/// `unknown_host`: which hosts of the clouds table, and how far a typo may be from one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnknownHost {
    pub service: HostService,
    #[serde(default = "default_max_distance")]
    pub max_distance: usize,
}

fn default_max_distance() -> usize {
    3
}

/// `integer_outside`: the range that is right.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegerOutside {
    pub min: i64,
    pub max: i64,
}

/// `integer_in`: the integers that fire.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegerIn {
    pub values: Vec<i64>,
}

/// `integer_not_in`: the integers that are right.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegerNotIn {
    pub values: Vec<i64>,
}

/// `placeholder`: whether an empty value counts as one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placeholder {
    #[serde(default)]
    pub empty: bool,
}

/// `no_shape`: the regular expressions of the shapes that are right.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoShape {
    pub patterns: Vec<String>,
}

/// `same_as_key`: the other key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameAsKey {
    pub other: String,
    #[serde(default)]
    pub ignore_case: bool,
}

/// `differs_from_key`: the other key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffersFromKey {
    pub other: String,
    #[serde(default)]
    pub ignore_case: bool,
}

/// `token_url`: which of the token URL findings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenUrl {
    pub finding: TokenUrlFinding,
}

/// `scope`: which of the scope findings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    pub finding: ScopeFinding,
}

/// `same_as_tenant`: the token URL key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameAsTenant {
    pub token_url: String,
}

/// `cloud_mismatch`: the three keys whose values must come from the same cloud.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudMismatch {
    pub token_url: String,
    pub scopes: String,
    pub smtp_host: String,
}

/// `non_global_cloud`: the three keys whose values say which cloud is used.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonGlobalCloud {
    pub token_url: String,
    pub scopes: String,
    pub smtp_host: String,
}

/// `tenant_domain_differs`: the token URL key and the user key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantDomainDiffers {
    pub token_url: String,
    pub user: String,
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
