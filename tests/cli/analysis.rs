//! Saved analyses: `niche init`, `niche run` (cache, --set, run log, byte-identical reruns),
//! `niche diff`, and `niche run --watch`.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::support::scratch;

/// A folder with the bundled sample's two files and a fresh niche.toml.
fn project(name: &str) -> PathBuf {
    let dir = scratch(name);
    for f in ["accounts.csv", "posts.csv"] {
        std::fs::copy(Path::new("datasets/sample").join(f), dir.join(f)).expect("copy sample");
    }
    let run = niche_in(
        &dir,
        &[
            "init",
            "--input",
            "accounts.csv",
            "--input",
            "posts.csv",
            "--name",
            "demo",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Fewer resamples keep the test quick; the setting is read like any other.
    let toml = std::fs::read_to_string(dir.join("niche.toml")).expect("niche.toml");
    assert!(toml.contains("resamples = 1000"), "the default this replaces");
    std::fs::write(
        dir.join("niche.toml"),
        toml.replace("resamples = 1000", "resamples = 20"),
    )
    .expect("write");
    dir
}

fn niche_in(dir: &Path, args: &[&str]) -> super::support::Run {
    let out = crate::support::command()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    super::support::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Which stages the cache answered in run `n`: measure, score, render.
fn cached(dir: &Path, n: u64) -> [bool; 3] {
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("reports/demo/runs/{n}/run.json"))).expect("run.json"))
            .expect("json");
    ["measure", "score", "render"].map(|s| record["cache"][s] == "cached")
}

fn read(p: PathBuf) -> Vec<u8> {
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn reruns_recompute_only_what_changed() {
    let dir = project("analysis_cache");
    let ok = |args: &[&str]| {
        let run = niche_in(&dir, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run
    };
    let first = ok(&["run"]);
    assert!(
        first.stdout.contains("top pick:"),
        "prints the ranking: {}",
        first.stdout
    );
    assert_eq!(cached(&dir, 1), [false, false, false]);
    // The first run compares with nothing, and says so rather than "0 changed".
    assert!(
        first.stderr.contains("run 1: ") && first.stderr.contains("the first run"),
        "{}",
        first.stderr
    );
    let second = ok(&["run"]);
    assert!(
        second.stderr.contains("0 niche(s) changed since the last run"),
        "{}",
        second.stderr
    );
    assert_eq!(
        cached(&dir, 2),
        [true, true, true],
        "an unchanged rerun answers from the cache"
    );
    ok(&["run", "--set", "model.weights.audience=0.1"]);
    assert_eq!(
        cached(&dir, 3),
        [true, false, false],
        "a weight rescores without reading the inputs"
    );
    ok(&["run", "--set", "model.weights.audience=0.1", "--set", "report.lang=zh"]);
    assert_eq!(
        cached(&dir, 4),
        [true, true, false],
        "a language redraws without rescoring"
    );
    ok(&["run", "--set", "filters.platforms=[\"douyin\", \"xiaohongshu\"]"]);
    assert_eq!(cached(&dir, 5), [false, false, false], "a filter re-reads");
    let five: serde_json::Value =
        serde_json::from_slice(&read(dir.join("reports/demo/runs/5/report.json"))).expect("json");
    let platforms: Vec<&str> = five["niches"]
        .as_array()
        .expect("niches")
        .iter()
        .flat_map(|n| {
            n["platforms"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str())
        })
        .collect();
    assert!(!platforms.is_empty() && platforms.iter().all(|p| ["douyin", "xiaohongshu"].contains(p)));

    // An input's bytes, not its timestamp, decide.
    let posts = dir.join("posts.csv");
    let text = std::fs::read_to_string(&posts).expect("posts");
    std::fs::write(&posts, &text).expect("rewrite same bytes");
    ok(&["run"]);
    assert!(cached(&dir, 6)[0], "same bytes, same key");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.pop();
    std::fs::write(&posts, lines.join("\n") + "\n").expect("drop a row");
    ok(&["run"]);
    assert!(!cached(&dir, 7)[0], "changed bytes, new key");

    // Without charts the page has no images, and only the drawing reruns.
    ok(&["run", "--set", "report.charts=false"]);
    assert_eq!(cached(&dir, 8), [true, true, false]);
    let page = String::from_utf8(read(dir.join("reports/demo/runs/8/report.html"))).expect("utf-8");
    assert!(!page.contains("<img"), "charts = false still drew charts");

    // The run log keeps the settings as used, with the --set values in them.
    let used = String::from_utf8(read(dir.join("reports/demo/runs/3/niche.toml"))).expect("utf-8");
    assert!(used.contains("audience = 0.1"), "{used}");
    let record: serde_json::Value =
        serde_json::from_slice(&read(dir.join("reports/demo/runs/3/run.json"))).expect("json");
    assert_eq!(record["sets"][0], "model.weights.audience=0.1");
    assert_eq!(record["method_version"], niche::method::METHOD_VERSION);
    assert_eq!(record["inputs"].as_array().map(Vec::len), Some(2));
}

#[test]
fn same_inputs_and_settings_give_the_same_bytes() {
    let dir = project("analysis_identical");
    for _ in 0..3 {
        let run = niche_in(&dir, &["run", "-q"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        // Quiet: the run's summary line (which names the page), nothing else.
        assert_eq!(run.stdout, "", "{}", run.stdout);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("report.html"), "{}", run.stderr);
    }
    // Run 1 has no previous run; runs 2 and 3 both say "nothing changed".
    for f in ["report.json", "scores.csv", "report.html"] {
        assert!(
            read(dir.join(format!("reports/demo/runs/2/{f}"))) == read(dir.join(format!("reports/demo/runs/3/{f}"))),
            "{f} differs between identical runs"
        );
    }
    assert!(read(dir.join("reports/demo/runs/1/report.json")) == read(dir.join("reports/demo/runs/3/report.json")));
    // A run from the cache equals a run from scratch.
    let from_cache = read(dir.join("reports/demo/report.html"));
    std::fs::remove_dir_all(dir.join(".niche")).expect("clear the cache");
    let run = niche_in(&dir, &["run", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(cached(&dir, 4), [false, false, false]);
    assert!(
        read(dir.join("reports/demo/report.html")) == from_cache,
        "cached and fresh pages differ"
    );
}

#[test]
fn diff_names_settings_and_moves() {
    let dir = project("analysis_diff");
    assert_eq!(niche_in(&dir, &["diff"]).code, 1, "no runs yet is a usage error");
    assert_eq!(niche_in(&dir, &["run", "-q"]).code, 0);
    assert_eq!(
        niche_in(&dir, &["run", "-q", "--set", "model.weights.audience=0"]).code,
        0
    );
    let diff = niche_in(&dir, &["diff"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(diff.stdout.starts_with("run 1 → run 2\n"), "{}", diff.stdout);
    assert!(
        diff.stdout.contains("model.weights.audience: 0.5 → 0"),
        "{}",
        diff.stdout
    );
    assert!(diff.stdout.contains("inputs: unchanged"));
    assert!(diff.stdout.contains(" → #"), "rank moves listed: {}", diff.stdout);
    let page = String::from_utf8(read(dir.join("reports/demo/report.html"))).expect("utf-8");
    assert!(page.contains("Changed since the last run"));
    assert_eq!(niche_in(&dir, &["diff", "1", "9"]).code, 1);
}

#[test]
fn bad_settings_name_the_line() {
    let dir = project("analysis_errors");
    let toml = std::fs::read_to_string(dir.join("niche.toml")).expect("toml");
    std::fs::write(
        dir.join("niche.toml"),
        toml.replace("min_accounts = 0", "min_acounts = 0"),
    )
    .expect("write");
    let run = niche_in(&dir, &["run"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = toml.lines().position(|l| l.starts_with("min_accounts")).expect("key") + 1;
    assert!(
        run.stderr.contains(&format!("niche.toml:{line}:")),
        "names the line: {}",
        run.stderr
    );
    assert!(run.stderr.contains("min_acounts"), "{}", run.stderr);

    std::fs::write(dir.join("niche.toml"), &toml).expect("restore");
    let run = niche_in(&dir, &["run", "--set", "model.weights.nonsense=1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nonsense"), "{}", run.stderr);
    // A misspelt weight given with --set is pointed at there, not at the file's first line.
    let run = niche_in(&dir, &["run", "--set", "model.weights.audiance=1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--set \"model.weights.audiance=1\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean \"audience\"?"), "{}", run.stderr);
    assert!(!run.stderr.contains("niche.toml:1:1"), "{}", run.stderr);
    let run = niche_in(&dir, &["run", "--set", "report.nope=1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nope"), "{}", run.stderr);
    let run = niche_in(&dir, &["run", "--set", "filters.since=yesterday"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("yesterday"), "{}", run.stderr);

    assert_eq!(
        niche_in(&dir, &["init", "--input", "x.csv"]).code,
        1,
        "init refuses to overwrite"
    );
    let missing = niche_in(&scratch("analysis_none"), &["run"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("niche init"), "{}", missing.stderr);
}

#[test]
fn watch_reruns_when_the_settings_change() {
    let dir = project("analysis_watch");
    let mut child = crate::support::command()
        .args(["run", "--watch", "-q"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // The watcher's notes, line by line, as they come: every wait below is for a line (an event),
    // or for the watcher's end, never for a time.
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen: Vec<String> = Vec::new();
    let mut wait_for = |what: &str| loop {
        match lines.recv() {
            Ok(line) => {
                let hit = line.contains(what);
                // A run or an error that is not the line awaited is the event that fails the wait
                // (waiting on would wait for ever).
                let other = !hit && (line.starts_with("run ") || line.starts_with("error"));
                seen.push(line);
                if hit || other {
                    return hit;
                }
            }
            Err(_) => return false,
        }
    };
    let toml = std::fs::read_to_string(dir.join("niche.toml")).expect("toml");
    let edited = toml.replace("audience = 0.5", "audience = 0.2");
    // Each step: what is saved (nothing for the first run), the line it brings, and what it means
    // when another line comes instead. The steps stop at the first that fails.
    let steps: [(Option<&str>, &str, &str); 5] = [
        (None, "run 1:", "the first run never finished"),
        (Some(&edited), "run 2:", "editing niche.toml did not rerun"),
        // Saving the same bytes again is not a change: the watcher says so, and does not run.
        (
            Some(&edited),
            "saved without a change",
            "an unchanged save reran or was not noticed",
        ),
        // An in-place save truncates and then writes; a watcher that looks in between sees an
        // empty file. That is no run and no error, and the same bytes after it are still no change.
        (
            Some(""),
            "is empty: waiting for it to be written",
            "an emptied file ran",
        ),
        (
            Some(&edited),
            "saved without a change",
            "a save seen half-written reran",
        ),
    ];
    let mut failed = None;
    for (save, line, meaning) in steps {
        if let Some(text) = save {
            std::fs::write(dir.join("niche.toml"), text).expect("save");
        }
        if !wait_for(line) {
            failed = Some(meaning);
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    assert!(failed.is_none(), "{}: {seen:?}", failed.unwrap_or_default());
    assert!(
        !seen.iter().any(|l| l.starts_with("run 3")) && !dir.join("reports/demo/runs/3").exists(),
        "an unchanged save reran: {seen:?}"
    );
    let page = String::from_utf8(read(dir.join("reports/demo/report.html"))).expect("utf-8");
    assert!(
        page.contains("http-equiv=\"refresh\""),
        "the watched page reloads itself"
    );
}

#[test]
fn a_saved_analysis_knows_your_account() {
    let dir = project("analysis_me");
    let run = niche_in(&dir, &["run", "-q", "--set", "me.account=u1001"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value =
        serde_json::from_slice(&read(dir.join("reports/demo/report.json"))).expect("report.json");
    assert_eq!(report["me"]["account"], "u1001");
    let toml = std::fs::read_to_string(dir.join("niche.toml")).expect("toml");
    assert!(toml.contains("[me]"), "the template has the section");
}

#[test]
fn a_saved_analysis_reads_your_own_export_and_reruns_when_it_changes() {
    let dir = project("analysis_me_file");
    let export = dir.join("mine.csv");
    std::fs::copy("tests/fixtures/me/douyin_works.csv", &export).expect("copy");
    let sets = ["run", "-q", "--set", "me.file=mine.csv", "--set", "me.followers=5000"];
    let run = niche_in(&dir, &sets);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = |dir: &Path| -> serde_json::Value {
        serde_json::from_slice(&read(dir.join("reports/demo/report.json"))).expect("report.json")
    };
    let first = report(&dir);
    assert_eq!(first["me"]["account"], "mine.csv");
    assert_eq!(first["me"]["platform"], "douyin");
    assert_eq!(first["me"]["followers"], 5000.0);
    // The same settings again: all from the cache; your export edited: measured again.
    assert_eq!(niche_in(&dir, &sets).code, 0);
    assert!(cached(&dir, 2)[0]);
    let text = std::fs::read_to_string(&export).expect("read");
    std::fs::write(&export, text.replace(",800,40,30,120,", ",1800,40,30,120,")).expect("edit");
    assert_eq!(niche_in(&dir, &sets).code, 0);
    assert!(!cached(&dir, 3)[0], "your export is an input of the measure stage");
    assert_ne!(report(&dir)["me"], first["me"]);
    // An account and a file at once is refused, pointing at the setting.
    let both = niche_in(
        &dir,
        &["run", "-q", "--set", "me.file=mine.csv", "--set", "me.account=u1001"],
    );
    assert_eq!(both.code, 1, "{}", both.stderr);
    assert!(both.stderr.contains("[me]"), "{}", both.stderr);
}

#[test]
fn a_saved_analysis_keeps_you_in_one_place() {
    let dir = project("analysis_me_profile");
    let toml = std::fs::read_to_string(dir.join("niche.toml")).expect("toml");
    let toml = toml.replacen("[profile]\n", "[profile]\nme = \"u1001\"\n", 1);
    assert!(toml.contains("me = \"u1001\""), "the template has a [profile] section");
    std::fs::write(dir.join("niche.toml"), &toml).expect("write");
    let run = niche_in(&dir, &["run", "-q"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("[me]"), "{}", run.stderr);
    let line = toml.lines().position(|l| l.starts_with("me = ")).expect("line") + 1;
    assert!(
        run.stderr.contains(&format!(":{line}:")),
        "points at line {line}: {}",
        run.stderr
    );
}

#[test]
fn your_export_in_a_saved_analysis_is_not_also_an_input() {
    let dir = project("analysis_me_twice");
    std::fs::copy("tests/fixtures/me/douyin_works.csv", dir.join("mine.csv")).expect("copy");
    let toml = std::fs::read_to_string(dir.join("niche.toml")).expect("toml");
    std::fs::write(
        dir.join("niche.toml"),
        toml.replacen("\"posts.csv\"", "\"posts.csv\", \"mine.csv\"", 1),
    )
    .expect("write");
    let run = niche_in(&dir, &["run", "-q", "--set", "me.file=mine.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("also one of the inputs"), "{}", run.stderr);
}
