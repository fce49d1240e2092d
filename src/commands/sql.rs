//! `niche sql --dialect D DIR`: print the units step as SQL ([`crate::exchange::sql`]).

use crate::cli::SqlArgs;

pub fn run(args: &SqlArgs) -> anyhow::Result<()> {
    let script = crate::exchange::sql::script(args.dialect, args.dir.trim_end_matches('/'));
    crate::output::write_stdout(script.as_bytes())?;
    Ok(())
}
