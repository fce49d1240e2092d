//! `niche gen --out DIR`: synthetic inputs with planted truth.

use std::io::Write;

use anyhow::Context;

use crate::cli::GenArgs;
use crate::error::Error;
use crate::generate::{self, Config};
use crate::output::{self, AtomicFile};

pub fn run(args: &GenArgs) -> anyhow::Result<()> {
    if args.niches == 0 || args.accounts == 0 {
        return Err(Error::usage(
            "--niches and --accounts must be at least 1",
            "try --niches 8 --accounts 400",
        )
        .into());
    }
    let config = Config {
        seed: args.seed,
        niches: args.niches,
        accounts: args.accounts,
        posts: args.posts,
        weeks: args.weeks.max(1),
        order: args.order,
        layout: args.layout,
        platforms_per_niche: args.platforms,
    };
    if !args.force {
        refuse_to_overwrite(&args.out)?;
    }
    output::create_dir(&args.out)?;
    if args.world == generate::World::Confounded {
        return confounded(args, &config);
    }
    let planted = generate::plan(&config);
    let truth = serde_json::json!({
        "seed": config.seed,
        "niches": config.niches,
        "accounts": config.accounts,
        "posts": config.posts,
        "weeks": config.weeks,
        "order": config.order,
        "layout": config.layout,
        "planted": planted,
    });
    write_files(&args.out, &truth, |accounts, posts, snapshots| {
        generate::write(&config, &planted, accounts, posts, snapshots)
    })?;
    output::note(&format!(
        "wrote {} accounts, {} posts and follower snapshots in {} niches to {}",
        config.accounts.max(config.niches),
        config.posts,
        config.niches,
        args.out.display()
    ));
    Ok(())
}

/// The files `niche gen` writes, where one is in `dir` already: an error naming it (a folder of
/// real exports is never overwritten by a generator's by mistake).
fn refuse_to_overwrite(dir: &std::path::Path) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut ours: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| {
                ["accounts.csv", "posts.csv", "snapshots.csv", "truth.json"].contains(&n.as_ref())
                    || (n.starts_with("posts_") && n.ends_with(".csv"))
            })
        })
        .collect();
    ours.sort();
    match ours.first() {
        None => Ok(()),
        Some(first) => Err(Error::File {
            path: first.clone(),
            message: crate::lang::say(
                format!(
                    "is already there ({} file(s) niche gen would write are in {})",
                    ours.len(),
                    dir.display()
                ),
                format!(
                    "已经存在（niche gen 要写的文件中有 {} 个已在 {}）",
                    ours.len(),
                    dir.display()
                ),
            ),
            hint: crate::lang::say(
                "pass --force to replace them, or choose another --out folder",
                "加 --force 覆盖它们，或换一个 --out 文件夹",
            ),
        }
        .into()),
    }
}

/// accounts.csv, posts.csv and snapshots.csv as `write` writes them, then truth.json, each file
/// atomically.
fn write_files(
    out: &std::path::Path,
    truth: &serde_json::Value,
    write: impl FnOnce(&mut dyn Write, &mut dyn Write, &mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut accounts = AtomicFile::create(&out.join("accounts.csv"), &[])?;
    let mut posts = AtomicFile::create(&out.join("posts.csv"), &[])?;
    let mut snapshots = AtomicFile::create(&out.join("snapshots.csv"), &[])?;
    write(&mut accounts, &mut posts, &mut snapshots).map_err(|e| posts.error(&e))?;
    accounts.commit()?;
    posts.commit()?;
    snapshots.commit()?;
    let mut text = serde_json::to_vec_pretty(truth).context("rendering truth.json")?;
    text.push(b'\n');
    let mut file = AtomicFile::create(&out.join("truth.json"), &[])?;
    file.write_all(&text).map_err(|e| file.error(&e))?;
    file.commit()?;
    Ok(())
}

/// `--world confounded`: the latent world and its files: accounts.csv, snapshots.csv, one
/// posts_<platform>.csv per platform (each in that platform's crawl layout) and truth.json.
fn confounded(args: &GenArgs, config: &Config) -> anyhow::Result<()> {
    let world = generate::world::plan(config.seed, config.niches, config.accounts);
    let truth = serde_json::json!({
        "seed": config.seed,
        "world": "confounded",
        "economy": world.economy,
        "platforms": world.platforms,
        "niches": world.niches,
    });
    let mut accounts = AtomicFile::create(&args.out.join("accounts.csv"), &[])?;
    let mut snapshots = AtomicFile::create(&args.out.join("snapshots.csv"), &[])?;
    let posts = generate::world::write(
        config.seed,
        &world,
        config.posts,
        config.weeks,
        &mut accounts,
        &mut snapshots,
    )
    .map_err(|e| accounts.error(&e))?;
    accounts.commit()?;
    snapshots.commit()?;
    for (platform, text) in &posts {
        output::write_file(&args.out.join(format!("posts_{platform}.csv")), text.as_bytes(), &[])?;
    }
    let mut text = serde_json::to_vec_pretty(&truth).context("rendering truth.json")?;
    text.push(b'\n');
    output::write_file(&args.out.join("truth.json"), &text, &[])?;
    output::note(&format!(
        "wrote a confounded world of {} niches ({} accounts) on {} to {}",
        world.niches.len(),
        world.niches.iter().map(|w| w.accounts).sum::<usize>(),
        posts.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>().join(", "),
        args.out.display()
    ));
    Ok(())
}
