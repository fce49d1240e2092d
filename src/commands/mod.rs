//! Glue: one file per subcommand. Each turns arguments into calls of the pipeline
//! ([`crate::pipeline`]) or a stage and hands bytes to [`crate::output`]; the logic worth testing
//! lives below.

pub mod account;
pub mod diff;
pub mod gen;
pub mod init;
pub mod normalise;
pub mod reference;
pub mod inspect;
pub mod report;
pub mod run;
pub mod score;
pub mod show;
pub mod sql;

use crate::cli::{Cli, Command};

/// Run one command line to completion, in its language (`--lang`, else the locale's).
pub fn run(cli: Cli) -> anyhow::Result<()> {
    crate::lang::set(
        cli.lang
            .unwrap_or_else(|| crate::lang::Lang::from_locale(|v| std::env::var(v).ok())),
    );
    match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Account(args) => account::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Gen(args) => gen::run(&args),
        Command::Reference(args) => reference::run(&args),
        Command::Normalise(args) => normalise::run(&args),
        Command::Sql(args) => sql::run(&args),
        Command::Config => {
            crate::output::write_stdout(crate::config::Model::default_file().as_bytes()).map_err(Into::into)
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "niche", &mut script);
            crate::output::write_stdout(&script).map_err(Into::into)
        }
        Command::Man => {
            use clap::CommandFactory;
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            crate::output::write_stdout(&page).map_err(Into::into)
        }
    }
}
