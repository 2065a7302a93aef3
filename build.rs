//! Embeds every `rules/*.toml` file in the binary, so racm-lint needs no files at run time. Each file is also
//! converted to JSON here, which loads several times faster than TOML at start-up, with each rule's texts
//! (most of the bytes) kept apart, to be parsed only for the rules a run reports. The TOML text is kept to
//! point at the exact place of an error.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    let out_dir = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("rules/ directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The built-in rule files: (file name, TOML text, the same as JSON without the rules' texts, each\n\
         /// rule's texts as JSON, in rule order).\npub const EMBEDDED: &[(&str, &str, &str, &[&str])] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(path).unwrap();
        let mut value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{name}: {e}"));
        let mut texts = Vec::new();
        if let Some(rules) = value.get_mut("rule").and_then(|r| r.as_array_mut()) {
            for rule in rules.iter_mut().filter_map(|r| r.as_table_mut()) {
                let mut pair = toml::map::Map::new();
                for lang in ["en", "fr"] {
                    if let Some(t) = rule.remove(lang) {
                        pair.insert(lang.to_string(), t);
                    }
                }
                texts.push(format!("{:?}", serde_json::to_string(&pair).unwrap()));
            }
        }
        let json_path = out_dir.join(format!("{name}.json"));
        fs::write(&json_path, serde_json::to_string(&value).unwrap()).unwrap();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?}), include_str!({:?}), &[{}]),\n",
            path.display().to_string(),
            json_path.display().to_string(),
            texts.join(", ")
        ));
    }
    out.push_str("];\n");
    fs::write(out_dir.join("embedded_rules.rs"), out).unwrap();
}
