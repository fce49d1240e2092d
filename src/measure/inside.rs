//! A look inside each niche (METHOD.md §2, `top_posts` and `top_accounts`): its breakout posts
//! ([`super::breakouts`]), the accounts to look at ([`super::leaders`]) with each one's best post,
//! the accounts' names where the inputs give them beside the ids, and your own posts at both ends
//! (`--me`). The posts need their titles, which only a run that keeps them has.

use std::collections::HashMap;

use super::breakouts::{self, OwnPosts, TopPost};
use super::leaders::{self, Leader};
use super::params::Params;
use super::units::Unit;
use crate::normalise::Tables;

/// What a look inside the niches found, by niche.
pub struct Inside {
    /// `None` where the run kept no titles.
    pub top_posts: Option<HashMap<String, Vec<TopPost>>>,
    pub top_accounts: HashMap<String, Vec<Leader>>,
    pub me_posts: Option<Vec<OwnPosts>>,
}

/// Each niche's breakout posts and accounts to look at, from the niches' `units` (grouped by
/// niche) and the posts `tables` kept; your units' (`me`) posts at both ends.
pub fn of(tables: &Tables, units: &[Vec<Unit>], me: &[Unit], params: &Params) -> Inside {
    let posts = &tables.posts;
    let mut top_posts = breakouts::of(posts, units, params.top_posts);
    let mut shown: Vec<Vec<Leader>> = units.iter().map(|list| leaders::of(list, params)).collect();
    // Each listed account's typical post, for its best post's standing.
    let wanted: Vec<(&str, &str, &str, f64)> = units
        .iter()
        .zip(&shown)
        .flat_map(|(list, leaders)| {
            leaders.iter().filter_map(|l| {
                let u = list
                    .iter()
                    .find(|u| u.account.as_deref() == Some(l.account.as_str()) && u.platform == l.platform)?;
                let typical = u.engagement_per_post.filter(|e| *e > 0.0)?;
                Some((u.niche.as_str(), u.platform.as_str(), l.account.as_str(), typical))
            })
        })
        .collect();
    let best = breakouts::best_of(posts, &wanted);
    let names = account_names(tables);
    let name_of = |platform: &str, account: &str| names.get(&(platform.to_string(), account.to_string())).cloned();
    for (list, leaders) in units.iter().zip(&mut shown) {
        let niche = list.first().map_or("", |u| u.niche.as_str());
        for l in leaders {
            l.best_post = best
                .get(&(niche.to_string(), l.platform.clone(), l.account.clone()))
                .cloned();
            l.name = name_of(&l.platform, &l.account).or_else(|| l.best_post.as_ref()?.account_name.clone());
        }
    }
    for post in top_posts.iter_mut().flat_map(|b| b.values_mut()).flatten() {
        if post.account_name.is_none() {
            post.account_name = post.account.as_deref().and_then(|a| name_of(&post.platform, a));
        }
    }
    let top_accounts = units
        .iter()
        .zip(shown)
        .filter_map(|(list, leaders)| Some((list.first()?.niche.clone(), leaders)))
        .collect();
    Inside {
        top_posts,
        top_accounts,
        me_posts: breakouts::own_posts(posts, me, breakouts::OWN_SHOWN).filter(|_| !me.is_empty()),
    }
}

/// The account list's names by (platform, account id), where it gives a name other than the id.
fn account_names(tables: &Tables) -> HashMap<(String, String), String> {
    let a = &tables.accounts;
    let (Ok(p), Ok(id), Ok(name)) = (a.column("platform"), a.column("account"), a.column("name")) else {
        return HashMap::new();
    };
    let (Ok(p), Ok(id), Ok(name)) = (p.str(), id.str(), name.str()) else {
        return HashMap::new();
    };
    p.iter()
        .zip(id.iter())
        .zip(name.iter())
        .filter_map(|((p, id), name)| {
            let name = name.map(str::trim).filter(|n| !n.is_empty() && Some(*n) != id)?;
            Some(((p?.to_string(), id?.to_string()), name.to_string()))
        })
        .collect()
}
