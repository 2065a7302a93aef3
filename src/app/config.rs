//! `.racm-lint.toml`: per-project settings, found from each file's directory upwards.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic as MietteDiagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::catalog::selection::names_a_rule;
use crate::catalog::{RuleFileError, RuleSet, Selection, Severity};
use crate::checks::Policy;
use crate::i18n::{Lang, did_you_mean};
use crate::render::Format;
use crate::text::nearest;

/// The name of the configuration file.
pub const FILE_NAME: &str = ".racm-lint.toml";

/// A rule's level in the configuration: a severity, or `off`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// The file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Output format (as `--format`).
    #[serde(default)]
    pub format: Option<Spanned<String>>,
    /// Language of the messages.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Only these rules (codes, code prefixes or names).
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    /// Never these rules.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Per-rule level: `error`, `warning`, `info` or `off`.
    #[serde(default)]
    pub severity: HashMap<Spanned<String>, Level>,
    /// The Microsoft cloud the organisation uses (`global`, `gcc-high`, `dod`, `china`).
    #[serde(default)]
    pub cloud: Option<Spanned<String>>,
    /// Sender addresses known to be enabled aliases of the user.
    #[serde(default)]
    pub sender_aliases: Vec<String>,
    /// Directories of extra rule files (same format as the built-in `rules/`), relative to this file.
    #[serde(default)]
    pub rule_dirs: Vec<Spanned<String>>,
}

/// A configuration file that cannot be used, pointing into it.
#[derive(Debug, thiserror::Error, MietteDiagnostic)]
#[error("{path}: {message}")]
#[diagnostic(
    code(racm_lint::config),
    help("see the README's Configuration section")
)]
pub struct ConfigError {
    pub path: String,
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
}

/// What a configuration file amounts to.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it was read from (`None` for the defaults).
    pub path: Option<PathBuf>,
    pub format: Option<Format>,
    pub lang: Option<Lang>,
    pub selection: Selection,
    pub policy: Policy,
    /// The rules: built-in plus the configured directories.
    pub rules: Arc<RuleSet>,
}

/// Why configuration could not be loaded.
#[derive(Debug, thiserror::Error, MietteDiagnostic)]
pub enum LoadError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] Box<ConfigError>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] Box<RuleFileError>),
    #[error("{path}: cannot read: {error}")]
    Io { path: String, error: std::io::Error },
}

impl Config {
    /// The defaults: built-in rules, every rule at its own severity.
    pub fn defaults(builtin: &Arc<RuleSet>) -> Config {
        Config {
            path: None,
            format: None,
            lang: None,
            selection: Selection::default(),
            policy: Policy::default(),
            rules: Arc::clone(builtin),
        }
    }

    /// Reads and checks a configuration file.
    pub fn load(path: &Path, builtin: &Arc<RuleSet>) -> Result<Config, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|error| LoadError::Io {
            path: path.display().to_string(),
            error,
        })?;
        let shown = path.display().to_string();
        // An error shows lines of the file: if it is a properties file given by mistake, its secrets stay hidden.
        let excerpt = shown_without_secrets(&text);
        let error = |message: String, span: Option<std::ops::Range<usize>>| {
            Box::new(ConfigError {
                path: shown.clone(),
                message,
                source_code: NamedSource::new(shown.clone(), excerpt.clone()),
                span: span.map(Into::into),
            })
        };
        let file: ConfigFile =
            toml::from_str(&text).map_err(|e| error(e.message().trim().to_string(), e.span()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let rules = load_rules(&file, base, builtin, &error)?;
        validate(&file, &rules, &error)?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            format: file.format.and_then(|f| Format::from_name(f.get_ref())),
            lang: file.lang,
            selection: Selection {
                select: file.select.into_iter().map(Spanned::into_inner).collect(),
                ignore: file.ignore.into_iter().map(Spanned::into_inner).collect(),
                severity: file
                    .severity
                    .into_iter()
                    .map(|(k, v)| (k.into_inner(), v.severity()))
                    .collect(),
            },
            policy: Policy {
                expected_cloud: file.cloud.map(Spanned::into_inner),
                sender_aliases: file.sender_aliases,
            },
            rules,
        })
    }
}

/// Makes a [`ConfigError`] pointing into the configuration file.
type ErrorAt<'e> = dyn Fn(String, Option<std::ops::Range<usize>>) -> Box<ConfigError> + 'e;

/// The rules of a configuration: the built-in ones, plus those of its `rule-dirs` (relative to `base`, the
/// configuration's directory), each directory's `*.toml` files in name order. Without rule directories the
/// built-in set is shared, not copied.
fn load_rules(
    file: &ConfigFile,
    base: &Path,
    builtin: &Arc<RuleSet>,
    error: &ErrorAt<'_>,
) -> Result<Arc<RuleSet>, LoadError> {
    if file.rule_dirs.is_empty() {
        return Ok(Arc::clone(builtin));
    }
    let mut rules = RuleSet::clone(builtin);
    for dir in &file.rule_dirs {
        let full = base.join(dir.get_ref());
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&full)
            .map_err(|e| {
                error(
                    format!("rule directory `{}`: {e}", full.display()),
                    Some(dir.span()),
                )
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        entries.sort();
        for rule_file in entries {
            let rule_text = std::fs::read_to_string(&rule_file).map_err(|error| LoadError::Io {
                path: rule_file.display().to_string(),
                error,
            })?;
            rules.add_file(&rule_file.display().to_string(), &rule_text)?;
        }
    }
    Ok(Arc::new(rules))
}

/// Checks what the configuration names against the rules: rule selectors and severities, the cloud, the
/// format.
fn validate(
    file: &ConfigFile,
    rules: &RuleSet,
    error: &ErrorAt<'_>,
) -> Result<(), Box<ConfigError>> {
    let check_rule = |name: &Spanned<String>, prefix_ok: bool| {
        let n = name.get_ref();
        if names_a_rule(rules, n, prefix_ok) {
            Ok(())
        } else {
            let names = rules.rules.iter().map(|r| r.name.as_str());
            let hint = did_you_mean(Lang::En, nearest(n, names, 4));
            Err(error(
                format!("no rule is named `{n}`{hint}"),
                Some(name.span()),
            ))
        }
    };
    for name in file.select.iter().chain(&file.ignore) {
        check_rule(name, true)?;
    }
    for name in file.severity.keys() {
        check_rule(name, false)?;
    }
    if let Some(cloud) = &file.cloud
        && !rules.clouds.iter().any(|c| c.name == *cloud.get_ref())
    {
        let names: Vec<&str> = rules.clouds.iter().map(|c| c.name.as_str()).collect();
        return Err(error(
            format!(
                "unknown cloud `{}`: expected one of {}",
                cloud.get_ref(),
                names.join(", ")
            ),
            Some(cloud.span()),
        ));
    }
    if let Some(format) = &file.format
        && Format::from_name(format.get_ref()).is_none()
    {
        return Err(error(
            format!(
                "unknown format `{}`: expected one of {}",
                format.get_ref(),
                Format::names()
            ),
            Some(format.span()),
        ));
    }
    Ok(())
}

/// `text` with every secret a properties reading finds in it masked by `*`, same length (error spans still
/// point at the same bytes).
fn shown_without_secrets(text: &str) -> String {
    let masked = crate::secrets::mask(text.as_bytes());
    String::from_utf8(masked).unwrap_or_else(|e| {
        // A mask that cut a character: keep the length, lose the accents.
        e.into_bytes()
            .into_iter()
            .map(|b| if b.is_ascii() { char::from(b) } else { '*' })
            .collect()
    })
}

/// The configuration of each file: `--config` or `--isolated` for all, else the nearest `.racm-lint.toml` of
/// the file's directory or its ancestors, each loaded once.
pub struct Resolver<'b> {
    builtin: &'b Arc<RuleSet>,
    /// `--config` or `--isolated`: one configuration for every file.
    fixed: Option<Config>,
    by_path: HashMap<PathBuf, Config>,
    defaults: Config,
    /// Directory -> the configuration file that applies to it.
    discovered: HashMap<PathBuf, Option<PathBuf>>,
}

impl<'b> Resolver<'b> {
    /// `config`: the `--config` file; `isolated`: no configuration file at all.
    pub fn new(
        builtin: &'b Arc<RuleSet>,
        config: Option<&Path>,
        isolated: bool,
    ) -> Result<Self, LoadError> {
        let fixed = if isolated {
            Some(Config::defaults(builtin))
        } else if let Some(path) = config {
            Some(Config::load(path, builtin)?)
        } else {
            None
        };
        Ok(Resolver {
            builtin,
            fixed,
            by_path: HashMap::new(),
            defaults: Config::defaults(builtin),
            discovered: HashMap::new(),
        })
    }

    /// The nearest `.racm-lint.toml` in a directory or its ancestors, remembering what each directory gave:
    /// the files of a repository share their ancestors, which are then looked at once.
    fn discover(&mut self, dir: &Path) -> Option<PathBuf> {
        let start = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // Absolute, not canonical: no system call per path component, and the file's path as the user sees it.
        let absolute = std::path::absolute(start).ok()?;
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in absolute.ancestors() {
            if let Some(known) = self.discovered.get(ancestor) {
                found = known.clone();
                break;
            }
            visited.push(ancestor.to_path_buf());
            let candidate = ancestor.join(FILE_NAME);
            if candidate.is_file() {
                found = Some(candidate);
                break;
            }
        }
        for dir in visited {
            self.discovered.insert(dir, found.clone());
        }
        found
    }

    /// The configuration for the files of `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Result<&Config, LoadError> {
        if self.fixed.is_none() {
            let Some(path) = self.discover(dir) else {
                return Ok(&self.defaults);
            };
            if !self.by_path.contains_key(&path) {
                let loaded = Config::load(&path, self.builtin)?;
                self.by_path.insert(path.clone(), loaded);
            }
            return Ok(&self.by_path[&path]);
        }
        Ok(self.fixed.as_ref().unwrap_or(&self.defaults))
    }
}
