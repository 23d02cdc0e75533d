use std::process::ExitCode;

fn main() -> ExitCode {
    monstage::cli::main()
}
