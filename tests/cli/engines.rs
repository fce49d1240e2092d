//! The units step on real engines: `niche normalise` → the SQL of `niche sql` run by DuckDB and
//! by Spark (local mode) → `niche score --units`, against the in-process run on the same inputs:
//! the same units (integers equal, floats within 1e-9 relative) and the same report.json.
//!
//! The engines come from PyPI (duckdb, pyspark, datafusion; Spark needs a JDK), which `.ci/run`
//! installs and where it sets NICHE_REQUIRE_ENGINES; on a machine without them these tests say so
//! and pass. Trino's dialect is printed but run on no engine here (it needs a server).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use niche::measure::units::FromPosts;

use crate::support::{niche, scratch};

/// Whether python3 has the engine's module; without it the test is skipped, unless CI requires it.
fn engine_ready(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("NICHE_REQUIRE_ENGINES").is_none(),
            "NICHE_REQUIRE_ENGINES is set but python3 cannot import {module} (pip install {module})"
        );
        eprintln!("skipped: python3 cannot import {module} (pip install {module}; .ci/run installs it)");
    }
    ok
}

/// A small random number generator (the fixture must be the same on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Seconds since 1970 of a week's first second (weeks start on 1970-01-01, a Thursday).
const WEEK: i64 = 604_800;

fn iso(t: i64) -> String {
    let d = t.div_euclid(86_400);
    let s = t.rem_euclid(86_400);
    // Civil date from days (Howard Hinnant's algorithm).
    let z = d + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The fixture: an account list and a post list of `posts` posts in crawl order (accounts
/// interleaved), with what the units step must get right: accounts with one and with two posts,
/// missing and zero engagement and views, undated posts, posts without an account, posts on both
/// sides of week boundaries, account rows listed twice, repeated post rows, posts whose niche
/// comes from the account list, and ties in relative engagement (for style's top tenth).
fn write_fixture(dir: &Path, posts: usize) -> (PathBuf, PathBuf) {
    let mut rng = Lcg(20_261_206);
    let niches = ["美妆", "AI工具", "健身", "美食"];
    let platforms = ["xiaohongshu", "douyin", "bilibili"];
    let formats = ["video", "image", "text", "live"];
    let accounts = 2_000usize;
    let mut a = String::from("account_id,name,platform,niche,followers,price_per_post\n");
    let niche_of = |i: usize| niches[i % niches.len()];
    let platform_of = |i: usize| platforms[(i / niches.len()) % platforms.len()];
    for i in 0..accounts {
        let followers = 1_000 + (i as u64 * 7_919) % 900_000;
        let price = if i % 5 == 0 {
            format!("{}", 500 + i)
        } else {
            String::new()
        };
        writeln!(
            a,
            "u{i},creator {i},{},{},{followers},{price}",
            platform_of(i),
            niche_of(i)
        )
        .unwrap();
        if i % 97 == 0 {
            // Listed twice: the last row stands.
            writeln!(
                a,
                "u{i},creator {i},{},{},{},{price}",
                platform_of(i),
                niche_of(i),
                followers + 10
            )
            .unwrap();
        }
    }
    let base = 1_767_225_600i64 - 40 * WEEK; // some weeks before 2026-01-01
    let mut p = String::from(
        "post_id,platform,account_id,niche,published_at,likes,comments,views,is_sponsored,format,title,tags\n",
    );
    let titles = [
        "我的3个秘诀",
        "这样做对吗？",
        "周末 vlog 🎉",
        "好物",
        "从零开始的一整年记录：每一个细节都写下来了，看完你就懂",
    ];
    let mut written = 0usize;
    let mut id = 0usize;
    while written < posts {
        id += 1;
        // Account 0..9 post once or twice; the rest by a skewed draw; 2% name no account.
        let who = match id {
            1..=5 => Some(id - 1),
            6..=15 => Some(5 + (id - 6) / 2),
            _ if rng.below(50) == 0 => None,
            _ => Some(
                10 + (rng.below(accounts as u64 - 10) as usize * rng.below(accounts as u64 - 10) as usize) / accounts,
            ),
        };
        let (platform, account, niche) = match who {
            Some(i) => (
                platform_of(i),
                format!("u{i}"),
                // Some rows leave the niche to the account list.
                if rng.below(20) == 0 { "" } else { niche_of(i) },
            ),
            None => (
                platforms[rng.below(3) as usize],
                String::new(),
                niches[rng.below(4) as usize],
            ),
        };
        let when = match rng.below(40) {
            0 => String::new(),
            // The last second of a week and the first of the next.
            1 => iso(base + (1 + rng.below(38) as i64) * WEEK - 1),
            2 => iso(base + (1 + rng.below(38) as i64) * WEEK),
            _ => iso(base + rng.below(40 * WEEK as u64) as i64),
        };
        // Engagement: missing (both counts empty), zero, or drawn from few values (ties).
        let (likes, comments) = match rng.below(30) {
            0 => (String::new(), String::new()),
            1 => ("0".to_string(), "0".to_string()),
            2 => ("0".to_string(), String::new()),
            _ => ((rng.below(50) * 20).to_string(), rng.below(30).to_string()),
        };
        let views = match rng.below(25) {
            0 => String::new(),
            1 => "0".to_string(),
            _ => (100 + rng.below(100_000)).to_string(),
        };
        let sponsored = ["true", "false", "", "false"][rng.below(4) as usize];
        let format = if rng.below(10) == 0 {
            ""
        } else {
            formats[rng.below(4) as usize]
        };
        let title = if rng.below(15) == 0 {
            ""
        } else {
            titles[rng.below(5) as usize]
        };
        let tags = match rng.below(6) {
            0 => String::new(),
            k => format!("\"{},tag{}\"", niche, k + rng.below(3)),
        };
        let row = format!(
            "p{id},{platform},{account},{niche},{when},{likes},{comments},{views},{sponsored},{format},{title},{tags}\n"
        );
        p.push_str(&row);
        written += 1;
        // Now and then the crawler saw a post twice.
        if id % 331 == 0 && written < posts {
            p.push_str(&row);
            written += 1;
        }
    }
    let (accounts_csv, posts_csv) = (dir.join("accounts.csv"), dir.join("posts.csv"));
    std::fs::write(&accounts_csv, a).unwrap();
    std::fs::write(&posts_csv, p).unwrap();
    (accounts_csv, posts_csv)
}

/// `niche normalise` of `files` into `out` as part `part`; what it said on standard error.
fn normalise(files: &[&Path], out: &Path, part: u32) -> String {
    let mut args: Vec<String> = vec!["normalise".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend([
        "--out".into(),
        out.display().to_string(),
        "--part".into(),
        part.to_string(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = niche(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

/// Run the `dialect` SQL of `niche sql` over `dir` on the engine.
fn run_engine(dialect: &str, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir.join("units"));
    std::fs::create_dir_all(dir.join("units")).unwrap();
    let sql = niche(&["sql", "--dialect", dialect, dir.to_str().unwrap()]);
    assert_eq!(sql.code, 0, "{}", sql.stderr);
    let script = dir.with_extension(format!("{dialect}.sql"));
    std::fs::write(&script, &sql.stdout).unwrap();
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engines/run.py");
    let out = Command::new("python3")
        .arg(runner)
        .arg(dialect)
        .arg(&script)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{dialect} failed on the script {}:\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Score to report.json (as `--format json` prints it): from files, or with `--units DIR`.
fn report(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["score", "--format", "json", "--bootstrap", "50"];
    all.extend_from_slice(args);
    let run = niche(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Two JSON values equal but for floats within 1e-9 relative; the first difference, by path.
fn differ(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value as V;
    match (a, b) {
        (V::Object(x), V::Object(y)) => {
            if x.keys().ne(y.keys()) {
                return Some(format!("{path}: keys {:?} vs {:?}", x.keys(), y.keys()));
            }
            x.iter().find_map(|(k, v)| differ(v, &y[k], &format!("{path}.{k}")))
        }
        (V::Array(x), V::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} vs {} items", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (u, v))| differ(u, v, &format!("{path}[{i}]")))
        }
        (V::Number(x), V::Number(y)) if x.is_f64() || y.is_f64() => {
            let (u, v) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (!close(u, v)).then(|| format!("{path}: {u} vs {v}"))
        }
        _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
    }
}

/// The units an engine wrote into `dir`.
fn engine_units(dir: &Path) -> Vec<FromPosts> {
    match niche::exchange::read(dir).unwrap().units {
        niche::exchange::Units::Engine { from_posts, .. } => from_posts,
        niche::exchange::Units::Posts(_) => panic!("{}: the engine wrote no units", dir.display()),
    }
}

/// The in-process units of `files` (the general way, as `niche normalise` reads them).
fn units_in_process(files: &[&Path]) -> Vec<FromPosts> {
    let load = niche::pipeline::LoadArgs {
        files: files.iter().map(|f| f.to_path_buf()).collect(),
        ..Default::default()
    };
    let tables = niche::pipeline::read_tables(&load, niche::pipeline::Read::General).unwrap();
    let set = niche::normalise::posts::PostSet::from_store(&tables.posts);
    niche::measure::units::from_posts(&set)
}

/// The engine's units equal the in-process ones: same keys, counts and times; medians, sums
/// and weekly values within 1e-9.
fn assert_same_units(engine: &[FromPosts], mine: &[FromPosts], who: &str) {
    assert_eq!(engine.len(), mine.len(), "{who}: units");
    let real = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(x), Some(y)) => close(x, y),
        (x, y) => x == y,
    };
    for (e, m) in engine.iter().zip(mine) {
        let at = format!("{who}: unit {:?}", m.key);
        assert_eq!(e.key, m.key, "{at}");
        assert_eq!(
            (
                e.standalone,
                e.posts,
                e.engagement_known,
                e.sponsored_known,
                e.sponsored_yes
            ),
            (
                m.standalone,
                m.posts,
                m.engagement_known,
                m.sponsored_known,
                m.sponsored_yes
            ),
            "{at}"
        );
        assert_eq!(
            (e.censored, e.first_at, e.last_at, e.dated, &e.formats),
            (m.censored, m.first_at, m.last_at, m.dated, &m.formats),
            "{at}"
        );
        for (name, x, y) in [
            ("engagement_total", e.engagement_total, m.engagement_total),
            ("engagement_median", e.engagement_median, m.engagement_median),
            ("engagement_max", e.engagement_max, m.engagement_max),
            ("views_median", e.views_median, m.views_median),
            ("er_views_median", e.er_views_median, m.er_views_median),
            ("sponsored_median", e.sponsored_median, m.sponsored_median),
            ("organic_median", e.organic_median, m.organic_median),
            ("price_median", e.price_median, m.price_median),
        ] {
            assert!(real(x, y), "{at}: {name} {x:?} vs {y:?}");
        }
        assert_eq!(e.weekly.len(), m.weekly.len(), "{at}: weeks");
        for (x, y) in e.weekly.iter().zip(&m.weekly) {
            assert!(x.0 == y.0 && close(x.1, y.1), "{at}: week {x:?} vs {y:?}");
        }
    }
}

/// The fixture covers what it says it does (a fixture that lost its edge cases would pass
/// vacuously).
fn assert_fixture_covers(units: &[FromPosts]) {
    let accounts = units.iter().filter(|u| !u.standalone);
    assert!(accounts.clone().any(|u| u.posts == 1), "an account with one post");
    assert!(accounts.clone().any(|u| u.posts == 2), "an account with two posts");
    assert!(
        units.iter().filter(|u| u.standalone).count() > 1_000,
        "posts without an account"
    );
    assert!(
        units.iter().any(|u| u.engagement_known < u.posts),
        "posts without engagement"
    );
    assert!(units.iter().any(|u| u.dated < u.posts), "undated posts");
    assert!(units.iter().any(|u| u.weekly.len() > 20), "weekly series");
    assert!(units
        .iter()
        .any(|u| u.sponsored_median.is_some() && u.organic_median.is_some()));
    assert!(
        units.iter().map(|u| u.posts).sum::<u64>() >= 100_000,
        "at least 100k posts"
    );
}

fn check_engine(dialect: &str, module: &str, name: &str) {
    if !engine_ready(module) {
        return;
    }
    let dir = scratch(name);
    let (accounts, posts) = write_fixture(&dir, 101_000);
    let out = dir.join("tables");
    normalise(&[&accounts, &posts], &out, 0);
    run_engine(dialect, &out);

    let engine = engine_units(&out);
    let mine = units_in_process(&[&accounts, &posts]);
    assert_fixture_covers(&mine);
    assert_same_units(&engine, &mine, dialect);

    let from_units = report(&["--units", out.to_str().unwrap()]);
    let in_process = report(&[accounts.to_str().unwrap(), posts.to_str().unwrap()]);
    assert!(
        from_units["niches"].as_array().is_some_and(|n| n.len() == 4),
        "four niches: {}",
        from_units["niches"]
    );
    // Style (from the engine's counts) is in the report: its top posts are a tenth, rounded up.
    let style = &from_units["niches"][0]["style"];
    assert!(
        style["top_posts"].as_u64().is_some_and(|t| t > 0),
        "style in the report: {style}"
    );
    if let Some(d) = differ(&from_units, &in_process, "") {
        panic!("{dialect}: report.json differs from the in-process run at {d}");
    }
}

#[test]
fn duckdb_runs_the_units_step_as_niche_does() {
    check_engine("duckdb", "duckdb", "engines-duckdb");
}

#[test]
fn spark_runs_the_units_step_as_niche_does() {
    check_engine("spark", "pyspark", "engines-spark");
}

#[test]
fn datafusion_runs_the_units_step_as_niche_does() {
    check_engine("datafusion", "datafusion", "engines-datafusion");
}

/// Two machines normalise half the posts each (both with the account list) into one folder: the
/// units and the niches are those of one run over both files.
#[test]
fn parts_normalised_apart_are_the_crawl_scored_at_once() {
    if !engine_ready("duckdb") {
        return;
    }
    let dir = scratch("engines-parts");
    let (accounts, posts) = write_fixture(&dir, 20_000);
    let text = std::fs::read_to_string(&posts).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    let (first, second) = rows.split_at(rows.len() / 2);
    // The second machine's crawl saw 200 of the first one's posts again, later, with other
    // counts: the first part's rows stand (as the first file's rows do in one run).
    let again: Vec<String> = first[..200]
        .iter()
        .map(|row| {
            let mut cells: Vec<&str> = row.split(',').collect();
            cells[5] = "99999";
            cells.join(",")
        })
        .collect();
    let second: Vec<&str> = second.iter().copied().chain(again.iter().map(String::as_str)).collect();
    let halves = [dir.join("posts-a.csv"), dir.join("posts-b.csv")];
    for (path, part) in halves.iter().zip([first, &second[..]]) {
        std::fs::write(path, format!("{header}\n{}\n", part.join("\n"))).unwrap();
    }
    let out = dir.join("tables");
    normalise(&[&accounts, &halves[0]], &out, 0);
    normalise(&[&accounts, &halves[1]], &out, 1);
    run_engine("duckdb", &out);
    let engine = engine_units(&out);
    let mine = units_in_process(&[&accounts, &halves[0], &halves[1]]);
    // Posts without an account are keyed by their place in their own part: the same units, the
    // same order (their ids differ), other key texts.
    let strip = |units: Vec<FromPosts>| -> Vec<FromPosts> {
        units
            .into_iter()
            .map(|mut u| {
                if u.standalone {
                    u.key.2 = None;
                }
                u
            })
            .collect()
    };
    assert_same_units(&strip(engine), &strip(mine), "two parts");
    let from_units = report(&["--units", out.to_str().unwrap()]);
    let in_process = report(&[
        accounts.to_str().unwrap(),
        halves[0].to_str().unwrap(),
        halves[1].to_str().unwrap(),
    ]);
    if let Some(d) = differ(&from_units["niches"], &in_process["niches"], "niches") {
        panic!("two parts: the niches differ from one run's at {d}");
    }
    // The second machine normalises its part again: the engine's units were for the posts
    // before, and go (else they would be scored as if they were not stale).
    let said = normalise(&[&accounts, &halves[1]], &out, 1);
    assert!(said.contains("removed the units tables"), "{said}");
    assert!(!out.join("units/units.parquet").exists() && out.join("units").is_dir());
    // And with the units step here, over both parts' posts.
    let here = report(&["--units", out.to_str().unwrap()]);
    if let Some(d) = differ(&here["niches"], &in_process["niches"], "niches") {
        panic!("two parts, units step here: the niches differ from one run's at {d}");
    }
}

/// Where no engine has run, `niche score --units DIR` runs the units step itself over the
/// normalised posts (Parquet): the same report as scoring the files.
#[test]
fn normalised_posts_scored_here_are_the_files_scored() {
    let dir = scratch("engines-here");
    let (accounts, posts) = write_fixture(&dir, 30_000);
    let out = dir.join("tables");
    normalise(&[&accounts, &posts], &out, 0);
    let run = niche(&[
        "score",
        "--units",
        out.to_str().unwrap(),
        "--format",
        "json",
        "--bootstrap",
        "50",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("the units step runs here"), "{}", run.stderr);
    let here: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let in_process = report(&[accounts.to_str().unwrap(), posts.to_str().unwrap()]);
    assert!(here["niches"].as_array().is_some_and(|n| n.len() == 4));
    if let Some(d) = differ(&here, &in_process, "") {
        panic!("scored from the normalised posts, report.json differs at {d}");
    }
}

/// `niche ARGS` exits 1 and says `says` on standard error.
fn refused(args: &[&str], says: &str) {
    let run = niche(args);
    assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
    assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
}

/// What a user can get wrong with `--units`, each exit 1 with what to do.
#[test]
fn units_folders_that_cannot_be_scored_say_why() {
    let dir = scratch("engines-refusals");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let run = niche(&["score", "--units", empty.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("not a folder `niche normalise` wrote"),
        "{}",
        run.stderr
    );

    // An engine that stopped half way: one units table written, the others missing.
    let tables = dir.join("tables");
    normalise(
        &[
            Path::new("datasets/sample/accounts.csv"),
            Path::new("datasets/sample/posts.csv"),
        ],
        &tables,
        0,
    );
    // What inspect says of it: one part, nothing written by an engine.
    let run = niche(&["inspect", "--units", tables.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("1 part(s) (0), 1601 posts read") && run.stdout.contains("units: not written"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("datasets/sample/posts.csv"),
        "the part's inputs: {}",
        run.stdout
    );
    let at = tables.to_str().unwrap();
    refused(
        &["inspect", "--units", at, "datasets/sample/posts.csv"],
        "input files cannot be given beside it",
    );
    std::fs::create_dir_all(tables.join("units/units")).unwrap();
    let run = niche(&["score", "--units", tables.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no units table `unit_weeks`") && run.stderr.contains("niche sql"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(tables.join("units/units")).unwrap();

    // A Parquet file given as an input (here, the folder's own posts).
    let posts = tables.join("posts/part-0.parquet");
    refused(&["score", posts.to_str().unwrap()], "this is a Parquet file");
    refused(&["inspect", posts.to_str().unwrap()], "niche score --units DIR");

    // Input files beside --units, and --me ACCOUNT.
    refused(
        &["score", "--units", at, "datasets/sample/posts.csv"],
        "input files cannot be given beside it",
    );
    refused(
        &["score", "--units", at, "--me", "u1001"],
        "--me ACCOUNT cannot be used with --units",
    );

    // A units table an engine wrote without one of its columns.
    if engine_ready("duckdb") {
        run_engine("duckdb", &tables);
        let run = niche(&["inspect", "--units", tables.to_str().unwrap(), "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let seen: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let units = &seen["units_tables"];
        assert!(
            units["units"].as_u64().is_some_and(|n| n > 100) && units["unit_weeks"].as_u64().is_some(),
            "{units}"
        );
        let units = tables.join("units/units.parquet");
        let script = format!(
            "import duckdb; duckdb.sql(\"COPY (SELECT * EXCLUDE (dated) FROM read_parquet('{0}')) TO '{0}.x' (FORMAT parquet)\"); import os; os.replace('{0}.x', '{0}')",
            units.display()
        );
        let ok = Command::new("python3").args(["-c", &script]).status().unwrap();
        assert!(ok.success());
        let run = niche(&["score", "--units", tables.to_str().unwrap()]);
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.contains("has no column `dated`") && run.stderr.contains("units.parquet"),
            "{}",
            run.stderr
        );
    }
}

/// The SQL names the folder it is given, quoted for the engine, and every dialect prints.
#[test]
fn sql_prints_for_every_dialect() {
    for dialect in ["duckdb", "spark", "datafusion", "trino"] {
        let run = niche(&["sql", "--dialect", dialect, "/data/it's here/"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("units/unit_weeks"), "{dialect}");
        let quoted = if dialect == "spark" {
            r"it\'s here/units/units"
        } else {
            "it''s here/units/units"
        };
        assert!(run.stdout.contains(quoted), "{dialect}: {}", run.stdout);
    }
    let run = niche(&["sql", "--dialect", "oracle", "x"]);
    assert_eq!(run.code, 1);
    refused(&["sql", "/data"], "--dialect");
    // The contract, printed from the definitions every side follows: each table, each column.
    let run = niche(&["sql", "--schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (table, cols) in std::iter::once(("posts", niche::exchange::POSTS)).chain(niche::exchange::UNIT_TABLES) {
        assert!(run.stdout.contains(&format!("## {table}\n")), "{table}");
        for c in cols {
            assert!(run.stdout.contains(&format!("| `{}` |", c.name)), "{table}.{}", c.name);
        }
    }
    assert!(
        run.stdout.contains("| `median_log_ratio` | real | no |"),
        "{}",
        run.stdout
    );
}
