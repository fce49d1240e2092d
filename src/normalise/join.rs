//! The join of posts and snapshots to the account list: a post or snapshot that names no
//! platform or niche takes its account's, where the account list gives one unambiguously.

use super::records::{AccountRow, PostGroup, SnapshotRow};

/// What the join of posts to the account list works on: a group of posts that share platform,
/// account and niche ([`PostGroup`]), alone (the general path) or with the posts inside it (the
/// fast path). The join reads and sets the group's platform and niche.
pub(crate) trait JoinPost {
    fn group(&self) -> &PostGroup;
    fn group_mut(&mut self) -> &mut PostGroup;

    fn platform(&self) -> &str {
        &self.group().platform
    }
    fn set_platform(&mut self, platform: &str) {
        platform.clone_into(&mut self.group_mut().platform);
    }
    fn account(&self) -> Option<&str> {
        self.group().account.as_deref()
    }
    fn niche(&self) -> Option<&str> {
        self.group().niche.as_deref()
    }
    fn set_niche(&mut self, niche: String) {
        self.group_mut().niche = Some(niche);
    }
    fn rows(&self) -> usize {
        self.group().rows
    }
}

impl JoinPost for PostGroup {
    fn group(&self) -> &PostGroup {
        self
    }
    fn group_mut(&mut self) -> &mut PostGroup {
        self
    }
}

/// How posts met the account list.
pub(super) struct Joined {
    /// Posts that took their account's niche.
    pub inherited: usize,
    /// Posts left without a niche.
    pub without_niche: usize,
    /// (posts, accounts) with no row in the account list, when both lists were given.
    pub unmatched: Option<(usize, usize)>,
}

/// Join posts and snapshots to the account list: platforms and niches they lack come from their
/// account's row where that is unambiguous.
///
/// The account list's two lookups are built side by side, and the posts are joined in runs shared
/// between the threads (each post group is joined on its own; the counts are summed after).
pub(super) fn join<P: JoinPost + Send>(
    accounts: &mut [AccountRow],
    snapshots: &mut [SnapshotRow],
    posts: &mut [P],
) -> Joined {
    // An account list with no platform, read beside posts from one platform, is that platform.
    let only_platform = posts
        .first()
        .map(|p| p.platform().to_string())
        .filter(|first| posts.iter().all(|p| p.platform() == first));
    if let Some(only) = only_platform {
        for a in accounts.iter_mut().filter(|a| a.platform == "unknown") {
            a.platform.clone_from(&only);
        }
    }
    let accounts: &[AccountRow] = accounts;

    // A post or snapshot from a file that names no platform takes its account's platform from
    // the account list, when the account id is listed on one platform only. A post without a
    // niche takes its account's niche from the account list, when the account is listed under
    // exactly one niche: `listed` holds, per (platform, account), that niche (`Some(None)` when
    // its rows disagree, `None` when none of them names one).
    // (foldhash: these maps are only looked up, never listed, so their order does not matter.)
    type Listed<'a> = foldhash::HashMap<(&'a str, &'a str), Option<Option<&'a str>>>;
    let (platform_of, listed) = std::thread::scope(|s| {
        let platforms = s.spawn(|| {
            let mut platform_of: foldhash::HashMap<&str, Option<&str>> =
                foldhash::HashMap::with_capacity_and_hasher(accounts.len(), Default::default());
            for a in accounts {
                platform_of
                    .entry(a.account.as_str())
                    .and_modify(|e| {
                        if *e != Some(a.platform.as_str()) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(a.platform.as_str()));
            }
            platform_of
        });
        let mut listed: Listed<'_> = foldhash::HashMap::with_capacity_and_hasher(accounts.len(), Default::default());
        for a in accounts {
            let e = listed.entry((a.platform.as_str(), a.account.as_str())).or_insert(None);
            if let Some(n) = a.niche.as_deref() {
                *e = match *e {
                    None => Some(Some(n)),
                    Some(Some(m)) if m == n => Some(Some(n)),
                    Some(_) => Some(None),
                };
            }
        }
        (
            platforms
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            listed,
        )
    });
    for s in snapshots.iter_mut() {
        if s.platform == "unknown" {
            if let Some(Some(p)) = platform_of.get(s.account.as_str()) {
                (*p).clone_into(&mut s.platform);
            }
        }
    }

    /// What one run of posts found.
    #[derive(Default)]
    struct Found {
        inherited: usize,
        without_niche: usize,
        unmatched_rows: usize,
        /// (platform, account) of posts whose account is not in the account list.
        missing: Vec<(String, String)>,
    }
    let check_unmatched = !accounts.is_empty() && !posts.is_empty();
    let runs = crate::par::runs_mut(posts, 4096, |_, run| {
        let mut found = Found::default();
        for p in run.iter_mut() {
            // (A group left without posts, its rows repeats of others', joins nothing.)
            if p.rows() == 0 {
                continue;
            }
            if p.platform() == "unknown" {
                if let Some(Some(platform)) = p.account().and_then(|a| platform_of.get(a)) {
                    p.set_platform(platform);
                }
            }
            // (The niche is copied out before the group is changed: the lookup borrows it.)
            let (known, niche) = match p.account().and_then(|a| listed.get(&(p.platform(), a))) {
                None => (false, None),
                Some(entry) => (
                    true,
                    entry.flatten().filter(|_| p.niche().is_none()).map(str::to_string),
                ),
            };
            if p.niche().is_none() {
                match niche {
                    Some(n) => {
                        p.set_niche(n);
                        found.inherited += p.rows();
                    }
                    None => found.without_niche += p.rows(),
                }
            }
            if check_unmatched && !known {
                if let Some(a) = p.account() {
                    found.unmatched_rows += p.rows();
                    found.missing.push((p.platform().to_string(), a.to_string()));
                }
            }
        }
        found
    });
    let mut missing: foldhash::HashSet<(String, String)> = foldhash::HashSet::default();
    let (mut inherited, mut without_niche, mut unmatched_rows) = (0, 0, 0);
    for found in runs {
        inherited += found.inherited;
        without_niche += found.without_niche;
        unmatched_rows += found.unmatched_rows;
        missing.extend(found.missing);
    }
    Joined {
        inherited,
        without_niche,
        unmatched: check_unmatched.then_some((unmatched_rows, missing.len())),
    }
}
