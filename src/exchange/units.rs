//! The units tables an engine wrote, read back: each table's columns checked and cast to their
//! types, the units sorted by key (engines give rows in any order), the style counts per niche.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::parquet::{count, dtype, flags, ints, read_parquet, reals, texts};
use super::Col;
use crate::error::{Error, Result};
use crate::measure::style::StyleCounts;
use crate::measure::units::FromPosts;
use crate::normalise::posts::Key;

/// The Parquet files of the units table `name` in `dir`: `NAME.parquet`, or the visible
/// `*.parquet` files of a folder `NAME/` (as Spark writes them), by name; `None` where neither is.
pub fn files_of(dir: &Path, name: &str) -> Result<Option<(PathBuf, Vec<PathBuf>)>> {
    let file = dir.join(format!("{name}.parquet"));
    let folder = dir.join(name);
    if file.is_file() {
        return Ok(Some((file.clone(), vec![file])));
    }
    if !folder.is_dir() {
        return Ok(None);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&folder).map_err(|e| Error::io(&folder, e))? {
        let p = entry.map_err(|e| Error::io(&folder, e))?.path();
        let visible = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.starts_with(['.', '_']));
        if visible && p.extension().is_some_and(|e| e == "parquet") {
            files.push(p);
        }
    }
    files.sort();
    Ok(Some((folder, files)))
}

/// A units table, from `DIR/NAME.parquet` or the Parquet files of a folder `DIR/NAME/` (as
/// Spark writes them), with its columns checked and cast to their types.
pub fn table(dir: &Path, name: &str, cols: &[Col]) -> Result<(PathBuf, DataFrame)> {
    let Some((path, files)) = files_of(dir, name)? else {
        return Err(Error::file(
            dir,
            format!("there is no units table `{name}` here ({name}.parquet, or a folder {name}/ of Parquet files)"),
            "run the SQL that `niche sql` prints over this folder first",
        ));
    };
    let mut frame: Option<DataFrame> = None;
    for f in &files {
        let mut part = read_parquet(f)?;
        let mut typed = Vec::with_capacity(cols.len());
        for c in cols {
            let column = part.column(c.name).map_err(|_| {
                Error::file(
                    f,
                    format!("the units table `{name}` has no column `{}`", c.name),
                    "run the SQL that this niche's `niche sql` prints (another version's tables differ)",
                )
            })?;
            let want = dtype(c.ty);
            let cast = column.cast(&want).map_err(|e| {
                Error::file(
                    f,
                    format!("column `{}` of `{name}` is not {want}: {e}", c.name),
                    "run the SQL that `niche sql` prints unchanged",
                )
            })?;
            if !c.nullable && cast.null_count() > 0 {
                return Err(Error::file(
                    f,
                    format!(
                        "column `{}` of `{name}` has {} empty value(s); it may have none",
                        c.name,
                        cast.null_count()
                    ),
                    "run the SQL that `niche sql` prints unchanged",
                ));
            }
            typed.push(cast);
        }
        part = DataFrame::new(part.height(), typed)?;
        match &mut frame {
            Some(all) => {
                all.vstack_mut_owned(part)?;
            }
            None => frame = Some(part),
        }
    }
    let frame = match frame {
        Some(f) => f,
        None => DataFrame::new(
            0,
            cols.iter()
                .map(|c| Column::new_empty(c.name.into(), &dtype(c.ty)))
                .collect(),
        )?,
    };
    Ok((path, frame))
}

/// The keys of a units table, row by row.
fn keys(f: &DataFrame) -> Result<Vec<Key>> {
    let (n, p, a) = (texts(f, "niche")?, texts(f, "platform")?, texts(f, "account")?);
    Ok((0..f.height())
        .map(|i| {
            (
                n[i].unwrap_or_default().to_string(),
                p[i].unwrap_or_default().to_string(),
                a[i].map(str::to_string),
            )
        })
        .collect())
}

/// Units from the `units`, `unit_weeks` and `unit_formats` tables, sorted by key (engines give
/// rows in any order).
pub fn from_posts(
    (units_path, units): (PathBuf, DataFrame),
    weeks: (PathBuf, DataFrame),
    formats: (PathBuf, DataFrame),
) -> Result<Vec<FromPosts>> {
    let u = &units;
    let standalone = flags(u, "standalone")?;
    let int = |name: &str| ints(u, name);
    let real = |name: &str| reals(u, name);
    let (posts, known, total, median, max) = (
        int("posts")?,
        int("engagement_known")?,
        real("engagement_total")?,
        real("engagement_median")?,
        real("engagement_max")?,
    );
    let (views, er, s_known, s_yes, s_med, o_med) = (
        real("views_median")?,
        real("er_views_median")?,
        int("sponsored_known")?,
        int("sponsored_yes")?,
        real("sponsored_median")?,
        real("organic_median")?,
    );
    let (censored, price, first, last, dated) = (
        int("censored")?,
        real("price_median")?,
        int("first_at")?,
        int("last_at")?,
        int("dated")?,
    );
    let mut out: Vec<FromPosts> = Vec::with_capacity(u.height());
    for (i, key) in keys(u)?.into_iter().enumerate() {
        out.push(FromPosts {
            standalone: standalone[i] == Some(true),
            posts: count(posts[i]),
            engagement_known: count(known[i]),
            engagement_total: total[i],
            engagement_median: median[i],
            engagement_max: max[i],
            views_median: views[i],
            er_views_median: er[i],
            sponsored_known: count(s_known[i]),
            sponsored_yes: count(s_yes[i]),
            sponsored_median: s_med[i],
            organic_median: o_med[i],
            censored: count(censored[i]),
            price_median: price[i],
            first_at: first[i],
            last_at: last[i],
            dated: count(dated[i]),
            weekly: Vec::new(),
            formats: BTreeMap::new(),
            key,
        });
    }
    // Weeks and formats to their units, found by the key's text as the tables hold it.
    let (un, up, ua) = (texts(u, "niche")?, texts(u, "platform")?, texts(u, "account")?);
    let mut index: foldhash::HashMap<(&str, &str, &str), usize> = foldhash::HashMap::default();
    for i in 0..u.height() {
        index.insert(
            (
                un[i].unwrap_or_default(),
                up[i].unwrap_or_default(),
                ua[i].unwrap_or_default(),
            ),
            i,
        );
    }
    let unit_of = |(path, f): &(PathBuf, DataFrame), name: &str| -> Result<Vec<usize>> {
        let (n, p, a) = (texts(f, "niche")?, texts(f, "platform")?, texts(f, "account")?);
        (0..f.height())
            .map(|i| {
                let key = (
                    n[i].unwrap_or_default(),
                    p[i].unwrap_or_default(),
                    a[i].unwrap_or_default(),
                );
                index.get(&key).copied().ok_or_else(|| {
                    Error::file(
                        path,
                        format!(
                            "`{name}` names a unit ({}, {}, {}) that `units` does not hold",
                            key.0, key.1, key.2
                        ),
                        "run the SQL that `niche sql` prints unchanged, once, into an empty units/ folder",
                    )
                })
            })
            .collect()
    };
    let at = unit_of(&weeks, "unit_weeks")?;
    let (w, m) = (ints(&weeks.1, "week")?, reals(&weeks.1, "median_log_ratio")?);
    for (i, &k) in at.iter().enumerate() {
        if let (Some(w), Some(m)) = (w[i], m[i]) {
            out[k].weekly.push((w, m));
        }
    }
    let at = unit_of(&formats, "unit_formats")?;
    let (f, c) = (texts(&formats.1, "format")?, ints(&formats.1, "posts")?);
    for (i, &k) in at.iter().enumerate() {
        if let Some(f) = f[i] {
            *out[k].formats.entry(f.to_string()).or_default() += count(c[i]);
        }
    }
    for u in &mut out {
        u.weekly.sort_by_key(|x| x.0);
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    if let Some(w) = out.windows(2).find(|w| w[0].key == w[1].key) {
        return Err(Error::file(
            units_path,
            format!(
                "the unit ({}, {}, {}) is listed twice",
                w[0].key.0,
                w[0].key.1,
                w[0].key.2.as_deref().unwrap_or("")
            ),
            "run the SQL that `niche sql` prints unchanged, once, into an empty units/ folder",
        ));
    }
    Ok(out)
}

/// Style counts per niche from the `style_traits` and `style_tags` tables.
pub fn style_counts(
    (traits_path, traits): (PathBuf, DataFrame),
    (_, tags): (PathBuf, DataFrame),
) -> Result<BTreeMap<String, StyleCounts>> {
    let mut out: BTreeMap<String, StyleCounts> = BTreeMap::new();
    let (n, t, posts, top) = (
        texts(&traits, "niche")?,
        ints(&traits, "trait")?,
        ints(&traits, "posts")?,
        ints(&traits, "top_posts")?,
    );
    let (all, in_top) = (ints(&traits, "in_all")?, ints(&traits, "in_top")?);
    for i in 0..traits.height() {
        let k = t[i]
            .and_then(|k| usize::try_from(k).ok())
            .filter(|k| *k < 5)
            .ok_or_else(|| {
                Error::file(
                    &traits_path,
                    format!("trait {:?} is not one of 0 to 4", t[i]),
                    "run the SQL that `niche sql` prints unchanged",
                )
            })?;
        let c = out.entry(n[i].unwrap_or_default().to_string()).or_default();
        (c.posts, c.top_posts) = (count(posts[i]), count(top[i]));
        c.traits[k] = (count(all[i]), count(in_top[i]));
    }
    let (n, tag, all, in_top) = (
        texts(&tags, "niche")?,
        texts(&tags, "tag")?,
        ints(&tags, "in_all")?,
        ints(&tags, "in_top")?,
    );
    for i in 0..tags.height() {
        if let (Some(c), Some(tag)) = (out.get_mut(n[i].unwrap_or_default()), tag[i]) {
            c.tags.insert(tag.to_string(), (count(all[i]), count(in_top[i])));
        }
    }
    Ok(out)
}
