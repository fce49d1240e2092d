//! Files are written atomically: a killed write leaves the old file or the new one, never a part.
//! (Results on one thread and on several: tests/cli/method.rs for the bootstrap, tests/cli/fast.rs
//! for reading.)

use std::process::Stdio;
use std::time::Duration;

use super::support::{generate, niche, scratch};

/// How often a test looks for the event it waits for (a polling interval, not a deadline).
const POLL: Duration = Duration::from_millis(5);

#[test]
fn a_killed_write_leaves_the_previous_file_intact() {
    let dir = generate("killed_write", "1", "50", "2000");
    let out = dir.to_string_lossy().to_string();
    let before = std::fs::read(dir.join("posts.csv")).expect("posts.csv");

    // A second, much larger run into the same folder, killed while it writes. In grouped order
    // the generator writes each post as it makes it (crawl order holds them all to shuffle first),
    // so posts.csv's temporary file starts growing at once.
    let mut child = crate::support::command()
        .args([
            "gen",
            "--force",
            "--out",
            &out,
            "--seed",
            "2",
            "--accounts",
            "5000",
            "--posts",
            "20000000",
            "--order",
            "grouped",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait for an event, not a time: its temporary file has grown past 1 MiB (so the kill lands
    // mid-write), or the run ended first (then the test fails: it never was mid-write). No clock a
    // slower machine could miss.
    let writing = loop {
        let growing = std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok).any(|e| {
            e.file_name().to_string_lossy().ends_with(".tmp") && e.metadata().is_ok_and(|m| m.len() > 1 << 20)
        });
        if growing || child.try_wait().expect("try_wait").is_some() {
            break growing;
        }
        std::thread::sleep(POLL);
    };
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(writing, "the second run never started writing");
    let after = std::fs::read(dir.join("posts.csv")).expect("posts.csv still there");
    assert!(after == before, "posts.csv changed although its writer was killed");
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
    // Kill the second report while it writes: each file is written whole and renamed into place,
    // the page last. While the hold file exists, the run waits after each file
    // (NICHE_WRITE_HOLD), so the kill lands once the first file is new and the page is still old,
    // however slow the machine.
    run(&old_args);
    let hold = dir.join("hold");
    std::fs::write(&hold, b"").expect("hold file");
    let mut child = crate::support::command()
        .args(&new_args)
        .env("NICHE_WRITE_HOLD", &hold)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let new_json = &versions[1].1;
    // Wait for the event (the new report.json in place) or for the run to end without it; no
    // clock.
    let mid_write = loop {
        if std::fs::read(report.join("report.json")).is_ok_and(|now| &now == new_json) {
            break true;
        }
        if child.try_wait().expect("try_wait").is_some() {
            break false;
        }
        std::thread::sleep(POLL);
    };
    let still_running = child.try_wait().expect("try_wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(mid_write, "the second report never wrote its report.json");
    assert!(still_running, "the second report had finished before the kill");
    let mut new_files = 0;
    for (name, (old, new)) in names.iter().zip(&versions) {
        let now = std::fs::read(report.join(name)).expect("the file is still there");
        assert!(
            &now == old || &now == new,
            "{name} is neither the old nor the new file after the kill"
        );
        new_files += usize::from(&now == new && old != new);
    }
    assert!(new_files >= 1, "the kill landed before any file was written");
    let page = std::fs::read(report.join("report.html")).expect("page");
    assert!(
        page == versions[0].0,
        "the page is new although the files it shows may not all be"
    );
    assert!(versions[0].0 != versions[0].1, "the old and new pages differ");
}
