//! `niche diff [A] [B]`: what changed between two runs of the saved analysis.

use anyhow::Context;

use crate::analysis::{self, runs, Analysis};
use crate::cli::DiffArgs;
use crate::error::Error;
use crate::output;

pub fn run(args: &DiffArgs) -> anyhow::Result<()> {
    let path = analysis::config_path(args.config.as_deref());
    let analysis = Analysis::load(&path, &[])?;
    let runs_dir = analysis
        .dir
        .join("reports")
        .join(analysis.file.report.name.trim())
        .join("runs");
    let have = runs::numbers(&runs_dir);
    let b = args.b.or(have.last().copied());
    let a = args
        .a
        .or_else(|| b.and_then(|b| have.iter().rev().find(|n| **n < b).copied()));
    let (Some(a), Some(b)) = (a, b) else {
        return Err(Error::usage(
            crate::lang::say(
                format!("{} holds fewer than two runs", runs_dir.display()),
                format!("{} 里的运行记录不到两次", runs_dir.display()),
            ),
            crate::lang::say(
                "run the analysis twice (`niche run`), changing something in between",
                "把分析运行两次（`niche run`），中间改点什么",
            ),
        )
        .into());
    };
    for n in [a, b] {
        if !have.contains(&n) {
            return Err(Error::usage(
                format!("there is no run {n} in {}", runs_dir.display()),
                format!(
                    "runs there: {}",
                    have.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
                ),
            )
            .into());
        }
    }
    let read = |n: u64, name: &str| -> anyhow::Result<Vec<u8>> {
        let p = runs::run_dir(&runs_dir, n).join(name);
        std::fs::read(&p).map_err(|e| Error::io(&p, e).into())
    };
    let json = |n: u64| -> anyhow::Result<serde_json::Value> {
        serde_json::from_slice(&read(n, "report.json")?).with_context(|| format!("reading run {n}'s report.json"))
    };
    let text = |n: u64| -> anyhow::Result<String> { Ok(String::from_utf8_lossy(&read(n, "niche.toml")?).into_owned()) };
    let settings = runs::setting_changes(&text(a)?, &text(b)?);
    let inputs_of = |n: u64| -> anyhow::Result<Vec<(String, String)>> {
        let record: serde_json::Value = serde_json::from_slice(&read(n, "run.json")?)?;
        Ok(record["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| Some((i["path"].as_str()?.to_string(), i["blake3"].as_str()?.to_string())))
            .collect())
    };
    let (ia, ib) = (inputs_of(a)?, inputs_of(b)?);
    let mut inputs = Vec::new();
    for (p, h) in &ib {
        match ia.iter().find(|x| &x.0 == p) {
            None => inputs.push(format!("{p}: added")),
            Some(x) if &x.1 != h => inputs.push(format!("{p}: changed")),
            _ => {}
        }
    }
    for (p, _) in &ia {
        if !ib.iter().any(|x| &x.0 == p) {
            inputs.push(format!("{p}: removed"));
        }
    }
    let (before, after) = (json(a)?, json(b)?);
    let changes = runs::changes(&before, &after);
    let methods = runs::method_change(&before, &after);
    let out = runs::diff_text(
        (&format!("run {a}"), &format!("run {b}")),
        methods,
        &settings,
        &inputs,
        &changes,
    );
    output::write_stdout(out.as_bytes()).context("writing to standard output")?;
    Ok(())
}
