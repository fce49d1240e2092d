//! `niche normalise`'s output: the tables the reading stage made, as Parquet, and what it learnt
//! about the inputs, as JSON, one file of each per run (a part).

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::parquet::write_parquet;
use super::{About, POSTS};
use crate::error::{Error, Result};
use crate::normalise::posts::WEEK;
use crate::normalise::store::{PostStore, PostView};
use crate::normalise::title::TRAITS;
use crate::normalise::Tables;

/// Write the normalised tables of one run into `dir`: `posts/`, `accounts/`, `snapshots/`
/// (Parquet) and `about/` (JSON), each as `part-P`. `inputs` are never written over.
pub fn write(tables: &Tables, dir: &Path, part: u64, inputs: &[PathBuf]) -> Result<()> {
    let name = format!("part-{part}");
    // Units an engine wrote were for the posts as they were: with this part's they are stale, and
    // `niche score --units` would read them as if they were not. They go.
    let units = dir.join("units");
    let mut stale: Vec<&str> = Vec::new();
    for (table, _) in super::UNIT_TABLES {
        if super::units::files_of(&units, table)?.is_some() {
            stale.push(table);
        }
    }
    for table in &stale {
        crate::output::remove_file(&units.join(format!("{table}.parquet")))?;
        crate::output::remove_dir(&units.join(table))?;
    }
    if !stale.is_empty() {
        crate::output::note(&format!(
            "removed the units tables in {} (written for the posts before this part): run the SQL of `niche sql` again",
            units.display()
        ));
    }
    // Where the engine writes its tables (some engines do not create folders).
    crate::output::create_dir(&units)?;
    let mut posts = posts_frame(&tables.posts, part)?;
    write_parquet(&dir.join("posts").join(format!("{name}.parquet")), &mut posts, inputs)?;
    let mut accounts = tables.accounts.clone();
    write_parquet(
        &dir.join("accounts").join(format!("{name}.parquet")),
        &mut accounts,
        inputs,
    )?;
    let mut snapshots = tables.snapshots.clone();
    write_parquet(
        &dir.join("snapshots").join(format!("{name}.parquet")),
        &mut snapshots,
        inputs,
    )?;
    let about = About {
        method: crate::method::METHOD_VERSION.to_string(),
        part,
        posts_read: tables.posts.len(),
        inputs: tables.inputs.clone(),
        warnings: tables.warnings.clone(),
        notes: tables.notes.clone(),
        present: tables.present.iter().copied().collect(),
        multi_niche_posts: tables.multi_niche_posts,
        posts_in_other_niches: tables
            .posts_in_other_niches
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
    };
    let json = serde_json::to_vec_pretty(&about).map_err(|e| Error::Internal {
        stage: "normalise",
        message: e.to_string(),
    })?;
    crate::output::write_file(&dir.join("about").join(format!("{name}.json")), &json, inputs)
}

/// One value of every post of a store, in order (a pass over the store; no row of views is held).
fn each<'a, T>(store: &'a PostStore, f: impl Fn(PostView<'a>) -> T) -> Vec<T> {
    (0..store.len()).map(|i| f(store.get(i))).collect()
}

/// The posts table ([`POSTS`]) of a post store, column by column.
fn posts_frame(store: &PostStore, part: u64) -> Result<DataFrame> {
    let n = store.len();
    let trait_of = |k: usize| each(store, |v| v.traits.is_some_and(|t| t[k]));
    let mut tags = ListStringChunkedBuilder::new("tags".into(), n, n);
    for i in 0..n {
        match store.get(i).tags {
            Some(t) => {
                let split = crate::normalise::title::split_tags(t);
                tags.append_values_iter(split.iter().map(String::as_str));
            }
            None => tags.append_null(),
        }
    }
    let mut columns = vec![
        Column::new("part".into(), vec![part as i64; n]),
        Column::new("seq".into(), (0..n as i64).collect::<Vec<i64>>()),
        Column::new("niche".into(), each(store, |v| v.group.niche.as_deref())),
        Column::new("platform".into(), each(store, |v| v.group.platform.as_str())),
        Column::new("account".into(), each(store, |v| v.group.account.as_deref())),
        Column::new("post".into(), each(store, |v| v.post)),
        Column::new("published_at".into(), each(store, |v| v.at)),
        // As `Post` keeps it: a week beyond 32 bits is no week.
        Column::new(
            "week".into(),
            each(store, |v| {
                v.at.map(|t| t.div_euclid(WEEK)).filter(|w| i32::try_from(*w).is_ok())
            }),
        ),
        Column::new("engagement".into(), each(store, |v| v.engagement)),
        Column::new("views".into(), each(store, |v| v.views)),
        Column::new("sponsored".into(), each(store, |v| v.sponsored)),
        Column::new("censored".into(), each(store, |v| v.censored)),
        // A price counts for an account; a post without one is a unit of its own.
        Column::new(
            "price".into(),
            each(store, |v| v.price.filter(|_| v.group.account.is_some())),
        ),
        Column::new("format".into(), each(store, |v| v.format)),
        Column::new("has_text".into(), each(store, |v| v.traits.is_some())),
    ];
    columns.extend(
        TRAITS
            .iter()
            .enumerate()
            .map(|(k, name)| Column::new((*name).into(), trait_of(k))),
    );
    columns.push(tags.finish().into_column());
    if !columns
        .iter()
        .map(|c| c.name().as_str())
        .eq(POSTS.iter().map(|c| c.name))
    {
        return Err(Error::Internal {
            stage: "normalise",
            message: "the posts table's columns are not those of exchange::POSTS".to_string(),
        });
    }
    Ok(DataFrame::new(n, columns)?)
}
