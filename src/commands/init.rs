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
            crate::lang::say("no inputs were given", "没有给出输入"),
            crate::lang::say(
                "name your exports, e.g. `niche init --input accounts.csv --input posts.csv`",
                "写出你的导出文件，例如 `niche init --input accounts.csv --input posts.csv`",
            ),
        )
        .into());
    }
    output::write_file(&args.output, template(&args.inputs, &args.name).as_bytes(), &[])?;
    let file = args.output.display();
    let config = if args.output.as_os_str() == "niche.toml" {
        String::new()
    } else {
        format!(" --config {file}")
    };
    output::note(&crate::lang::say(
        format!("wrote {file}; edit it, then `niche run`{config}"),
        format!("已写入 {file}；编辑它，然后运行 `niche run`{config}"),
    ));
    Ok(())
}
