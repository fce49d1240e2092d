//! `niche score FILE...`: load, normalise, measure, score, render.

use anyhow::Context;

use crate::cli::{ScoreArgs, ScoreFormat};
use crate::error::Error;
use crate::normalise::fields::Field;
use crate::normalise::mapping::Kind;
use crate::normalise::Tables;
use crate::report::{self, ScoreReport};
use crate::{measure, output, score};

pub fn run(args: &ScoreArgs) -> anyhow::Result<()> {
    let tables = super::read_tables(&args.load)?;
    ready_to_score(&tables)?;
    let metrics = measure::compute(&tables)?;
    let scored = score::compute(&metrics);
    let Tables {
        inputs,
        warnings,
        notes,
        ..
    } = tables;
    let report = ScoreReport::new(scored, inputs, warnings, notes);
    let bytes = match args.format {
        ScoreFormat::Table => report::table(&report),
        ScoreFormat::Csv => report::csv(&report),
        ScoreFormat::Json => report::json(&report),
    };
    if args.format != ScoreFormat::Json {
        super::inspect::print_warnings(&report.warnings);
    }
    match &args.output {
        Some(path) => {
            let inputs: Vec<_> = super::inputs(&args.load).into_iter().map(|(p, _)| p).collect();
            output::write_file(path, &bytes, &inputs)?;
            output::note(&format!("wrote {}", path.display()));
        }
        None => output::write_stdout(&bytes).context("writing to standard output")?,
    }
    Ok(())
}

/// Stop with a message naming the file and the flag to pass when the inputs cannot be scored.
fn ready_to_score(tables: &Tables) -> Result<(), Error> {
    for input in &tables.inputs {
        if input.kind.is_none() {
            let columns = input
                .unmapped
                .iter()
                .take(20)
                .map(|c| format!("{c:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::file(
                &input.path,
                format!("could not tell whether this is an account list, a post list or follower snapshots: none of its columns has a known meaning (columns: {columns})"),
                "say what it is with --accounts FILE, --posts FILE or --snapshots FILE, and name its columns with --map FIELD=COLUMN (e.g. --map followers=粉丝量)",
            ));
        }
        if input.rows_read == 0 {
            return Err(Error::file(
                &input.path,
                format!("the file has a header (line {}) but no data rows", input.header_line),
                "export the data again with rows in it, or leave this file out",
            ));
        }
    }
    let scorable = |k| tables.inputs.iter().any(|i| i.kind == Some(k));
    if !scorable(Kind::Accounts) && !scorable(Kind::Posts) {
        let first = tables.inputs.first().map(|i| i.path.clone()).unwrap_or_default();
        return Err(Error::file(
            first,
            "only follower snapshots were given; niches are scored from account lists or post lists",
            "add an account list or a post list, e.g. `niche score accounts.csv snapshots.csv`",
        ));
    }
    let has_niche = tables.has(Kind::Accounts, Field::Niche) || tables.has(Kind::Posts, Field::Niche);
    if !has_niche {
        let input = tables
            .inputs
            .iter()
            .find(|i| matches!(i.kind, Some(Kind::Accounts | Kind::Posts)))
            .or(tables.inputs.first());
        let (path, suggestions) = input
            .map(|i| (i.path.clone(), i.niche_suggestions.clone()))
            .unwrap_or_default();
        let hint = match suggestions.first() {
            Some(s) => format!(
                "pass --niche-column NAME with the column that holds each row's niche; columns that look like categories here: {}. For example: --niche-column {s:?}",
                suggestions.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
            ),
            None => "pass --niche-column NAME with the column that holds each row's niche (赛道, category, keyword ...); if no column does, add one to the export".to_string(),
        };
        return Err(Error::file(
            path,
            "no column names the niche (赛道): none of niche, category, 领域, 所属领域, typename, keyword, source_keyword, Category_1 ... is in the header",
            hint,
        ));
    }
    Ok(())
}
