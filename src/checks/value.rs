//! Checks on one value, as Java reads it: exact values, spellings, integers, booleans, shapes, cron.

use super::{KeyCheck, OnKey, fires, fires_fixed_by_dropping_blanks};
use crate::catalog::spec::{
    CaseDiffers, IntegerIn, IntegerNotIn, IntegerOutside, Matches, NoShape, NotEqual, OneOf,
    Placeholder,
};
use crate::diagnostic::{Edit, Finding};
use crate::i18n::Lang;
use crate::text::is_placeholder;
use crate::values::{cron, java};

/// `not_equal`: fires when the value differs from `expected` (ignoring case with `ignore_case`).
impl KeyCheck for NotEqual {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        let same = if self.ignore_case {
            value.eq_ignore_ascii_case(&self.expected)
        } else {
            value == self.expected
        };
        if same {
            vec![]
        } else {
            vec![Finding::default().var("expected", format!("`{}`", self.expected))]
        }
    }
}

/// `case_differs`: fires when the value equals one of `expected` ignoring case, but not exactly. Fix: the
/// expected spelling (when the value is written plainly, on one line).
impl KeyCheck for CaseDiffers {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let (value, entry) = (on.value(), on.entry);
        self.expected
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
            .unwrap_or_default()
    }

    fn fixable(&self) -> bool {
        true
    }
}

/// `one_of`: fires when the value is one of `values` (ignoring case with `ignore_case`).
impl KeyCheck for OneOf {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        fires(self.values.iter().any(|v| {
            if self.ignore_case {
                v.eq_ignore_ascii_case(value)
            } else {
                v == value
            }
        }))
    }
}

/// `matches`: fires when the regular expression `pattern` matches the value.
impl KeyCheck for Matches {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        on.patterns
            .first()
            .map(|pattern| fires(pattern.is_match(on.value())))
            .unwrap_or_default()
    }
}

/// `no_shape`: fires when none of the regular expressions `patterns` matches the value (trimmed); silent on
/// an empty value.
impl KeyCheck for NoShape {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value().trim_matches([' ', '\t', '\x0c']);
        fires(!value.is_empty() && !on.patterns.iter().any(|p| p.is_match(value)))
    }
}

/// `ip_address`: fires when the value is an IPv4 or IPv6 address.
pub struct IpAddress;

impl KeyCheck for IpAddress {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(on.value().trim().parse::<std::net::IpAddr>().is_ok())
    }
}

/// `contains_whitespace`: fires when the value contains whitespace. Fix: remove trailing whitespace when
/// that is all there is.
pub struct ContainsWhitespace;

impl KeyCheck for ContainsWhitespace {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        if !value.chars().any(char::is_whitespace) {
            return vec![];
        }
        let only_trailing =
            value.trim_end() == value.trim() && !value.trim().contains(char::is_whitespace);
        fires_fixed_by_dropping_blanks(only_trailing && !value.trim().is_empty(), on.entry)
    }

    fn fixable(&self) -> bool {
        true
    }
}

/// `not_integer`: fires when `Integer.parseInt` rejects the value.
pub struct NotInteger;

impl KeyCheck for NotInteger {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(java::java_int(on.value()).is_none())
    }
}

/// `integer_outside`: fires when the value is an integer outside `min..=max`.
impl KeyCheck for IntegerOutside {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(
            java::java_int(on.value())
                .is_some_and(|n| i64::from(n) < self.min || i64::from(n) > self.max),
        )
    }
}

/// `integer_in`: fires when the value is an integer in `values`.
impl KeyCheck for IntegerIn {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(java::java_int(on.value()).is_some_and(|n| self.values.contains(&i64::from(n))))
    }
}

/// `integer_not_in`: fires when the value is an integer not in `values`.
impl KeyCheck for IntegerNotIn {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(java::java_int(on.value()).is_some_and(|n| !self.values.contains(&i64::from(n))))
    }
}

/// `boolean_false`: fires when `Boolean.parseBoolean` reads the value as false. Fix: `true` followed by
/// blanks loses the blanks.
pub struct BooleanFalse;

impl KeyCheck for BooleanFalse {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        if java::java_bool(value) {
            return vec![];
        }
        // `true` followed by blanks: dropping the blanks is the fix, and a safe one.
        let blanks_only = java::java_bool(value.trim_end_matches([' ', '\t', '\x0c']));
        fires_fixed_by_dropping_blanks(blanks_only, on.entry)
    }

    fn fixable(&self) -> bool {
        true
    }
}

/// `not_boolean`: fires when the value is neither `true` nor `false` (any case).
pub struct NotBoolean;

impl KeyCheck for NotBoolean {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        fires(!value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false"))
    }
}

/// `placeholder`: fires when the value is a template placeholder (or empty, with `empty = true`).
impl KeyCheck for Placeholder {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        fires((self.empty && value.trim().is_empty()) || is_placeholder(value))
    }
}

/// `not_address`: fires when the value is not an address `local@domain`.
pub struct NotAddress;

impl KeyCheck for NotAddress {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(!java::is_address(on.value()))
    }
}

/// `not_guid`: fires when the value is not a GUID.
pub struct NotGuid;

impl KeyCheck for NotGuid {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(!java::is_guid(on.value()))
    }
}

/// `is_guid`: fires when the value (trimmed) is shaped like a GUID.
pub struct IsGuid;

impl KeyCheck for IsGuid {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        fires(java::is_guid(on.value().trim()))
    }
}

/// `surrounding_whitespace`: fires when the value has leading or trailing blanks.
pub struct SurroundingWhitespace;

impl KeyCheck for SurroundingWhitespace {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        fires(value != value.trim_matches([' ', '\t', '\x0c']))
    }
}

/// `quartz_cron`: fires when the value is not a valid Quartz cron expression; points at the bad field.
pub struct QuartzCron;

impl KeyCheck for QuartzCron {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        match cron::validate(value) {
            Ok(()) => vec![],
            Err(error) => {
                let detail = cron_detail(&error, value, on.ctx.lang);
                vec![
                    Finding {
                        value_range: Some(error.span.clone()),
                        label: Some(detail.clone()),
                        ..Finding::default()
                    }
                    .var("detail", detail),
                ]
            }
        }
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
