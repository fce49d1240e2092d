//! Where the time goes: with `NICHE_TIMINGS=1`, each stage prints its wall time to standard error
//! (never into an output, which stays free of clocks), when it started (seconds since the first
//! timer of the run) and, where the system says, the processor time the whole process spent
//! meanwhile (all threads, including those of any stage running beside it): a stage alone whose
//! processor time is near its wall time ran on one thread; and the process's peak memory so far
//! (`VmHWM`), so the stage where the peak is reached shows.

use std::sync::OnceLock;
use std::time::Instant;

/// Times a stage from creation until [`Timer::done`].
pub struct Timer {
    label: &'static str,
    started: Option<(Instant, Option<f64>)>,
}

/// Whether `NICHE_TIMINGS` asks for timings (and notes on which path read the inputs).
pub fn enabled() -> bool {
    std::env::var_os("NICHE_TIMINGS").is_some_and(|v| v != "0" && !v.is_empty())
}

/// With timings on, says which way the inputs were read (`the fast path` or `the general way`),
/// once per reading, on a line of its own that tests and people can rely on.
pub fn note_path(way: &str) {
    if enabled() {
        crate::output::note(&format!("inputs read by: {way}"));
    }
}

/// When the first timer started.
fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// Processor time (user and system) of the whole process so far, in seconds, where
/// `/proc/self/stat` gives it (fields 14 and 15, in ticks of 1/100 s on Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_ascii_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The process's peak resident memory so far, in MiB, where `/proc/self/status` gives it.
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

impl Timer {
    pub fn start(label: &'static str) -> Timer {
        Timer {
            label,
            started: enabled().then(|| {
                origin();
                (Instant::now(), cpu_seconds())
            }),
        }
    }

    pub fn done(self) {
        if let Some((t, cpu)) = self.started {
            let cpu = match (cpu, cpu_seconds()) {
                (Some(a), Some(b)) => format!("  cpu {:>6.2} s", b - a),
                _ => String::new(),
            };
            let peak = peak_mib().map_or_else(String::new, |m| format!("  peak {m:>5} MiB"));
            crate::output::note(&format!(
                "timing: {:<18} {:>8.3} s  at {:>6.2} s{cpu}{peak}",
                self.label,
                t.elapsed().as_secs_f64(),
                t.duration_since(origin()).as_secs_f64(),
            ));
        }
    }
}
