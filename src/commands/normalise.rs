//! `niche normalise FILE... --out DIR`: the inputs read and normalised as for scoring, written as
//! the Parquet tables the units SQL reads ([`crate::exchange`]).

use crate::cli::NormaliseArgs;
use crate::pipeline;

pub fn run(args: &NormaliseArgs) -> anyhow::Result<()> {
    crate::progress::phase(crate::lang::say("reading", "正在读取"));
    // The general way: it keeps every post (the fast path keeps only what scoring needs).
    let tables = pipeline::read_tables(&args.load, pipeline::Read::General)?;
    tables.check_scorable()?;
    let inputs = pipeline::files_read(&args.load);
    crate::exchange::write(&tables, &args.out, args.part, &inputs)?;
    super::inspect::print_warnings(&tables.warnings, "about/ in the folder, or `niche inspect`");
    crate::output::note(&format!(
        "wrote part {} of {} ({} posts); next: `niche sql --dialect duckdb {}` and run it",
        args.part,
        args.out.display(),
        tables.posts.len(),
        args.out.display()
    ));
    Ok(())
}
