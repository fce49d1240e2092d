//! The command line: `niche score` and `niche inspect`, with the load options they share.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lang::Lang;
pub use crate::pipeline::LoadArgs;

#[derive(Debug, Parser)]
#[command(
    name = "niche",
    version,
    about = "Which niche (赛道) to enter, on which platform, and why: demand × business × traffic from your exports",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Language of the table, notes, warnings, errors and report: en or zh (中文). Default: the
    /// locale's (LC_ALL, LC_MESSAGES, LANG: zh_* is Chinese), else en.
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score niches from account lists, post lists and follower snapshots; print a ranked table.
    Score(ScoreArgs),
    /// Look inside one niche: its factors with their evidence, its breakout posts and the
    /// accounts behind it (the same inputs and options as `score`).
    Show(ShowArgs),
    /// One account against each niche it posts in: where it stands among their accounts and
    /// those of its size, its best and worst posts, its trend (the view `--me` builds).
    Account(AccountArgs),
    /// Redraw a report folder's page and charts from its report.json (e.g. in another language).
    Report(ReportArgs),
    /// Write a saved analysis, ./niche.toml, listing your inputs with every setting and its default.
    Init(InitArgs),
    /// Run the saved analysis: score, write the report and keep the run; only what changed is recomputed.
    Run(RunArgs),
    /// What changed between two runs of the saved analysis (default: the last two).
    Diff(DiffArgs),
    /// Show what was recognised in each file: kind, encoding, delimiter, column mapping, problems.
    Inspect(InspectArgs),
    /// Write synthetic accounts, posts and snapshots with planted niche properties (seeded).
    Gen(GenArgs),
    /// Print the model settings with their defaults, as a TOML file to edit and pass with --config.
    Config,
    /// The reference scales niches are judged against: `niche reference build` fits your own.
    Reference(ReferenceArgs),
    /// Write the inputs as the tables the method reads (Parquet), for the units SQL of `niche sql`.
    Normalise(NormaliseArgs),
    /// Print the units step as SQL for an engine (DuckDB, Spark, DataFusion, Trino).
    Sql(SqlArgs),
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish); README says
    /// where to put it.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print niche's man page (roff): `niche man > ~/.local/share/man/man1/niche.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct NormaliseArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// The folder to write posts/, accounts/, snapshots/ and about/ into (one file each per run).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// This run's number, when several machines each normalise part of a crawl into one folder:
    /// where two parts hold the same post, the lower part's row is kept. Give the account list to every part.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub part: u64,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The engine's dialect.
    #[arg(long, value_enum, required_unless_present = "schema")]
    pub dialect: Option<crate::exchange::sql::Dialect>,
    /// The folder `niche normalise` wrote, as the engine sees it (a path or a URL such as s3://bucket/crawl).
    #[arg(value_name = "DIR", required_unless_present = "schema")]
    pub dir: Option<String>,
    /// Print the tables' columns, types and meanings (Markdown) instead: the contract the SQL
    /// reads and writes.
    #[arg(long, conflicts_with_all = ["dialect", "dir"])]
    pub schema: bool,
}

#[derive(Debug, Args)]
pub struct ReferenceArgs {
    #[command(subcommand)]
    pub command: ReferenceCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReferenceCommand {
    /// Fit a reference from a panel of accounts (e.g. a full crawl of a platform) and write it as TOML.
    Build(ReferenceBuildArgs),
}

#[derive(Debug, Args)]
pub struct ReferenceBuildArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Where to write the reference (TOML).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    /// The reference to start from (its money facts, wages and the platforms the panel lacks). Default: the built-in one.
    #[arg(long, value_name = "FILE")]
    pub base: Option<PathBuf>,
    /// A name for it, repeated in every output that uses it.
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// The period the panel covers, e.g. 2026-11 (written beside every fitted value).
    #[arg(long, value_name = "TEXT", default_value = "not stated")]
    pub date: String,
    /// Instead of fitting a panel, save the reference as `niche score` calibrates it from these
    /// files (method 2.1): scored against it next month, a niche depends on its own rows alone.
    #[arg(long)]
    pub calibrated: bool,
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// The folder to write accounts.csv, posts.csv, snapshots.csv and truth.json into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Seed for the random numbers: the same seed and sizes give the same bytes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of niches (up to 16 have names; more are numbered).
    #[arg(long, default_value_t = 8)]
    pub niches: usize,
    /// Number of accounts.
    #[arg(long, default_value_t = 400)]
    pub accounts: usize,
    /// Number of posts.
    #[arg(long, default_value_t = 20_000)]
    pub posts: usize,
    /// Weeks of posting history.
    #[arg(long, default_value_t = 26)]
    pub weeks: u32,
    /// The order of the post rows: `crawl` interleaves accounts as a search crawl does,
    /// `grouped` keeps each account's posts together.
    #[arg(long, value_enum, default_value_t = crate::generate::Order::Crawl)]
    pub order: crate::generate::Order,
    /// The layout of posts.csv: `canonical`, or `messy` as crawler and dashboard exports are
    /// (Chinese headers, 万/k units, 是/否, a banner, a 合计 row, a niche column, duplicates).
    #[arg(long, value_enum, default_value_t = crate::generate::Layout::Canonical)]
    pub layout: crate::generate::Layout,
    /// What the files plant: `measures` (each measure per niche, spread evenly) or `confounded`
    /// (a latent demand, business and traffic per niche seen through realistic confounders; truth.json
    /// holds D, B, T and W = D × B × T).
    #[arg(long, value_enum, default_value_t = crate::generate::World::Measures)]
    pub world: crate::generate::World,
    /// Platforms per niche (`measures` world): 1-2 as the sample has them, up to 7 for a crawl
    /// with many niche × platform pairs.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub platforms: usize,
    /// Replace the files a previous `niche gen` (or anything else) left in --out.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ScoreFormat {
    /// A ranked table for the terminal.
    #[default]
    Table,
    /// One row per niche, every metric as a column.
    Csv,
    /// One object: method version, inputs, warnings and the ranked niches.
    Json,
    /// The CSV's rows as a workbook (numbers as numbers, the header frozen); needs --output.
    Xlsx,
}

#[derive(Debug, Clone, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,
    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Model settings (TOML): weights, thresholds, bootstrap, CPM, hours. `niche config` prints the defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Your profile (TOML): hours, skills and interest per niche, platforms, channels. Adds a personal score.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Your account: an id or name in the inputs, or a file of your own posts (a creator-centre export: 笔记列表明细表.xlsx, 抖音作品列表, B站 近期稿件对比.csv, YouTube Studio, X analytics …). Measured apart (never a competitor) and set beside each niche's accounts.
    #[arg(long, value_name = "ACCOUNT|FILE")]
    pub me: Option<String>,
    /// Your follower count, for `--me FILE` (creator-centre exports do not state it): your engagement rate, tier and views per follower are measured on it.
    #[arg(long, value_name = "N")]
    pub me_followers: Option<f64>,
    /// Reference scales to judge niches against (TOML; `niche reference build` makes one); overrides the config's. Default: the built-in one.
    #[arg(long, value_name = "FILE")]
    pub reference: Option<PathBuf>,
    /// Bootstrap resamples for the intervals (0 turns them off); overrides the config.
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,
    /// Seed for the bootstrap; overrides the config.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Also write a report folder: report.html (one offline file), charts/*.png, report.json, scores.csv.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Show the N best niches in the table (0: all; CSV, JSON and the report keep every niche).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Leave out niches with fewer than N accounts (as niche.toml's filters.min_accounts).
    #[arg(long, value_name = "N")]
    pub min_accounts: Option<u64>,
    /// Score from a folder `niche normalise` wrote, after the SQL of `niche sql` wrote its units/
    /// (instead of input files; --signals and --me FILE may be given beside it).
    #[arg(long, value_name = "DIR")]
    pub units: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The niche to look inside, by its name in the inputs.
    #[arg(value_name = "NICHE")]
    pub niche: String,
    #[command(flatten)]
    pub score: ScoreArgs,
}

#[derive(Debug, Args)]
pub struct AccountArgs {
    /// The account: its id or its name in the inputs.
    #[arg(value_name = "ACCOUNT")]
    pub account: String,
    #[command(flatten)]
    pub score: ScoreArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// An input file or glob (repeatable), relative to where niche.toml will be.
    #[arg(long = "input", value_name = "FILE")]
    pub inputs: Vec<String>,
    /// Where to write the analysis.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "niche.toml")]
    pub output: PathBuf,
    /// The report's name: reports go to reports/NAME/.
    #[arg(long, value_name = "NAME", default_value = "my-niches")]
    pub name: String,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The saved analysis to run.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Override a setting for this run only, e.g. --set model.weights.audience=0.5 (repeatable; recorded in the run).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Keep running: rerun when niche.toml or an input changes; the open report reloads itself.
    #[arg(long)]
    pub watch: bool,
    /// Print only the run summary, not the ranking table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run (default: the one before B).
    #[arg(value_name = "A")]
    pub a: Option<u64>,
    /// The later run (default: the last).
    #[arg(value_name = "B")]
    pub b: Option<u64>,
    /// The saved analysis whose runs to compare.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A report folder written by `niche score --report DIR`, or its report.json.
    #[arg(value_name = "DIR|report.json")]
    pub source: PathBuf,
    /// Write the page and charts (and a copy of report.json) to DIR instead of beside report.json.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum InspectFormat {
    /// Readable text.
    #[default]
    Text,
    /// One JSON object per run, for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    pub format: InspectFormat,
    /// Inspect a folder `niche normalise` wrote (its parts' inputs and warnings, and the units
    /// tables an engine has written) instead of input files.
    #[arg(long, value_name = "DIR")]
    pub units: Option<PathBuf>,
}
