//! Your account (`--me`, METHOD.md §4), as units measured like any competitor's but kept apart
//! from the niches, so that you are never your own competitor: either an account of the inputs
//! ([`take`]), or an export of your own posts read on its own — a creator-centre export, which
//! names no account and no niche ([`from_export`]).

use std::collections::BTreeSet;

use super::{placed, units, Metrics, Params, PostSet, Unit};
use crate::error::{Error, Result};
use crate::normalise::Tables;

/// Your account's units (`params.me`: an account id, or a name the account list gives), taken out
/// of the rest so that you are never your own competitor. An error where no unit is yours.
pub fn take(units: Vec<Unit>, tables: &Tables, params: &Params) -> Result<(Vec<Unit>, Vec<Unit>)> {
    let Some(me) = params.me.as_deref().map(str::trim).filter(|m| !m.is_empty()) else {
        return Ok((Vec::new(), units));
    };
    // Ids whose listed name is `me`, as well as `me` itself.
    let mut ids: Vec<String> = vec![me.to_string()];
    let a = &tables.accounts;
    if a.height() > 0 {
        let account = a.column("account")?.str()?;
        let name = a.column("name")?.str()?;
        for (id, n) in account.iter().zip(name.iter()) {
            if let (Some(id), Some(n)) = (id, n) {
                if n.trim() == me && !ids.iter().any(|x| x == id) {
                    ids.push(id.to_string());
                }
            }
        }
    }
    let (mine, rest): (Vec<Unit>, Vec<Unit>) = units
        .into_iter()
        .partition(|u| u.account.as_deref().is_some_and(|acc| ids.iter().any(|x| x == acc)));
    if mine.is_empty() {
        // The nearest id or name, for a typo.
        let mut known: BTreeSet<&str> = rest.iter().filter_map(|u| u.account.as_deref()).collect();
        let names = a.column("name").ok().and_then(|c| c.str().ok());
        known.extend(names.iter().flat_map(|c| c.iter().flatten()));
        let near = crate::text::nearest(me, known.iter().copied()).map(crate::text::sanitise_line);
        let (near_en, near_zh) = match &near {
            Some(n) => (format!("; did you mean {n:?}?"), format!("；是不是 {n:?}？")),
            None => (String::new(), String::new()),
        };
        return Err(Error::usage(
            crate::lang::say(
                format!("--me {me:?}: no account with this id or name is in the inputs{near_en}"),
                format!("--me {me:?}：输入中没有这个 ID 或名称的账号{near_zh}"),
            ),
            crate::lang::say(
                "give the account id or name as the files write it (`niche inspect` shows which columns hold them)",
                "按文件里的写法给出账号 ID 或名称（`niche inspect` 会显示哪些列存放它们）",
            ),
        ));
    }
    Ok((mine, rest))
}

/// Your units from an export of your own posts (`tables`, read from that file alone): every post
/// is your account's — the one account the file names, else `label` (the file's name) — and a
/// post without a niche is in none (compared with every niche). `platform` is used where the
/// file's columns did not tell its platform. Your follower count (`params.me_followers`), which
/// such exports do not state, is set before the units are placed on the reference beside the
/// niches' units (`beside`).
pub fn from_export(tables: &mut Tables, beside: &Metrics, label: &str, platform: Option<&str>) -> Result<Vec<Unit>> {
    let params = &beside.params;
    let path = tables
        .inputs
        .first()
        .map(|i| i.path.clone())
        .unwrap_or_else(|| label.to_string());
    let groups = tables.posts.groups_mut();
    let named: BTreeSet<String> = groups.iter().filter_map(|g| g.account.clone()).collect();
    if named.len() > 1 {
        let some: Vec<String> = named.iter().take(3).map(|a| format!("{a:?}")).collect();
        return Err(Error::file(
            &path,
            crate::lang::say(
                format!(
                    "--me reads one account's own posts, and this file names {} accounts ({} …)",
                    named.len(),
                    some.join(", ")
                ),
                format!(
                    "--me 只读一个账号自己的帖子，而这个文件有 {} 个账号（{} ……）",
                    named.len(),
                    some.join(", ")
                ),
            ),
            crate::lang::say(
                "give your account's id instead (`--me ID`, with this file among the inputs), or export your own posts alone",
                "改为给出你账号的 ID（`--me ID`，并把这个文件放进输入），或只导出你自己的帖子",
            ),
        ));
    }
    let account = named.into_iter().next().unwrap_or_else(|| label.to_string());
    for g in groups.iter_mut() {
        g.account = Some(account.clone());
        g.niche.get_or_insert_with(String::new);
        if g.platform == "unknown" {
            if let Some(p) = platform {
                g.platform = p.to_string();
            }
        }
    }
    let set = PostSet::from_store(&tables.posts);
    let mut mine = units::build(tables, &set)?;
    if mine
        .iter()
        .all(|u| u.engagement_per_post.is_none() && u.views_per_post.is_none())
    {
        return Err(Error::file(
            &path,
            crate::lang::say(
                "--me: no post in this file has engagement or views that could be read",
                "--me：这个文件里没有一条帖子的互动或播放能读出来",
            ),
            crate::lang::say(
                "give your creator-centre export (笔记列表明细表, 抖音作品列表, 近期稿件对比, YouTube Studio's Table data.csv …) or a post list with likes, comments or views; `niche inspect FILE` shows which columns were recognised",
                "请给出创作者中心的导出文件（笔记列表明细表、抖音作品列表、近期稿件对比、YouTube Studio 的 Table data.csv ……）或带点赞、评论或播放的帖子列表；`niche inspect FILE` 会显示识别了哪些列",
            ),
        ));
    }
    if let Some(f) = params.me_followers {
        for u in &mut mine {
            u.set_followers(Some(f));
        }
    }
    placed::place_beside(&mut mine, beside.units.iter().flatten(), params);
    Ok(mine)
}
