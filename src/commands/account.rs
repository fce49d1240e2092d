//! `niche account ID FILE...`: `score`'s pipeline with the account set apart as `--me` does
//! (keeping the posts' titles), then that account against each niche it posts in
//! ([`crate::report::show::account_text`]), or `--format json`: the JSON's `me`.

use crate::cli::{AccountArgs, ScoreFormat};
use crate::pipeline::Read;
use crate::report;

pub fn run(args: &AccountArgs) -> anyhow::Result<()> {
    let mut score = args.score.clone();
    if matches!(score.format, ScoreFormat::Csv | ScoreFormat::Xlsx) {
        return Err(crate::Error::usage(
            crate::lang::say(
                "`niche account` prints one account as text or JSON",
                "`niche account` 以文本或 JSON 输出一个账号",
            ),
            crate::lang::say(
                "use --format table (the default) or --format json",
                "用 --format table（默认）或 --format json",
            ),
        )
        .into());
    }
    if score.me.is_some() {
        return Err(crate::Error::usage(
            crate::lang::say(
                "`niche account` sets the account apart itself; --me cannot be given beside it",
                "`niche account` 自己会把这个账号单独拿出来；不能同时给 --me",
            ),
            crate::lang::say(
                "name your own account as ACCOUNT (`niche account ID FILE...`), or use `niche score --me`",
                "把你的账号作为 ACCOUNT 给出（`niche account ID FILE...`），或用 `niche score --me`",
            ),
        )
        .into());
    }
    score.me = Some(args.account.clone());
    let (scored, inputs) = super::score::scored(&score, Read::Details)?;
    let bytes = match score.format {
        ScoreFormat::Json => {
            let mut out = serde_json::to_vec_pretty(&scored.me)?;
            out.push(b'\n');
            out
        }
        _ => report::show::account_text(&scored, crate::lang::current()),
    };
    let all_of_them = crate::lang::say("--format json, or `niche inspect`", "--format json，或 `niche inspect`");
    super::score::finish(&score, &scored, &inputs, &bytes, &all_of_them)
}
