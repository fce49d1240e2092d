//! `niche show NICHE FILE...`: `score`'s pipeline, keeping the posts' titles, then one niche on
//! the terminal ([`crate::report::show`]) or as its JSON object (`--format json`).

use crate::cli::{ScoreFormat, ShowArgs};
use crate::pipeline::Read;
use crate::report;

pub fn run(args: &ShowArgs) -> anyhow::Result<()> {
    let format = args.score.format;
    if matches!(format, ScoreFormat::Csv | ScoreFormat::Xlsx) {
        return Err(crate::Error::usage(
            "`niche show` prints one niche as text or JSON",
            "use --format table (the default) or --format json; `niche score --format csv` writes every niche",
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
        return Err(crate::Error::usage(
            format!(
                "no niche is named {:?} in these inputs{}",
                crate::text::sanitise_line(&args.niche),
                near.map(|n| format!("; did you mean {:?}?", crate::text::sanitise_line(n)))
                    .unwrap_or_default()
            ),
            format!(
                "name one of the {} niches: {}{}",
                names.len(),
                listed.join(", "),
                if names.len() > listed.len() {
                    ", … (`niche score` lists them all)"
                } else {
                    ""
                }
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
