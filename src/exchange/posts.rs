//! The normalised posts (Parquet) gathered per unit, for the units step in process where no
//! engine has run it.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::parquet::{count, flags, ints, read_parquet, reals, texts};
use super::POSTS;
use crate::error::{Error, Result};
use crate::normalise::key_index::{key_hash, KeyIndex};
use crate::normalise::posts::{standalone_key, Key, Post, PostSet, UnitPosts};
use crate::normalise::title::TRAITS as TRAIT_NAMES;

/// Rows read at a time from a part's posts: their columns are copied out of the frame this many
/// at a time, not the whole part's at once.
const CHUNK: usize = 1 << 20;

/// The posts of every part, gathered per unit as the units step does: posts without a niche left
/// out; where parts repeat a post (platform, id, niche), the lowest part's rows (the SQL's rule).
/// Parts are read one at a time, in row chunks, and let go when done.
pub fn post_set(dir: &Path, parts: &[u64], posts_read: usize) -> Result<PostSet> {
    let mut set = PostSet::default();
    set.rows = posts_read;
    // Units by the hash of their key, decided on the keys themselves (owned by the slots, so a
    // part's frame can go once it is read).
    let mut index = KeyIndex::default();
    let mut slots: Vec<(Key, bool, UnitPosts)> = Vec::new();
    // The keys of the parts before this one (only where there are several).
    let mut earlier: HashSet<(String, String, String)> = HashSet::new();
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
        let mut here: Vec<(String, String, String)> = Vec::new();
        for start in (0..frame.height()).step_by(CHUNK) {
            let f = frame.slice(start as i64, CHUNK);
            let f = &f;
            let (niche, platform, account, post) = (
                texts(f, "niche")?,
                texts(f, "platform")?,
                texts(f, "account")?,
                texts(f, "post")?,
            );
            let (seq, at) = (ints(f, "seq")?, ints(f, "published_at")?);
            let (engagement, views, price) = (reals(f, "engagement")?, reals(f, "views")?, reals(f, "price")?);
            let (sponsored, censored, has_text) =
                (flags(f, "sponsored")?, flags(f, "censored")?, flags(f, "has_text")?);
            let traits: Vec<Vec<Option<bool>>> = TRAIT_NAMES.iter().map(|t| flags(f, t)).collect::<Result<_>>()?;
            let format = texts(f, "format")?;
            let tags: Vec<Option<Series>> = f.column("tags")?.list()?.series_iter().collect();
            for i in 0..f.height() {
                let (Some(n), Some(p), Some(id)) = (niche[i], platform[i], post[i]) else {
                    continue;
                };
                if parts.len() > 1 {
                    if earlier.contains(&(p.to_string(), id.to_string(), n.to_string())) {
                        continue;
                    }
                    here.push((p.to_string(), id.to_string(), n.to_string()));
                }
                let standalone = account[i].is_none();
                let slot = match account[i] {
                    Some(a) => {
                        let hash = key_hash(&[n, p, a], 0);
                        let next = slots.len();
                        let same = |g: usize| {
                            let k = &slots[g].0;
                            (k.0.as_str(), k.1.as_str(), k.2.as_deref()) == (n, p, Some(a))
                        };
                        match index.find_or_insert(hash, next, same) {
                            Some(g) => g,
                            None => {
                                let key = (n.to_string(), p.to_string(), Some(a.to_string()));
                                slots.push((key, false, UnitPosts::default()));
                                next
                            }
                        }
                    }
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
