//! The report stage: drawing the six charts and the page for 100 niches (issue: "100 niches render
//! in under a second"). Run with `cargo bench --bench render`.
//!
//! Set-up scores synthetic data once (`niche gen --niches 100`, seeded) into a report folder; the
//! benchmark then times `report::render` on its report.json, which is all `niche report` does
//! apart from writing the files.

use std::path::PathBuf;

use clap::Parser;
use criterion::{criterion_group, criterion_main, Criterion};
use niche::report::{self, Lang};

fn report_json() -> (PathBuf, Vec<u8>) {
    let dir = std::env::temp_dir().join("niche-bench-render");
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.join("data");
    let out = dir.join("report");
    let run = |args: &[&str]| {
        let cli = niche::cli::Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{e}"));
        niche::commands::run(cli).unwrap_or_else(|e| panic!("{e:#}"));
    };
    let data_s = data.to_string_lossy().to_string();
    run(&[
        "niche",
        "gen",
        "--force",
        "--out",
        &data_s,
        "--niches",
        "100",
        "--accounts",
        "3000",
        "--posts",
        "60000",
        "--order",
        "grouped",
    ]);
    let accounts = data.join("accounts.csv").to_string_lossy().to_string();
    let posts = data.join("posts.csv").to_string_lossy().to_string();
    let scores = dir.join("scores.csv").to_string_lossy().to_string();
    run(&[
        "niche",
        "score",
        &accounts,
        &posts,
        "--format",
        "csv",
        "--output",
        &scores,
        "--report",
        &out.to_string_lossy(),
    ]);
    let path = out.join("report.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
    (path, bytes)
}

fn render(c: &mut Criterion) {
    let (path, json) = report_json();
    let mut group = c.benchmark_group("render 100 niches");
    group.sample_size(20);
    for lang in [Lang::En, Lang::Zh] {
        group.bench_function(format!("{lang:?}"), |b| {
            b.iter(|| report::render(&json, &path, lang, None).unwrap_or_else(|e| panic!("{e}")))
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
