//! `niche reference build FILE... --out ref.toml`: fit a reference from a panel of accounts
//! ([`crate::measure::fit_reference`]) and write it, to score against with `--reference`.

use crate::cli::{ReferenceArgs, ReferenceCommand};
use crate::config::Model;
use crate::measure::fit_reference;
use crate::output;
use crate::pipeline::{self, Release};
use crate::reference::Reference;

pub fn run(args: &ReferenceArgs) -> anyhow::Result<()> {
    match &args.command {
        ReferenceCommand::Build(b) => {
            let base = match &b.base {
                Some(path) => Reference::load(path)?,
                None => Reference::built_in(),
            };
            let mut model = Model::default();
            model.params.reference = base.clone();
            let measured = pipeline::measured(
                &b.load,
                &model.params,
                pipeline::Read::Fast,
                |_| Ok(()),
                Release::AtExit,
            )?;
            let units: Vec<_> = measured.metrics.units.iter().flatten().cloned().collect();
            let inputs: Vec<_> = pipeline::inputs(&b.load).into_iter().map(|(p, _)| p).collect();
            let panel = inputs
                .iter()
                .map(|p| {
                    p.file_name()
                        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
                })
                .collect::<Vec<_>>()
                .join(", ");
            let name = b.name.clone().unwrap_or_else(|| format!("fitted from {panel}"));
            // A reference needs a date on every value: an empty one says so.
            let date = if b.date.trim().is_empty() {
                "not stated"
            } else {
                b.date.trim()
            };
            if b.calibrated {
                // The reference the run was scored against, saved as it is: no further calibration.
                let mut saved = measured.metrics.params.reference.clone();
                saved.name = b
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{} calibrated from {panel}", base.name));
                saved.date = date.to_string();
                saved.calibrate = false;
                output::write_file(&b.out, saved.to_toml()?.as_bytes(), &inputs)?;
                let mut moved: Vec<String> = measured
                    .metrics
                    .calibration
                    .iter()
                    .filter(|c| c.source != "reference")
                    .map(|c| {
                        format!(
                            "{} {} {}",
                            c.platform,
                            c.measure,
                            crate::measure::calibrate::moved_label(
                                c.additive,
                                c.shift,
                                crate::measure::calibrate::POINTS_A_MONTH
                            )
                        )
                    })
                    .collect();
                moved.extend(saved.sponsored_share.map(|c| {
                    format!(
                        "the crawl's sponsored share {:.1}% (from {} niches with flags)",
                        c.share * 100.0,
                        c.niches
                    )
                }));
                wrote(
                    b,
                    "scale(s) calibrated from the inputs",
                    &moved,
                    "none: no platform had two niches with three accounts",
                    &base,
                );
                return Ok(());
            }
            let fitted = fit_reference::fit(&units, &base, &name, &panel, date);
            let own: Vec<String> = fitted
                .scales
                .iter()
                .filter(|s| s.confidence == "F" && s.source.contains("niche reference build"))
                .map(|s| format!("{} {}", s.platform, s.measure))
                .collect();
            output::write_file(&b.out, fitted.to_toml()?.as_bytes(), &inputs)?;
            wrote(b, "fitted scale(s)", &own, "none: no platform had 20 accounts", &base);
            Ok(())
        }
    }
}

/// Says what was written: how many scales of `what`, which (each named once), or why none.
fn wrote(b: &crate::cli::ReferenceBuildArgs, what: &str, scales: &[String], none: &str, base: &Reference) {
    let mut seen: Vec<&str> = Vec::new();
    for s in scales {
        if !seen.contains(&s.as_str()) {
            seen.push(s);
        }
    }
    output::note(&format!(
        "wrote {}: {} {what} ({}); the rest as in {}",
        b.out.display(),
        scales.len(),
        if seen.is_empty() {
            none.to_string()
        } else {
            seen.join(", ")
        },
        base.origin
    ));
}
