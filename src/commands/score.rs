//! `niche score FILE...`: load, normalise, measure, score, render.
//!
//! The two halves are public so that `niche run` can cache between them: [`measured`] reads the
//! inputs and measures (slow: it reads every file), [`scored`] weighs and ranks (fast).

use anyhow::Context;

use crate::cli::{LoadArgs, ScoreArgs, ScoreFormat};
use crate::config::Model;
use crate::measure::{Metrics, Params};
use crate::normalise::{InputReport, Tables, Warning};
use crate::profile::Profile;
use crate::report::{self, ScoreReport};
use crate::{measure, output, score};

/// What the slow half hands the fast half: the metrics and what was learnt about the inputs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    pub metrics: Metrics,
    /// `inputs`, `warnings` and `notes` as JSON (their types skip empty fields, which only a
    /// self-describing format reads back).
    pub about_inputs: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct AboutInputs {
    inputs: Vec<InputReport>,
    warnings: Vec<Warning>,
    notes: Vec<String>,
}

/// Read, normalise, filter (a saved analysis's filters) and measure. `fast` allows the fast path
/// for canonical post lists (a filter that needs each post's row turns it off).
pub fn measured(
    load: &LoadArgs,
    params: &Params,
    fast: bool,
    filter: impl FnOnce(&mut Tables) -> crate::Result<()>,
) -> anyhow::Result<Measured> {
    let t = crate::timing::Timer::start("load + normalise");
    let mut tables = super::read_tables(load, fast)?;
    t.done();
    tables.check_scorable()?;
    filter(&mut tables)?;
    crate::progress::phase("measuring");
    let t = crate::timing::Timer::start("measure");
    let metrics = measure::compute(&tables, params)?;
    t.done();
    let Tables {
        inputs,
        warnings,
        notes,
        accounts,
        posts,
        post_set,
        snapshots,
        ..
    } = tables;
    crate::free_later((accounts, posts, post_set, snapshots));
    let about = AboutInputs {
        inputs,
        warnings,
        notes,
    };
    Ok(Measured {
        metrics,
        about_inputs: serde_json::to_string(&about).context("recording the inputs")?,
    })
}

/// Weigh, rank, add the profile's personal scores, and build the view model.
pub fn scored(measured: &Measured, model: &Model, profile: Option<Profile>) -> anyhow::Result<ScoreReport> {
    crate::progress::phase(format!("scoring, {} bootstrap resamples", model.bootstrap.resamples));
    let t = crate::timing::Timer::start("score + bootstrap");
    let mut scored = score::compute(&measured.metrics, &model.weights, &model.bootstrap);
    t.done();
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
    let about: AboutInputs =
        serde_json::from_str(&measured.about_inputs).context("reading back what was recorded about the inputs")?;
    Ok(ScoreReport::new(scored, about.inputs, about.warnings, about.notes))
}

pub fn run(args: &ScoreArgs) -> anyhow::Result<()> {
    crate::one_shot();
    let mut model = Model::load(args.config.as_deref())?;
    if let Some(b) = args.bootstrap {
        model.bootstrap.resamples = b;
    }
    if let Some(s) = args.seed {
        model.bootstrap.seed = s;
    }
    let profile = args.profile.as_deref().map(Profile::load).transpose()?;
    if let Some(p) = &profile {
        apply_profile_hours(&mut model, p);
    }
    let measured = measured(&args.load, &model.params, true, |_| Ok(()))?;
    let report = scored(&measured, &model, profile)?;
    crate::free_later(measured);
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
        crate::progress::phase("drawing the report");
        let t = crate::timing::Timer::start("report folder");
        let json = report::json(&report);
        let json_path = dir.join("report.json");
        let mut bundle = report::render(&json, &json_path, args.lang, None)?;
        bundle.files.insert(0, ("scores.csv".to_string(), report::csv(&report)));
        bundle.files.insert(0, ("report.json".to_string(), json));
        super::report::write_bundle(dir, &bundle, &inputs)?;
        t.done();
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

/// A profile's own hours per format replace the model's.
pub fn apply_profile_hours(model: &mut Model, profile: &Profile) {
    for (format, hours) in &profile.hours {
        model
            .params
            .hours
            .insert(crate::normalise::fields::canonical_format(format), *hours);
    }
}
