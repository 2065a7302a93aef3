//! The crate's module layering (the table at the top of `src/lib.rs`), checked on the source text.
//!
//! Every `.rs` file under `src/` belongs to one top-level module (`src/text.rs` is `text`,
//! `src/properties/reader.rs` is `properties`). Each reference to another top-level module — `use crate::…`
//! (groups included, over several lines), `super::…` that climbs to the crate root, and inline
//! `crate::x::…` paths — is an edge. Comments, doc comments and string literals are blanked first, so only
//! code counts. An edge is allowed only if the table below allows it; cycles are reported too.
//!
//! The other tests pin a few hard edges (which files may use clap, the network crates, write files) and
//! text invariants (where key patterns, URL schemes and output format names are spelled).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

/// One top-level module: its layer, the modules it may import, and why.
struct Rule {
    module: &'static str,
    layer: u8,
    may_import: &'static [&'static str],
    note: &'static str,
}

const L0: &[&str] = &["text", "i18n", "keys"];
const TO_L1: &[&str] = &["text", "i18n", "keys", "properties"];
const TO_L3: &[&str] = &[
    "text",
    "i18n",
    "keys",
    "properties",
    "values",
    "secrets",
    "catalog",
];
const TO_L4: &[&str] = &[
    "text",
    "i18n",
    "keys",
    "properties",
    "values",
    "secrets",
    "catalog",
    "diagnostic",
];
const TO_L5: &[&str] = &[
    "text",
    "i18n",
    "keys",
    "properties",
    "values",
    "secrets",
    "catalog",
    "diagnostic",
    "checks",
];
const TO_L6: &[&str] = &[
    "text",
    "i18n",
    "keys",
    "properties",
    "values",
    "secrets",
    "catalog",
    "diagnostic",
    "checks",
    "engine",
];
const TO_L7: &[&str] = &[
    "text",
    "i18n",
    "keys",
    "properties",
    "values",
    "secrets",
    "catalog",
    "diagnostic",
    "checks",
    "engine",
    "online",
    "render",
    "docs",
];
const TO_L8: &[&str] = &[
    "text",
    "i18n",
    "keys",
    "properties",
    "values",
    "secrets",
    "catalog",
    "diagnostic",
    "checks",
    "engine",
    "online",
    "render",
    "docs",
    "app",
];

/// The layer table. Keep it in step with the doc comment at the top of `src/lib.rs`.
const RULES: &[Rule] = &[
    Rule {
        module: "text",
        layer: 0,
        may_import: &[],
        note: "layer 0 is the leaves: std and external crates only, not even its siblings i18n and keys",
    },
    Rule {
        module: "i18n",
        layer: 0,
        may_import: &[],
        note: "layer 0 is the leaves: std and external crates only, not even its siblings text and keys",
    },
    Rule {
        module: "keys",
        layer: 0,
        may_import: &[],
        note: "layer 0 is the leaves: std and external crates only, not even its siblings text and i18n",
    },
    Rule {
        module: "properties",
        layer: 1,
        may_import: &["text", "keys"],
        note: "the reader sees bytes and key names only (hard edge: text and keys, not even i18n)",
    },
    Rule {
        module: "values",
        layer: 2,
        may_import: TO_L1,
        note: "layer 2 imports layers 0-1; values and secrets must not import each other",
    },
    Rule {
        module: "secrets",
        layer: 2,
        may_import: TO_L1,
        note: "layer 2 imports layers 0-1; values and secrets must not import each other",
    },
    Rule {
        module: "catalog",
        layer: 3,
        may_import: L0,
        note: "the rules as data import layer 0 only (and never checks)",
    },
    Rule {
        module: "diagnostic",
        layer: 4,
        may_import: TO_L3,
        note: "layer 4 imports layers 0-3",
    },
    Rule {
        module: "checks",
        layer: 5,
        may_import: TO_L4,
        note: "layer 5 imports layers 0-4",
    },
    Rule {
        module: "engine",
        layer: 6,
        may_import: TO_L5,
        note: "layer 6 imports layers 0-5",
    },
    Rule {
        module: "online",
        layer: 7,
        may_import: TO_L5,
        note: "layer 7 imports layers 0-6, but online must not import engine, nor its siblings render and docs",
    },
    Rule {
        module: "render",
        layer: 7,
        may_import: TO_L4,
        note: "render formats diagnostics: layers 0-4 only (not checks, engine, online or docs)",
    },
    Rule {
        module: "docs",
        layer: 7,
        may_import: TO_L6,
        note: "layer 7 imports layers 0-6, not its siblings online and render",
    },
    Rule {
        module: "app",
        layer: 8,
        may_import: TO_L7,
        note: "layer 8 imports layers 0-7",
    },
    Rule {
        module: "cli",
        layer: 9,
        may_import: TO_L8,
        note: "the top: may import everything",
    },
];

fn rule(module: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.module == module)
}

fn table() -> String {
    RULES
        .iter()
        .map(|r| {
            let imports = if r.may_import.is_empty() {
                "nothing from the crate".to_string()
            } else {
                r.may_import.join(", ")
            };
            format!("  layer {} {:<11} may import: {imports}", r.layer, r.module)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------------------
// Reading the sources

/// Every `.rs` file under `src/`, as (`src/…` path with `/`, text), sorted by path.
fn sources() -> &'static [(String, String)] {
    static SOURCES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let mut stack = vec![root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let rel = path.strip_prefix(root).unwrap();
                    let rel = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    let text = std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    out.push((rel, text));
                }
            }
        }
        out.sort();
        assert!(
            out.len() > 20,
            "found only {} files under src/: is CARGO_MANIFEST_DIR right?",
            out.len()
        );
        out
    })
}

/// A source file in the forms the checks read. All strings have the same byte offsets (blanked characters
/// become as many spaces as they had bytes, newlines stay), so a line number found in one is the line
/// number in the file.
struct Parsed {
    path: String,
    /// The top-level module, or None for `src/lib.rs` and `src/main.rs` (the crate root and the binary).
    module: Option<String>,
    /// The module path of the file: `src/online/mod.rs` is [online], `src/online/tls.rs` is [online, tls].
    modpath: Vec<String>,
    /// Comments blanked.
    code: String,
    /// Comments and the contents of string and character literals blanked.
    bare: String,
    /// `code` with `#[cfg(test)] mod … { … }` blocks blanked.
    code_no_tests: String,
    /// `bare` with `#[cfg(test)] mod … { … }` blocks blanked.
    bare_no_tests: String,
    /// Byte ranges of inline `mod name { … }` blocks (for what `super::` means inside them).
    inline_mods: Vec<(usize, usize)>,
}

fn module_of(path: &str) -> (Option<String>, Vec<String>) {
    let rest = path.strip_prefix("src/").unwrap_or(path);
    if rest == "lib.rs" || rest == "main.rs" {
        return (None, Vec::new());
    }
    let mut parts: Vec<String> = rest.split('/').map(str::to_string).collect();
    let last = parts.pop().unwrap();
    let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
    if stem != "mod" {
        parts.push(stem);
    }
    (parts.first().cloned(), parts)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn push_blank(out: &mut String, c: char) {
    if c == '\n' {
        out.push('\n');
    } else {
        out.extend(std::iter::repeat_n(' ', c.len_utf8()));
    }
}

/// (comments blanked, comments and literal contents blanked).
fn mask(src: &str) -> (String, String) {
    let c: Vec<char> = src.chars().collect();
    let mut code = String::with_capacity(src.len());
    let mut bare = String::with_capacity(src.len());
    let mut i = 0;
    // Pushes a character to `code` as is (or blanked, in a comment) and to `bare` as is or blanked.
    macro_rules! emit {
        ($ch:expr, keep) => {{
            let ch: char = $ch;
            code.push(ch);
            bare.push(ch);
        }};
        ($ch:expr, literal) => {{
            let ch: char = $ch;
            code.push(ch);
            push_blank(&mut bare, ch);
        }};
        ($ch:expr, comment) => {{
            let ch: char = $ch;
            push_blank(&mut code, ch);
            push_blank(&mut bare, ch);
        }};
    }
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                emit!(c[i], comment);
                i += 1;
            }
            continue;
        }
        if ch == '/' && next == Some('*') {
            let mut depth = 0usize;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    emit!(c[i], comment);
                    emit!(c[i + 1], comment);
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    emit!(c[i], comment);
                    emit!(c[i + 1], comment);
                    i += 2;
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                } else {
                    emit!(c[i], comment);
                    i += 1;
                }
            }
            continue;
        }
        let after_ident = i > 0 && is_ident_char(c[i - 1]);
        // Raw strings: r"…", r#"…"#, br"…".
        if !after_ident && (ch == 'r' || (ch == 'b' && next == Some('r'))) {
            let start = if ch == 'b' { i + 2 } else { i + 1 };
            let mut j = start;
            while c.get(j) == Some(&'#') {
                j += 1;
            }
            if c.get(j) == Some(&'"') {
                let hashes = j - start;
                for &ch in &c[i..=j] {
                    emit!(ch, keep);
                }
                i = j + 1;
                while i < c.len() {
                    if c[i] == '"' && (1..=hashes).all(|h| c.get(i + h) == Some(&'#')) {
                        for &ch in &c[i..=i + hashes] {
                            emit!(ch, keep);
                        }
                        i += 1 + hashes;
                        break;
                    }
                    emit!(c[i], literal);
                    i += 1;
                }
                continue;
            }
        }
        if ch == '"' {
            emit!(c[i], keep);
            i += 1;
            while i < c.len() {
                if c[i] == '\\' && i + 1 < c.len() {
                    emit!(c[i], literal);
                    emit!(c[i + 1], literal);
                    i += 2;
                    continue;
                }
                if c[i] == '"' {
                    emit!(c[i], keep);
                    i += 1;
                    break;
                }
                emit!(c[i], literal);
                i += 1;
            }
            continue;
        }
        if ch == '\'' {
            // A character literal ('x', '\n', '\u{..}', '\''), or else a lifetime or label.
            let end = if next == Some('\\') {
                (i + 3..c.len().min(i + 14)).find(|&k| c[k] == '\'')
            } else if next.is_some() && next != Some('\n') && c.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(end) = end {
                emit!(c[i], keep);
                for &ch in &c[i + 1..end] {
                    emit!(ch, literal);
                }
                emit!(c[end], keep);
                i = end + 1;
                continue;
            }
        }
        emit!(c[i], keep);
        i += 1;
    }
    (code, bare)
}

/// The byte offset of the `}` matching the `{` at `open` in `bare`, or the end.
fn matching_brace(bare: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (k, b) in bare.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    bare.len().saturating_sub(1)
}

fn blank_range(text: &str, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    for ch in text[start..end].chars() {
        push_blank(&mut out, ch);
    }
    out.push_str(&text[end..]);
    out
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap())
}

fn parse(path: &str, text: &str) -> Parsed {
    static TEST_MOD: OnceLock<Regex> = OnceLock::new();
    static INLINE_MOD: OnceLock<Regex> = OnceLock::new();
    let (module, modpath) = module_of(path);
    let (code, bare) = mask(text);
    debug_assert_eq!(code.len(), bare.len());

    let test_mod = regex(
        &TEST_MOD,
        r"#\s*\[\s*cfg\s*\(\s*test\s*\)\s*\]\s*(?:#\s*!?\s*\[[^\]]*\]\s*)*(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+[A-Za-z_][A-Za-z0-9_]*\s*\{",
    );
    let mut code_no_tests = code.clone();
    let mut bare_no_tests = bare.clone();
    for m in test_mod.find_iter(&bare) {
        let close = matching_brace(&bare, m.end() - 1);
        let end = (close + 1).min(bare.len());
        code_no_tests = blank_range(&code_no_tests, m.start(), end);
        bare_no_tests = blank_range(&bare_no_tests, m.start(), end);
    }

    let inline_mod = regex(&INLINE_MOD, r"\bmod\s+[A-Za-z_][A-Za-z0-9_]*\s*\{");
    let inline_mods = inline_mod
        .find_iter(&bare)
        .map(|m| (m.end() - 1, matching_brace(&bare, m.end() - 1)))
        .collect();

    Parsed {
        path: path.to_string(),
        module,
        modpath,
        code,
        bare,
        code_no_tests,
        bare_no_tests,
        inline_mods,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ---------------------------------------------------------------------------------------------------------
// Edges

/// A reference from a file to a top-level module (possibly its own).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    path: String,
    line: usize,
    from: String,
    to: String,
}

/// The top-level module a path names, if it leaves the file's own module through the crate root.
/// `segs` are the path's segments with their byte offsets; `depth` is the number of inline modules the
/// path is written in.
fn resolve(segs: &[(String, usize)], modpath: &[String], depth: usize) -> Option<(String, usize)> {
    let first = segs.first()?;
    let (mut level, mut idx) = match first.0.as_str() {
        "crate" | "$crate" => (0, 1),
        "self" | "super" => (modpath.len() + depth, 0),
        _ => return None, // an external crate, std, or a local name
    };
    while let Some((seg, _)) = segs.get(idx) {
        match seg.as_str() {
            "self" => {}
            "super" => level = level.checked_sub(1)?,
            _ => break,
        }
        idx += 1;
    }
    if level > 0 {
        return None; // still inside the file's own top-level module
    }
    segs.get(idx).cloned()
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String, usize),
    Sep,
    Open,
    Close,
    Comma,
    Star,
    End,
}

fn tokenize_use(bare: &str, start: usize) -> Vec<Tok> {
    let bytes = bare.as_bytes();
    let mut toks = Vec::new();
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b':' if bytes.get(i + 1) == Some(&b':') => {
                toks.push(Tok::Sep);
                i += 2;
            }
            b'{' => {
                toks.push(Tok::Open);
                i += 1;
            }
            b'}' => {
                toks.push(Tok::Close);
                i += 1;
            }
            b',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            b'*' => {
                toks.push(Tok::Star);
                i += 1;
            }
            b';' => {
                toks.push(Tok::End);
                return toks;
            }
            _ if b == b'$' || b == b'_' || b.is_ascii_alphanumeric() || b >= 0x80 => {
                let s = i;
                i += 1;
                while i < bytes.len()
                    && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &bare[s..i];
                let word = word.strip_prefix("r#").unwrap_or(word);
                toks.push(Tok::Ident(word.to_string(), s));
            }
            _ => {
                // Something that is not a use tree (a macro fragment, say): stop here.
                toks.push(Tok::End);
                return toks;
            }
        }
    }
    toks.push(Tok::End);
    toks
}

/// Flattens one use tree starting at `toks[*i]` into full paths.
fn parse_use_tree(
    toks: &[Tok],
    i: &mut usize,
    prefix: Vec<(String, usize)>,
    out: &mut Vec<Vec<(String, usize)>>,
) {
    let mut path = prefix;
    loop {
        match toks.get(*i) {
            Some(Tok::Sep) => *i += 1, // a leading `::`, or the one before a group
            Some(Tok::Ident(word, pos)) if word != "as" => {
                path.push((word.clone(), *pos));
                *i += 1;
                if toks.get(*i) != Some(&Tok::Sep) {
                    break;
                }
            }
            Some(Tok::Open) => {
                *i += 1;
                loop {
                    match toks.get(*i) {
                        Some(Tok::Close) => {
                            *i += 1;
                            break;
                        }
                        Some(Tok::Comma) => *i += 1,
                        None | Some(Tok::End) => break,
                        Some(_) => {
                            let before = *i;
                            parse_use_tree(toks, i, path.clone(), out);
                            if *i == before {
                                *i += 1; // never loop on an unexpected token
                            }
                        }
                    }
                }
                return;
            }
            Some(Tok::Star) => {
                *i += 1;
                break;
            }
            _ => break,
        }
    }
    if let Some(Tok::Ident(word, _)) = toks.get(*i)
        && word == "as"
    {
        *i += 2;
    }
    if !path.is_empty() {
        out.push(path);
    }
}

fn edges_of(file: &Parsed) -> Vec<Edge> {
    static USE: OnceLock<Regex> = OnceLock::new();
    static INLINE: OnceLock<Regex> = OnceLock::new();
    let Some(from) = &file.module else {
        return Vec::new();
    };
    let depth_at = |pos: usize| {
        file.inline_mods
            .iter()
            .filter(|&&(open, close)| open < pos && pos <= close)
            .count()
    };
    let mut found = BTreeSet::new();
    let mut add = |to: String, pos: usize| {
        found.insert(Edge {
            path: file.path.clone(),
            line: line_of(&file.bare, pos),
            from: from.clone(),
            to,
        });
    };

    // `use` trees, groups and several lines included.
    let use_re = regex(&USE, r"\buse\s+");
    for m in use_re.find_iter(&file.bare) {
        let toks = tokenize_use(&file.bare, m.end());
        let mut paths = Vec::new();
        let mut i = 0;
        parse_use_tree(&toks, &mut i, Vec::new(), &mut paths);
        let depth = depth_at(m.start());
        for path in paths {
            if let Some((to, pos)) = resolve(&path, &file.modpath, depth) {
                add(to, pos);
            }
        }
    }

    // Paths anywhere in the code: `crate::x::…`, `super::super::x`, `$crate::x`.
    let inline_re = regex(
        &INLINE,
        r"(?:\$crate|\bcrate|\bsuper|\bself)\b(?:\s*::\s*(?:super|self)\b)*\s*::\s*([A-Za-z_][A-Za-z0-9_]*)",
    );
    for caps in inline_re.captures_iter(&file.bare) {
        let whole = caps.get(0).unwrap();
        if whole.start() > 0 && file.bare[..whole.start()].trim_end().ends_with("::") {
            continue; // the middle of a longer path such as `x::self::y`
        }
        let mut segs: Vec<(String, usize)> = Vec::new();
        let mut offset = whole.start();
        for seg in whole.as_str().split("::") {
            let lead = seg.len() - seg.trim_start().len();
            segs.push((seg.trim().to_string(), offset + lead));
            offset += seg.len() + 2;
        }
        if let Some((to, pos)) = resolve(&segs, &file.modpath, depth_at(whole.start())) {
            add(to, pos);
        }
    }
    found.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------------------
// The checker

/// Every layering violation and cycle in `files` ((`src/…` path, text) pairs), as messages.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut example: BTreeMap<(String, String), String> = BTreeMap::new();
    for (path, text) in files {
        let file = parse(path, text);
        let Some(from) = &file.module else { continue };
        let Some(own) = rule(from) else {
            out.push(format!(
                "{path}: module `{from}` is not in the layer table; add it to RULES in tests/architecture.rs \
                 and to the table in src/lib.rs, in the lowest layer whose imports it needs"
            ));
            continue;
        };
        for edge in edges_of(&file) {
            if edge.to == edge.from {
                continue;
            }
            let here = format!("{}:{}", edge.path, edge.line);
            match rule(&edge.to) {
                None => out.push(format!(
                    "{here} -> {}: `crate::{}` is not a top-level module of the layer table; if it is a new \
                     module, add it to RULES in tests/architecture.rs and to src/lib.rs",
                    edge.to, edge.to
                )),
                Some(target) if !own.may_import.contains(&edge.to.as_str()) => {
                    let may = if own.may_import.is_empty() {
                        "nothing from the crate".to_string()
                    } else {
                        own.may_import.join(", ")
                    };
                    out.push(format!(
                        "{here} -> {}: `{}` (layer {}) must not import `{}` (layer {}): {}. `{}` may import \
                         only: {may}. Move what it needs down to one of those, or the code that needs it up.",
                        edge.to, edge.from, own.layer, edge.to, target.layer, own.note, edge.from
                    ));
                }
                Some(_) => {}
            }
            graph
                .entry(edge.from.clone())
                .or_default()
                .insert(edge.to.clone());
            example
                .entry((edge.from.clone(), edge.to.clone()))
                .or_insert(here);
        }
    }

    // Cycles: for each module, the shortest way back to itself.
    let mut seen_cycles = BTreeSet::new();
    for start in graph.keys() {
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = VecDeque::from([start.as_str()]);
        let mut closing = None;
        while let Some(node) = queue.pop_front() {
            for next in graph.get(node).into_iter().flatten() {
                if next == start {
                    closing = Some(node);
                    queue.clear();
                    break;
                }
                if !prev.contains_key(next.as_str()) {
                    prev.insert(next.as_str(), node);
                    queue.push_back(next);
                }
            }
        }
        let Some(mut node) = closing else { continue };
        let mut cycle = vec![start.as_str()];
        while node != start {
            cycle.push(node);
            node = prev[node];
        }
        cycle[1..].reverse();
        // One report per cycle, whatever module it was found from.
        let min = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap();
        let mut key: Vec<&str> = cycle[min..].to_vec();
        key.extend_from_slice(&cycle[..min]);
        if !seen_cycles.insert(key.clone()) {
            continue;
        }
        let hops = (0..key.len())
            .map(|k| {
                let (a, b) = (key[k], key[(k + 1) % key.len()]);
                format!("{a} -> {b} ({})", example[&(a.to_string(), b.to_string())])
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push(format!(
            "cycle among top-level modules: {hops}. Layers are one-way: break the cycle by moving the shared \
             code down to the lower module"
        ));
    }
    out
}

fn parsed_sources() -> Vec<Parsed> {
    sources().iter().map(|(p, t)| parse(p, t)).collect()
}

fn all_edges() -> Vec<Edge> {
    parsed_sources().iter().flat_map(edges_of).collect()
}

fn fail(rule: &str, fix: &str, found: &[String]) {
    assert!(
        found.is_empty(),
        "{rule}\n\n{}\n\nHow to fix: {fix}\n\nThe layer table (src/lib.rs, RULES in tests/architecture.rs):\n{}\n",
        found.join("\n"),
        table()
    );
}

/// `file:line: text` for each match of `pattern` in the chosen form of every file not `allowed`.
fn occurrences(
    pattern: &str,
    view: fn(&Parsed) -> &str,
    allowed: fn(&str) -> bool,
    files: &[Parsed],
) -> Vec<String> {
    let re = Regex::new(pattern).unwrap();
    let mut out = Vec::new();
    for file in files {
        if allowed(&file.path) {
            continue;
        }
        let text = view(file);
        for m in re.find_iter(text) {
            out.push(format!(
                "{}:{}: {}",
                file.path,
                line_of(text, m.start()),
                m.as_str()
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// The tests

#[test]
fn modules_import_only_from_lower_layers_and_have_no_cycles() {
    let edges = all_edges();
    assert!(
        edges.len() > 50
            && edges
                .iter()
                .any(|e| e.from == "checks" && e.to == "catalog"),
        "the edge extractor found only {} edges in src/: it is broken, the layering check would pass vacuously",
        edges.len()
    );
    let mut found = violations(sources());
    found.sort();
    fail(
        "Module layering broken: a module imports one of the same or a higher layer, or the modules form a \
         cycle.",
        "each module may import only from the modules listed for it below (lower layers; siblings of one \
         layer never import each other). Move the item that is needed down a layer, or move the code that \
         needs it up.",
        &found,
    );
}

#[test]
fn properties_imports_only_text_and_keys() {
    let found: Vec<String> = all_edges()
        .into_iter()
        .filter(|e| {
            e.from == "properties" && !["properties", "text", "keys"].contains(&e.to.as_str())
        })
        .map(|e| format!("{}:{} -> {}", e.path, e.line, e.to))
        .collect();
    fail(
        "Hard edge broken: `properties` (the reader) may import only `text` and `keys`.",
        "keep the reader free of messages, values and rules: move the code that needs more to values/, \
         diagnostic/ or checks/, or move the helper it needs into text or keys.",
        &found,
    );
}

#[test]
fn catalog_never_imports_checks() {
    let found: Vec<String> = all_edges()
        .into_iter()
        .filter(|e| e.from == "catalog" && e.to == "checks")
        .map(|e| format!("{}:{} -> {}", e.path, e.line, e.to))
        .collect();
    fail(
        "Hard edge broken: `catalog` (the rules as data) must never import `checks` (how rules check).",
        "the registry in checks/ maps rule codes to functions; the catalog must not know them. Look the \
         check up from checks/ or engine/ instead.",
        &found,
    );
}

#[test]
fn only_cli_uses_clap() {
    let found = occurrences(
        r"\b(?:clap|clap_complete|clap_mangen)\s*::|\buse\s+(?:clap|clap_complete|clap_mangen)\b|\bextern\s+crate\s+clap",
        |f| &f.bare,
        |p| p == "src/cli.rs",
        &parsed_sources(),
    );
    fail(
        "Hard edge broken: only src/cli.rs may use clap (clap, clap_complete, clap_mangen).",
        "the library below cli is driven by plain types; parse arguments in src/cli.rs and pass app/ the \
         values (for the list of formats, use racm_lint::render::Format::ALL).",
        &found,
    );
}

#[test]
fn only_online_uses_the_network_crates() {
    let found = occurrences(
        r"\b(?:reqwest|lettre|rustls|rustls_pki_types)\b",
        |f| &f.bare,
        |p| p.starts_with("src/online/"),
        &parsed_sources(),
    );
    fail(
        "Hard edge broken: only files under src/online/ may use reqwest, lettre, rustls or rustls_pki_types.",
        "all network and TLS code lives in src/online/ (layer 7); move it there and call it from app/ or cli.",
        &found,
    );
}

#[test]
fn only_fsio_writes_files() {
    let found = occurrences(
        r"\bfs::write\b|\bFile::create(?:_new)?\b|\bOpenOptions\b|\btempfile::Builder\b|\.persist\s*\(|\bset_permissions\b|\bfchown\b|\bfs::(?:rename|copy|remove_file|remove_dir_all|create_dir|create_dir_all|hard_link)\b",
        |f| &f.bare_no_tests,
        |p| p == "src/app/fsio.rs",
        &parsed_sources(),
    );
    fail(
        "Hard edge broken: only src/app/fsio.rs may write files (outside #[cfg(test)] modules).",
        "call the function of src/app/fsio.rs that writes atomically and keeps permissions and owner, \
         or add one there.",
        &found,
    );
}

#[test]
fn key_patterns_are_matched_only_in_keys() {
    let found = occurrences(
        r#"strip_suffix\(\s*(?:'\*'|"\*")\s*\)"#,
        |f| &f.code,
        |p| p == "src/keys.rs",
        &parsed_sources(),
    );
    fail(
        "Text invariant broken: key patterns (`prefix.*`) are matched with strip_suffix('*') only in \
         src/keys.rs.",
        "use the key-pattern matcher of src/keys.rs (layer 0, importable from everywhere) instead of a copy.",
        &found,
    );
}

#[test]
fn url_schemes_are_split_only_in_token_url() {
    let found = occurrences(
        r#""://""#,
        |f| &f.code_no_tests,
        |p| p == "src/values/token_url.rs",
        &parsed_sources(),
    );
    fail(
        "Text invariant broken: the literal \"://\" (splitting a URL's scheme) appears only in \
         src/values/token_url.rs (outside #[cfg(test)] modules).",
        "parse the URL with src/values/token_url.rs (layer 2: checks, online, diagnostic and above may \
         import it) or the url crate instead of splitting on \"://\".",
        &found,
    );
}

#[test]
fn format_names_are_spelled_only_in_render() {
    let found = occurrences(
        r#""(?:sarif|gitlab|junit)""#,
        |f| &f.code_no_tests,
        |p| p == "src/render/mod.rs",
        &parsed_sources(),
    );
    fail(
        "Text invariant broken: the output format names (\"sarif\", \"gitlab\", \"junit\") are string \
         literals only in src/render/mod.rs (Format::name), outside #[cfg(test)] modules.",
        "use racm_lint::render::Format and Format::name() / Format::ALL instead of spelling the name again.",
        &found,
    );
}

#[test]
fn format_names_match_the_readme_and_clap() {
    use racm_lint::render::Format;
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();

    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("| `--format "))
        .expect("README.md has no options-table line starting with \"| `--format \"");
    let cell = line["| `--format ".len()..].split('`').next().unwrap();
    let readme_names: Vec<&str> = cell
        .split("\\|")
        .flat_map(|s| s.split('|'))
        .map(str::trim)
        .collect();
    assert_eq!(
        readme_names, names,
        "README.md's options table lists `--format {cell}`, but Format::ALL (src/render/mod.rs) names {names:?}. \
         Fix the README line so it lists Format::ALL's names, in that order, separated by `\\|`."
    );

    // What clap accepts: its error for an unknown value lists the possible values.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_racm-lint"))
        .args(["--format", "no-such-format"])
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let list = stderr
        .split("[possible values: ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_else(|| {
            panic!(
                "`racm-lint --format no-such-format` did not list the possible values:\n{stderr}"
            )
        });
    let clap_names: Vec<&str> = list.split(',').map(str::trim).collect();
    assert_eq!(
        clap_names, names,
        "`--format` (src/cli.rs) accepts {clap_names:?}, but Format::ALL names {names:?}. The clap values \
         must come from Format::ALL and Format::name(), not from a second list."
    );
}

// ---------------------------------------------------------------------------------------------------------
// The checker itself: it must find what it is meant to find.

fn synthetic(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[test]
fn the_checker_reports_bad_edges_and_cycles() {
    let files = synthetic(&[
        // properties -> catalog: a higher layer.
        (
            "src/properties/reader.rs",
            "use std::fmt;\n\nuse crate::catalog::Rule;\n",
        ),
        // A multi-line group: text and keys are fine, engine is not (line 4).
        (
            "src/checks/mod.rs",
            "use crate::{\n    text::line,\n    keys::Pattern,\n    engine::{lint, fix as f},\n};\n",
        ),
        // A sideways cycle: values -> secrets (inline path) and secrets -> values (use).
        (
            "src/values/mod.rs",
            "pub fn f() -> bool {\n    crate::secrets::is_secret(\"k\")\n}\n",
        ),
        (
            "src/secrets.rs",
            "use crate::values::Value;\nuse super::text;\n",
        ),
        // `super::` from a mod.rs reaches the crate root; from a file below it, the module itself.
        (
            "src/online/mod.rs",
            "mod tls;\nuse super::render::Format;\n",
        ),
        (
            "src/online/tls.rs",
            "use super::names;\nuse super::super::engine::lint;\n",
        ),
        // Comments, doc comments and strings are not code; a test module's `super` is the file's module.
        (
            "src/text.rs",
            "// use crate::app::X;\n/// See crate::cli::main.\n/* crate::engine::x */\npub const S: &str = \"crate::app::\";\n\
             #[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
        ),
        // A module that is not in the table.
        ("src/extra.rs", "pub fn x() {}\n"),
        ("src/lib.rs", "pub mod app;\nuse crate::app::x;\n"),
    ]);
    let found = violations(&files);
    let has = |needle: &str| found.iter().any(|v| v.contains(needle));
    let report = found.join("\n");
    assert!(has("src/properties/reader.rs:3 -> catalog"), "{report}");
    assert!(has("src/checks/mod.rs:4 -> engine"), "{report}");
    assert!(
        !has("src/checks/mod.rs:2") && !has("src/checks/mod.rs:3"),
        "{report}"
    );
    assert!(has("src/values/mod.rs:2 -> secrets"), "{report}");
    assert!(has("src/secrets.rs:1 -> values"), "{report}");
    assert!(!has("src/secrets.rs:2"), "{report}");
    assert!(has("src/online/mod.rs:2 -> render"), "{report}");
    assert!(has("src/online/tls.rs:2 -> engine"), "{report}");
    assert!(!has("src/online/tls.rs:1"), "{report}");
    assert!(!has("src/text.rs"), "{report}");
    assert!(
        has("src/extra.rs: module `extra` is not in the layer table"),
        "{report}"
    );
    assert!(
        !found.iter().any(|v| v.starts_with("src/lib.rs")),
        "{report}"
    );
    let cycles: Vec<&String> = found.iter().filter(|v| v.starts_with("cycle")).collect();
    assert_eq!(cycles.len(), 1, "{report}");
    assert!(
        cycles[0].contains("secrets -> values (src/secrets.rs:1)")
            && cycles[0].contains("values -> secrets (src/values/mod.rs:2)"),
        "{report}"
    );
    assert_eq!(found.len(), 8, "{report}");

    // And a clean layering gives nothing.
    let clean = synthetic(&[
        (
            "src/properties/reader.rs",
            "use crate::{text, keys::Pattern};\n",
        ),
        ("src/app/fsio.rs", "use crate::cli;\n"),
        ("src/cli.rs", "use crate::app::fsio;\n"),
    ]);
    let found = violations(&clean);
    assert_eq!(found.len(), 2, "{found:?}"); // app -> cli is upward, and it closes a cycle
    assert!(
        found[0].contains("src/app/fsio.rs:1 -> cli") && found[1].starts_with("cycle"),
        "{found:?}"
    );
    assert!(violations(&clean[..1]).is_empty());
}

#[test]
fn the_text_scanner_skips_comments_strings_and_test_modules() {
    let file = parse(
        "src/checks/cloud.rs",
        "// \"://\" in a comment\nfn f(v: &str) -> Option<usize> {\n    let c = '\"';\n    v.find(\"://\")\n}\n\
         #[cfg(test)]\nmod tests {\n    const U: &str = \"://\";\n    fn g() { if true { } }\n}\nconst AFTER: &str = \"://\";\n",
    );
    let files = [file];
    let found = occurrences(r#""://""#, |f| &f.code_no_tests, |_| false, &files);
    assert_eq!(
        found,
        [
            "src/checks/cloud.rs:4: \"://\"",
            "src/checks/cloud.rs:11: \"://\""
        ],
        "{found:?}"
    );
    // The contents of literals are blanked in `bare`, and byte offsets are kept everywhere.
    assert!(!files[0].bare.contains("://"));
    assert_eq!(files[0].bare.len(), files[0].code.len());
    let raw = parse(
        "src/x.rs",
        "let s = r#\"crate::app::\"#; let é = \"crate::cli::\"; crate::text::x();\n",
    );
    assert_eq!(raw.bare.matches("crate::").count(), 1, "{}", raw.bare);
}
