//! The `niche` binary: parse arguments, run, map the outcome to an exit code (0, or 1 for any
//! error).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match niche::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors; a command line that cannot be read is the
            // user's to fix, like any other error they can cause (exit 1).
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let outcome = niche::commands::run(cli);
    niche::progress::finish();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("{}{err:#}", niche::lang::say("error: ", "错误："));
            // Every error exits 1: what went wrong is in the message, not the number.
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
