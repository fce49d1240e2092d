//! `niche init --input FILE...`: write a saved analysis with every setting and its default.

use crate::analysis::file::template;
use crate::cli::InitArgs;
use crate::error::Error;
use crate::output;

pub fn run(args: &InitArgs) -> anyhow::Result<()> {
    if args.output.exists() && !args.force {
        return Err(Error::Output {
            path: args.output.clone(),
            message: "a saved analysis is already here".to_string(),
            hint: "edit it and `niche run`, or pass --force to start again".to_string(),
        }
        .into());
    }
    if args.inputs.is_empty() {
        return Err(Error::usage(
            "no inputs were given",
            "name your exports, e.g. `niche init --input accounts.csv --input posts.csv`",
        )
        .into());
    }
    output::write_file(&args.output, template(&args.inputs, &args.name).as_bytes(), &[])?;
    output::note(&format!(
        "wrote {}; edit it, then `niche run`{}",
        args.output.display(),
        if args.output.as_os_str() == "niche.toml" {
            String::new()
        } else {
            format!(" --config {}", args.output.display())
        }
    ));
    Ok(())
}
