//! Where the time goes: with `NICHE_TIMINGS=1`, each stage prints its wall time to standard error
//! (never into an output, which stays free of clocks).

use std::time::Instant;

/// Times a stage from creation until [`Timer::done`].
pub struct Timer {
    label: &'static str,
    started: Option<Instant>,
}

/// Whether `NICHE_TIMINGS` asks for timings (and notes on which path read the inputs).
pub fn enabled() -> bool {
    std::env::var_os("NICHE_TIMINGS").is_some_and(|v| v != "0" && !v.is_empty())
}

impl Timer {
    pub fn start(label: &'static str) -> Timer {
        Timer {
            label,
            started: enabled().then(Instant::now),
        }
    }

    pub fn done(self) {
        if let Some(t) = self.started {
            crate::output::note(&format!(
                "timing: {:<18} {:>8.3} s",
                self.label,
                t.elapsed().as_secs_f64()
            ));
        }
    }
}
