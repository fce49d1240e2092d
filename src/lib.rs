//! `niche` tells a creator which niche (赛道) to enter, on which platform, and why.
//!
//! The program is a pipeline; each stage hands the next a distinct type, so the order is kept by
//! the compiler:
//!
//! 1. [`load`]: bytes on disk -> [`load::RawTable`] (encodings, delimiters, workbooks, JSON, banner
//!    and total rows).
//! 2. [`normalise`]: raw tables -> [`normalise::Tables`] (column aliases, units, dates, missing
//!    values, duplicates; the accounts and snapshots as Polars frames, the posts as a store of
//!    typed columns grouped by account, [`normalise::posts::PostSet`]).
//! 3. [`measure`]: tables -> [`measure::Metrics`] (per-account and per-niche numbers; pure).
//! 4. [`score`]: metrics -> [`score::Scored`] (demand × business × traffic; pure), with the
//!    settings it reads ([`profile`], then [`config`]).
//! 5. [`report`]: scored data -> bytes (terminal table, CSV, JSON, HTML, PNG).
//!
//! On top: [`pipeline`] runs the stages end to end; [`analysis`] (saved analyses, caching, reruns)
//! and [`commands`] (one file per subcommand of [`cli`], the command line) call it.
//!
//! Below every stage, leaves that import nothing above them: [`text`] (text from inputs made safe
//! to show), [`lang`] (the language of the run: what the terminal says is worded in it), [`error`], [`civil`] (calendar days), [`par`] (work across cores), [`output`] (the only
//! module that writes files), [`progress`], [`timing`], [`method`] (the version of METHOD.md that
//! every output repeats), [`reference`] (the scales a niche is judged against), [`rng`] and the cache's labels.
//!
//! **The import rule.** A module may use the modules listed before it in the order above (leaves,
//! then load, normalise, measure, profile, score, report, config, pipeline, analysis, generate, cli,
//! commands) and never one after it: imports point down the pipeline. `tests/cli/imports.rs`
//! checks every `crate::` path in `src/` against this order, so the rule stays true. Inside a folder
//! the same holds between files: no two import each other, directly or round a circle (a type two
//! files share sits in a file below both, e.g. `normalise/records.rs`, `measure/params.rs`); the
//! same test checks it. lib.rs declares modules and nothing else.

pub mod text;
pub mod lang;
pub mod error;
pub mod method;
pub mod reference;
pub mod rng;
mod statics;
pub mod civil;
pub mod par;
pub mod progress;
pub mod output;
pub mod timing;

pub mod load;
pub mod normalise;
pub mod measure;
pub mod profile;
pub mod score;
pub mod report;
pub mod config;
/// The canonical tables as Parquet and the units step as SQL, for engines on many machines.
pub mod exchange;

pub mod pipeline;
/// Saved analyses (niche.toml), the stage cache and the run log.
pub mod analysis;
/// Synthetic inputs with planted truth, for tests and benchmarks.
pub mod generate;
pub mod cli;
pub mod commands;

pub use error::{Error, Result};
