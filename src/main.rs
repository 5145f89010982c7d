//! `rolo`: parse the command line, run it, turn errors into one line and an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic is a bug in rolo, never the user's fault: say so in one line, not a backtrace.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default_hook(info);
        } else {
            eprintln!(
                "rolo: internal error: {info} (please report this; RUST_BACKTRACE=1 shows details)"
            );
        }
    }));
    // Usage errors exit with 2 here, inside clap.
    let cli = rolo::cli::Cli::parse();
    match rolo::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rolo: {}", one_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line.
fn one_line(err: &anyhow::Error) -> String {
    format!("{err:#}").replace('\n', " ")
}
