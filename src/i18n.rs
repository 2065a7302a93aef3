//! The language of the output, and the phrases shared by all rules (summary line, notes, step titles' labels).

/// The language messages are written in, chosen once per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// The language from the environment: `LC_ALL`, then `LC_MESSAGES`, then `LANG`; the first one set and
    /// non-empty decides, and any value starting with `fr` means French.
    pub fn from_env() -> Lang {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// As [`Lang::from_env`], reading variables through `get` (for tests).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(value) = get(name).filter(|v| !v.is_empty()) {
                return if value.to_ascii_lowercase().starts_with("fr") {
                    Lang::Fr
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }

    /// The English or the French one of a pair.
    pub fn pick<'t, T: ?Sized>(self, en: &'t T, fr: &'t T) -> &'t T {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

/// A phrase that is not specific to one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    /// "Java reads this value as {value}"
    JavaReadsAs,
    /// "`#` is not a comment in a value..."
    InlineComment,
    /// "fix: ..."
    FixLabel,
    /// "setup step: ..."
    StepLabel,
    /// Label of the earlier duplicate.
    EarlierDuplicate,
    /// Label of the duplicate that wins.
    LaterDuplicateWins,
    /// "the server cannot read the file"...
    SummaryClean,
    /// Words of the summary line.
    Error,
    Errors,
    Warning,
    Warnings,
    Info,
    Infos,
    File,
    Files,
    /// "fixable with --fix"
    Fixable,
    /// "value is a secret: not shown"
    SecretNotShown,
    /// Label under a value in a mismatch.
    ThisValue,
}

impl Phrase {
    /// The phrase in `lang`; `{value}`-style placeholders are filled by the caller.
    pub fn text(self, lang: Lang) -> &'static str {
        use Phrase::*;
        match (self, lang) {
            (JavaReadsAs, Lang::En) => "Java reads this value as {value}",
            (JavaReadsAs, Lang::Fr) => "Java lit cette valeur comme {value}",
            (InlineComment, Lang::En) => {
                "`#` and `!` start a comment only at the beginning of a line: here they are part of the value"
            }
            (InlineComment, Lang::Fr) => {
                "`#` et `!` ne commencent un commentaire qu'en début de ligne : ici, ils font partie de la valeur"
            }
            (FixLabel, Lang::En) => "fix",
            (FixLabel, Lang::Fr) => "correction",
            (StepLabel, Lang::En) => "setup step",
            (StepLabel, Lang::Fr) => "étape de configuration",
            (EarlierDuplicate, Lang::En) => "first set here (ignored)",
            (EarlierDuplicate, Lang::Fr) => "première définition ici (ignorée)",
            (LaterDuplicateWins, Lang::En) => "this later value is the one the server uses",
            (LaterDuplicateWins, Lang::Fr) => {
                "c'est cette valeur, la dernière, que le serveur utilise"
            }
            (SummaryClean, Lang::En) => "no problems found",
            (SummaryClean, Lang::Fr) => "aucun problème trouvé",
            (Error, Lang::En) => "error",
            (Error, Lang::Fr) => "erreur",
            (Errors, Lang::En) => "errors",
            (Errors, Lang::Fr) => "erreurs",
            (Warning, Lang::En) => "warning",
            (Warning, Lang::Fr) => "avertissement",
            (Warnings, Lang::En) => "warnings",
            (Warnings, Lang::Fr) => "avertissements",
            (Info, Lang::En) => "info",
            (Info, Lang::Fr) => "info",
            (Infos, Lang::En) => "infos",
            (Infos, Lang::Fr) => "infos",
            (File, Lang::En) => "file",
            (File, Lang::Fr) => "fichier",
            (Files, Lang::En) => "files",
            (Files, Lang::Fr) => "fichiers",
            (Fixable, Lang::En) => "fixable with --fix",
            (Fixable, Lang::Fr) => "corrigeable avec --fix",
            (SecretNotShown, Lang::En) => "secret value, not shown",
            (SecretNotShown, Lang::Fr) => "valeur secrète, non affichée",
            (ThisValue, Lang::En) => "this value",
            (ThisValue, Lang::Fr) => "cette valeur",
        }
    }
}

/// " — did you mean `x`?" in the output language, or nothing when no candidate is close enough.
pub fn did_you_mean(lang: Lang, suggestion: Option<&str>) -> String {
    match (suggestion, lang) {
        (Some(s), Lang::En) => format!("; did you mean `{s}`?"),
        (Some(s), Lang::Fr) => format!(" ; vouliez-vous dire `{s}` ?"),
        (None, _) => String::new(),
    }
}

/// Fills `{name}` placeholders in `template` from `vars`; unknown placeholders are left as they are.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_posix_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_string())
            }
        };
        assert_eq!(Lang::from_vars(env(&[("LANG", "fr_CA.UTF-8")])), Lang::Fr);
        assert_eq!(
            Lang::from_vars(env(&[("LANG", "fr_CA.UTF-8"), ("LC_ALL", "en_US")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_vars(env(&[("LC_MESSAGES", "fr"), ("LANG", "en_US")])),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_vars(env(&[("LC_ALL", ""), ("LANG", "fr_FR")])),
            Lang::Fr
        );
        assert_eq!(Lang::from_vars(env(&[])), Lang::En);
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        let vars = [("value", "\"x\"".to_string())];
        assert_eq!(fill("got {value}, {other}", &vars), "got \"x\", {other}");
        assert_eq!(fill("open { brace", &vars), "open { brace");
    }
}
