//! `niche run`: run the saved analysis, optionally again whenever it or an input changes.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;

use crate::analysis::{self, cache, Analysis, Outcome};
use crate::cli::RunArgs;
use crate::output;

/// Seconds between the page's reloads while watching.
const REFRESH_SECONDS: u32 = 2;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let path = analysis::config_path(args.config.as_deref());
    if !args.watch {
        let analysis = Analysis::load(&path, &args.sets)?;
        let outcome = analysis::run(&analysis, None)?;
        report(args, &outcome)?;
        return Ok(());
    }
    watch(args, &path)
}

fn report(args: &RunArgs, outcome: &Outcome) -> anyhow::Result<()> {
    if !args.quiet {
        output::write_stdout(&outcome.table).context("writing to standard output")?;
    }
    let stages: Vec<String> = outcome
        .stages
        .iter()
        .map(|(s, hit)| format!("{s} {}", if *hit { "cached" } else { "computed" }))
        .collect();
    // The first run has nothing to compare with: "0 changed" would say it had.
    let changed = if outcome.run <= 1 {
        "the first run".to_string()
    } else {
        format!("{} niche(s) changed since the last run", outcome.changed)
    };
    output::note(&format!(
        "run {}: {}; {changed}; report {}",
        outcome.run,
        stages.join(", "),
        outcome.report_dir.join("report.html").display()
    ));
    Ok(())
}

/// What a run depends on: niche.toml's bytes and every input's hash, and the inputs to watch.
/// A rerun happens only when the first two change (editors save in several steps, so file events
/// alone over-trigger).
struct Fingerprint {
    text: String,
    hashes: Vec<String>,
    inputs: Vec<PathBuf>,
}

impl Fingerprint {
    fn of(analysis: &Analysis) -> Fingerprint {
        let inputs = analysis::file_inputs(analysis).unwrap_or_default();
        let hashes = inputs
            .iter()
            .map(|p| cache::hash_file(p).map(|h| h.0).unwrap_or_default())
            .collect();
        Fingerprint {
            text: analysis.text.clone(),
            hashes,
            inputs,
        }
    }

    fn same(&self, other: &Fingerprint) -> bool {
        self.text == other.text && self.hashes == other.hashes
    }
}

/// The settings as they are on disk now: read once, and the run uses exactly what was read (a
/// second read could see a later save, or one half written).
fn read_settings(path: &Path, args: &RunArgs) -> Result<Analysis, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(_) => return Analysis::load(path, &args.sets).map_err(|e| format!("error: {e:#}")),
    };
    if text.trim().is_empty() {
        // An in-place save truncates before it writes: an empty file is, most often, one being
        // written; its next event brings the rest.
        return Err(format!("{} is empty: waiting for it to be written", path.display()));
    }
    Analysis::from_text(path, text, &args.sets).map_err(|e| format!("error: {e:#}"))
}

fn watch(args: &RunArgs, path: &Path) -> anyhow::Result<()> {
    use notify::RecursiveMode;
    use notify_debouncer_full::new_debouncer;

    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(Duration::from_millis(300), None, tx).context("starting the file watcher")?;
    // What the last run ran on (none before the first run that could read its settings).
    let mut last: Option<Fingerprint> = None;
    // The last note about settings that do not read, so a save that leaves them so is not noted twice.
    let mut last_error: Option<String> = None;
    let mut watched: Vec<PathBuf> = Vec::new();
    // The files the last batch of events named (none before the first run).
    let mut touched: Vec<PathBuf> = Vec::new();
    loop {
        // Watch the folders (editors replace files rather than write into them) before the run, so
        // a save while it runs is seen when it ends.
        let settings = read_settings(path, args);
        let mut dirs: Vec<PathBuf> = vec![parent(path)];
        if let Ok(a) = &settings {
            dirs.extend(analysis::file_inputs(a).unwrap_or_default().iter().map(|p| parent(p)));
        }
        dirs.sort();
        dirs.dedup();
        for d in dirs {
            if !watched.contains(&d) {
                debouncer
                    .watch(&d, RecursiveMode::NonRecursive)
                    .with_context(|| format!("watching {}", d.display()))?;
                watched.push(d);
            }
        }
        match settings {
            // While watching, a mistake in the file is reported and the watch goes on; the last
            // report stands until the settings read again.
            Err(note) => {
                if last_error.as_ref() != Some(&note) {
                    output::note(&format!("{note}\n  (watching for the next change)"));
                    last_error = Some(note);
                }
            }
            Ok(analysis) => {
                last_error = None;
                let now = Fingerprint::of(&analysis);
                if let Some(l) = last.as_ref().filter(|l| l.same(&now)) {
                    // Saved without a change (or touched): say so where it was the settings or an
                    // input, so a user who saved and sees nothing knows why (and a test has an
                    // event to wait for).
                    let theirs = |p: &PathBuf| same_file(p, path) || l.inputs.iter().any(|i| same_file(p, i));
                    if let Some(p) = touched.iter().find(|p| theirs(p)) {
                        output::note(&format!("{} saved without a change: not run again", p.display()));
                    }
                } else {
                    match analysis::run(&analysis, Some(REFRESH_SECONDS)) {
                        Ok(outcome) => report(args, &outcome)?,
                        Err(e) => output::note(&format!("error: {e:#}\n  (watching for the next change)")),
                    }
                    last = Some(now);
                }
            }
        }
        // Wait for a change: reading a file (this loop's own reads among them) is not one.
        touched = loop {
            match rx.recv() {
                Err(_) => return Ok(()),
                Ok(events) => {
                    let changed: Vec<PathBuf> = events
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|e| !matches!(e.event.kind, notify::EventKind::Access(_)))
                        .flat_map(|e| e.event.paths)
                        .collect();
                    if !changed.is_empty() {
                        break changed;
                    }
                }
            }
        };
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || a.canonicalize()
            .ok()
            .is_some_and(|a| b.canonicalize().is_ok_and(|b| a == b))
}

fn parent(p: &Path) -> PathBuf {
    p.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
