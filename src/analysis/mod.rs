//! Saved analyses (niche.toml) and reruns: change one thing, run again, see what moved.
//!
//! A run has three cached stages, each keyed by blake3 over what it reads and the method version
//! (see the `cache` module):
//!
//! 1. **measure**: the input files' bytes, `[inputs]`, `[filters]` and the model's measure
//!    settings -> metrics (reading the files is the slow part; a cache hit skips it);
//! 2. **score**: the measure key, weights, bootstrap and profile -> report.json, scores.csv and the
//!    table;
//! 3. **render**: the page's JSON and `[report]` -> report.html and the charts.
//!
//! So a changed weight rescores without reading the inputs, a changed language redraws without
//! scoring, and an unchanged rerun answers entirely from the cache. Each run is kept under
//! `reports/<name>/runs/<n>/` with the settings as used, the inputs' hashes and the outputs.

pub mod cache;
pub mod file;
pub mod runs;

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

pub use file::{Analysis, AnalysisFile};

use crate::error::{Error, Result};
use crate::normalise::date::{parse_date, ParsedDate};
use crate::normalise::Tables;
use crate::pipeline::{self, measured, scored, LoadArgs, Measured, Release};
use crate::report;
use cache::{Cache, Key};

/// One input file as a run read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputHash {
    pub path: String,
    pub bytes: u64,
    pub blake3: String,
}

/// How a run went: where it wrote, which stages the cache answered.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub run: u64,
    pub report_dir: PathBuf,
    /// (stage, answered from the cache)
    pub stages: Vec<(&'static str, bool)>,
    pub inputs: Vec<InputHash>,
    /// Niches whose rank or score changed since the previous run.
    pub changed: usize,
    pub table: Vec<u8>,
}

/// What the score stage keeps.
#[derive(serde::Serialize, serde::Deserialize)]
struct ScoreOut {
    json: Vec<u8>,
    csv: Vec<u8>,
    table: Vec<u8>,
    xlsx: Vec<u8>,
}

/// The files a run reads: each pattern relative to niche.toml's folder, globs expanded in order.
fn expand(analysis: &Analysis, patterns: &[String]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in patterns {
        let full = analysis.dir.join(p);
        if !p.contains(['*', '?', '[']) {
            out.push(full);
            continue;
        }
        let pattern = full.to_string_lossy().to_string();
        let mut found: Vec<PathBuf> = glob::glob(&pattern)
            .map_err(|e| bad_setting(analysis, p, &format!("{p:?} is not a usable pattern: {e}")))?
            .filter_map(std::result::Result::ok)
            .collect();
        found.sort();
        if found.is_empty() {
            return Err(bad_setting(analysis, p, &format!("no file matches {p:?}")));
        }
        out.extend(found);
    }
    Ok(out)
}

/// A setting the run cannot use, pointed at in niche.toml.
fn bad_setting(analysis: &Analysis, key: &str, message: &str) -> Error {
    crate::error::bad_value(
        &analysis.path,
        &analysis.text,
        key,
        message.to_string(),
        "fix it in niche.toml (paths are relative to the file), or `ls` to see what is there".to_string(),
    )
}

fn load_args(analysis: &Analysis) -> Result<LoadArgs> {
    let i = &analysis.file.inputs;
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    let mut load = LoadArgs {
        files: expand(analysis, &i.files)?,
        accounts: expand(analysis, &i.accounts)?,
        posts: expand(analysis, &i.posts)?,
        snapshots: expand(analysis, &i.snapshots)?,
        signals: expand(analysis, &i.signals)?,
        map: i.map.iter().map(|(f, c)| format!("{f}={c}")).collect(),
        niche_column: opt(&i.niche_column),
        niches: i.niches.iter().map(|(n, k)| format!("{n}={}", k.join(","))).collect(),
        sheet: opt(&i.sheet),
        encoding: opt(&i.encoding),
        platform: opt(&i.platform),
        me_file: None,
    };
    if let Some(file) = opt(&analysis.file.me.file) {
        pipeline::set_me_file(&mut load, analysis.dir.join(file))?;
    }
    if load.files.is_empty() && load.accounts.is_empty() && load.posts.is_empty() && load.snapshots.is_empty() {
        return Err(bad_setting(
            analysis,
            "files",
            "[inputs] names no file: list your exports in `files = [...]`",
        ));
    }
    Ok(load)
}

/// `[filters]`: platforms and a date window on the tables, before anything is measured.
fn filter_tables(analysis: &Analysis, tables: &mut Tables) -> Result<()> {
    use polars::prelude::*;
    let f = &analysis.file.filters;
    let date = |key: &str, s: &str| -> Result<Option<i64>> {
        if s.trim().is_empty() {
            return Ok(None);
        }
        match parse_date(s) {
            ParsedDate::At(t) => Ok(Some(t)),
            _ => Err(bad_setting(
                analysis,
                key,
                &format!("filters.{key} = {s:?} is not a date; write it like \"2026-01-31\""),
            )),
        }
    };
    let since = date("since", &f.since)?;
    // `until` is a day: keep the whole of it.
    let until = date("until", &f.until)?.map(|t| t + 86_399);
    if !f.platforms.is_empty() {
        let keep = |df: &DataFrame| -> Result<DataFrame> {
            if df.height() == 0 {
                return Ok(df.clone());
            }
            let platform = df.column("platform")?.str()?;
            let mask: BooleanChunked = (0..df.height())
                .map(|i| Some(platform.get(i).is_some_and(|p| f.platforms.iter().any(|w| w == p))))
                .collect();
            Ok(df.filter(&mask)?)
        };
        let before = tables.accounts.height();
        tables.accounts = keep(&tables.accounts)?;
        let left_out_posts = tables.posts.retain(|p, _| f.platforms.iter().any(|w| w == p));
        tables.snapshots = keep(&tables.snapshots)?;
        let left_out = before - tables.accounts.height() + left_out_posts;
        tables.notes.push(format!(
            "filters.platforms = {:?}: {left_out} account or post row(s) on other platforms left out",
            f.platforms
        ));
    }
    if (since.is_some() || until.is_some()) && !tables.posts.is_empty() {
        let left_out = tables
            .posts
            .retain(|_, t| t.is_some_and(|t| since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u)));
        tables.notes.push(format!(
            "filters.since/until ({} to {}): {} post(s) outside the window or without a date left out",
            if f.since.is_empty() { "any" } else { &f.since },
            if f.until.is_empty() { "any" } else { &f.until },
            left_out
        ));
    }
    if !f.platforms.is_empty() || since.is_some() || until.is_some() {
        tables.posts_in_other_niches = tables.posts.multi_niche().1;
    }
    Ok(())
}

/// Run a saved analysis once. `refresh` makes the page reload itself (for `--watch`).
pub fn run(analysis: &Analysis, refresh: Option<u32>) -> anyhow::Result<Outcome> {
    let name = analysis.file.report.name.trim();
    if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(bad_setting(
            analysis,
            "name",
            &format!("report.name = {name:?} must be a plain folder name, e.g. \"my-niches\""),
        )
        .into());
    }
    let load = load_args(analysis)?;
    let mut inputs = Vec::new();
    let mut input_paths = Vec::new();
    for path in pipeline::files_read(&load) {
        let (blake3, bytes) = cache::hash_file(&path)?;
        inputs.push(InputHash {
            path: path.to_string_lossy().to_string(),
            bytes,
            blake3,
        });
        input_paths.push(path);
    }
    let cache = Cache::new(analysis.dir.join(".niche").join("cache"));
    let mut stages = Vec::new();

    let profile = analysis.has_profile().then(|| analysis.file.profile.clone());
    let mut model = analysis.model.clone();
    if let Some(p) = &profile {
        pipeline::apply_profile_hours(&mut model, p);
    }

    let measure_key = Key::new("measure")
        .value("inputs", &inputs)
        .value("settings", &analysis.file.inputs)
        .value("filters", &analysis.file.filters)
        .value("params", &model.params)
        .hex();
    let measured = match cache.get_value::<Measured>("measure", &measure_key) {
        Some(m) => {
            stages.push(("measure", true));
            m
        }
        None => {
            // A saved analysis writes a report, which lists each niche's breakout posts.
            let mut m = measured(
                &load,
                &model.params,
                pipeline::Read::Details,
                |t| filter_tables(analysis, t),
                Release::Now,
            )?;
            let min = analysis.file.filters.min_accounts;
            pipeline::keep_niches_with(&mut m, min, &format!("filters.min_accounts = {min}"))?;
            cache.put_value("measure", &measure_key, &m)?;
            stages.push(("measure", false));
            m
        }
    };

    let score_key = Key::new("score")
        .part("measure", measure_key.as_bytes())
        .value("weights", &model.weights)
        .value("bootstrap", &model.bootstrap)
        .value("profile", &profile)
        .hex();
    let scored_out = match cache.get_value::<ScoreOut>("score", &score_key) {
        Some(s) => {
            stages.push(("score", true));
            s
        }
        None => {
            let r = scored(&measured, &model, profile.clone())?;
            let out = ScoreOut {
                json: report::json(&r),
                csv: report::csv(&r),
                table: report::table(&r, None, crate::lang::current()),
                xlsx: report::xlsx::workbook(&r)?,
            };
            cache.put_value("score", &score_key, &out)?;
            stages.push(("score", false));
            out
        }
    };

    // The page is drawn from the scored JSON alone (cached); what changed since the previous run
    // is filled into its slot afterwards, and added to the folder's report.json.
    let report_dir = analysis.dir.join("reports").join(name);
    let runs_dir = report_dir.join("runs");
    let previous = runs::numbers(&runs_dir).last().copied();
    let json_path = report_dir.join("report.json");
    let render_key = Key::new("render")
        .part("page", blake3::hash(&scored_out.json).as_bytes())
        .value("report", &analysis.file.report)
        .value("refresh", &refresh)
        .hex();
    let mut files = match cache.get_value::<Vec<(String, Vec<u8>)>>("render", &render_key) {
        Some(f) => {
            stages.push(("render", true));
            f
        }
        None => {
            crate::progress::phase(crate::lang::say("drawing the report", "正在绘制报告"));
            let files = render(analysis, &scored_out.json, &json_path, refresh)?;
            cache.put_value("render", &render_key, &files)?;
            stages.push(("render", false));
            files
        }
    };
    let current: serde_json::Value = serde_json::from_slice(&scored_out.json).context("reading the scored report")?;
    let before = previous.and_then(|n| {
        let bytes = std::fs::read(runs::run_dir(&runs_dir, n).join("report.json")).ok()?;
        serde_json::from_slice::<serde_json::Value>(&bytes).ok()
    });
    let (page_json, changed) = match before {
        Some(before) => {
            let changes = runs::changes(&before, &current);
            let mut page = current;
            page["since_last_run"] = serde_json::to_value(&changes)?;
            let mut bytes = serde_json::to_vec_pretty(&page)?;
            bytes.push(b'\n');
            let parsed = report::page::parse(&bytes, &json_path)?;
            let section = report::html::since_last_run(
                parsed.since_last_run.as_deref().unwrap_or_default(),
                analysis.file.report.lang,
            )
            .into_string();
            for f in &mut files {
                if f.0 == "report.html" {
                    let html = String::from_utf8_lossy(&f.1).replacen(report::html::SINCE_LAST_RUN_SLOT, &section, 1);
                    f.1 = html.into_bytes();
                }
            }
            (bytes, changes.len())
        }
        None => (scored_out.json.clone(), 0),
    };

    // The folder: the latest report, then this run's record.
    let mut protected = input_paths.clone();
    protected.push(analysis.path.clone());
    let mut bundle_files = vec![
        ("report.json".to_string(), page_json),
        ("scores.csv".to_string(), report::for_excel(&scored_out.csv)),
        ("scores.xlsx".to_string(), scored_out.xlsx.clone()),
    ];
    bundle_files.extend(files.iter().cloned());
    let bundle = report::Bundle {
        files: bundle_files,
        method_version: crate::method::METHOD_VERSION.to_string(),
    };
    crate::output::write_folder(&report_dir, &bundle.files, "report.html", &protected)?;

    let n = previous.map_or(1, |p| p + 1);
    let run_dir = runs::run_dir(&runs_dir, n);
    let outcome = Outcome {
        run: n,
        report_dir: report_dir.clone(),
        stages,
        inputs,
        changed,
        table: scored_out.table.clone(),
    };
    let record = serde_json::json!({
        "run": n,
        "method_version": crate::method::METHOD_VERSION,
        "config": analysis.path.to_string_lossy(),
        "sets": analysis.sets,
        "inputs": outcome.inputs,
        "cache": outcome.stages.iter().map(|(s, hit)| (s.to_string(), if *hit { "cached" } else { "computed" })).collect::<std::collections::BTreeMap<_, _>>(),
        "keys": {"measure": measure_key, "score": score_key, "render": render_key},
        "changed_since_last_run": changed,
    });
    let mut record_bytes = serde_json::to_vec_pretty(&record)?;
    record_bytes.push(b'\n');
    let html = files
        .iter()
        .find(|f| f.0 == "report.html")
        .map(|f| f.1.clone())
        .unwrap_or_default();
    for (name, bytes) in [
        ("niche.toml", analysis.effective.as_bytes().to_vec()),
        ("run.json", record_bytes),
        ("report.json", scored_out.json),
        ("scores.csv", scored_out.csv),
        ("report.html", html),
    ] {
        crate::output::write_file(&run_dir.join(name), &bytes, &protected)?;
    }
    Ok(outcome)
}

/// The page and charts of a scored report, as `[report]` asks.
fn render(
    analysis: &Analysis,
    json: &[u8],
    json_path: &Path,
    refresh: Option<u32>,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let lang = analysis.file.report.lang;
    if analysis.file.report.charts {
        return Ok(report::render(json, json_path, lang, refresh)?.files);
    }
    let page = report::page::parse(json, json_path)?;
    let none = report::charts::Charts {
        drawn: Vec::new(),
        skipped: Vec::new(),
    };
    Ok(vec![(
        "report.html".to_string(),
        report::html::render(&page, &none, lang, refresh),
    )])
}

/// Every input file the analysis names, globs expanded.
pub fn file_inputs(analysis: &Analysis) -> Result<Vec<PathBuf>> {
    let load = load_args(analysis)?;
    Ok(pipeline::inputs(&load).into_iter().map(|(p, _)| p).collect())
}

/// The settings file to use: `--config`, else ./niche.toml.
pub fn config_path(given: Option<&Path>) -> PathBuf {
    given.map_or_else(|| PathBuf::from("niche.toml"), Path::to_path_buf)
}
