//! A progress line on standard error for long runs: drawn only when standard error is a terminal
//! and only once the run has taken a second, so pipes, logs and tests never see it.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

struct Line {
    bar: ProgressBar,
    started: Instant,
}

thread_local! {
    /// Set on a thread whose work runs beside another's that owns the line ([`quietly`]).
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` on this thread without touching the line: for work done beside other work that
/// reports its own progress (two phases would take turns on one line).
pub fn quietly<R>(f: impl FnOnce() -> R) -> R {
    QUIET.with(|q| q.set(true));
    let r = f();
    QUIET.with(|q| q.set(false));
    r
}

/// The line, for a thread that may change what it says (not one running [`quietly`]).
fn ours() -> Option<&'static Line> {
    if QUIET.with(std::cell::Cell::get) {
        return None;
    }
    line()
}

fn line() -> Option<&'static Line> {
    static LINE: OnceLock<Option<Line>> = OnceLock::new();
    LINE.get_or_init(|| {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{spinner} {elapsed:>3} {msg} {wide_bar} {human_pos}/{human_len}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        Some(Line {
            bar,
            started: Instant::now(),
        })
    })
    .as_ref()
}

/// Show the line once the run has taken a second.
fn reveal(l: &Line) {
    if l.bar.is_hidden() && l.started.elapsed() >= Duration::from_secs(1) {
        l.bar.set_draw_target(ProgressDrawTarget::stderr());
        l.bar.enable_steady_tick(Duration::from_millis(120));
    }
}

/// A new phase: what the run is doing now.
pub fn phase(message: impl Into<String>) {
    if let Some(l) = ours() {
        l.bar.set_message(message.into());
        l.bar.set_length(0);
        l.bar.set_position(0);
        reveal(l);
    }
}

/// The phase of reading one input file, named by its file name.
pub fn reading(path: &std::path::Path) {
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    phase(crate::lang::say(format!("reading {name}"), format!("正在读取 {name}")));
}

/// Progress through the current phase's rows; cheap enough to call every few thousand rows.
pub fn rows(done: u64, total: u64) {
    if let Some(l) = ours() {
        l.bar.set_length(total);
        l.bar.set_position(done);
        reveal(l);
    }
}

/// Remove the line (at the end of a command, before its results are printed).
pub fn finish() {
    if let Some(l) = line() {
        l.bar.finish_and_clear();
    }
}

/// Write to standard error without tearing the line.
pub fn suspend<R>(f: impl FnOnce() -> R) -> R {
    match line() {
        Some(l) => l.bar.suspend(f),
        None => f(),
    }
}
