//! A folder `niche normalise` wrote, read back for `niche score --units`: the parts' account
//! rows, snapshots and what was learnt about the inputs, and the units an engine wrote (or, where
//! none has, the posts).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::parquet::read_parquet;
use super::{About, UNIT_TABLES};
use crate::error::{Error, Result};
use crate::measure::style::StyleCounts;
use crate::measure::units::FromPosts;
use crate::normalise::posts::PostSet;
use crate::normalise::store::PostStore;
use crate::normalise::Tables;

/// What `niche score --units DIR` measures from: the tables rebuilt from the parts (account rows,
/// snapshots and what was learnt about the inputs) and the units tables an engine wrote, or,
/// where none has, the posts.
pub struct Normalised {
    pub tables: Tables,
    /// Posts read in every part, with or without a niche.
    pub posts_read: usize,
    pub units: Units,
}

/// Where the units' post numbers come from.
pub enum Units {
    /// An engine's units tables: every unit's numbers from its posts, in key order, and the style counts.
    Engine {
        from_posts: Vec<FromPosts>,
        style: BTreeMap<String, StyleCounts>,
    },
    /// No engine has run: the posts, for the units step here.
    Posts(PostSet),
}

/// Read a folder written by `niche normalise` (one or more parts) and the units tables in its
/// `units/` folder.
pub fn read(dir: &Path) -> Result<Normalised> {
    let (tables, parts_of, posts_read) = read_parts(dir)?;
    let units_dir = dir.join("units");
    if units_written(dir)?.iter().all(|(_, rows)| rows.is_none()) {
        // No engine has run: the units step runs here, over the posts.
        crate::output::note(&format!(
            "{} holds no units tables: the units step runs here, over {}",
            units_dir.display(),
            dir.join("posts").display()
        ));
        let set = super::posts::post_set(dir, &parts_of, posts_read)?;
        return Ok(Normalised {
            tables,
            posts_read,
            units: Units::Posts(set),
        });
    }
    let [units, weeks, formats, traits, tags] =
        UNIT_TABLES.map(|(name, cols)| super::units::table(&units_dir, name, cols));
    let from_posts = super::units::from_posts(units?, weeks?, formats?)?;
    let style = super::units::style_counts(traits?, tags?)?;
    Ok(Normalised {
        tables,
        posts_read,
        units: Units::Engine { from_posts, style },
    })
}

/// The `part-*.EXT` files of a folder, by name.
fn parts_in(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("part-") && path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The parts of a folder `niche normalise` wrote: their account rows and snapshots, and what was
/// learnt about their inputs, as tables (without posts); the parts' numbers; the posts read.
pub fn read_parts(dir: &Path) -> Result<(Tables, Vec<u64>, usize)> {
    let about_dir = dir.join("about");
    let parts = parts_in(&about_dir, "json").map_err(|e| match e {
        Error::Io { path, io, .. } if io.kind() == std::io::ErrorKind::NotFound => Error::file(
            path,
            "this is not a folder `niche normalise` wrote: it has no about/ folder",
            "run `niche normalise FILE... --out DIR` first, then the SQL of `niche sql`, and pass that DIR",
        ),
        e => e,
    })?;
    if parts.is_empty() {
        return Err(Error::file(
            &about_dir,
            "no part-*.json here: nothing was normalised into this folder",
            "run `niche normalise FILE... --out DIR` first",
        ));
    }
    let mut abouts: Vec<(u64, PathBuf, About)> = Vec::new();
    for path in parts {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let about: About = serde_json::from_slice(&bytes).map_err(|e| {
            Error::file(
                &path,
                format!("not a description `niche normalise` writes: {e}"),
                "normalise the inputs again into a fresh folder",
            )
        })?;
        if about.method != crate::method::METHOD_VERSION {
            return Err(Error::file(
                &path,
                format!(
                    "written for method {}, and this niche runs method {}",
                    about.method,
                    crate::method::METHOD_VERSION
                ),
                "normalise the inputs again with this niche, and run its `niche sql` again",
            ));
        }
        abouts.push((about.part, path, about));
    }
    abouts.sort_by_key(|a| a.0);
    for w in abouts.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(Error::file(
                &w[1].1,
                format!("part {} is here twice", w[0].0),
                "give each run of `niche normalise` its own --part",
            ));
        }
    }
    let mut accounts: Option<DataFrame> = None;
    let mut snapshots: Option<DataFrame> = None;
    let tables_of = |folder: &str, part: u64, into: &mut Option<DataFrame>| -> Result<()> {
        let path = dir.join(folder).join(format!("part-{part}.parquet"));
        let frame = read_parquet(&path)?;
        match into {
            Some(all) => {
                all.vstack_mut_owned(frame).map_err(|e| {
                    Error::file(
                        &path,
                        format!("its columns are not those of the other parts: {e}"),
                        "normalise every part with the same niche",
                    )
                })?;
            }
            None => *into = Some(frame),
        }
        Ok(())
    };
    let (mut inputs, mut warnings, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    let mut present = BTreeSet::new();
    let (mut multi, mut other_niches, mut posts_read) = (0, HashMap::<String, u64>::new(), 0);
    let parts_of: Vec<u64> = abouts.iter().map(|a| a.0).collect();
    for (part, _, about) in abouts {
        tables_of("accounts", part, &mut accounts)?;
        tables_of("snapshots", part, &mut snapshots)?;
        inputs.extend(about.inputs);
        warnings.extend(about.warnings);
        notes.extend(about.notes);
        present.extend(about.present);
        multi += about.multi_niche_posts;
        posts_read += about.posts_read;
        for (n, c) in about.posts_in_other_niches {
            *other_niches.entry(n).or_default() += c;
        }
    }
    let tables = Tables {
        accounts: accounts.unwrap_or_default(),
        posts: PostStore::default(),
        post_set: None,
        snapshots: snapshots.unwrap_or_default(),
        inputs,
        warnings,
        present,
        multi_niche_posts: multi,
        posts_in_other_niches: other_niches,
        notes,
    };
    Ok((tables, parts_of, posts_read))
}

/// Each units table and its rows, where an engine has written it (`None`: not written).
pub fn units_written(dir: &Path) -> Result<Vec<(&'static str, Option<usize>)>> {
    let units_dir = dir.join("units");
    let mut out = Vec::with_capacity(UNIT_TABLES.len());
    for (name, _) in UNIT_TABLES {
        let rows = match super::units::files_of(&units_dir, name)? {
            None => None,
            Some((_, files)) => {
                let mut rows = 0;
                for f in files {
                    rows += super::parquet::rows_of(&f)?;
                }
                Some(rows)
            }
        };
        out.push((name, rows));
    }
    Ok(out)
}
