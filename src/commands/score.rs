//! `niche score FILE...`: the pipeline once ([`crate::pipeline`]), then the table, CSV or JSON on
//! standard output and, with `--report`, a report folder.

use anyhow::Context;

use crate::cli::{ScoreArgs, ScoreFormat};
use crate::config::Model;
use crate::output;
use crate::pipeline::{self, Release};
use crate::profile::Profile;
use crate::report;

pub fn run(args: &ScoreArgs) -> anyhow::Result<()> {
    if args.format == ScoreFormat::Xlsx && args.output.is_none() {
        return Err(crate::Error::usage(
            crate::lang::say(
                "--format xlsx writes a workbook, which is not text for a terminal",
                "--format xlsx 写出的是表格文件，不是终端能显示的文本",
            ),
            crate::lang::say(
                "add --output scores.xlsx (or use --format csv)",
                "加上 --output scores.xlsx（或用 --format csv）",
            ),
        )
        .into());
    }
    // A report lists each niche's breakout posts: their titles and counts are kept (the general
    // path; without a report, canonical files are read the fast way, which keeps no titles).
    let read = if args.report.is_some() {
        pipeline::Read::Details
    } else {
        pipeline::Read::Fast
    };
    let (report, inputs) = scored(args, read)?;
    let bytes = match args.format {
        ScoreFormat::Table => report::table(&report, args.top.filter(|&n| n > 0), crate::lang::current()),
        // A file a person opens gets Excel's byte-order mark; standard output none.
        ScoreFormat::Csv if args.output.is_some() => report::for_excel(&report::csv(&report)),
        ScoreFormat::Csv => report::csv(&report),
        ScoreFormat::Json => report::json(&report),
        ScoreFormat::Xlsx => report::xlsx::workbook(&report)?,
    };
    let all_of_them = match args.format {
        ScoreFormat::Json => crate::lang::say("the JSON's \"warnings\"", "JSON 的 \"warnings\""),
        _ => crate::lang::say("--format json, or `niche inspect`", "--format json，或 `niche inspect`"),
    };
    finish(args, &report, &inputs, &bytes, &all_of_them)
}

/// The pipeline as `score` runs it: settings, profile and your account from the arguments, the
/// inputs read (`read`), measured and scored; with every file read (an output may not replace one).
pub fn scored(
    args: &ScoreArgs,
    read: pipeline::Read,
) -> anyhow::Result<(report::ScoreReport, Vec<std::path::PathBuf>)> {
    let mut model = Model::load(args.config.as_deref())?;
    if let Some(b) = args.bootstrap {
        model.bootstrap.resamples = b;
    }
    if let Some(s) = args.seed {
        model.bootstrap.seed = s;
    }
    if let Some(r) = &args.reference {
        model.params.reference = crate::reference::Reference::load(r)?;
    }
    let profile = args.profile.as_deref().map(Profile::load).transpose()?;
    // Your account: `--me`, else the profile's (a file named there is relative to the profile).
    let mut load = args.load.clone();
    let from_profile = profile.as_ref().zip(args.profile.as_deref()).and_then(|(p, path)| {
        let me = p.me.as_deref()?;
        let beside = path.parent().map(|d| d.join(me)).filter(|f| f.is_file());
        Some((
            beside.map_or_else(|| me.to_string(), |f| f.display().to_string()),
            p.me_followers,
        ))
    });
    match (&args.me, from_profile) {
        (Some(me), _) => pipeline::set_me(me, args.me_followers, &mut load, &mut model.params)?,
        (None, Some((me, followers))) => {
            let followers = args.me_followers.or(followers);
            pipeline::set_me(&me, followers, &mut load, &mut model.params)?
        }
        (None, None) if args.me_followers.is_some() => {
            return Err(crate::Error::usage(
                crate::lang::say(
                    "--me-followers is given without --me",
                    "给了 --me-followers 却没有 --me",
                ),
                crate::lang::say(
                    "add --me FILE with your own export",
                    "加上 --me FILE，给出你自己的导出文件",
                ),
            )
            .into())
        }
        (None, None) => {}
    }
    if let Some(p) = &profile {
        pipeline::apply_profile_hours(&mut model, p);
    }
    // The process exits when done: what the pipeline holds is left to the system.
    let measured = match &args.units {
        Some(dir) => {
            units_alone(&load, &model.params)?;
            pipeline::measured_from_units(dir, &load, &model.params, Release::AtExit)?
        }
        None => pipeline::measured(&load, &model.params, read, |_| Ok(()), Release::AtExit)?,
    };
    let mut measured = measured;
    if let Some(min) = args.min_accounts {
        pipeline::keep_niches_with(&mut measured, min, &format!("--min-accounts {min}"))?;
    }
    let report = pipeline::scored(&measured, &model, profile)?;
    Release::AtExit.free(measured);
    Ok((report, pipeline::files_read(&load)))
}

/// What `score` and `show` do after scoring: warnings on standard error (`all_of_them` says
/// where the rest are), the report folder with `--report`, and `bytes` to `--output` or standard
/// output (neither replacing one of the `inputs`).
pub fn finish(
    args: &ScoreArgs,
    report: &report::ScoreReport,
    inputs: &[std::path::PathBuf],
    bytes: &[u8],
    all_of_them: &str,
) -> anyhow::Result<()> {
    // Warnings reach a person whatever the format: on standard error, and in the JSON too.
    super::inspect::print_warnings(&report.warnings, all_of_them);
    if let Some(dir) = &args.report {
        crate::progress::phase(crate::lang::say("drawing the report", "正在绘制报告"));
        let t = crate::timing::Timer::start("report folder");
        let json = report::json(report);
        let json_path = dir.join("report.json");
        let mut bundle = report::render(&json, &json_path, crate::lang::current(), None)?;
        bundle
            .files
            .insert(0, ("scores.xlsx".to_string(), report::xlsx::workbook(report)?));
        bundle
            .files
            .insert(0, ("scores.csv".to_string(), report::for_excel(&report::csv(report))));
        bundle.files.insert(0, ("report.json".to_string(), json));
        output::write_folder(dir, &bundle.files, "report.html", inputs)?;
        output::wrote(&dir.join("report.html"));
        t.done();
    }
    match &args.output {
        Some(path) => {
            output::write_file(path, bytes, inputs)?;
            output::wrote(path);
        }
        None => output::write_stdout(bytes).context("writing to standard output")?,
    }
    Ok(())
}

/// With `--units DIR`, your account among the inputs cannot be given: the units step counted
/// its posts into its niche's style.
fn units_alone(load: &crate::cli::LoadArgs, params: &crate::measure::Params) -> crate::Result<()> {
    pipeline::no_inputs_beside_units(load)?;
    if params.me.is_some() {
        return Err(crate::Error::usage(
            "--me ACCOUNT cannot be used with --units: the units step counted that account's posts into its niche's style",
            "give your own posts as a file (--me FILE), or score the inputs without --units",
        ));
    }
    Ok(())
}
