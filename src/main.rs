//! The `racm-lint` command: a thin shell over the library.

fn main() -> std::process::ExitCode {
    racm_lint::cli::main()
}
