//! The fast path: comma-separated UTF-8 post lists whose columns it reads (post id, account,
//! time, the counts, sponsored, format, title, tags, niche, platform; others only beside a niche
//! column) are streamed in blocks, split and typed by two threads, and gathered per account
//! straight into a [`PostSet`]: no `String` per cell, no row structs, no posts frame, and memory
//! that grows with the posts kept, not with the file.
//!
//! It is a specialisation of the general path, not a second reader: the file's start (encoding,
//! separator, header line, banner rows) is read by the general loader itself; every cell it
//! types is read by the general path's rule for that kind of cell (`value::read_amount`,
//! `date::read_date`, `value::read_flag`; plain digits, ISO dates and true/false are read inline
//! first, as those rules read them), missing markers by `value::is_missing`, platforms by
//! `fields::platform_name`, tags by `title::split_tags`, title traits by `title::traits_of`,
//! "Total" rows by `load::is_total_cell`, and the join to the account
//! list is the general path's own (`tables::JoinPost`). It takes what those rules read to a value
//! or to missing, and declines the whole run — which the general path then reads, with the
//! answers for the rest — at anything the general path would count, warn about or resolve: a
//! lower bound (`10万+`), an unreadable, negative or implausible value, a row without a niche, a
//! ragged or blank row, mojibake in any cell, a quote holding a line break, prices, or a column
//! beside no niche column (where the general path looks for one that could be). Duplicate rows
//! and posts under two niches it settles itself, by the general path's rules (`repeats.rs`).
//! Account lists and snapshots always go through the general loader (they are small).
//! `NICHE_FAST=0` turns the fast path off, which is how the tests and the benchmark check that
//! both paths give the same report.
//!
//! The files, bottom first: `layout.rs` (which post lists it takes, and how their columns lie),
//! `cells.rs` (a cell typed by the general path's rules), `part.rs` (what a worker makes of a
//! block), `blocks.rs` (the block reader, the row splitters, a row read again), `merger.rs` (parts
//! gathered per account), `repeats.rs` (repeated post ids settled) and this file (the run:
//! which inputs go which way, and the tables at the end).

use std::path::PathBuf;

use super::mapping::Kind;
use super::posts::{Key, PostSet, UnitPosts};
use super::tables::{Builder, Tables};
use super::{read_one, Input, InputReport, Options, Warning};
use crate::load::{self, ReadOptions};

mod blocks;
mod cells;
mod layout;
mod merger;
mod part;
mod repeats;

use blocks::read_posts;
use layout::{probe, Plan, NOT_POSTS};
use merger::{Group, Merger};

/// Whether the fast path may be tried at all (`NICHE_FAST=0` turns it off).
pub fn enabled() -> bool {
    std::env::var_os("NICHE_FAST").is_none_or(|v| v != "0")
}

/// Read every input with the fast path, or `None` when some input needs the general path. Errors
/// are never reported from here: the general path reads the inputs again and reports them.
pub fn try_read(paths: &[(PathBuf, Option<Kind>)], options: &Options, read: &ReadOptions<'_>) -> Option<Tables> {
    if !enabled()
        || !options.overrides.is_empty()
        || !options.niches.is_empty()
        || read.encoding.is_some()
        || read.sheet.is_some()
    {
        return None;
    }
    let plans: Vec<Option<Plan>> = paths
        .iter()
        .map(|(p, forced)| match probe(p, *forced, options, read) {
            Ok(plan) => Some(plan),
            Err(why) => {
                if crate::timing::enabled() && why != NOT_POSTS {
                    crate::output::note(&format!("fast path: {} goes the general way: {why}", p.display()));
                }
                None
            }
        })
        .collect();
    if plans.iter().all(Option::is_none) {
        return None;
    }
    let declined = |why: &str| -> Option<Tables> {
        if crate::timing::enabled() {
            crate::output::note(&format!("fast path declined: {why}; reading the general way"));
        }
        None
    };
    // The other inputs (account lists, snapshots: small) are read the general way on a thread of
    // their own while the post lists are parsed, and the reports are put back in the inputs' order.
    let mut builder = Builder::default();
    let mut groups: Vec<Group> = Vec::new();
    let mut set = PostSet::default();
    // Should one of them fail or turn out to be a post list, the post lists' reading stops early:
    // the general path will read everything again.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (fast_files, general_files) = std::thread::scope(|s| {
        let (builder, plans, stop) = (&mut builder, &plans, &stop);
        let side = s.spawn(move || {
            let read_files = crate::progress::quietly(|| {
                let mut read_files = Vec::new();
                for ((path, forced), plan) in paths.iter().zip(plans) {
                    if plan.is_some() {
                        continue;
                    }
                    let t = crate::timing::Timer::start("  other, general");
                    let table = load::read(path, read).ok()?;
                    let input = Input { table, forced: *forced };
                    let (report, warnings) = read_one(&input, options, builder).ok()?;
                    t.done();
                    let posts = report.kind == Some(Kind::Posts);
                    read_files.push((path, report, warnings));
                    if posts {
                        break;
                    }
                }
                Some(read_files)
            });
            let general_way = read_files
                .as_ref()
                .is_none_or(|files| files.iter().any(|(_, report, _)| report.kind == Some(Kind::Posts)));
            if general_way {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            read_files
        });
        let mut fast_files = Vec::new();
        for ((path, _), plan) in paths.iter().zip(plans) {
            let Some(plan) = plan else { continue };
            crate::progress::reading(path);
            let t = crate::timing::Timer::start("  posts, fast");
            let mut merger = Merger::new(&plan.platform, plan.layout.header_line, groups.len());
            let read = read_posts(path, &plan.layout, stop, |part| merger.add(part, &mut groups, &mut set));
            t.done();
            let failed = read.is_err();
            fast_files.push(
                read.map(|()| merger)
                    .map_err(|why| format!("{}: {why}", path.display())),
            );
            if failed {
                break;
            }
        }
        let general = side.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (fast_files, general)
    });
    let general_files = general_files?;
    let mut fast_files = fast_files.into_iter();
    let mut general_files = general_files.into_iter();
    /// An input as read: the general way (its report and warnings), or by the fast path (whose
    /// report waits for its repeats to be counted).
    enum Read<'p> {
        General(Box<InputReport>, Vec<Warning>),
        Fast(&'p Plan, Box<Merger<'p>>),
    }
    let mut read = Vec::new();
    for plan in &plans {
        match plan {
            Some(plan) => match fast_files.next()? {
                Ok(mut merger) => {
                    merger.settle(&mut groups);
                    read.push(Read::Fast(plan, Box::new(merger)));
                }
                Err(why) => return declined(&why),
            },
            None => {
                let (path, report, file_warnings) = general_files.next()?;
                if report.kind == Some(Kind::Posts) {
                    return declined(&format!("{} is a post list in another layout", path.display()));
                }
                read.push(Read::General(Box::new(report), file_warnings));
            }
        }
    }
    // Posts whose ids repeat, by the general path's rules (the blocks' places let go after).
    let t = crate::timing::Timer::start("  repeated posts");
    let mut files: Vec<repeats::File<'_, '_>> = read
        .iter_mut()
        .filter_map(|r| match r {
            Read::Fast(plan, merger) => Some(repeats::File {
                path: &plan.shell.path,
                layout: &plan.layout,
                merger,
            }),
            Read::General(..) => None,
        })
        .collect();
    let resolved = repeats::resolve(&mut files, &mut groups, &set.formats);
    for file in files {
        file.merger.places = Vec::new();
    }
    let resolved = match resolved {
        Ok(resolved) => resolved,
        Err(why) => return declined(&why),
    };
    t.done();
    let mut reports = Vec::new();
    let mut warnings = Vec::new();
    let mut mergers = Vec::new();
    let mut counts = resolved.per_file.iter();
    for r in read {
        match r {
            Read::General(report, file_warnings) => {
                reports.push(*report);
                warnings.extend(file_warnings);
            }
            Read::Fast(plan, merger) => {
                let (removed, conflicting) = counts.next().copied().unwrap_or_default();
                let (report, file_warnings) =
                    plan.report(merger.rows, merger.missing, &merger.totals, removed, conflicting);
                reports.push(report);
                warnings.extend(file_warnings);
                mergers.push(merger);
            }
        }
    }
    // The posts are laid out once the files are known to be the fast path's (and the post ids'
    // hashes are let go, which keeps them from adding to the peak).
    let t = crate::timing::Timer::start("  posts laid out");
    for merger in mergers {
        merger.finish(&mut groups);
    }
    t.done();
    let t = crate::timing::Timer::start("  join");
    let multi_niche = |groups: &[Group]| resolved.multi_niche(groups);
    let tables = builder.finish_grouped(reports, warnings, &mut groups, multi_niche, |groups| {
        set.rows = groups.iter().map(|g| g.key.rows).sum();
        // Sorted by key (stably: an account's parts stay in file order; see `key_order`), joined,
        // and built into the map in one go rather than looked up one group at a time. The keys
        // are moved out of the groups, which are not read again.
        // (A group whose every row repeated another's holds no posts: it makes no unit.)
        let with_niche: Vec<usize> = (0..groups.len())
            .filter(|&i| groups[i].key.niche.is_some() && groups[i].key.rows > 0)
            .collect();
        let keys: Vec<(&str, &str, Option<&str>)> = with_niche
            .iter()
            .map(|&i| {
                let g = &groups[i].key;
                (
                    g.niche.as_deref().unwrap_or_default(),
                    g.platform.as_str(),
                    g.account.as_deref(),
                )
            })
            .collect();
        let order = super::posts::key_order(&keys);
        drop(keys);
        let mut units: Vec<(Key, (bool, UnitPosts))> = Vec::with_capacity(order.len());
        for (k, same) in order {
            let g = &mut groups[with_niche[k as usize]];
            let posts = std::mem::take(&mut g.posts);
            match units.last_mut() {
                Some((_, (_, unit))) if same => unit.append(posts),
                _ => {
                    let Some(niche) = g.key.niche.take() else { continue };
                    let key: Key = (niche, std::mem::take(&mut g.key.platform), g.key.account.take());
                    units.push((key, (false, posts)));
                }
            }
        }
        set.units = units;
        set
    });
    t.done();
    tables.ok()
}

#[cfg(test)]
mod tests {
    use super::blocks::{split_fast, split_row};
    use super::cells::{cell_text, count, date, flag, Cell};
    use super::part::id_hash;
    use super::*;
    use crate::load::delimited::Stops;
    use crate::normalise::date::{parse_date, ParsedDate};
    use crate::normalise::value;
    use crate::normalise::value::{parse_flag, Flag};
    use proptest::prelude::*;

    /// Two post ids whose 32-bit hashes are the same are two posts, told apart when their rows
    /// are read again; a real duplicate beside them is still found.
    #[test]
    fn ids_that_share_a_hash_are_two_posts() {
        let mut seen: std::collections::HashMap<u32, String> = std::collections::HashMap::new();
        let (a, b) = (0..2_000_000u32)
            .find_map(|i| {
                let id = format!("p{i}");
                seen.insert(id_hash(&id), id.clone()).map(|earlier| (earlier, id))
            })
            .expect("a pair of ids sharing a hash among two million");
        let dir = std::env::temp_dir().join(format!("niche-shared-hash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("posts.csv");
        let rows = [
            format!("{a},acc1,2026-03-01,5,1"),
            format!("{b},acc1,2026-03-02,7,1"),
            "p_other,acc2,2026-03-03,9,1".to_string(),
            format!("{a},acc1,2026-03-01,5,1"),
        ];
        std::fs::write(
            &path,
            format!("post_id,account_id,published_at,likes,comments\n{}\n", rows.join("\n")),
        )
        .unwrap();
        let read = ReadOptions {
            encoding: None,
            sheet: None,
            known_header: super::super::fields::is_known_header,
        };
        let tables = try_read(&[(path, None)], &Options::default(), &read).expect("the fast path reads it");
        let input = &tables.inputs[0];
        assert_eq!((input.rows_read, input.deduplicated, input.rows_used), (4, 1, 3));
        assert_eq!(tables.post_set.map(|s| s.rows), Some(3));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A whole cell of `text`, unquoted.
    fn whole(text: &str) -> Cell {
        Cell {
            start: 0,
            end: text.len(),
            escaped: false,
        }
    }

    proptest! {
        /// The fast path reads a count as the general path's rule does, or leaves it to it (a
        /// count with a decimal part, which the general path reads and counts, it leaves); a
        /// plain whole number it always reads.
        #[test]
        fn counts_read_as_the_general_path_reads_them(text in "[0-9]{0,17}|[0-9a.,+ \\-万kw%]{0,7}") {
            let fast = count(&text, whole(&text), &mut String::new(), 1e10);
            let plain = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            match value::read_amount(value::tidy(&text), Some(1e10)) {
                value::Reading::Missing => prop_assert_eq!(fast, Ok(None)),
                value::Reading::Read((v, false)) if plain => prop_assert_eq!(fast, Ok(Some(v))),
                value::Reading::Read((v, false)) => {
                    prop_assert!(fast.is_err() || fast == Ok(Some(v)), "{:?} read as {:?}", text, fast)
                }
                _ => prop_assert!(fast.is_err(), "{:?} read as {:?}", text, fast),
            }
        }
    }

    #[test]
    fn counts_beyond_the_ceiling_and_lower_bounds_are_left_to_the_general_path() {
        let read = |t: &str| count(t, whole(t), &mut String::new(), 1e10);
        assert_eq!(read("1.2万"), Ok(Some(12_000.0)));
        assert_eq!(read("12,500"), Ok(Some(12_500.0)));
        assert_eq!(read("-"), Ok(None));
        assert!(read("10万+").is_err(), "a lower bound: the general path counts them");
        assert!(read("99999999999").is_err(), "implausible");
        assert!(read("-3").is_err(), "negative");
        assert!(read("3%").is_err(), "a rate is no count");
    }

    #[test]
    fn the_general_path_agrees_on_every_date_of_the_range_it_accepts() {
        // Every day of 2000–2099 at a few times, against the general path's parser.
        let read = |t: &str| date(t, whole(t), &mut String::new());
        let mut t = crate::normalise::date::EARLIEST;
        while t < crate::normalise::date::LATEST {
            let text = format!("{}T13:07:59", crate::civil::day_text(t.div_euclid(86_400)));
            assert_eq!(read(&text), Ok(Some(t + 13 * 3600 + 7 * 60 + 59)));
            assert_eq!(parse_date(&text), ParsedDate::At(t + 13 * 3600 + 7 * 60 + 59));
            t += 86_400;
        }
        assert!(
            read("1999-12-31").is_err(),
            "outside the range: the general path counts it"
        );
        assert!(read("2026-02-29").is_err());
        assert!(read("2026-06-25T24:00:00").is_err());
        // Other spellings by the general path's rule.
        for text in ["2026年06月25日12时01分35秒", "Jan 6, 2026", "2026/06/23"] {
            match parse_date(text) {
                ParsedDate::At(t) => assert_eq!(read(text), Ok(Some(t)), "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn flags_read_as_the_general_path_reads_them() {
        for text in [
            "true", "false", "TRUE", "FALSE", "True", "False", "1", "0", "", "yes", "是", "否", "商单", "-", "maybe",
        ] {
            let fast = flag(text, whole(text), &mut String::new());
            match parse_flag(text) {
                Flag::Yes => assert_eq!(fast, Ok(Some(true)), "{text}"),
                Flag::No => assert_eq!(fast, Ok(Some(false)), "{text}"),
                Flag::Missing => assert_eq!(fast, Ok(None), "{text}"),
                Flag::Invalid => assert!(fast.is_err(), "{text}: left to the general path"),
            }
        }
    }

    /// Every row of a block, split the way `parse_block` splits them (stops, quotes the slow way)
    /// or by `split_row` alone; an error ends the list.
    fn split_all(block: &[u8], width: usize, fast: bool) -> (Vec<(usize, usize, bool)>, bool) {
        let mut cells = vec![Cell::default(); width];
        let mut stops = Stops::new(block, b',');
        let (mut out, mut pos) = (Vec::new(), 0);
        while pos < block.len() {
            let next = if fast {
                match split_fast(block, &mut stops, pos, &mut cells) {
                    Ok(Some(next)) => Ok(next),
                    Ok(None) => split_row(block, pos, &mut cells).inspect(|&next| stops.seek(next)),
                    Err(e) => Err(e),
                }
            } else {
                split_row(block, pos, &mut cells)
            };
            match next {
                Ok(next) => pos = next,
                Err(_) => return (out, false),
            }
            out.extend(cells.iter().map(|c| (c.start, c.end, c.escaped)));
        }
        (out, true)
    }

    proptest! {
        /// Splitting by stops gives the cells `split_row` gives, and fails where it fails.
        #[test]
        fn rows_split_by_stops_as_byte_by_byte(rows in proptest::collection::vec(
            proptest::collection::vec("[a-c ,\"\r\t]{0,6}|\"[a-c,\"]{0,5}\"", 1..5), 1..30), crlf: bool, width in 1usize..5) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text: String = rows.iter().map(|r| r.join(",") + end).collect();
            prop_assert_eq!(split_all(text.as_bytes(), width, true), split_all(text.as_bytes(), width, false), "{:?}", text);
        }
    }

    #[test]
    fn rows_split_like_csv() -> std::result::Result<(), String> {
        let block = b"p1,a1,\"x, \"\"y\"\"\"\r\np2,a2,z\n";
        let mut cells = vec![Cell::default(); 3];
        let next = split_row(block, 0, &mut cells)?;
        let mut scratch = String::new();
        let text = std::str::from_utf8(block).map_err(|e| e.to_string())?;
        assert_eq!(cell_text(text, cells[2], &mut scratch)?, "x, \"y\"");
        let end = split_row(block, next, &mut cells)?;
        assert_eq!(end, block.len());
        assert!(split_row(b"p1,a1\n", 0, &mut cells).is_err(), "short row");
        assert!(
            split_row(b"p1,a1,\"x\ny\"\n", 0, &mut cells).is_err(),
            "quoted line break"
        );
        assert!(
            split_row(b"p1,a1,x\"y\n", 0, &mut cells).is_err(),
            "quote inside a cell"
        );
        assert!(
            split_row(b"p1,a1,x\ry\n", 0, &mut cells).is_err(),
            "lone carriage return"
        );
        Ok(())
    }
}
