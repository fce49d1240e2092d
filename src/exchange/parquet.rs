//! The exchanged tables as Parquet: the normalised tables written ([`write`]), the units tables
//! an engine wrote read back ([`read`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;
use polars_io::parquet::read::ParquetReader;
use polars_io::parquet::write::{ParquetCompression, ParquetWriter};
use polars_io::SerReader;
use serde::{Deserialize, Serialize};

use super::{Col, Type, POSTS, UNIT_TABLES};
use crate::error::{Error, Result};
use crate::measure::style::StyleCounts;
use crate::measure::units::FromPosts;
use crate::normalise::fields::Field;
use crate::normalise::mapping::Kind;
use crate::normalise::posts::{standalone_key, Key, Post, PostSet, UnitPosts, WEEK};
use crate::normalise::report::{InputReport, Warning};
use crate::normalise::store::PostStore;
use crate::normalise::title::TRAITS as TRAIT_NAMES;
use crate::normalise::Tables;

/// What a run learnt about its inputs, beside its tables (`about/part-P.json`).
#[derive(Serialize, Deserialize)]
struct About {
    /// The method whose units these tables are for; another version's are refused.
    method: String,
    part: u64,
    posts_read: usize,
    inputs: Vec<InputReport>,
    warnings: Vec<Warning>,
    notes: Vec<String>,
    present: Vec<(Kind, Field)>,
    multi_niche_posts: usize,
    posts_in_other_niches: BTreeMap<String, u64>,
}

/// Write the normalised tables of one run into `dir`: `posts/`, `accounts/`, `snapshots/`
/// (Parquet) and `about/` (JSON), each as `part-P`. `inputs` are never written over.
pub fn write(tables: &Tables, dir: &Path, part: u64, inputs: &[PathBuf]) -> Result<()> {
    let name = format!("part-{part}");
    // Where the engine writes its tables (some engines do not create folders).
    crate::output::create_dir(&dir.join("units"))?;
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

fn write_parquet(path: &Path, frame: &mut DataFrame, inputs: &[PathBuf]) -> Result<()> {
    let mut file = crate::output::AtomicFile::create(path, inputs)?;
    ParquetWriter::new(&mut file)
        .with_compression(ParquetCompression::Snappy)
        .finish(frame)
        .map_err(|e| Error::Output {
            path: path.to_path_buf(),
            message: format!("could not write Parquet: {e}"),
            hint: "check that the folder is writable and has room".to_string(),
        })?;
    file.commit()
}

/// The posts table ([`POSTS`]) of a post store.
fn posts_frame(store: &PostStore, part: u64) -> Result<DataFrame> {
    let n = store.len();
    let views: Vec<_> = (0..n).map(|i| store.get(i)).collect();
    let text = |f: &dyn Fn(&crate::normalise::store::PostView) -> Option<String>| -> Vec<Option<String>> {
        views.iter().map(f).collect()
    };
    let real = |f: &dyn Fn(&crate::normalise::store::PostView) -> Option<f64>| -> Vec<Option<f64>> {
        views.iter().map(f).collect()
    };
    let trait_of = |k: usize| -> Vec<bool> { views.iter().map(|v| v.traits.is_some_and(|t| t[k])).collect() };
    let mut tags = ListStringChunkedBuilder::new("tags".into(), n, n);
    for v in &views {
        match v.tags {
            Some(t) => {
                let split = crate::normalise::title::split_tags(t);
                tags.append_values_iter(split.iter().map(String::as_str));
            }
            None => tags.append_null(),
        }
    }
    let week =
        |v: &crate::normalise::store::PostView| v.at.map(|t| t.div_euclid(WEEK)).filter(|w| i32::try_from(*w).is_ok());
    let columns = vec![
        Column::new("part".into(), vec![part as i64; n]),
        Column::new("seq".into(), (0..n as i64).collect::<Vec<i64>>()),
        Column::new("niche".into(), text(&|v| v.group.niche.clone())),
        Column::new(
            "platform".into(),
            views.iter().map(|v| v.group.platform.as_str()).collect::<Vec<_>>(),
        ),
        Column::new("account".into(), text(&|v| v.group.account.clone())),
        Column::new("post".into(), views.iter().map(|v| v.post).collect::<Vec<_>>()),
        Column::new("published_at".into(), views.iter().map(|v| v.at).collect::<Vec<_>>()),
        Column::new("week".into(), views.iter().map(week).collect::<Vec<_>>()),
        Column::new("engagement".into(), real(&|v| v.engagement)),
        Column::new("views".into(), real(&|v| v.views)),
        Column::new(
            "sponsored".into(),
            views.iter().map(|v| v.sponsored).collect::<Vec<_>>(),
        ),
        Column::new("censored".into(), views.iter().map(|v| v.censored).collect::<Vec<_>>()),
        Column::new("price".into(), real(&|v| v.price.filter(|_| v.group.account.is_some()))),
        Column::new("format".into(), views.iter().map(|v| v.format).collect::<Vec<_>>()),
        Column::new(
            "has_text".into(),
            views.iter().map(|v| v.traits.is_some()).collect::<Vec<_>>(),
        ),
        Column::new("number".into(), trait_of(0)),
        Column::new("question".into(), trait_of(1)),
        Column::new("emoji".into(), trait_of(2)),
        Column::new("short_title".into(), trait_of(3)),
        Column::new("long_title".into(), trait_of(4)),
        tags.finish().into_column(),
    ];
    debug_assert!(columns
        .iter()
        .map(|c| c.name().as_str())
        .eq(POSTS.iter().map(|c| c.name)));
    Ok(DataFrame::new(n, columns)?)
}

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
    let about_dir = dir.join("about");
    let parts = parts_in(&about_dir, "json").map_err(|e| match e {
        Error::Io { path, source, .. } if source.kind() == std::io::ErrorKind::NotFound => Error::file(
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
    let units_dir = dir.join("units");
    let written = UNIT_TABLES
        .iter()
        .any(|(name, _)| units_dir.join(format!("{name}.parquet")).exists() || units_dir.join(name).exists());
    if !written {
        // No engine has run: the units step runs here, over the posts.
        crate::output::note(&format!(
            "{} holds no units tables: the units step runs here, over {}",
            units_dir.display(),
            dir.join("posts").display()
        ));
        let set = post_set(dir, &parts_of, posts_read)?;
        return Ok(Normalised {
            tables,
            posts_read,
            units: Units::Posts(set),
        });
    }
    let [units, weeks, formats, traits, tags] = UNIT_TABLES.map(|(name, cols)| unit_table(&units_dir, name, cols));
    let from_posts = from_posts(units?, weeks?, formats?)?;
    let style = style_counts(traits?, tags?)?;
    Ok(Normalised {
        tables,
        posts_read,
        units: Units::Engine { from_posts, style },
    })
}

/// The posts of every part, gathered per unit as the units step does (the first row of each
/// (platform, post, niche) in part and row order; posts without a niche left out).
fn post_set(dir: &Path, parts: &[u64], posts_read: usize) -> Result<PostSet> {
    let mut set = PostSet::default();
    set.rows = posts_read;
    let mut units: BTreeMap<Key, (bool, UnitPosts)> = BTreeMap::new();
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    for part in parts {
        let path = dir.join("posts").join(format!("part-{part}.parquet"));
        let frame = read_parquet(&path)?;
        for c in POSTS {
            if frame.column(c.name).is_err() {
                return Err(Error::file(
                    &path,
                    format!("the posts table has no column `{}`", c.name),
                    "normalise the inputs again with this niche",
                ));
            }
        }
        let f = &frame;
        let (niche, platform, account, post) = (
            texts(f, "niche")?,
            texts(f, "platform")?,
            texts(f, "account")?,
            texts(f, "post")?,
        );
        let (seq, at) = (ints(f, "seq")?, ints(f, "published_at")?);
        let (engagement, views, price) = (reals(f, "engagement")?, reals(f, "views")?, reals(f, "price")?);
        let (sponsored, censored, has_text) = (flags(f, "sponsored")?, flags(f, "censored")?, flags(f, "has_text")?);
        let traits: Vec<Vec<Option<bool>>> = TRAIT_NAMES.iter().map(|t| flags(f, t)).collect::<Result<_>>()?;
        let format = texts(f, "format")?;
        let tags: Vec<Option<Series>> = f.column("tags")?.list()?.series_iter().collect();
        for i in 0..f.height() {
            let (Some(n), Some(p), Some(id)) = (niche[i], platform[i], post[i]) else {
                continue;
            };
            if !seen.insert((p.to_string(), id.to_string(), n.to_string())) {
                continue;
            }
            let standalone = account[i].is_none();
            let key_account = match account[i] {
                Some(a) => a.to_string(),
                None => standalone_key(id, count(seq[i])),
            };
            let text = has_text[i] == Some(true);
            let post_traits = text.then(|| std::array::from_fn(|k| traits[k][i] == Some(true)));
            let entry = units
                .entry((n.to_string(), p.to_string(), Some(key_account)))
                .or_insert_with(|| (standalone, UnitPosts::default()));
            let up = &mut entry.1;
            if let Some(list) = &tags[i] {
                let list: Arc<[String]> = list.str()?.iter().flatten().map(str::to_string).collect();
                up.tags.push((up.posts.len() as u32, list));
            }
            up.add(
                at[i],
                Post::new(engagement[i], views[i], at[i], sponsored[i], post_traits),
            );
            if censored[i] == Some(true) {
                up.censored += 1;
            }
            if let Some(x) = price[i].filter(|_| !standalone) {
                up.prices.push(x);
            }
            if let Some(name) = format[i] {
                let id = set.format_id(name);
                up.add_format(id);
            }
        }
    }
    set.units = units.into_iter().collect();
    Ok(set)
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

fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(file).finish().map_err(|e| {
        Error::file(
            path,
            format!("could not read it as Parquet: {e}"),
            "check that the engine finished writing it (and wrote Parquet)",
        )
    })
}

/// A units table, from `DIR/NAME.parquet` or the Parquet files of a folder `DIR/NAME/` (as
/// Spark writes them), with its columns checked and cast to their types.
fn unit_table(dir: &Path, name: &str, cols: &[Col]) -> Result<(PathBuf, DataFrame)> {
    let file = dir.join(format!("{name}.parquet"));
    let folder = dir.join(name);
    let (path, files) = if file.is_file() {
        (file.clone(), vec![file])
    } else if folder.is_dir() {
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
        (folder, files)
    } else {
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

/// The Polars type a column of type `ty` is read as.
fn dtype(ty: Type) -> DataType {
    match ty {
        Type::Text => DataType::String,
        Type::Int => DataType::Int64,
        Type::Real => DataType::Float64,
        Type::Flag => DataType::Boolean,
        Type::Texts => DataType::List(Box::new(DataType::String)),
    }
}

fn texts<'a>(f: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>> {
    Ok(f.column(name)?.str()?.iter().collect())
}

fn ints(f: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    Ok(f.column(name)?.cast(&DataType::Int64)?.i64()?.iter().collect())
}

fn reals(f: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    Ok(f.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

fn flags(f: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    Ok(f.column(name)?.cast(&DataType::Boolean)?.bool()?.iter().collect())
}

/// A count: never negative (a null was refused when the table was read).
fn count(x: Option<i64>) -> u64 {
    x.and_then(|v| u64::try_from(v).ok()).unwrap_or(0)
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
fn from_posts(
    (units_path, units): (PathBuf, DataFrame),
    (_, weeks): (PathBuf, DataFrame),
    (_, formats): (PathBuf, DataFrame),
) -> Result<Vec<FromPosts>> {
    let mut weekly: HashMap<Key, Vec<(i64, f64)>> = HashMap::new();
    {
        let (k, w, m) = (keys(&weeks)?, ints(&weeks, "week")?, reals(&weeks, "median_log_ratio")?);
        for (i, key) in k.into_iter().enumerate() {
            if let (Some(w), Some(m)) = (w[i], m[i]) {
                weekly.entry(key).or_default().push((w, m));
            }
        }
    }
    let mut by_format: HashMap<Key, BTreeMap<String, u64>> = HashMap::new();
    {
        let (k, f, c) = (keys(&formats)?, texts(&formats, "format")?, ints(&formats, "posts")?);
        for (i, key) in k.into_iter().enumerate() {
            if let Some(f) = f[i] {
                *by_format.entry(key).or_default().entry(f.to_string()).or_default() += count(c[i]);
            }
        }
    }
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
        let mut w = weekly.remove(&key).unwrap_or_default();
        w.sort_by_key(|x| x.0);
        let f = by_format.remove(&key).unwrap_or_default();
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
            weekly: w,
            formats: f,
            key,
        });
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
fn style_counts(
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
