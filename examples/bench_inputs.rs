//! Writes the benchmark inputs to a directory (default `target/bench-inputs`): `large.properties` (~20 MB)
//! and `envs/env-NNNN/config.properties` (1,000 environment files). Deterministic.

#[path = "../benches/support/mod.rs"]
mod support;

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/bench-inputs".into()),
    );
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("large.properties"),
        support::generate(20 * 1024 * 1024),
    )?;
    std::fs::write(dir.join("documented.properties"), support::DOCUMENTED)?;
    for (name, bytes) in support::environments(1000) {
        let env = dir.join("envs").join(name);
        std::fs::create_dir_all(&env)?;
        std::fs::write(env.join("config.properties"), bytes)?;
    }
    println!("{}", dir.display());
    Ok(())
}
