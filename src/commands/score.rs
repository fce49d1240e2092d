//! `niche score FILE...`: load, normalise, measure, score, render.

use anyhow::Context;

use crate::cli::{ScoreArgs, ScoreFormat};
use crate::normalise::Tables;
use crate::report::{self, ScoreReport};
use crate::{measure, output, score};

pub fn run(args: &ScoreArgs) -> anyhow::Result<()> {
    let tables = super::read_tables(&args.load)?;
    tables.check_scorable()?;
    let mut model = crate::config::Model::load(args.config.as_deref())?;
    if let Some(b) = args.bootstrap {
        model.bootstrap.resamples = b;
    }
    if let Some(s) = args.seed {
        model.bootstrap.seed = s;
    }
    let profile = args.profile.as_deref().map(crate::profile::Profile::load).transpose()?;
    if let Some(p) = &profile {
        for (format, hours) in &p.hours {
            model
                .params
                .hours
                .insert(crate::normalise::fields::canonical_format(format), *hours);
        }
    }
    let metrics = measure::compute(&tables, &model.params)?;
    let mut scored = score::compute(&metrics, &model.weights, &model.bootstrap);
    if let Some(profile) = profile {
        for n in &mut scored.niches {
            let reach = n
                .evidence
                .iter()
                .find(|e| e.sub_factor == "audience")
                .and_then(|e| e.percentile);
            n.personal = Some(profile.personal(
                &n.metrics.niche,
                n.score,
                reach,
                n.metrics.hours_per_week,
                n.start_on.as_deref(),
                &n.metrics.platforms,
            ));
        }
        scored.profile = Some(profile);
    }
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
    let inputs: Vec<_> = super::inputs(&args.load).into_iter().map(|(p, _)| p).collect();
    if let Some(dir) = &args.report {
        let json = report::json(&report);
        let json_path = dir.join("report.json");
        let mut bundle = report::render(&json, &json_path, args.lang)?;
        bundle.files.insert(0, ("scores.csv".to_string(), report::csv(&report)));
        bundle.files.insert(0, ("report.json".to_string(), json));
        super::report::write_bundle(dir, &bundle, &inputs)?;
    }
    match &args.output {
        Some(path) => {
            output::write_file(path, &bytes, &inputs)?;
            output::note(&format!("wrote {}", path.display()));
        }
        None => output::write_stdout(&bytes).context("writing to standard output")?,
    }
    Ok(())
}
