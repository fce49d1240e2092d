//! `niche sql --dialect D DIR`: print the units step as SQL ([`crate::exchange::sql`]);
//! `niche sql --schema`: the tables it reads and writes.

use crate::cli::SqlArgs;

pub fn run(args: &SqlArgs) -> anyhow::Result<()> {
    let text = match (&args.dialect, &args.dir) {
        (Some(dialect), Some(dir)) if !args.schema => crate::exchange::sql::script(*dialect, dir.trim_end_matches('/')),
        _ => crate::exchange::schema(),
    };
    crate::output::write_stdout(text.as_bytes())?;
    Ok(())
}
