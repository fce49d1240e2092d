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
    output::note(&format!(
        "run {}: {}; {} niche(s) changed since the last run; report {}",
        outcome.run,
        stages.join(", "),
        outcome.changed,
        outcome.report_dir.join("report.html").display()
    ));
    Ok(())
}

/// What a run depends on: niche.toml's bytes and every input's hash, and the inputs to watch.
/// A rerun happens only when the first two change (editors save in several steps, so file events
/// alone over-trigger).
struct Fingerprint {
    text: Vec<u8>,
    hashes: Vec<String>,
    inputs: Vec<PathBuf>,
}

impl Fingerprint {
    fn read(path: &Path, args: &RunArgs) -> Option<Fingerprint> {
        let text = std::fs::read(path).ok()?;
        let analysis = Analysis::load(path, &args.sets).ok()?;
        let inputs = analysis::file_inputs(&analysis).ok()?;
        let hashes = inputs
            .iter()
            .map(|p| cache::hash_file(p).map(|h| h.0).unwrap_or_default())
            .collect();
        Some(Fingerprint { text, hashes, inputs })
    }

    fn same(&self, other: &Fingerprint) -> bool {
        self.text == other.text && self.hashes == other.hashes
    }
}

fn watch(args: &RunArgs, path: &Path) -> anyhow::Result<()> {
    use notify::RecursiveMode;
    use notify_debouncer_full::new_debouncer;

    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(Duration::from_millis(300), None, tx).context("starting the file watcher")?;
    let mut last: Option<Fingerprint> = None;
    let mut first = true;
    let mut watched: Vec<PathBuf> = Vec::new();
    // The files the last batch of events named (none before the first run).
    let mut touched: Vec<PathBuf> = Vec::new();
    loop {
        let now = Fingerprint::read(path, args);
        let unchanged = matches!((&now, &last), (Some(n), Some(l)) if n.same(l));
        if !first && unchanged {
            // Saved without a change (or touched): say so where it was the settings or an input,
            // so a user who saved and sees nothing knows why (and a test has an event to wait for).
            let same_file = |a: &Path, b: &Path| {
                a == b
                    || a.canonicalize()
                        .ok()
                        .is_some_and(|a| b.canonicalize().is_ok_and(|b| a == b))
            };
            let theirs = |p: &PathBuf| {
                same_file(p, path) || last.as_ref().is_some_and(|l| l.inputs.iter().any(|i| same_file(p, i)))
            };
            if let Some(p) = touched.iter().find(|p| theirs(p)) {
                output::note(&format!("{} saved without a change: not run again", p.display()));
            }
        }
        if first || !unchanged {
            first = false;
            // Watch the folders (editors replace files rather than write into them) before the
            // run, so a save while it runs is seen when it ends.
            let mut dirs: Vec<PathBuf> = vec![parent(path)];
            if let Some(f) = &now {
                dirs.extend(f.inputs.iter().map(|p| parent(p)));
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
            let outcome = Analysis::load(path, &args.sets)
                .map_err(anyhow::Error::from)
                .and_then(|a| analysis::run(&a, Some(REFRESH_SECONDS)));
            match outcome {
                Ok(outcome) => report(args, &outcome)?,
                // While watching, a mistake in the file is reported and the watch goes on.
                Err(e) => output::note(&format!("error: {e:#}\n  (watching for the next change)")),
            }
            if now.is_some() {
                last = now;
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

fn parent(p: &Path) -> PathBuf {
    p.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
