//! Method 2.2 checked on worlds it did not shape (`niche gen --world confounded`): every number
//! a world runs on is drawn per seed, none is the reference's, and a latent demand, business and
//! traffic per niche reach the files only through realistic confounders. Scored against the
//! built-in reference, as a user would, the score must rank niches by their worth W = D × B × T;
//! identical data on two platforms without a published scale must score alike; and against a
//! saved calibrated reference a niche scores the same whatever else is in the files.

use std::path::{Path, PathBuf};

use super::support::{niche, scratch};

/// Spearman's rank correlation with mid-ranks for ties.
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let rank = |v: &[f64]| {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        let mut k = 0;
        while k < order.len() {
            let mut end = k;
            while end + 1 < order.len() && v[order[end + 1]] == v[order[k]] {
                end += 1;
            }
            for &i in &order[k..=end] {
                r[i] = (k + end) as f64 / 2.0;
            }
            k = end + 1;
        }
        r
    };
    let (ra, rb) = (rank(a), rank(b));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (ma, mb) = (mean(&ra), mean(&rb));
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>();
    cov / (var(&ra, ma) * var(&rb, mb)).sqrt()
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// How big a world is: niches, accounts, posts.
#[derive(Clone, Copy)]
struct Size {
    niches: usize,
    accounts: usize,
    posts: usize,
}

/// The world of the identical-data and saved-reference tests: 10 niches, 1,000 accounts.
const SMALL: Size = Size {
    niches: 10,
    accounts: 1000,
    posts: 40_000,
};

/// A world of `size` in `dir`.
fn world_of(dir: &Path, seed: &str, size: Size) {
    let run = niche(&[
        "gen",
        "--force",
        "--world",
        "confounded",
        "--seed",
        seed,
        "--niches",
        &size.niches.to_string(),
        "--accounts",
        &size.accounts.to_string(),
        "--posts",
        &size.posts.to_string(),
        "--out",
        &dir.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn world(dir: &Path, seed: &str) {
    world_of(dir, seed, SMALL);
}

/// The world's files: accounts, snapshots and one post file per platform.
fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<PathBuf> = vec![dir.join("accounts.csv"), dir.join("snapshots.csv")];
    let mut posts: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("world folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("posts_")))
        .collect();
    posts.sort();
    out.extend(posts);
    out.iter().map(|p| p.to_string_lossy().into_owned()).collect()
}

fn score(inputs: &[String], extra: &[&str]) -> serde_json::Value {
    let mut args: Vec<&str> = vec!["score", "--format", "json"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend_from_slice(extra);
    let run = niche(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("json")
}

fn truth(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth")).expect("json")
}

/// Seeds 1-60 of each world size: all of them, so a test says what the method does rather than
/// what a kind draw of seeds shows (METHOD.md §3, checking the method).
const SEEDS: std::ops::RangeInclusive<u64> = 1..=60;

/// Per seed, Spearman's ρ of the planted worth, demand, business and traffic with the score and
/// the factors.
struct Ranked {
    worth: Vec<f64>,
    demand: Vec<f64>,
    business: Vec<f64>,
    traffic: Vec<f64>,
}

impl Ranked {
    fn said(&self) -> String {
        format!(
            "ρ(W) {:.2?}; ρ(D) {:.2?}; ρ(B) {:.2?}; ρ(T) {:.2?}",
            self.worth, self.demand, self.business, self.traffic
        )
    }

    fn worst(&self) -> f64 {
        self.worth.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Score every seed's world of `size` as a user would (`--bootstrap 0`: the point estimates),
/// checking in each that every niche has a score and that the no-money niche scores 0 in the
/// bottom half.
fn rank_worlds(size: Size, tag: &str) -> Ranked {
    let (mut worth, mut traffic, mut demand, mut business) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut off = 0;
    for seed in SEEDS {
        let dir = scratch(&format!("world_{tag}_{seed}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        world_of(&dir, &seed.to_string(), size);
        let truth = truth(&dir);
        let planted = |name: &str| {
            truth["niches"]
                .as_array()
                .and_then(|t| t.iter().find(|n| n["niche"] == name))
                .cloned()
                .expect("every scored niche is in truth.json")
        };
        // The built-in reference is off for this world's platforms: Douyin, Kuaishou and 视频号
        // borrow TikTok's 4.14% engagement per view, the others Instagram's 1.16% (and the same
        // order for per follower), while the world draws 1-12%.
        let per_view: Vec<f64> = truth["platforms"]
            .as_array()
            .expect("platforms")
            .iter()
            .filter_map(|p| p["per_view"].as_f64())
            .collect();
        if per_view.iter().any(|v| !(0.0116 / 2.0..=0.0414 * 2.0).contains(v)) {
            off += 1;
        }
        let scored = score(&files(&dir), &["--bootstrap", "0"]);
        assert_eq!(scored["method_version"], "2.3");
        let niches = scored["niches"].as_array().expect("niches");
        let pairs = |key: &str, truth_key: &str| -> (Vec<f64>, Vec<f64>) {
            niches
                .iter()
                .filter_map(|n| Some((planted(n["niche"].as_str()?)[truth_key].as_f64()?, n[key].as_f64()?)))
                .unzip()
        };
        let (w, s) = pairs("score", "worth");
        // Every niche has a score: where its exports carry no sponsorship flag, the crawl's share
        // stands in (marked as an estimate), so none is left unknown or a bare lower bound.
        assert_eq!(w.len(), niches.len(), "seed {seed}: every niche has a score");
        worth.push(spearman(&w, &s));
        for (list, key) in [
            (&mut traffic, "traffic"),
            (&mut demand, "demand"),
            (&mut business, "business"),
        ] {
            let (t, m) = pairs(key, key);
            list.push(spearman(&t, &m));
        }
        // The niche with huge demand and traffic but no money: business 0, score 0, bottom half.
        let broke = niches
            .iter()
            .find(|n| truth["niches"][0]["niche"] == n["niche"])
            .expect("the no-business niche");
        assert_eq!(
            broke["business"].as_f64(),
            Some(0.0),
            "seed {seed}: no money by the evidence"
        );
        let below = s
            .iter()
            .filter(|&&x| x < broke["score"].as_f64().unwrap_or(1.0))
            .count();
        assert!(
            below < s.len() / 2,
            "seed {seed}: the no-business niche is in the bottom half"
        );
        assert!(
            broke["demand"].as_f64().unwrap_or(0.0) > 0.6 && broke["traffic"].as_f64().unwrap_or(0.0) > 0.6,
            "seed {seed}: its demand and traffic are seen as high: {broke}"
        );
        // (120 worlds of a few megabytes each: none is kept.)
        let _ = std::fs::remove_dir_all(&dir);
    }
    let seeds = worth.len();
    assert!(
        5 * off >= 2 * seeds,
        "two worlds in five are 2x or more off the built-in engagement per view alone ({off} of {seeds})"
    );
    Ranked {
        worth,
        demand,
        business,
        traffic,
    }
}

/// The targets (#29): a median ρ(W) of 0.9, no seed under 0.7, traffic at 0.85 or more —
/// on worlds of 20 niches and 2,000 accounts, a crawl the size the method is for: a platform's
/// scale is calibrated from its niches, and here it rests on 9 of them (the median over platforms
/// and seeds; at least 4), in worlds of 10 niches on 4 (as few as 1). Measured 2026-12-07, method 2.3, seeds 1-60: ρ(W) median 0.909,
/// worst 0.734; ρ(D) 0.946; ρ(B) 0.930; ρ(T) 0.916 (seeds 61-120: 0.910, worst 0.777). Method 2.2
/// on the same files: 0.892, worst 0.669.
#[test]
fn the_score_ranks_niches_by_their_worth_on_worlds_it_did_not_shape() {
    let ranked = rank_worlds(
        Size {
            niches: 20,
            accounts: 2000,
            posts: 80_000,
        },
        "20",
    );
    let said = ranked.said();
    assert!(median(&ranked.worth) >= 0.9, "median Spearman ρ(W, score): {said}");
    assert!(ranked.worst() >= 0.7, "the worst seed: {said}");
    assert!(median(&ranked.traffic) >= 0.85, "median Spearman ρ(T, traffic): {said}");
    assert!(median(&ranked.demand) >= 0.92, "median Spearman ρ(D, demand): {said}");
    assert!(
        median(&ranked.business) >= 0.9,
        "median Spearman ρ(B, business): {said}"
    );
}

/// The same on worlds of 10 niches and 1,000 accounts, where a platform's scale rests on few
/// niches and one niche's error moves ρ by 0.1-0.2: a reader who knew every number the world
/// drew for its platforms, facing only each niche's own noise, keeps every seed at 0.7 or more in
/// 3 draws of that noise in 5 (`benches/world-ceiling.py`; METHOD.md §3, "What the world shows").
/// So the thresholds here sit just under what was measured, and a change that makes the method
/// worse fails. Measured 2026-12-07, method 2.3, seeds 1-60: ρ(W) median 0.885, 57 of 60 seeds at
/// 0.7 or more, worst 0.648; ρ(D) 0.939; ρ(B) 0.909; ρ(T) 0.915. Method 2.2: 0.885, 56 of 60,
/// worst 0.455, ρ(D) 0.921.
#[test]
fn on_smaller_worlds_the_score_still_ranks_by_worth() {
    let ranked = rank_worlds(SMALL, "10");
    let said = ranked.said();
    let seeds = ranked.worth.len();
    let good = ranked.worth.iter().filter(|&&r| r >= 0.7).count();
    assert!(median(&ranked.worth) >= 0.88, "median Spearman ρ(W, score): {said}");
    assert!(
        10 * good >= 9 * seeds,
        "nine seeds in ten rank by worth (ρ ≥ 0.7): {good} of {seeds}; {said}"
    );
    assert!(ranked.worst() >= 0.6, "the worst seed: {said}");
    assert!(median(&ranked.traffic) >= 0.9, "median Spearman ρ(T, traffic): {said}");
    assert!(median(&ranked.demand) >= 0.93, "median Spearman ρ(D, demand): {said}");
    assert!(
        median(&ranked.business) >= 0.88,
        "median Spearman ρ(B, business): {said}"
    );
}

/// The world of `seed` with every Xiaohongshu account and post copied onto `twin` (new ids, the
/// same niches and numbers): identical data on two platforms that lack published scales.
fn twin_world(seed: &str) -> (PathBuf, String) {
    let dir = scratch(&format!("world_twin_{seed}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    world(&dir, seed);
    let present: Vec<String> = truth(&dir)["platforms"]
        .as_array()
        .expect("platforms")
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    let twin = ["kuaishou", "weibo", "wechat_channels", "douyin"]
        .into_iter()
        .find(|p| !present.iter().any(|x| x == p))
        .expect("a platform the world does not use")
        .to_string();
    let accounts = std::fs::read_to_string(dir.join("accounts.csv")).expect("accounts");
    let mut ids: Vec<String> = Vec::new();
    let mut out = accounts.clone();
    for line in accounts.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.get(2) == Some(&"xiaohongshu") {
            ids.push(cells[0].to_string());
            let mut copy: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
            copy[0] = format!("k{}", cells[0]);
            copy[2] = twin.clone();
            out.push_str(&copy.join(","));
            out.push('\n');
        }
    }
    std::fs::write(dir.join("accounts.csv"), out).expect("write");
    let snapshots = std::fs::read_to_string(dir.join("snapshots.csv")).expect("snapshots");
    let mut out = snapshots.clone();
    for line in snapshots.lines().skip(1) {
        if line.split(',').next().is_some_and(|id| ids.iter().any(|x| x == id)) {
            out.push_str(&format!("k{line}\n"));
        }
    }
    std::fs::write(dir.join("snapshots.csv"), out).expect("write");
    let posts = std::fs::read_to_string(dir.join("posts_xiaohongshu.csv")).expect("posts");
    let mut lines = posts.lines();
    let mut out = format!("{}\n", lines.next().expect("header"));
    for line in lines {
        // Post id and account id, both new.
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[0] = format!("k{}", cells[0]);
        cells[1] = format!("k{}", cells[1]);
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    std::fs::write(dir.join("posts_twin.csv"), out).expect("write");
    (dir, twin)
}

#[test]
fn identical_data_on_two_platforms_without_published_scales_scores_alike() {
    let mut compared = 0;
    for seed in ["3", "8"] {
        let (dir, twin) = twin_world(seed);
        let scored = score(&files(&dir), &["--bootstrap", "200"]);
        // Both platforms' scales were calibrated from the same niches.
        let calibrated: Vec<&str> = scored["calibration"]
            .as_array()
            .expect("calibration")
            .iter()
            .filter(|c| c["source"] != "reference")
            .filter_map(|c| c["platform"].as_str())
            .collect();
        assert!(
            calibrated.contains(&"xiaohongshu") && calibrated.contains(&twin.as_str()),
            "seed {seed}: {calibrated:?}"
        );
        for n in scored["niches"].as_array().expect("niches") {
            let pair = |p: &str| {
                n["by_platform"]
                    .as_array()
                    .and_then(|list| list.iter().find(|x| x["platform"] == p))
                    .cloned()
            };
            let (Some(a), Some(b)) = (pair("xiaohongshu"), pair(&twin)) else {
                continue;
            };
            for key in ["demand", "traffic", "score"] {
                let (Some(x), Some(y)) = (a[key].as_f64(), b[key].as_f64()) else {
                    continue;
                };
                let inside = |v: f64, p: &serde_json::Value| {
                    let i = &p["intervals"][key];
                    i["low"].as_f64().is_some_and(|lo| lo <= v) && i["high"].as_f64().is_some_and(|hi| v <= hi)
                };
                assert!(
                    inside(x, &b) && inside(y, &a),
                    "seed {seed}, {}: {key} {x:.3} on xiaohongshu and {y:.3} on {twin}, each inside the other's interval ({} / {})",
                    n["niche"],
                    a["intervals"][key],
                    b["intervals"][key]
                );
                compared += 1;
            }
            // Where the two are the pick and the runner-up, the data do not tell them apart.
            let margin = &n["start_on_margin"];
            let two = [n["start_on"].as_str(), margin["over"].as_str()];
            if two.contains(&Some("xiaohongshu")) && two.contains(&Some(twin.as_str())) {
                assert_eq!(margin["clear"], false, "seed {seed}: {n}");
            }
        }
    }
    assert!(compared >= 6, "twins compared: {compared}");
}

/// Rows of a CSV whose niche (or account) is among `keep`, in reverse order (header first).
fn subset(from: &Path, to: &Path, keep: &dyn Fn(&str) -> bool) {
    let text = std::fs::read_to_string(from).expect("read");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let mut rows: Vec<&str> = lines.filter(|l| keep(l)).collect();
    rows.reverse();
    std::fs::write(to, format!("{header}\n{}\n", rows.join("\n"))).expect("write");
}

#[test]
fn against_a_saved_calibrated_reference_a_niche_scores_the_same_alone_among_others_and_in_any_order() {
    let dir = scratch("world_independence");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    world(&dir, "9");
    let all_files = files(&dir);
    // Calibrated from this crawl: the built-in reference moves, and says so.
    let calibrated = score(&all_files, &["--bootstrap", "0"]);
    assert!(
        calibrated["niches"]
            .as_array()
            .expect("niches")
            .iter()
            .any(|n| n["calibrated"].as_array().is_some_and(|c| !c.is_empty())),
        "some niche depends on its platform's calibrated scale"
    );
    // Saved, it is used as it is.
    let saved = dir.join("calibrated.toml");
    let mut args: Vec<String> = vec!["reference".into(), "build".into(), "--calibrated".into()];
    args.extend(all_files.iter().cloned());
    args.extend(["--out".into(), saved.to_string_lossy().into_owned()]);
    let run = niche(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("calibrated from the inputs"), "{}", run.stderr);
    let reference = saved.to_string_lossy().into_owned();
    let all = score(&all_files, &["--bootstrap", "40", "--reference", &reference]);
    // Against the saved reference, the same points as the calibrated run (the scales are the
    // same numbers, read back from the file).
    for (a, b) in all["niches"]
        .as_array()
        .expect("niches")
        .iter()
        .zip(calibrated["niches"].as_array().expect("niches"))
    {
        assert_eq!(a["niche"], b["niche"]);
        assert_eq!(a["score"], b["score"], "{}", a["niche"]);
        assert!(a["calibrated"].as_array().is_some_and(Vec::is_empty));
    }
    let niches: Vec<String> = all["niches"]
        .as_array()
        .expect("niches")
        .iter()
        .filter_map(|n| n["niche"].as_str().map(str::to_string))
        .collect();
    let accounts_csv = std::fs::read_to_string(dir.join("accounts.csv")).expect("accounts");
    let same = |a: &serde_json::Value, b: &serde_json::Value, what: &str| {
        for key in [
            "demand",
            "business",
            "traffic",
            "score",
            "score_ceiling",
            "intervals",
            "evidence",
        ] {
            assert_eq!(a[key], b[key], "{what}: {key} of {}", a["niche"]);
        }
    };
    // Each niche alone; then the first three without the others, rows reversed.
    let mut groups: Vec<Vec<String>> = niches.iter().map(|n| vec![n.clone()]).collect();
    groups.push(niches.iter().take(3).cloned().collect());
    for (k, group) in groups.iter().enumerate() {
        let sub = scratch(&format!("world_independence_{k}"));
        let ids: Vec<String> = accounts_csv
            .lines()
            .skip(1)
            .filter(|l| group.iter().any(|g| l.split(',').nth(3) == Some(g.as_str())))
            .filter_map(|l| l.split(',').next().map(str::to_string))
            .collect();
        let mine = |line: &str| ids.iter().any(|id| line.split(',').take(2).any(|c| c == id));
        let mut sub_files = Vec::new();
        for f in &all_files {
            let name = Path::new(f).file_name().expect("name");
            subset(Path::new(f), &sub.join(name), &mine);
            sub_files.push(sub.join(name).to_string_lossy().into_owned());
        }
        // A platform file left with no rows is left out, as a user would.
        sub_files.retain(|f| std::fs::read_to_string(f).is_ok_and(|t| t.lines().filter(|l| !l.is_empty()).count() > 1));
        let part = score(&sub_files, &["--bootstrap", "40", "--reference", &reference]);
        let part_niches = part["niches"].as_array().expect("niches");
        assert_eq!(part_niches.len(), group.len());
        for n in part_niches {
            let whole = all["niches"]
                .as_array()
                .and_then(|a| a.iter().find(|m| m["niche"] == n["niche"]))
                .expect("in the full run");
            same(n, whole, &format!("group {group:?}"));
        }
    }
}
