//! Deterministic benchmark inputs, shared by the benchmarks and `examples/bench_inputs.rs`: a large
//! realistic `.properties` file, and a set of environment files like those of a configuration repository.
#![allow(dead_code)] // each user takes what it needs

use std::io::Write as _;

/// SplitMix64, for a deterministic file.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SECTIONS: &[&str] = &[
    "server", "db", "ldap", "sso", "audit", "report", "ui", "cache", "job", "api",
];
const NAMES: &[&str] = &[
    "host", "port", "url", "user", "timeout", "enabled", "path", "mode", "retries", "label",
];
const MAIL_KEYS: &[(&str, &str)] = &[
    ("mail.auth.protocol", "oauth2"),
    ("mail.server.host", "smtp.office365.com"),
    ("mail.server.port", "587"),
    ("mail.server.starttls.enable", "true"),
    ("mail.server.user", "notification@contoso.onmicrosoft.com"),
    (
        "mail.oauth2.token.url",
        "https\\://login.microsoftonline.com/8f2b6c1e-3d4a-4f5b-9c7d-2e1f0a9b8c7d/oauth2/v2.0/token",
    ),
    (
        "mail.oauth2.client.id",
        "4a7c9e2b-1f3d-4b6a-8e5c-7d9f0b1a2c3e",
    ),
    (
        "mail.oauth2.client.secret",
        "Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u",
    ),
    ("mail.oauth2.scopes", "https://outlook.office.com/.default"),
    ("mail.option.sender", "notification@contoso.onmicrosoft.com"),
];

/// About `target` bytes of properties text, in whole lines.
pub fn generate(target: usize) -> Vec<u8> {
    let mut rng = Rng(0x0BE7_C4A2_2024);
    let mut out = Vec::with_capacity(target + 256);
    let mut n = 0u64;
    let mut mail_written = false;
    while out.len() < target {
        n += 1;
        let section = SECTIONS[rng.below(SECTIONS.len() as u64) as usize];
        let name = NAMES[rng.below(NAMES.len() as u64) as usize];
        match rng.below(100) {
            0..=7 => {
                let text = "settings for the module, see the administration manual";
                writeln!(out, "# {section}.{name}: {text} (#{n})").unwrap();
            }
            8..=9 => {
                // A comment in UTF-8, as editors write them (Java reads it as Latin-1, and skips it).
                let text = "Param\u{e8}tre de l'\u{e9}tape de la configuration Azure";
                writeln!(out, "# {text} ({n})").unwrap();
            }
            10..=11 => writeln!(out, "! ---------------------------------------- {n}").unwrap(),
            12..=16 => out.push(b'\n'),
            17..=21 => {
                let (a, b) = (rng.below(1000), rng.below(1000));
                writeln!(
                    out,
                    "{section}.{name}.list{n} = first-value-{a}, \\\n    second-value-{b}, \\\n    third"
                )
                .unwrap();
            }
            22..=28 => {
                let text = r"Gr\u00fc\u00dfe \u00e0 tous\tet\nplus \\ ";
                writeln!(out, "{section}.label{n}={text}{}", rng.below(1000)).unwrap();
            }
            29..=33 => {
                out.extend_from_slice(format!("{section}.latin1.{n}=caf").as_bytes());
                out.extend_from_slice(b"\xe9 cr\xe8me br\xfbl\xe9e \xa7 \xb5 d\xe9j\xe0 vu\n");
            }
            34..=36 => {
                let text = "padded value with trailing blanks";
                writeln!(out, "  {section}.{name}.{n} : {text}   ").unwrap();
            }
            37..=40 => {
                let text = r"C\:\\Program Files\\RACM\\";
                writeln!(
                    out,
                    "{section}.path{n}={text}{section}\\\\{}",
                    rng.below(100)
                )
                .unwrap();
            }
            41..=42 if !mail_written => {
                // The mail block, once in the body of the file (and once more at the end, below).
                mail_written = true;
                for (k, v) in MAIL_KEYS {
                    writeln!(out, "{k}={v}").unwrap();
                }
            }
            43..=70 => {
                let port = 1024 + rng.below(60_000);
                let host = format!("{section}.internal.example.com");
                writeln!(
                    out,
                    "{section}.{name}.url.{n}=jdbc:postgresql://{host}:{port}/racm"
                )
                .unwrap();
            }
            _ => {
                let value = rng.below(1_000_000);
                writeln!(out, "{section}.{name}.{n}={section}-{name}-value-{value}").unwrap();
            }
        }
    }
    // The mail block the linter cares about, once more at the end.
    out.extend_from_slice(b"\n# Outgoing mail (Microsoft 365, OAuth2)\n");
    for (k, v) in MAIL_KEYS {
        writeln!(out, "{k} = {v}").unwrap();
    }
    out
}

/// The documented block with real-looking values, as a correct environment file has it.
pub const DOCUMENTED: &str = include_str!("../../testdata/examples/config.properties");

/// `count` environment files (name, bytes): most are correct, some carry the mistakes admins make (a port,
/// a trailing space, a Secret ID, a byte order mark and CRLF, a sender alias).
pub fn environments(count: usize) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(0x5EED_0E4F);
    (0..count)
        .map(|i| {
            let mut text =
                DOCUMENTED.replace("example environment", &format!("environment {i:04}"));
            match rng.below(10) {
                0 => text = text.replace("mail.server.port=587", "mail.server.port=465"),
                1 => text = text.replace("starttls.enable=true", "starttls.enable=true "),
                2 => {
                    text = text.replace(
                        "Xq48Q~Zk3vN1pR7tY2wB5mC9dF0gH4jK6lS8aE1u",
                        "5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
                    )
                }
                3 => text = format!("\u{feff}{}", text.replace('\n', "\r\n")),
                4 => {
                    text = text.replace(
                        "mail.option.sender=notification@contoso.onmicrosoft.com",
                        "mail.option.sender=noreply@contoso.com",
                    )
                }
                _ => {}
            }
            (format!("env-{i:04}"), text.into_bytes())
        })
        .collect()
}

/// The bytes written to a temporary file (kept while the handle lives), for benchmarks that read from disk.
pub fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(bytes).expect("write");
    file.flush().expect("flush");
    file
}

/// What the comparison benchmarks (and `examples/parse_once.rs`) measure for java-properties: parse the
/// bytes, collecting every pair. Returns the number of pairs.
pub fn try_java_properties_pairs(bytes: &[u8]) -> Result<usize, java_properties::PropertiesError> {
    let mut all: Vec<(String, String)> = Vec::new();
    java_properties::PropertiesIter::new(bytes).read_into(|k, v| all.push((k, v)))?;
    Ok(all.len())
}

/// [`try_java_properties_pairs`] on the benchmark file, which it reads without error.
pub fn java_properties_pairs(bytes: &[u8]) -> usize {
    try_java_properties_pairs(bytes).expect("java-properties reads the benchmark file")
}
