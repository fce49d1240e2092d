//! Running the binary and reading what it printed.

use std::path::PathBuf;
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `niche` with these arguments from the package root.
pub fn niche(args: &[&str]) -> Run {
    niche_env(args, &[])
}

/// The binary, speaking English whatever the machine's locale (a test that wants Chinese sets
/// `LC_ALL` or passes `--lang zh`).
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_niche"));
    cmd.env("LC_ALL", "C");
    cmd
}

/// Run `niche` with these arguments and environment variables.
pub fn niche_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = command()
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

/// Score to JSON and parse it.
pub fn score_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["score", "--format", "json"];
    all.extend_from_slice(args);
    let run = niche(&all);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("score --format json prints JSON")
}

/// A report's JSON with what only a report run keeps (each niche's `top_posts`, its accounts'
/// `best_post`) set to null, as `--format json` alone gives them; each niche's list checked first
/// to be there.
pub fn without_post_details(mut report: serde_json::Value) -> serde_json::Value {
    for n in report["niches"].as_array_mut().expect("niches") {
        assert!(n["top_posts"].is_array(), "{} has no top_posts", n["niche"]);
        n["top_posts"] = serde_json::Value::Null;
        for a in n["top_accounts"].as_array_mut().expect("top_accounts") {
            a["best_post"] = serde_json::Value::Null;
        }
    }
    report
}

/// The niche object with this name.
pub fn niche_named<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["niches"]
        .as_array()
        .and_then(|a| a.iter().find(|n| n["niche"] == name))
        .unwrap_or_else(|| panic!("no niche {name:?} in {report}"))
}

/// A fresh folder under the target directory for files a test writes.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// `niche gen` with this seed and size into a fresh scratch folder `name` (rows in crawl order,
/// the generator's default).
pub fn generate(name: &str, seed: &str, accounts: &str, posts: &str) -> std::path::PathBuf {
    generate_in_order(name, seed, accounts, posts, "crawl")
}

/// [`generate`] with the rows in `order` (`crawl` or `grouped`).
pub fn generate_in_order(name: &str, seed: &str, accounts: &str, posts: &str, order: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    let run = niche(&[
        "gen",
        "--force",
        "--seed",
        seed,
        "--accounts",
        accounts,
        "--posts",
        posts,
        "--order",
        order,
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}
