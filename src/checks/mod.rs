//! The check functions that rules name. Rules (in `rules/*.toml`) say *what* to check; these functions say
//! *how*. Each function is implemented, and documented, in the file of its family, on the options the
//! catalog reads for it; [`function`] is the one list that ties each [`Check`] to its implementation.
//!
//! Families: `value` (one value as Java reads it), `entry` (one entry's text as written), `cross_key` (one
//! value against another key's), `cloud` (hosts, token URL, scope and the clouds table), `file` (the whole
//! file).

mod cloud;
mod cross_key;
mod entry;
mod file;
mod value;

use regex_lite::Regex;

use crate::catalog::{Check, RuleSet};
use crate::diagnostic::{Edit, Finding, Label};
use crate::i18n::Lang;
use crate::keys::KeyPattern;
use crate::properties::{Document, Entry, Settings};

/// Organisation policy that checks take into account (from `.racm-lint.toml`).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The cloud the organisation uses; other clouds are errors.
    pub expected_cloud: Option<String>,
    /// Sender addresses known to be good aliases of the user (compared case-insensitively).
    pub sender_aliases: Vec<String>,
}

/// What a check function can see of the file.
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

/// What a check on one key sees: the file, the key, the entry that wins for it, and its rule's compiled
/// patterns.
pub struct OnKey<'x> {
    pub ctx: &'x Context<'x, 'x, 'x>,
    pub key: &'x str,
    pub entry: &'x Entry<'x>,
    pub patterns: &'x [Regex],
}

impl OnKey<'_> {
    /// The value as Java reads it.
    pub fn value(&self) -> &str {
        self.entry.value()
    }
}

/// A check run on the winning entry of each key its rule names.
pub trait KeyCheck {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding>;
    /// Whether its findings can carry a safe fix.
    fn fixable(&self) -> bool {
        false
    }
}

/// A check run once on the whole file; `keys` are its rule's key patterns (`mail.*`).
pub trait FileCheck {
    fn run(&self, ctx: &Context<'_, '_, '_>, keys: &[KeyPattern]) -> Vec<Finding>;
    /// Whether its findings can carry a safe fix.
    fn fixable(&self) -> bool {
        false
    }
}

/// How a rule's check runs.
pub enum Function<'c> {
    /// On each key the rule names.
    Key(&'c dyn KeyCheck),
    /// Once on the whole file.
    File(&'c dyn FileCheck),
    /// Never by the engine's rule loop: suppression findings come from the engine itself, live findings from
    /// `online`.
    Elsewhere,
}

impl Function<'_> {
    /// Whether the check works on the whole file (true) or on each key the rule names.
    pub fn is_file_wide(&self) -> bool {
        matches!(self, Function::File(_))
    }

    /// Whether findings of this check can come with a safe fix.
    pub fn fixable(&self) -> bool {
        match self {
            Function::Key(check) => check.fixable(),
            Function::File(check) => check.fixable(),
            Function::Elsewhere => false,
        }
    }
}

/// The registry: the implementation of each check function a rule can name. A new function is one variant in
/// `catalog::spec`, one implementation in its family's file, one line here.
pub fn function(check: &Check) -> Function<'_> {
    use Function::{Elsewhere, File, Key};
    match check {
        Check::MalformedUnicodeEscape => File(&file::MalformedUnicodeEscape),
        Check::Utf8Bom => File(&file::Utf8Bom),
        Check::DuplicateKey => File(&file::DuplicateKey),
        Check::UnknownKey => File(&file::UnknownKey),
        Check::MissingKey => File(&file::MissingKey),
        Check::NoSettings => File(&file::NoSettings),
        Check::ContinuedIntoKey => File(&entry::ContinuedIntoKey),
        Check::MissingSeparator => File(&file::MissingSeparator),
        Check::CloudMismatch(c) => File(c),
        Check::NonGlobalCloud(c) => File(c),
        Check::TenantDomainDiffers(c) => File(c),

        Check::NonAscii => Key(&entry::NonAscii),
        Check::DroppedBackslash(c) => Key(c),
        Check::TrailingWhitespace => Key(&entry::TrailingWhitespace),

        Check::NotEqual(c) => Key(c),
        Check::CaseDiffers(c) => Key(c),
        Check::OneOf(c) => Key(c),
        Check::Matches(c) => Key(c),
        Check::IpAddress => Key(&value::IpAddress),
        Check::ContainsWhitespace => Key(&value::ContainsWhitespace),
        Check::NotInteger => Key(&value::NotInteger),
        Check::IntegerOutside(c) => Key(c),
        Check::IntegerIn(c) => Key(c),
        Check::IntegerNotIn(c) => Key(c),
        Check::BooleanFalse => Key(&value::BooleanFalse),
        Check::NotBoolean => Key(&value::NotBoolean),
        Check::Placeholder(c) => Key(c),
        Check::NotAddress => Key(&value::NotAddress),
        Check::NotGuid => Key(&value::NotGuid),
        Check::IsGuid => Key(&value::IsGuid),
        Check::NoShape(c) => Key(c),
        Check::SurroundingWhitespace => Key(&value::SurroundingWhitespace),
        Check::QuartzCron => Key(&value::QuartzCron),

        Check::UnknownHost(c) => Key(c),
        Check::TokenUrl(c) => Key(c),
        Check::Scope(c) => Key(c),

        Check::SameAsKey(c) => Key(c),
        Check::DiffersFromKey(c) => Key(c),
        Check::SameAsTenant(c) => Key(c),

        Check::Suppression | Check::Online => Elsewhere,
    }
}

/// One finding with no details, when `fires`; else none.
fn fires(fires: bool) -> Vec<Finding> {
    if fires {
        vec![Finding::default()]
    } else {
        vec![]
    }
}

/// One finding; with `fix`, it carries the safe fix that drops the value's trailing blanks.
fn fires_fixed_by_dropping_blanks(fix: bool, entry: &Entry<'_>) -> Vec<Finding> {
    vec![Finding {
        edits: if fix {
            drop_trailing_whitespace(entry)
        } else {
            vec![]
        },
        ..Finding::default()
    }]
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
