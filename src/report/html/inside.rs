//! A look inside a niche, at the foot of its card: its breakout posts (the posts that did best
//! against their own account's typical post, report.json's `niches[].top_posts`) and the accounts
//! behind it (its head and the mid-tier accounts that beat their size, `niches[].top_accounts`),
//! as compact tables whose titles open the post on its platform. A table sorts without a script
//! (the page has none): its rows are written once per order, and a radio button per order shows
//! that order's rows ([`sortable`], the `.sorter` rules of the stylesheet).

use maud::{html, Markup};

use super::super::lang::Lang;
use super::super::page::{Niche, Page};
use super::name;
use crate::measure::breakouts::link;
use crate::measure::breakouts::{TopPost, TOP_POSTS};
use crate::measure::leaders::HEAD;
use crate::text::sanitise_line;

/// Characters of a title shown in the table (the whole title is its tooltip).
const TITLE_SHOWN: usize = 48;

/// The niche's breakout posts, and with `--me` your best posts in it beside them.
pub(super) fn posts(page: &Page, n: &Niche, l: Lang) -> Markup {
    let yours = page
        .me
        .as_ref()
        .and_then(|me| me.niches.iter().find(|x| x.yours && x.niche == n.niche))
        .and_then(|x| x.your_best_posts.as_ref())
        .filter(|p| !p.is_empty());
    html! {
        @if let Some(posts) = n.top_posts.as_ref().filter(|p| !p.is_empty()) {
            @let posts = &posts[..posts.len().min(TOP_POSTS)];
            h4 { (l.pick("Breakout posts", "爆文")) }
            p.note { (l.pick(
                "The posts that did best against their own account's typical post (× typical), then by engagement (the first ten; report.json lists as many as the setting measure.top_posts says).",
                "相对本账号常规帖子表现最好的帖子（× 常规），其次按互动量（前十条；report.json 按 measure.top_posts 列出）。")) }
            (table(&format!("p{}", n.rank), posts, l))
        }
        @if let Some(posts) = yours {
            h4 { (l.pick("Your best posts here", "你在这里最好的帖子")) }
            p.note { (l.pick("Against your own typical post, beside the breakouts above.", "相对你自己的常规帖子，可与上面的爆文对照。")) }
            (table(&format!("y{}", n.rank), posts, l))
        }
    }
}

/// Posts as a table sortable by × typical (as listed), engagement, views and date: title (a
/// link where there is one), × typical, engagement, views, account, date. `id` names the table
/// on the page (unique).
pub(super) fn table(id: &str, posts: &[TopPost], l: Lang) -> Markup {
    let head = html! { tr {
        th { (l.pick("post", "帖子")) }
        th.n { (l.pick("× typical", "× 常规")) }
        th.n { (l.pick("engagement", "互动")) }
        th.n { (l.pick("views", "播放")) }
        th { (l.pick("account", "账号")) }
        th { (l.pick("published", "发布")) }
    } };
    let rows: Vec<Markup> = posts
        .iter()
        .map(|p| {
            html! { tr {
                td { (post_cell(p, l)) }
                td.n { (format!("{:.1}×", p.times_typical)) }
                td.n { (l.count(p.engagement)) }
                td.n { (p.views.map_or_else(|| "—".to_string(), |v| l.count(v))) }
                td { (p.account_name.as_deref().or(p.account.as_deref()).map_or_else(|| html! { "—" }, name)) }
                td.n { (p.published.as_deref().unwrap_or("—")) }
            } }
        })
        .collect();
    let orders = [
        (l.pick("× typical", "× 常规"), (0..posts.len()).collect()),
        (l.pick("engagement", "互动"), by_desc(posts, |p| Some(p.engagement))),
        (l.pick("views", "播放"), by_desc(posts, |p| p.views)),
        (
            l.pick("newest", "最新"),
            by_desc(posts, |p| p.published.as_deref().and_then(days)),
        ),
    ];
    sortable(id, "", l, head, &rows, &orders)
}

/// `YYYY-MM-DD` as a number that orders dates.
fn days(date: &str) -> Option<f64> {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The positions of `items` by `key`, largest first, those without one last, ties in place.
fn by_desc<T>(items: &[T], key: impl Fn(&T) -> Option<f64>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| match (key(&items[a]), key(&items[b])) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    order
}

/// A table whose `rows` show in one of `orders` (a label and the rows' positions in that order),
/// picked by a radio button per order, the first checked: no script, each order's rows written
/// as a body of their own and the unchecked orders' bodies hidden by the stylesheet.
fn sortable(id: &str, class: &str, l: Lang, head: Markup, rows: &[Markup], orders: &[(&str, Vec<usize>)]) -> Markup {
    html! {
        div.sorter {
            span.muted { (l.pick("sort by: ", "排序：")) }
            @for (k, (label, _)) in orders.iter().enumerate() {
                input type="radio" name=(id) id=(format!("{id}-{k}")) checked[k == 0];
                label for=(format!("{id}-{k}")) { (label) }
            }
            div.scroll {
                table class=(format!("posts {class}")) {
                    thead { (head) }
                    @for (k, (_, order)) in orders.iter().enumerate() {
                        tbody class=(format!("o{k}")) {
                            @for &i in order { (rows[i]) }
                        }
                    }
                }
            }
        }
    }
}

/// The accounts behind the niche: its head, then the mid-tier accounts that beat their size.
pub(super) fn accounts(n: &Niche, l: Lang) -> Markup {
    if n.top_accounts.is_empty() {
        return html! {};
    }
    let share = |v: Option<f64>| v.map_or_else(|| "—".to_string(), super::pct);
    let head = html! { tr {
        th { (l.pick("account", "账号")) }
        th.n { (l.pick("followers", "粉丝")) }
        th.n { (l.pick("ER vs size", "互动率·同体量")) }
        th.n { (l.pick("reach vs size", "触达·同体量")) }
        th.n { (l.pick("growth/mo", "月增长")) }
        th.n { (l.pick("posts/wk", "周发帖")) }
        th.n { (l.pick("sponsored", "商单占比")) }
        th { (l.pick("best post", "最佳帖子")) }
    } };
    let accounts = &n.top_accounts;
    let rows: Vec<Markup> = accounts
        .iter()
        .map(|a| {
            html! { tr {
                td { (name(a.name.as_deref().unwrap_or(&a.account))) br; span.muted {
                    @if a.name.is_some() { (name(&a.account)) " · " }
                    (name(&l.platform(&a.platform))) " · "
                    (if a.role == HEAD { l.pick("head", "头部") } else { l.pick("mid-tier", "腰部") }) } }
                td.n { (a.followers.map_or_else(|| "—".to_string(), |v| l.count(v))) }
                td.n { (share(a.engagement_rate_share)) }
                td.n { (share(a.views_share)) }
                td.n { (share(a.follower_growth_monthly)) }
                td.n { (a.posts_per_week.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))) }
                td.n { (share(a.sponsored_share)) }
                td { @match &a.best_post { Some(p) => (post_cell(p, l)), None => "—" } }
            } }
        })
        .collect();
    let orders = [
        (l.pick("head first", "头部在前"), (0..accounts.len()).collect()),
        (l.pick("followers", "粉丝"), by_desc(accounts, |a| a.followers)),
        (
            l.pick("ER vs size", "互动率"),
            by_desc(accounts, |a| a.engagement_rate_share),
        ),
        (l.pick("reach vs size", "触达"), by_desc(accounts, |a| a.views_share)),
    ];
    html! {
        h4 { (l.pick("Accounts to look at", "值得看的账号")) }
        p.note { (l.pick(
            "The head (top tenth by followers), then mid-tier (腰部) accounts above the platform's typical account of their size in engagement rate and reach (shares of those accounts below them).",
            "头部（粉丝数前 10%），以及互动率和触达都高于平台同体量典型账号的腰部账号（同体量账号中低于它的比例）。")) }
        (sortable(&format!("a{}", n.rank), "accounts", l, head, &rows, &orders))
    }
}

/// A post's title (opening the post where its platform and id make a link), sponsored mark, and
/// platform, id and format.
fn post_cell(p: &TopPost, l: Lang) -> Markup {
    let title = p.title.as_deref().filter(|t| !t.trim().is_empty()).map(sanitise_line);
    let shown = title
        .as_deref()
        .map_or_else(|| p.post_id.clone(), |t| shorten(t, TITLE_SHOWN));
    html! {
        // The link is made again from the platform and id, not taken from the JSON, so an edited
        // report.json cannot point anywhere else.
        @match link(&p.platform, &p.post_id) {
            Some(href) => a href=(href) rel="noopener noreferrer" title=[title] { (name(&shown)) },
            None => span title=[title] { (name(&shown)) },
        }
        @if p.sponsored == Some(true) { " " span.tag { (l.pick("sponsored", "商单")) } }
        br;
        span.muted { (name(&l.platform(&p.platform))) " · " (name(&p.post_id)) @if let Some(f) = &p.format { " · " (name(f)) } }
    }
}

/// The first `n` characters of `s`, with an ellipsis where cut.
fn shorten(s: &str, n: usize) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(n).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
