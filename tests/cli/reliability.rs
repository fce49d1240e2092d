//! Files are written atomically, and results do not depend on how many threads ran them.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::support::{niche, scratch};

#[test]
fn a_killed_write_leaves_the_previous_file_intact() {
    let dir = scratch("killed_write");
    let out = dir.to_string_lossy().to_string();
    let first = niche(&[
        "gen",
        "--out",
        &out,
        "--seed",
        "1",
        "--accounts",
        "50",
        "--posts",
        "2000",
    ]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = std::fs::read(dir.join("posts.csv")).expect("posts.csv");

    // A second, much larger run into the same folder, killed while it writes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_niche"))
        .args([
            "gen",
            "--out",
            &out,
            "--seed",
            "2",
            "--accounts",
            "5000",
            "--posts",
            "20000000",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until its temporary file exists and has grown, so the kill lands mid-write.
    let started = Instant::now();
    let writing = loop {
        let growing = std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok).any(|e| {
            e.file_name().to_string_lossy().ends_with(".tmp") && e.metadata().is_ok_and(|m| m.len() > 1 << 20)
        });
        if growing || started.elapsed() > Duration::from_secs(60) {
            break growing;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(writing, "the second run never started writing");
    let after = std::fs::read(dir.join("posts.csv")).expect("posts.csv still there");
    assert!(after == before, "posts.csv changed although its writer was killed");
}

#[test]
fn results_do_not_depend_on_polars_threads() {
    let run = |threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_niche"))
            .args(["score", "--format", "json", "--bootstrap", "20"])
            .args(["datasets/sample/accounts.csv", "datasets/sample/posts.csv"])
            .env("POLARS_MAX_THREADS", threads)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn a_killed_report_leaves_every_file_whole() {
    let dir = scratch("killed_report");
    let report = dir.join("report");
    let report_arg = report.to_string_lossy().to_string();
    let score = |files: &[&str], out: &str| -> Vec<String> {
        let mut args: Vec<String> = vec!["score".into()];
        args.extend(files.iter().map(|s| s.to_string()));
        args.extend(["--report".into(), out.to_string(), "--bootstrap".into(), "20".into()]);
        args
    };
    let old_args = score(
        &[
            "tests/fixtures/hostile_report_accounts.csv",
            "tests/fixtures/hostile_report_posts.csv",
        ],
        &report_arg,
    );
    let new_args = score(
        &["datasets/sample/accounts.csv", "datasets/sample/posts.csv"],
        &report_arg,
    );
    let complete = dir.join("complete").to_string_lossy().to_string();
    let full = score(
        &["datasets/sample/accounts.csv", "datasets/sample/posts.csv"],
        &complete,
    );
    let run = |args: &[String]| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = niche(&refs);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    run(&full);
    let names = [
        "report.html",
        "report.json",
        "scores.csv",
        "charts/ranking.png",
        "charts/sensitivity.png",
    ];
    let versions: Vec<(Vec<u8>, Vec<u8>)> = {
        run(&old_args);
        names
            .iter()
            .map(|n| {
                (
                    std::fs::read(report.join(n)).expect("old file"),
                    std::fs::read(dir.join("complete").join(n)).expect("new file"),
                )
            })
            .collect()
    };
    // Kill the second report at several points of its run; whenever it lands, every file is a
    // whole old or a whole new one.
    for delay_ms in [400u64, 1200, 2500] {
        run(&old_args);
        let mut child = Command::new(env!("CARGO_BIN_EXE_niche"))
            .args(&new_args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for (name, (old, new)) in names.iter().zip(&versions) {
            let now = std::fs::read(report.join(name)).expect("the file is still there");
            assert!(
                &now == old || &now == new,
                "{name} is neither the old nor the new file after a kill at {delay_ms} ms"
            );
        }
    }
}
