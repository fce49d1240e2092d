//! Glue: one file per subcommand. Each turns arguments into stage calls and hands bytes to
//! [`crate::output`]; the logic worth testing lives in the stages.

pub mod diff;
pub mod gen;
pub mod init;
pub mod inspect;
pub mod report;
pub mod run;
pub mod score;

use std::path::PathBuf;

use crate::cli::LoadArgs;
use crate::error::{Error, Result};
use crate::load::{self, ReadOptions};
use crate::normalise::fields::Field;
use crate::normalise::mapping::{Kind, Override};
use crate::normalise::{self, Input, Tables};

/// Every input path with its declared kind, in the order given.
pub fn inputs(args: &LoadArgs) -> Vec<(PathBuf, Option<Kind>)> {
    let mut out: Vec<(PathBuf, Option<Kind>)> = args.files.iter().map(|p| (p.clone(), None)).collect();
    out.extend(args.accounts.iter().map(|p| (p.clone(), Some(Kind::Accounts))));
    out.extend(args.posts.iter().map(|p| (p.clone(), Some(Kind::Posts))));
    out.extend(args.snapshots.iter().map(|p| (p.clone(), Some(Kind::Snapshots))));
    out
}

/// `--map` and `--niche-column` as overrides.
pub fn overrides(args: &LoadArgs) -> Result<Vec<Override>> {
    let mut out = Vec::new();
    for m in &args.map {
        let Some((field, column)) = m.split_once('=') else {
            return Err(Error::usage(
                format!("--map {m:?} is not of the form FIELD=COLUMN"),
                "write it like --map followers=粉丝量",
            ));
        };
        let field = Field::from_name(field).ok_or_else(|| {
            Error::usage(
                format!("--map {m:?}: there is no field named {field:?}"),
                format!("use one of: {}", Field::ALL.map(Field::name).join(", ")),
            )
        })?;
        if column.trim().is_empty() {
            return Err(Error::usage(
                format!("--map {m:?} names no column"),
                "write it like --map followers=粉丝量",
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
pub fn read_tables(args: &LoadArgs, fast: bool) -> Result<Tables> {
    let paths = inputs(args);
    if paths.is_empty() {
        return Err(Error::usage(
            "no input files were given",
            "pass one or more exports, e.g. `niche score accounts.csv posts.csv`",
        ));
    }
    let encoding = match &args.encoding {
        Some(label) => Some(load::encoding_for_label(label).ok_or_else(|| {
            Error::usage(
                format!("--encoding {label:?} is not an encoding this tool knows"),
                "try --encoding utf-8, gbk or gb18030",
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
    };
    if fast {
        if let Some(tables) = normalise::fast::try_read(&paths, &normalise_options, &options) {
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
    normalise::apply(raw, &normalise_options)
}
