//! The pipeline end to end, for the commands and saved analyses on top of it: inputs as given on
//! the command line or in niche.toml -> tables (load, normalise) -> metrics (measure) -> the
//! scored view model (score, report). `niche score` runs it once; `niche run` caches between its
//! two halves ([`measured`], slow: it reads every file; [`scored`], fast: it weighs and ranks).

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::config::Model;
use crate::error::{Error, Result};
use crate::lang::say;
use crate::load::{self, ReadOptions};
use crate::measure::{self, Metrics, Params};
use crate::normalise::fields::Field;
use crate::normalise::mapping::{Kind, Override};
use crate::normalise::{self, Input, InputReport, Tables, Warning};
use crate::profile::Profile;
use crate::report::ScoreReport;
use crate::score;

/// Options that say how to read the inputs; shared by `score` and `inspect`.
#[derive(Debug, Args, Clone, Default)]
pub struct LoadArgs {
    /// Input files (CSV, TSV, XLSX, XLS, JSON, JSONL); each is recognised by its columns.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read FILE as an account list (one row per account), whatever its columns suggest.
    #[arg(long = "accounts", value_name = "FILE")]
    pub accounts: Vec<PathBuf>,
    /// Read FILE as a post list (one row per post).
    #[arg(long = "posts", value_name = "FILE")]
    pub posts: Vec<PathBuf>,
    /// Read FILE as follower snapshots (account, date, followers).
    #[arg(long = "snapshots", value_name = "FILE")]
    pub snapshots: Vec<PathBuf>,
    /// Read FILE as demand signals: a search or topic index over time (keyword, date, index; or a
    /// Google Trends multiTimeline.csv), matched to niches by name. Sets each niche's growth.
    #[arg(long = "signals", value_name = "FILE")]
    pub signals: Vec<PathBuf>,
    /// Map a field to a column by its header name, e.g. `--map followers=粉丝量` (repeatable).
    /// Fields: account_id, account_name, platform, niche, followers, post_id, title, published_at,
    /// date, likes, comments, shares, collects, views, sponsored, price, posts_count, avg_views,
    /// avg_likes, avg_comments, avg_engagement, earnings_low, earnings_high, followers_gained_30d,
    /// format, tags.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// The column that names each row's niche (same as `--map niche=NAME`).
    #[arg(long = "niche-column", value_name = "NAME")]
    pub niche_column: Option<String>,
    /// A niche named by keywords, for posts whose files name none (a category or keyword crawl):
    /// each such post whose title or tags hold a keyword is filed under it, e.g.
    /// `--niche 语音生成=TTS,配音,语音合成` (repeatable; a post can be in several).
    #[arg(long = "niche", value_name = "NAME=KW,KW")]
    pub niches: Vec<String>,
    /// The sheet to read from workbooks (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The text encoding of CSV/JSON inputs (e.g. utf-8, gbk, gb18030); default: detected.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// The platform of rows whose file names none (e.g. xiaohongshu, douyin, bilibili, youtube).
    #[arg(long, value_name = "NAME")]
    pub platform: Option<String>,
    /// An export of your own posts (`--me FILE`, `[me] file`): read apart from the inputs.
    #[arg(skip)]
    pub me_file: Option<PathBuf>,
}

/// When the pipeline's large intermediate values (tables, posts, units: plain data, nothing
/// whose drop closes a file or writes anything) are freed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// Now: a process that goes on (`niche run --watch`).
    Now,
    /// At exit, by the system, which takes back the whole process's memory in one go: for a
    /// command that exits when done. Freeing 100k lists of posts one by one took ~0.3 s at 10M posts.
    AtExit,
}

impl Release {
    pub fn free<T>(self, value: T) {
        match self {
            Release::Now => drop(value),
            Release::AtExit => std::mem::forget(value),
        }
    }
}

/// Every input path with its declared kind, in the order given.
pub fn inputs(args: &LoadArgs) -> Vec<(PathBuf, Option<Kind>)> {
    let mut out: Vec<(PathBuf, Option<Kind>)> = args.files.iter().map(|p| (p.clone(), None)).collect();
    out.extend(args.accounts.iter().map(|p| (p.clone(), Some(Kind::Accounts))));
    out.extend(args.posts.iter().map(|p| (p.clone(), Some(Kind::Posts))));
    out.extend(args.snapshots.iter().map(|p| (p.clone(), Some(Kind::Snapshots))));
    out.extend(args.signals.iter().map(|p| (p.clone(), Some(Kind::Signals))));
    out
}

/// Every file a run reads: the inputs, then your own export.
pub fn files_read(args: &LoadArgs) -> Vec<PathBuf> {
    let inputs = inputs(args).into_iter().map(|(p, _)| p);
    inputs.chain(args.me_file.iter().cloned()).collect()
}

/// Your account as `--me` gives it (an id or name in the inputs, or a file of your own posts) with
/// `--me-followers` (for a file, which does not state them), into the pipeline's settings.
pub fn set_me(me: &str, followers: Option<f64>, load: &mut LoadArgs, params: &mut Params) -> Result<()> {
    let me = me.trim();
    if me.is_empty() {
        return Ok(());
    }
    if let Some(f) = followers.filter(|f| !f.is_finite() || *f < 0.0) {
        return Err(Error::usage(
            say(
                format!("--me-followers {f}: a follower count is a number of zero or more"),
                format!("--me-followers {f}：粉丝数是 0 或更大的数"),
            ),
            say("write it like --me-followers 12000", "写成 --me-followers 12000 这样"),
        ));
    }
    let path = PathBuf::from(me);
    if path.is_file() {
        set_me_file(load, path)?;
        params.me_followers = followers;
        return Ok(());
    }
    let looks_like_a_file = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| load::EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    if looks_like_a_file {
        return Err(Error::usage(
            say(
                format!("--me {me:?}: there is no such file"),
                format!("--me {me:?}：没有这个文件"),
            ),
            say(
                "give the path of your own export (from where you run niche), or an account id or name in the inputs",
                "给出你自己导出文件的路径（相对于运行 niche 的位置），或输入中某个账号的 ID 或名称",
            ),
        ));
    }
    if followers.is_some() {
        return Err(Error::usage(
            say(
                format!("--me-followers with --me {me:?}: the inputs give an account's followers"),
                format!("--me-followers 与 --me {me:?} 同用：输入中已有账号的粉丝数"),
            ),
            say(
                "leave --me-followers out, or give your own export with --me FILE",
                "去掉 --me-followers，或用 --me FILE 给出你自己的导出文件",
            ),
        ));
    }
    params.me = Some(me.to_string());
    Ok(())
}

/// Your own export as the file `--me` (or `[me] file`) reads, refused where it is also one of the
/// inputs: there your posts would count as a competitor's as well.
pub fn set_me_file(load: &mut LoadArgs, path: PathBuf) -> Result<()> {
    let same = |p: &PathBuf| match (p.canonicalize(), path.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => *p == path,
    };
    if inputs(load).iter().any(|(p, _)| same(p)) {
        return Err(Error::usage(
            say(
                format!("your own export {} is also one of the inputs", path.display()),
                format!("你自己的导出文件 {} 也在输入之中", path.display()),
            ),
            say(
                "give it once, as --me (or [me] file) only: among the inputs it would count as a competitor",
                "只给一次，只作为 --me（或 [me] file）：放在输入里它会被当作竞争对手",
            ),
        ));
    }
    load.me_file = Some(path);
    Ok(())
}

/// `--map` and `--niche-column` as overrides.
pub fn overrides(args: &LoadArgs) -> Result<Vec<Override>> {
    let mut out = Vec::new();
    for m in &args.map {
        let Some((field, column)) = m.split_once('=') else {
            return Err(Error::usage(
                say(
                    format!("--map {m:?} is not of the form FIELD=COLUMN"),
                    format!("--map {m:?} 不是 字段=列名 的形式"),
                ),
                say(
                    "write it like --map followers=粉丝量",
                    "写成 --map followers=粉丝量 这样",
                ),
            ));
        };
        let field = Field::from_name(field).ok_or_else(|| {
            Error::usage(
                say(
                    format!("--map {m:?}: there is no field named {field:?}"),
                    format!("--map {m:?}：没有名为 {field:?} 的字段"),
                ),
                say(
                    format!("use one of: {}", Field::ALL.map(Field::name).join(", ")),
                    format!("可用的字段：{}", Field::ALL.map(Field::name).join(", ")),
                ),
            )
        })?;
        if column.trim().is_empty() {
            return Err(Error::usage(
                say(
                    format!("--map {m:?} names no column"),
                    format!("--map {m:?} 没有给出列名"),
                ),
                say(
                    "write it like --map followers=粉丝量",
                    "写成 --map followers=粉丝量 这样",
                ),
            ));
        }
        out.push(Override {
            field,
            column: column.to_string(),
            by: "--map",
        });
    }
    if let Some(n) = &args.niche_column {
        out.push(Override {
            field: Field::Niche,
            column: n.clone(),
            by: "--niche-column",
        });
    }
    Ok(out)
}

/// Load and normalise every input; with `fast`, post lists in the canonical CSV layout are read by
/// the fast path when every input allows it ([`normalise::fast`]).
/// How the posts are read: the fast path where it can (canonical CSV), or the general one; with
/// `Details`, the general one keeping each post's title and counts (for the breakout posts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Fast,
    General,
    Details,
}

pub fn read_tables(args: &LoadArgs, read: Read) -> Result<Tables> {
    let paths = inputs(args);
    if paths.is_empty() {
        return Err(Error::usage(
            say("no input files were given", "没有给出输入文件"),
            say(
                "pass one or more exports, e.g. `niche score accounts.csv posts.csv`",
                "传入一个或多个导出文件，例如 `niche score accounts.csv posts.csv`",
            ),
        ));
    }
    let encoding = match &args.encoding {
        Some(label) => Some(load::encoding_for_label(label).ok_or_else(|| {
            Error::usage(
                say(
                    format!("--encoding {label:?} is not an encoding this tool knows"),
                    format!("--encoding {label:?} 不是本工具认识的编码"),
                ),
                say(
                    "try --encoding utf-8, gbk or gb18030",
                    "试试 --encoding utf-8、gbk 或 gb18030",
                ),
            )
        })?),
        None => None,
    };
    let overrides = overrides(args)?;
    let options = ReadOptions {
        encoding,
        sheet: args.sheet.as_deref(),
        known_header: normalise::fields::is_known_header,
    };
    let normalise_options = normalise::Options {
        overrides,
        platform: args.platform.clone(),
        details: read == Read::Details,
        niches: args
            .niches
            .iter()
            .map(|n| normalise::keywords::KeywordNiche::parse(n))
            .collect::<Result<_>>()?,
    };
    if read == Read::Fast {
        if let Some(tables) = normalise::fast::try_read(&paths, &normalise_options, &options) {
            crate::timing::note_path("the fast path");
            return Ok(tables);
        }
    }
    // The largest file is read on this thread (it shows the progress line) while the others are
    // read one after another on a second one. Should several fail, the first in the inputs'
    // order is reported, as reading them one by one would.
    let largest = paths
        .iter()
        .enumerate()
        .max_by_key(|(i, (path, _))| (std::fs::metadata(path).map_or(0, |m| m.len()), std::cmp::Reverse(*i)))
        .map_or(0, |(i, _)| i);
    let read = |path: &std::path::Path| {
        let t = crate::timing::Timer::start("  read a file");
        let table = load::read(path, &options);
        t.done();
        table
    };
    let tables: Vec<Result<load::RawTable>> = std::thread::scope(|s| {
        let others = s.spawn(|| {
            crate::progress::quietly(|| {
                let others = paths.iter().enumerate().filter(|(i, _)| *i != largest);
                others.map(|(i, (path, _))| (i, read(path))).collect::<Vec<_>>()
            })
        });
        let mut tables: Vec<Option<Result<load::RawTable>>> = paths.iter().map(|_| None).collect();
        if let Some(((path, _), slot)) = paths.get(largest).zip(tables.get_mut(largest)) {
            crate::progress::reading(path);
            *slot = Some(read(path));
        }
        let others = others.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for (i, table) in others {
            if let Some(slot) = tables.get_mut(i) {
                *slot = Some(table);
            }
        }
        tables.into_iter().flatten().collect()
    });
    let mut raw = Vec::with_capacity(paths.len());
    for ((_, forced), table) in paths.into_iter().zip(tables) {
        raw.push(Input { table: table?, forced });
    }
    let tables = normalise::apply(raw, &normalise_options);
    crate::timing::note_path("the general way");
    tables
}

/// What the slow half hands the fast half: the metrics and what was learnt about the inputs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    pub metrics: Metrics,
    /// `inputs`, `warnings` and `notes` as JSON (their types skip empty fields, which only a
    /// self-describing format reads back).
    pub about_inputs: String,
}

/// Leave out the niches with fewer than `min` accounts (niches whose accounts are unknown stay),
/// and say how many went in the inputs' notes, naming the `setting` that asked (`--min-accounts
/// 5`, `filters.min_accounts = 5`). 0 keeps all.
pub fn keep_niches_with(measured: &mut Measured, min: u64, setting: &str) -> anyhow::Result<()> {
    if min == 0 {
        return Ok(());
    }
    let m = &mut measured.metrics;
    let before = m.niches.len();
    let (niches, units): (Vec<_>, Vec<_>) = std::mem::take(&mut m.niches)
        .into_iter()
        .zip(std::mem::take(&mut m.units))
        .filter(|(n, _)| n.accounts.is_none_or(|a| a >= min))
        .unzip();
    m.niches = niches;
    m.units = units;
    let dropped = before - m.niches.len();
    let mut about: serde_json::Value = serde_json::from_str(&measured.about_inputs)?;
    if let Some(notes) = about["notes"].as_array_mut() {
        notes.push(serde_json::Value::String(format!(
            "{setting}: {dropped} niche(s) with fewer accounts left out"
        )));
    }
    measured.about_inputs = serde_json::to_string(&about)?;
    Ok(())
}

#[derive(serde::Serialize, serde::Deserialize)]
struct AboutInputs {
    inputs: Vec<InputReport>,
    warnings: Vec<Warning>,
    notes: Vec<String>,
}

/// Read, normalise, filter (a saved analysis's filters) and measure. `fast` allows the fast path
/// for canonical post lists (a filter that needs each post's row turns it off).
pub fn measured(
    load: &LoadArgs,
    params: &Params,
    read: Read,
    filter: impl FnOnce(&mut Tables) -> crate::Result<()>,
    release: Release,
) -> anyhow::Result<Measured> {
    let t = crate::timing::Timer::start("load + normalise");
    let mut tables = read_tables(load, read)?;
    t.done();
    tables.check_scorable()?;
    filter(&mut tables)?;
    crate::progress::phase(say("measuring", "正在计算指标"));
    let t = crate::timing::Timer::start("measure");
    let metrics = measure::compute(&tables, params)?;
    t.done();
    // Demand signals (`--signals`, or recognised by their columns).
    // (Each input has its report, in the inputs' order: the paths as given, not as displayed.)
    let signal_files: Vec<PathBuf> = inputs(load)
        .into_iter()
        .zip(&tables.inputs)
        .filter(|(_, report)| report.kind == Some(Kind::Signals))
        .map(|((path, _), _)| path)
        .collect();
    with_signals_and_me(load, tables, metrics, &signal_files, release)
}

/// With `--units DIR` the inputs were read when the folder was normalised: only demand signals
/// and your own export may be given beside it.
pub fn no_inputs_beside_units(load: &LoadArgs) -> Result<()> {
    let given = load.files.len() + load.accounts.len() + load.posts.len() + load.snapshots.len();
    if given > 0 {
        return Err(Error::usage(
            say(
                "--units reads a normalised folder; input files cannot be given beside it",
                "--units 读取已规范化的文件夹；不能同时给出输入文件",
            ),
            say(
                "normalise them into the folder too (`niche normalise FILE... --out DIR --part N`), or leave out --units",
                "把它们也规范化到该文件夹（`niche normalise FILE... --out DIR --part N`），或去掉 --units",
            ),
        ));
    }
    Ok(())
}

/// [`measured`] from a folder that `niche normalise` wrote and an engine ran the units SQL over
/// (`niche score --units DIR`): the account list and snapshots from its parts, the units' post
/// numbers and style counts from its `units/` tables. `load` gives only signals and `--me FILE`.
pub fn measured_from_units(dir: &Path, load: &LoadArgs, params: &Params, release: Release) -> anyhow::Result<Measured> {
    let t = crate::timing::Timer::start("read units");
    let read = crate::exchange::read(dir)?;
    t.done();
    let mut tables = read.tables;
    tables.check_scorable()?;
    let t = crate::timing::Timer::start("measure");
    let metrics = match read.units {
        crate::exchange::Units::Engine { from_posts, style } => {
            let source = measure::FromPostsOf::Units {
                posts_read: read.posts_read,
                units: from_posts,
                style: &style,
            };
            measure::compute_from(&tables, params, source)?
        }
        crate::exchange::Units::Posts(set) => {
            measure::compute_from(&tables, params, measure::FromPostsOf::Posts(&set))?
        }
    };
    t.done();
    // Signal files are given beside the folder (`--signals`), read as any input is.
    if !load.signals.is_empty() {
        let signal_args = LoadArgs {
            signals: load.signals.clone(),
            ..LoadArgs::default()
        };
        let signal_tables = read_tables(&signal_args, Read::General)?;
        tables.inputs.extend(signal_tables.inputs);
        tables.warnings.extend(signal_tables.warnings);
    }
    with_signals_and_me(load, tables, metrics, &load.signals, release)
}

/// The rest of [`measured`]: demand signals and your own export, then what was learnt about the
/// inputs.
fn with_signals_and_me(
    load: &LoadArgs,
    mut tables: Tables,
    mut metrics: measure::Metrics,
    signal_files: &[PathBuf],
    release: Release,
) -> anyhow::Result<Measured> {
    // A platform given on the command line that niche does not know is most often a typo; the
    // files are still read with it (a platform of your own is allowed, on the reference's proxy).
    if let Some(given) = load.platform.as_deref() {
        let name = normalise::fields::platform_name(given).unwrap_or_default();
        if !normalise::fields::KNOWN_PLATFORMS.contains(&name.as_str()) {
            tables.warnings.push(normalise::report::Warning {
                path: None,
                line: None,
                message: {
                    let given = crate::text::sanitise_line(given);
                    let known = normalise::fields::KNOWN_PLATFORMS.join(", ");
                    let near = crate::text::nearest(&name, normalise::fields::KNOWN_PLATFORMS);
                    say(
                        format!(
                            "--platform {given:?} is not a platform niche knows ({known}){}",
                            near.map(|n| format!("; did you mean {n:?}?")).unwrap_or_default()
                        ),
                        format!(
                            "--platform {given:?} 不是 niche 认识的平台（{known}）{}",
                            near.map(|n| format!("；是不是 {n:?}？")).unwrap_or_default()
                        ),
                    )
                },
            });
        }
    }
    // Each demand-signal file's readings set the trend of the niches they name.
    for path in signal_files {
        let signals = normalise::signals::read(path)?;
        let file = path.display().to_string();
        if signals.unreadable > 0 {
            tables.warnings.push(normalise::report::Warning {
                path: Some(file.clone()),
                line: signals.first_unreadable.as_ref().map(|f| f.0),
                message: {
                    let n = signals.unreadable;
                    let first = signals.first_unreadable.as_ref().map(|(_, t)| crate::text::sanitise_line(t));
                    say(
                        format!(
                            "{n} row(s) of demand signals could not be read (a date or a value; `<1` is not a value) and were left out{}",
                            first.as_ref().map(|t| format!(", the first: {t:?}")).unwrap_or_default()
                        ),
                        format!(
                            "{n} 行需求信号无法读取（日期或数值；`<1` 不是数值），已略去{}",
                            first.as_ref().map(|t| format!("，第一行：{t:?}")).unwrap_or_default()
                        ),
                    )
                },
            });
        }
        let (notes, unmatched) = measure::signals::apply(&mut metrics, &signals, &file);
        tables.notes.extend(notes);
        // A keyword that matches no niche is most often a spelling of one: said where it is seen.
        for keyword in unmatched {
            let near = crate::text::nearest(&keyword, metrics.niches.iter().map(|n| n.niche.as_str()));
            tables.warnings.push(normalise::report::Warning {
                path: Some(file.clone()),
                line: None,
                message: {
                    let keyword = crate::text::sanitise_line(&keyword);
                    let near = near.map(crate::text::sanitise_line);
                    say(
                        format!(
                            "the demand signals for {keyword:?} match no niche by name and are not used{}",
                            near.as_ref()
                                .map(|n| format!("; did you mean {n:?}? (a keyword must be the niche's name)"))
                                .unwrap_or_default()
                        ),
                        format!(
                            "{keyword:?} 的需求信号按名称对不上任何赛道，未被使用{}",
                            near.as_ref()
                                .map(|n| format!("；是不是 {n:?}？（关键词必须是赛道的名称）"))
                                .unwrap_or_default()
                        ),
                    )
                },
            });
        }
    }
    // Your own export (`--me FILE`): read on its own, one account beside every niche.
    if let Some(path) = &load.me_file {
        let own_args = LoadArgs {
            posts: vec![path.clone()],
            ..LoadArgs::default()
        };
        let mut own = read_tables(&own_args, Read::General)?;
        let label = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
        metrics.me = measure::me::from_export(&mut own, &metrics, &label, load.platform.as_deref())?;
        for mut input in own.inputs {
            input.kind_reason = "your own posts (--me)".to_string();
            tables.inputs.push(input);
        }
        tables.warnings.extend(own.warnings);
        tables.notes.extend(own.notes);
    }
    let Tables {
        inputs,
        warnings,
        notes,
        accounts,
        posts,
        post_set,
        snapshots,
        ..
    } = tables;
    release.free((accounts, posts, post_set, snapshots));
    let about = AboutInputs {
        inputs,
        warnings,
        notes,
    };
    Ok(Measured {
        metrics,
        about_inputs: serde_json::to_string(&about).context("recording the inputs")?,
    })
}

/// Weigh, rank, add the profile's personal scores, and build the view model.
pub fn scored(measured: &Measured, model: &Model, profile: Option<Profile>) -> anyhow::Result<ScoreReport> {
    let n = model.bootstrap.resamples;
    crate::progress::phase(say(
        format!("scoring, {n} bootstrap resamples"),
        format!("正在评分，{n} 次自助重抽样"),
    ));
    let t = crate::timing::Timer::start("score + bootstrap");
    let mut scored = score::compute(&measured.metrics, &model.weights, &model.bootstrap);
    t.done();
    if let Some(profile) = profile {
        for n in &mut scored.niches {
            let reach = n
                .evidence
                .iter()
                .find(|e| e.sub_factor == "reach_per_post")
                .and_then(|e| e.scale);
            let mut personal = profile.personal(
                &n.metrics.niche,
                n.score,
                reach,
                n.metrics.hours_per_week,
                n.start_on.as_deref(),
                &n.metrics.platforms,
            );
            // The same formula over the market score's resamples.
            let drawn: Vec<f64> = n
                .draws
                .iter()
                .filter_map(|(s, r)| Some(profile.personal_score(personal.fit, (*s)?, *r)))
                .collect();
            let i = score::uncertainty::interval(&drawn, personal.score);
            personal.score_interval = i.low.zip(i.high).map(|(lo, hi)| [lo, hi]);
            n.personal = Some(personal);
        }
        scored.profile = Some(profile);
    }
    let mut about: AboutInputs =
        serde_json::from_str(&measured.about_inputs).context("reading back what was recorded about the inputs")?;
    // A profile's niche that no input has is most often a typo: its skill and interest would
    // silently go unused.
    if let Some(profile) = &scored.profile {
        let names = || scored.niches.iter().map(|n| n.metrics.niche.as_str());
        for name in profile.niche.keys().filter(|k| !names().any(|n| n == k.as_str())) {
            about.warnings.push(normalise::report::Warning {
                path: None,
                line: None,
                message: {
                    let name_shown = crate::text::sanitise_line(name);
                    let near = crate::text::nearest(name, names()).map(crate::text::sanitise_line);
                    say(
                        format!(
                            "the profile's [niche.{name_shown:?}] names no niche in the inputs, so its skill and interest are not used{}",
                            near.as_ref().map(|n| format!("; did you mean {n:?}?")).unwrap_or_default()
                        ),
                        format!(
                            "画像中的 [niche.{name_shown:?}] 对不上输入里的任何赛道，其技能与兴趣未被使用{}",
                            near.as_ref().map(|n| format!("；是不是 {n:?}？")).unwrap_or_default()
                        ),
                    )
                },
            });
        }
    }
    Ok(ScoreReport::new(scored, about.inputs, about.warnings, about.notes))
}

/// A profile's own hours per format replace the model's.
pub fn apply_profile_hours(model: &mut Model, profile: &Profile) {
    for (format, hours) in &profile.hours {
        model
            .params
            .hours
            .insert(normalise::fields::canonical_format(format), *hours);
    }
}
