//! The normalised posts (Parquet) gathered per unit, for the units step in process where no
//! engine has run it.

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::parquet::{count, flags, ints, read_parquet, reals, texts};
use super::POSTS;
use crate::error::{Error, Result};
use crate::normalise::posts::{standalone_key, Key, Post, PostSet, UnitPosts};
use crate::normalise::title::TRAITS as TRAIT_NAMES;

/// The posts of every part, gathered per unit as the units step does: posts without a niche left
/// out; where parts repeat a post (platform, id, niche), the lowest part's rows (the SQL's rule).
pub fn post_set(dir: &Path, parts: &[u64], posts_read: usize) -> Result<PostSet> {
    let mut set = PostSet::default();
    set.rows = posts_read;
    // Every part's posts, read first: the keys below borrow their text.
    let mut frames: Vec<DataFrame> = Vec::with_capacity(parts.len());
    for part in parts {
        let path = dir.join("posts").join(format!("part-{part}.parquet"));
        let frame = read_parquet(&path)?;
        if let Some(c) = POSTS.iter().find(|c| frame.column(c.name).is_err()) {
            return Err(Error::file(
                &path,
                format!("the posts table has no column `{}`", c.name),
                "normalise the inputs again with this niche",
            ));
        }
        frames.push(frame);
    }
    // Units with an account by (niche, platform, account); posts without one are units of their own.
    let mut index: foldhash::HashMap<(&str, &str, &str), usize> = foldhash::HashMap::default();
    let mut slots: Vec<(Key, bool, UnitPosts)> = Vec::new();
    // The keys of the parts before this one.
    let mut earlier: foldhash::HashSet<(&str, &str, &str)> = foldhash::HashSet::default();
    for f in &frames {
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
        let mut here: Vec<(&str, &str, &str)> = Vec::new();
        for i in 0..f.height() {
            let (Some(n), Some(p), Some(id)) = (niche[i], platform[i], post[i]) else {
                continue;
            };
            if parts.len() > 1 {
                if earlier.contains(&(p, id, n)) {
                    continue;
                }
                here.push((p, id, n));
            }
            let standalone = account[i].is_none();
            let slot = match account[i] {
                Some(a) => *index.entry((n, p, a)).or_insert_with(|| {
                    let key = (n.to_string(), p.to_string(), Some(a.to_string()));
                    slots.push((key, false, UnitPosts::default()));
                    slots.len() - 1
                }),
                None => {
                    let key = (n.to_string(), p.to_string(), Some(standalone_key(id, count(seq[i]))));
                    slots.push((key, true, UnitPosts::default()));
                    slots.len() - 1
                }
            };
            let up = &mut slots[slot].2;
            if let Some(list) = &tags[i] {
                let list: Arc<[String]> = list.str()?.iter().flatten().map(str::to_string).collect();
                up.tags.push((up.posts.len() as u32, list));
            }
            let text = has_text[i] == Some(true);
            let post_traits = text.then(|| std::array::from_fn(|k| traits[k][i] == Some(true)));
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
        earlier.extend(here);
    }
    slots.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    set.units = slots
        .into_iter()
        .map(|(k, standalone, up)| (k, (standalone, up)))
        .collect();
    Ok(set)
}
