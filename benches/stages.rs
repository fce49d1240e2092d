//! The pipeline's stages, one by one (issue 6): reading post lists by the fast path and the
//! general way, measuring, scoring, and the bootstrap. Run with `cargo bench --bench stages`; the
//! report stage is `benches/render.rs`, end to end against DuckDB is `benches/compare/`.
//!
//! Set-up generates seeded data once (`niche gen --accounts 4000 --posts 200000`).

use clap::Parser;
use criterion::{criterion_group, criterion_main, Criterion};
use niche::cli::{Cli, Command, LoadArgs};
use niche::measure::{self, Params};
use niche::score::{self, uncertainty::BootstrapSettings, Weights};

fn load_args() -> LoadArgs {
    let dir = std::env::temp_dir().join("niche-bench-stages");
    let data = dir.join("data");
    let run = |args: &[&str]| {
        let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{e}"));
        niche::commands::run(cli).unwrap_or_else(|e| panic!("{e:#}"));
    };
    let data_s = data.to_string_lossy().to_string();
    if !data.join("posts.csv").exists() {
        run(&[
            "niche",
            "gen",
            "--force",
            "--out",
            &data_s,
            "--seed",
            "42",
            "--accounts",
            "4000",
            "--posts",
            "200000",
            // The rows as the recorded numbers had them (BENCHMARKS.md, before 2026-12-06).
            "--order",
            "grouped",
        ]);
    }
    let accounts = data.join("accounts.csv").to_string_lossy().to_string();
    let posts = data.join("posts.csv").to_string_lossy().to_string();
    let cli = Cli::try_parse_from(["niche", "score", &accounts, &posts]).unwrap_or_else(|e| panic!("{e}"));
    match cli.command {
        Command::Score(args) => args.load,
        _ => unreachable!("parsed a score command"),
    }
}

fn stages(c: &mut Criterion) {
    let load = load_args();
    let mut group = c.benchmark_group("stages, 200k posts");
    group.sample_size(10);
    group.bench_function("read, fast path", |b| {
        b.iter(|| niche::pipeline::read_tables(&load, niche::pipeline::Read::Fast).unwrap_or_else(|e| panic!("{e}")))
    });
    group.bench_function("read, general way", |b| {
        b.iter(|| niche::pipeline::read_tables(&load, niche::pipeline::Read::General).unwrap_or_else(|e| panic!("{e}")))
    });
    let tables = niche::pipeline::read_tables(&load, niche::pipeline::Read::Fast).unwrap_or_else(|e| panic!("{e}"));
    let params = Params::default();
    group.bench_function("measure", |b| {
        b.iter(|| measure::compute(&tables, &params).unwrap_or_else(|e| panic!("{e}")))
    });
    let metrics = measure::compute(&tables, &params).unwrap_or_else(|e| panic!("{e}"));
    let weights = Weights::default();
    group.bench_function("score, no bootstrap", |b| {
        let none = BootstrapSettings { resamples: 0, seed: 42 };
        b.iter(|| score::compute(&metrics, &weights, &none))
    });
    group.bench_function("score, 1,000 resamples (the default)", |b| {
        let boot = BootstrapSettings::default();
        b.iter(|| score::compute(&metrics, &weights, &boot))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
