//! `niche show NICHE FILE...`: `score`'s pipeline, keeping the posts' titles, then one niche on
//! the terminal ([`crate::report::show`]) or as its JSON object (`--format json`).

use crate::cli::{ScoreFormat, ShowArgs};
use crate::pipeline::Read;
use crate::report;

pub fn run(args: &ShowArgs) -> anyhow::Result<()> {
    let format = args.score.format;
    if matches!(format, ScoreFormat::Csv | ScoreFormat::Xlsx) {
        return Err(crate::Error::usage(
            crate::lang::say(
                "`niche show` prints one niche as text or JSON",
                "`niche show` 以文本或 JSON 输出一个赛道",
            ),
            crate::lang::say(
                "use --format table (the default) or --format json; `niche score --format csv` writes every niche",
                "用 --format table（默认）或 --format json；`niche score --format csv` 会写出所有赛道",
            ),
        )
        .into());
    }
    let (scored, inputs) = super::score::scored(&args.score, Read::Details)?;
    let Some(niche) = report::show::find(&scored, &args.niche) else {
        let names: Vec<&str> = scored.niches.iter().map(|n| n.metrics.niche.as_str()).collect();
        let near = crate::text::nearest(&args.niche, names.iter().copied());
        let listed: Vec<String> = names
            .iter()
            .take(12)
            .map(|n| format!("{:?}", crate::text::sanitise_line(n)))
            .collect();
        let wanted = crate::text::sanitise_line(&args.niche);
        let near = near.map(crate::text::sanitise_line);
        let (count, listed) = (names.len(), listed.join(", "));
        let more = names.len() > 12;
        return Err(crate::Error::usage(
            crate::lang::say(
                format!(
                    "no niche is named {wanted:?} in these inputs{}",
                    near.as_ref()
                        .map(|n| format!("; did you mean {n:?}?"))
                        .unwrap_or_default()
                ),
                format!(
                    "这些输入里没有名为 {wanted:?} 的赛道{}",
                    near.as_ref().map(|n| format!("；是不是 {n:?}？")).unwrap_or_default()
                ),
            ),
            crate::lang::say(
                format!(
                    "name one of the {count} niches: {listed}{}",
                    if more {
                        ", … (`niche score` lists them all)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "请写 {count} 个赛道之一：{listed}{}",
                    if more {
                        ", ……（`niche score` 会全部列出）"
                    } else {
                        ""
                    }
                ),
            ),
        )
        .into());
    };
    let bytes = match format {
        ScoreFormat::Json => {
            let mut out = serde_json::to_vec_pretty(niche)?;
            out.push(b'\n');
            out
        }
        _ => report::show::text(&scored, niche, crate::lang::current()),
    };
    let all_of_them = match format {
        ScoreFormat::Json => crate::lang::say(
            "`niche score --format json`'s \"warnings\"",
            "`niche score --format json` 的 \"warnings\"",
        ),
        _ => crate::lang::say("--format json, or `niche inspect`", "--format json，或 `niche inspect`"),
    };
    super::score::finish(&args.score, &scored, &inputs, &bytes, &all_of_them)
}
