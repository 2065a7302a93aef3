//! Checks of one value against another key's: the same value where they must differ, a different one where
//! they must agree.

use super::{KeyCheck, OnKey, value_label};
use crate::catalog::spec::{DiffersFromKey, SameAsKey, SameAsTenant};
use crate::diagnostic::{Finding, Label};
use crate::secrets::displayable;
use crate::text::is_placeholder;
use crate::text::quote_for_display;
use crate::values::java::is_address;
use crate::values::token_url::{self, Tenant};

/// `same_as_key`: fires when the value equals the (non-empty) value of key `other` (ignoring case with
/// `ignore_case`).
impl KeyCheck for SameAsKey {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let value = on.value();
        match on.ctx.value(&self.other) {
            Some(o)
                if !o.is_empty()
                    && (o == value || (self.ignore_case && o.eq_ignore_ascii_case(value))) =>
            {
                let mut f = Finding::default().var("other", self.other.clone());
                f.labels.extend(value_label(on.ctx, &self.other));
                vec![f]
            }
            _ => vec![],
        }
    }
}

/// `differs_from_key`: fires when the value differs from the address in key `other` and is not a configured
/// sender alias; silent when `other` holds no address, which its own rules report.
impl KeyCheck for DiffersFromKey {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let (value, other) = (on.value(), &self.other);
        let Some(o) = on.ctx.settings.get(other) else {
            return vec![];
        };
        // Nothing to compare with: the other key's own rules report it.
        if o.value().trim().is_empty() || is_placeholder(o.value()) || !is_address(o.value()) {
            return vec![];
        }
        let differs = if self.ignore_case {
            !o.value().eq_ignore_ascii_case(value)
        } else {
            o.value() != value
        };
        let alias = on
            .ctx
            .policy
            .sender_aliases
            .iter()
            .any(|a| a.eq_ignore_ascii_case(value));
        if !differs || alias {
            return vec![];
        }
        let other_value = quote_for_display(displayable(other, o.value()));
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
    }
}

/// `same_as_tenant`: fires when the value equals the tenant GUID of the token URL in key `token_url` (the
/// tenant ID pasted where the application ID belongs).
impl KeyCheck for SameAsTenant {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let tenant = on
            .ctx
            .value(&self.token_url)
            .and_then(|u| token_url::parse(u).ok())
            .and_then(|t| t.tenant);
        match tenant {
            Some(Tenant::Guid(g)) if g.eq_ignore_ascii_case(on.value()) => {
                let mut f = Finding::default();
                f.labels.extend(value_label(on.ctx, &self.token_url));
                vec![f]
            }
            _ => vec![],
        }
    }
}
