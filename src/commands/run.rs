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

/// What a run depends on: niche.toml's bytes and every input's hash. A rerun happens only when
/// this changes (editors save in several steps, so file events alone over-trigger).
fn fingerprint(path: &Path, args: &RunArgs) -> Option<(Vec<u8>, Vec<String>, Vec<PathBuf>)> {
    let text = std::fs::read(path).ok()?;
    let analysis = Analysis::load(path, &args.sets).ok()?;
    let load = analysis::file_inputs(&analysis).ok()?;
    let mut hashes = Vec::new();
    for p in &load {
        hashes.push(cache::hash_file(p).map(|h| h.0).unwrap_or_default());
    }
    Some((text, hashes, load))
}

fn watch(args: &RunArgs, path: &Path) -> anyhow::Result<()> {
    use notify::RecursiveMode;
    use notify_debouncer_full::new_debouncer;

    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(Duration::from_millis(300), None, tx).context("starting the file watcher")?;
    let mut last = None;
    let mut watched: Vec<PathBuf> = Vec::new();
    loop {
        let now = fingerprint(path, args);
        if now.as_ref().map(|f| (&f.0, &f.1))
            != last
                .as_ref()
                .map(|f: &(Vec<u8>, Vec<String>, Vec<PathBuf>)| (&f.0, &f.1))
            || last.is_none()
        {
            match Analysis::load(path, &args.sets)
                .map_err(anyhow::Error::from)
                .and_then(|a| analysis::run(&a, Some(REFRESH_SECONDS)))
            {
                Ok(outcome) => report(args, &outcome)?,
                // While watching, a mistake in the file is reported and the watch goes on.
                Err(e) => output::note(&format!("error: {e:#}\n  (watching for the next change)")),
            }
            // Watch the folders: editors replace files rather than write into them.
            let mut dirs: Vec<PathBuf> = vec![parent(path)];
            if let Some(f) = &now {
                dirs.extend(f.2.iter().map(|p| parent(p)));
            }
            dirs.sort();
            dirs.dedup();
            for d in &dirs {
                if !watched.contains(d) {
                    debouncer
                        .watch(d, RecursiveMode::NonRecursive)
                        .with_context(|| format!("watching {}", d.display()))?;
                    watched.push(d.clone());
                }
            }
            last = now.or(last);
        }
        match rx.recv() {
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
}

fn parent(p: &Path) -> PathBuf {
    p.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
