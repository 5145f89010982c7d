//! `rolo`: parse the command line, read the clock, run a command or the TUI, and turn
//! errors into one line and an exit code. The only place that knows both faces.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use rolo::clock::Clock;
use rolo::commands::{self, Next};

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
    let cli = rolo::cli::Cli::try_parse().unwrap_or_else(|err| usage_error(&err));
    let result = commands::run(cli, Clock::system()).and_then(|next| match next {
        Next::Done => Ok(()),
        Next::Tui(store) => rolo::tui::run(store, Clock::system()),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, and nothing in it a terminal would act on: messages quote what the
            // user gave (a name, a file's contents), control characters and all.
            let line = format!("{err:#}").replace('\n', " ");
            eprintln!("rolo: {}", rolo::text::printable(&line));
            // A usage mistake found after parsing exits like clap's own: 2.
            if err.downcast_ref::<commands::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// clap's own message, except for a search term that starts with `-`, which clap takes for
/// an option: say how to search for it.
fn usage_error(err: &clap::Error) -> ! {
    // args_os: an argument that is not UTF-8 is what clap is refusing here; env::args
    // would panic on it.
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if err.kind() == ErrorKind::UnknownArgument
        && let Some(at) = args.iter().position(|a| a == "search")
        && let Some(term) = args[at + 1..]
            .iter()
            .find(|a| a.starts_with('-') && !a.starts_with("--") && a.len() > 2)
    {
        eprintln!(
            "rolo: '{term}' looks like an option; to search for it, put -- before it: rolo search -- {term}"
        );
        std::process::exit(2);
    }
    err.exit()
}
