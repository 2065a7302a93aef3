//! Checks a Quartz cron expression: `sec min hour day-of-month month day-of-week [year]`.

use std::ops::Range;

/// Why an expression is not a valid Quartz cron expression, and where (a byte range in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    pub field: Option<&'static str>,
    pub span: Range<usize>,
    pub reason: CronReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CronReason {
    /// Not 6 or 7 fields.
    FieldCount(usize),
    /// A field's syntax or range is wrong.
    BadField,
    /// Day-of-month and day-of-week must have exactly one `?`.
    QuestionMark,
}

struct FieldSpec {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// Extra tokens allowed (`?`, `L`, `W`, `#`).
    special: &'static str,
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: [FieldSpec; 7] = [
    FieldSpec {
        name: "seconds",
        min: 0,
        max: 59,
        names: &[],
        special: "",
    },
    FieldSpec {
        name: "minutes",
        min: 0,
        max: 59,
        names: &[],
        special: "",
    },
    FieldSpec {
        name: "hours",
        min: 0,
        max: 23,
        names: &[],
        special: "",
    },
    FieldSpec {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        special: "?LW",
    },
    FieldSpec {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
        special: "",
    },
    FieldSpec {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: DAYS,
        special: "?L#",
    },
    FieldSpec {
        name: "year",
        min: 1970,
        max: 2099,
        names: &[],
        special: "",
    },
];

/// Validates `expr`; on error, says which field and where.
pub fn validate(expr: &str) -> Result<(), CronError> {
    let fields: Vec<(usize, &str)> = expr
        .split([' ', '\t'])
        .scan(0usize, |offset, part| {
            let at = *offset;
            *offset += part.len() + 1;
            Some((at, part))
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if !(6..=7).contains(&fields.len()) {
        return Err(CronError {
            field: None,
            span: 0..expr.len(),
            reason: CronReason::FieldCount(fields.len()),
        });
    }
    for (spec, (at, text)) in FIELDS.iter().zip(&fields) {
        if !field_ok(spec, text) {
            return Err(CronError {
                field: Some(spec.name),
                span: *at..at + text.len(),
                reason: CronReason::BadField,
            });
        }
    }
    let (dom_at, dom) = fields[3];
    let (dow_at, dow) = fields[5];
    if (dom == "?") == (dow == "?") {
        let (at, text) = if dom == "?" {
            (dom_at, dom)
        } else {
            (dow_at, dow)
        };
        return Err(CronError {
            field: Some(if dom == "?" {
                "day-of-month"
            } else {
                "day-of-week"
            }),
            span: at..at + text.len(),
            reason: CronReason::QuestionMark,
        });
    }
    Ok(())
}

fn field_ok(spec: &FieldSpec, text: &str) -> bool {
    if text == "?" {
        return spec.special.contains('?');
    }
    text.split(',').all(|part| part_ok(spec, part))
}

fn part_ok(spec: &FieldSpec, part: &str) -> bool {
    let upper = part.to_ascii_uppercase();
    let part = upper.as_str();
    if spec.special.contains('L') && (part == "L" || part == "LW" || part.starts_with("L-")) {
        return part.len() <= 2 || value_ok(spec, &part[2..]);
    }
    if spec.special.contains('W') && part.ends_with('W') && part.len() > 1 {
        return value_ok(spec, &part[..part.len() - 1]);
    }
    if spec.special.contains('#')
        && let Some((day, nth)) = part.split_once('#')
    {
        return value_ok(spec, day) && matches!(nth, "1" | "2" | "3" | "4" | "5");
    }
    if spec.special.contains('L') && part.ends_with('L') && part.len() > 1 {
        return value_ok(spec, &part[..part.len() - 1]);
    }
    let (range, step) = match part.split_once('/') {
        Some((range, step)) => (range, Some(step)),
        None => (part, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(n) if n >= 1 && n <= spec.max.max(1) => {}
            _ => return false,
        }
    }
    if range == "*" {
        return true;
    }
    match range.split_once('-') {
        Some((from, to)) => value_ok(spec, from) && value_ok(spec, to),
        None => value_ok(spec, range),
    }
}

fn value_ok(spec: &FieldSpec, text: &str) -> bool {
    if let Some(i) = spec.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return u32::try_from(i).is_ok();
    }
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && text
            .parse::<u32>()
            .is_ok_and(|n| (spec.min..=spec.max).contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_default_is_valid() {
        assert_eq!(validate("0 */5 * ? * * *"), Ok(()));
        assert_eq!(validate("0 */5 * ? * *"), Ok(()));
        assert_eq!(validate("0 0 12 ? * MON-FRI"), Ok(()));
        assert_eq!(validate("0 15 10 L * ?"), Ok(()));
        assert_eq!(validate("0 15 10 ? * 6#3"), Ok(()));
        assert_eq!(validate("0 0/30 8-17 1,15 JAN-DEC ? 2030"), Ok(()));
    }

    #[test]
    fn errors_point_at_the_field() {
        let e = validate("*/5 * * * *").unwrap_err();
        assert_eq!(e.reason, CronReason::FieldCount(5));
        let e = validate("0 */5 * * * *").unwrap_err();
        assert_eq!(e.reason, CronReason::QuestionMark);
        let e = validate("0 61 * ? * *").unwrap_err();
        assert_eq!((e.field, e.span), (Some("minutes"), 2..4));
        let e = validate("0 0 25 ? * *").unwrap_err();
        assert_eq!(e.field, Some("hours"));
        let e = validate("0 0 1 ? * * 1800").unwrap_err();
        assert_eq!(e.field, Some("year"));
    }
}
