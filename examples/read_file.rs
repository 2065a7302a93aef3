//! The baseline of the start-up benchmark: a minimal Rust program that only reads the file it is given.

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        return std::process::ExitCode::from(2);
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            println!("{}", bytes.len());
            std::process::ExitCode::SUCCESS
        }
        Err(_) => std::process::ExitCode::from(2),
    }
}
