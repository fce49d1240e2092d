//! `niche run` on a saved analysis: the first run against unchanged reruns answered from the
//! cache (issue: "under 0.2 s and under a tenth of the first run"). Run with
//! `cargo bench --bench rerun`; it prints one line per data size.
//!
//! Each size gets a fresh folder with `niche gen` data (seeded) and `niche init`; the first run
//! fills the cache, then ten unchanged reruns are timed end to end (process start included).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn niche(dir: &Path, args: &[&str]) -> f64 {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_niche"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed().as_secs_f64()
}

fn main() {
    println!("posts      first run   unchanged rerun: median (min–max) of 10   ratio");
    for (accounts, posts) in [(400, 20_000), (20_000, 1_000_000)] {
        let dir = std::env::temp_dir().join(format!("niche-bench-rerun-{posts}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let (a, p) = (accounts.to_string(), posts.to_string());
        niche(
            &dir,
            &[
                "gen",
                "--force",
                "--out",
                "data",
                "--accounts",
                &a,
                "--posts",
                &p,
                "--order",
                "grouped",
            ],
        );
        niche(
            &dir,
            &[
                "init",
                "--input",
                "data/accounts.csv",
                "--input",
                "data/posts.csv",
                "--input",
                "data/snapshots.csv",
            ],
        );
        let first = niche(&dir, &["run", "-q"]);
        let mut reruns: Vec<f64> = (0..10).map(|_| niche(&dir, &["run", "-q"])).collect();
        reruns.sort_by(f64::total_cmp);
        let median = (reruns[4] + reruns[5]) / 2.0;
        println!(
            "{posts:>9}  {first:>8.2} s   {median:>6.3} s ({:.3}–{:.3})                   {:.3}",
            reruns[0],
            reruns[9],
            median / first
        );
    }
}
