//! `niche inspect FILE...`: what was recognised in each file, and what could not be read.

use anyhow::Context;

use crate::cli::{InspectArgs, InspectFormat};
use crate::lang::{say, Lang};
use crate::method::METHOD_VERSION;
use crate::normalise::mapping::Kind;
use crate::normalise::{self, InputReport, Warning};
use crate::output;
use crate::text::sanitise_line;

pub fn run(args: &InspectArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.units {
        return folder(dir, args);
    }
    let tables = crate::pipeline::read_tables(&args.load, crate::pipeline::Read::General)?;
    let bytes = match args.format {
        InspectFormat::Json => {
            let value = serde_json::json!({
                "method_version": METHOD_VERSION,
                "inputs": tables.inputs,
                "warnings": tables.warnings,
            });
            let mut v = serde_json::to_vec_pretty(&value).context("rendering JSON")?;
            v.push(b'\n');
            v
        }
        InspectFormat::Text => text(&tables.inputs, &tables.warnings).into_bytes(),
    };
    output::write_stdout(&bytes).context("writing to standard output")?;
    Ok(())
}

/// `niche inspect --units DIR`: what each part read, and which units tables an engine wrote.
fn folder(dir: &std::path::Path, args: &InspectArgs) -> anyhow::Result<()> {
    crate::pipeline::no_inputs_beside_units(&args.load)?;
    let (tables, parts, posts_read) = crate::exchange::read_parts(dir)?;
    let written = crate::exchange::units_written(dir)?;
    let bytes = match args.format {
        InspectFormat::Json => {
            let units: serde_json::Map<String, serde_json::Value> = written
                .iter()
                .map(|(name, rows)| (name.to_string(), serde_json::json!(rows)))
                .collect();
            let value = serde_json::json!({
                "method_version": METHOD_VERSION,
                "parts": parts,
                "posts_read": posts_read,
                "units_tables": units,
                "inputs": tables.inputs,
                "warnings": tables.warnings,
            });
            let mut v = serde_json::to_vec_pretty(&value).context("rendering JSON")?;
            v.push(b'\n');
            v
        }
        InspectFormat::Text => {
            let mut out = format!(
                "{}: {} part(s) ({}), {posts_read} posts read\n",
                sanitise_line(&dir.display().to_string()),
                parts.len(),
                parts.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
            );
            out.push_str("units tables (written by an engine):\n");
            for (name, rows) in &written {
                match rows {
                    Some(n) => out.push_str(&format!("  {name}: {n} rows\n")),
                    None => out.push_str(&format!("  {name}: not written\n")),
                }
            }
            if written.iter().all(|(_, rows)| rows.is_none()) {
                out.push_str("  (none yet: `niche sql` prints the SQL that writes them; without them `niche score --units` runs the step itself)\n");
            }
            out.push('\n');
            out.push_str(&text(&tables.inputs, &tables.warnings));
            out.into_bytes()
        }
    };
    output::write_stdout(&bytes).context("writing to standard output")?;
    Ok(())
}

/// A field's label, padded as the English labels are, in the run's language.
fn label(l: Lang, en: &str, zh: &str) -> String {
    l.either(format!("  {:<11}", format!("{en}:")), format!("  {zh}："))
}

fn text(inputs: &[InputReport], warnings: &[Warning]) -> String {
    let l = crate::lang::current();
    let mut out = String::new();
    for i in inputs {
        out.push_str(&format!("{}\n", sanitise_line(&i.path)));
        out.push_str(&label(l, "format", "格式"));
        out.push_str(&l.either(
            format!("{} (header on line {})\n", i.format, i.header_line),
            format!("{}（表头在第 {} 行）\n", i.format, i.header_line),
        ));
        out.push_str(&label(l, "encoding", "编码"));
        let source = match (l, i.encoding_source.as_str()) {
            (Lang::Zh, "byte order mark") => "字节顺序标记",
            (Lang::Zh, "valid UTF-8") => "有效的 UTF-8",
            (Lang::Zh, "detected") => "自动检测",
            (_, other) => other,
        };
        out.push_str(&l.either(
            format!("{} ({source})\n", i.encoding),
            format!("{}（{source}）\n", i.encoding),
        ));
        out.push_str(&label(l, "kind", "类型"));
        match i.kind {
            Some(k) => {
                let name = match (l, k) {
                    (Lang::En, k) => k.name(),
                    (Lang::Zh, Kind::Accounts) => "账号列表",
                    (Lang::Zh, Kind::Posts) => "帖子列表",
                    (Lang::Zh, Kind::Snapshots) => "粉丝快照",
                    (Lang::Zh, Kind::Signals) => "需求信号",
                };
                out.push_str(&l.either(
                    format!("{name}: {}\n", sanitise_line(&i.kind_reason)),
                    format!("{name}：{}\n", sanitise_line(&i.kind_reason)),
                ));
            }
            None => out.push_str(&l.either(
                format!(
                    "not recognised: {} (declare it with --accounts, --posts or --snapshots)\n",
                    i.kind_reason
                ),
                format!(
                    "无法识别：{}（用 --accounts、--posts 或 --snapshots 说明它是什么）\n",
                    i.kind_reason
                ),
            )),
        }
        out.push_str(&label(l, "platform", "平台"));
        let platform = match (l, i.platform.as_str()) {
            (Lang::Zh, "(per row)") => "（按行）".to_string(),
            (Lang::Zh, "unknown") => "未知".to_string(),
            (_, p) => l.platform(p),
        };
        out.push_str(&l.either(
            format!("{platform} ({})\n", sanitise_line(&i.platform_reason)),
            format!("{platform}（{}）\n", sanitise_line(&i.platform_reason)),
        ));
        let mut rows = match (i.kind, l) {
            // Read apart by the demand-signal reader when scored; none of them is a table row.
            (Some(Kind::Signals), Lang::En) => format!("{} read, as readings of an index", i.rows_read),
            (Some(Kind::Signals), Lang::Zh) => format!("读取 {} 行，作为指数读数", i.rows_read),
            (_, Lang::En) => format!("{} read, {} used", i.rows_read, i.rows_used),
            (_, Lang::Zh) => format!("读取 {} 行，使用 {} 行", i.rows_read, i.rows_used),
        };
        if i.deduplicated > 0 {
            rows.push_str(&l.either(
                format!(", {} duplicate(s) removed", i.deduplicated),
                format!("，删除重复 {} 行", i.deduplicated),
            ));
            if i.deduplicated_conflicting > 0 {
                rows.push_str(&l.either(
                    format!(" ({} with different values)", i.deduplicated_conflicting),
                    format!("（其中 {} 行值不同）", i.deduplicated_conflicting),
                ));
            }
        }
        for (n, en, zh) in [
            (i.skipped.banner, "banner", "横幅"),
            (i.skipped.total, "total", "汇总"),
            (i.skipped.blank, "blank", "空白"),
        ] {
            if n > 0 {
                rows.push_str(&l.either(format!(", {n} {en} row(s) skipped"), format!("，略去{zh}行 {n} 行")));
            }
        }
        if i.rows_without_niche > 0 {
            rows.push_str(&l.either(
                format!(", {} without a niche", i.rows_without_niche),
                format!("，{} 行没有赛道", i.rows_without_niche),
            ));
        }
        out.push_str(&label(l, "rows", "行"));
        out.push_str(&format!("{rows}\n"));
        if !i.missing.is_empty() {
            let missing: Vec<String> = i.missing.iter().map(|(f, n)| format!("{f} {n}")).collect();
            out.push_str(&label(l, "missing", "缺失"));
            out.push_str(&l.either(
                format!(
                    "{} (blank or a marker such as -, --, N/A: missing, not zero)\n",
                    missing.join(", ")
                ),
                format!(
                    "{}（空白或 -、--、N/A 之类的标记：按缺失处理，不当作零）\n",
                    missing.join(", ")
                ),
            ));
        }
        if !i.niches_by_keyword.is_empty() {
            let caught: Vec<String> = i
                .niches_by_keyword
                .iter()
                .map(|(n, posts)| format!("{} {posts}", crate::text::sanitise_line(n)))
                .collect();
            let accounts = i.kind == Some(Kind::Accounts);
            out.push_str(&label(l, "--niche", "--niche"));
            out.push_str(&match (l, accounts) {
                (Lang::En, true) => format!("accounts filed by keyword: {}\n", caught.join(", ")),
                (Lang::En, false) => format!("posts filed by keyword: {}\n", caught.join(", ")),
                (Lang::Zh, true) => format!("按关键词归入的账号：{}\n", caught.join(", ")),
                (Lang::Zh, false) => format!("按关键词归入的帖子：{}\n", caught.join(", ")),
            });
        }
        if i.kind == Some(Kind::Signals) {
            out.push_str(&label(l, "columns", "列"));
            out.push_str(l.pick(
                "read as keyword, date and index (METHOD.md §1, demand signals)\n",
                "按关键词、日期和指数读取（METHOD.md §1，需求信号）\n",
            ));
        } else {
            out.push_str(label(l, "columns", "列").trim_end());
            out.push('\n');
            let width = i.columns.iter().map(|c| c.field.name().len()).max().unwrap_or(0);
            for c in &i.columns {
                let mut line = l.either(
                    format!(
                        "    {:width$}  <- {:?} (column {})",
                        c.field.name(),
                        sanitise_line(&c.column),
                        c.index + 1
                    ),
                    format!(
                        "    {:width$}  <- {:?}（第 {} 列）",
                        c.field.name(),
                        sanitise_line(&c.column),
                        c.index + 1
                    ),
                );
                if c.by != "alias" {
                    line.push_str(&format!(" ({})", c.by));
                }
                if !c.also.is_empty() {
                    let also = c
                        .also
                        .iter()
                        .map(|a| {
                            l.either(
                                format!("{:?} (column {})", sanitise_line(&a.column), a.index + 1),
                                format!("{:?}（第 {} 列）", sanitise_line(&a.column), a.index + 1),
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    line.push_str(&l.either(
                        format!("  (also matched, not used: {also})"),
                        format!("  （也匹配但未使用：{also}）"),
                    ));
                }
                out.push_str(&line);
                out.push('\n');
            }
            if i.columns.is_empty() {
                out.push_str(l.pick("    (none recognised)\n", "    （一列也没有识别出来）\n"));
            }
            if !i.unmapped.is_empty() {
                let shown: Vec<String> = i
                    .unmapped
                    .iter()
                    .take(40)
                    .map(|u| format!("{:?}", sanitise_line(u)))
                    .collect();
                let more = i.unmapped.len().saturating_sub(40);
                out.push_str(&label(l, "not used", "未使用"));
                out.push_str(&shown.join(", "));
                if more > 0 {
                    out.push_str(&l.either(format!(" and {more} more"), format!(" 等，另有 {more} 列")));
                }
                out.push('\n');
            }
            if !i.niche_suggestions.is_empty() {
                let looks = i
                    .niche_suggestions
                    .iter()
                    .map(|s| format!("{:?}", sanitise_line(s)))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push_str(&l.either(
                    format!("  no niche column; these look like categories: {looks} (pass --niche-column NAME)\n"),
                    format!("  没有赛道列；这些列看起来像类别：{looks}（用 --niche-column 列名）\n"),
                ));
            }
        }
        if !i.problems.is_empty() {
            out.push_str(label(l, "problems", "问题").trim_end());
            out.push('\n');
            for p in &i.problems {
                let mut parts = Vec::new();
                if p.unreadable > 0 {
                    parts.push(l.either(
                        format!("{} unreadable", p.unreadable),
                        format!("{} 个无法读取", p.unreadable),
                    ));
                }
                if p.negative > 0 {
                    parts.push(l.either(format!("{} negative", p.negative), format!("{} 个为负数", p.negative)));
                }
                if p.censored > 0 {
                    parts.push(l.either(
                        format!("{} lower bound(s) like 10万+", p.censored),
                        format!("{} 个是 10万+ 这样的下限", p.censored),
                    ));
                }
                if p.implausible > 0 {
                    let words = normalise::implausible_words(p.field);
                    parts.push(l.either(
                        format!("{} {words}", p.implausible),
                        format!("{} 个{words}", p.implausible),
                    ));
                }
                if p.regrouped > 0 {
                    parts.push(l.either(
                        format!("{} read as thousands written with '.' (891.298 = 891,298)", p.regrouped),
                        format!("{} 个按用 '.' 写的千位读取（891.298 = 891,298）", p.regrouped),
                    ));
                }
                if p.fractional > 0 {
                    parts.push(l.either(
                        format!("{} with a decimal part, which a count does not have", p.fractional),
                        format!("{} 个带小数，而计数不该有小数", p.fractional),
                    ));
                }
                let examples: Vec<String> = p
                    .examples
                    .iter()
                    .map(|e| {
                        l.either(
                            format!("line {}: {:?}", e.line, sanitise_line(&e.value)),
                            format!("第 {} 行：{:?}", e.line, sanitise_line(&e.value)),
                        )
                    })
                    .collect();
                let total = p.read + p.unreadable + p.negative + p.implausible;
                let (name, column) = (p.field.name(), sanitise_line(&p.column));
                out.push_str(&l.either(
                    format!(
                        "    {name} ({column:?}): {}, out of {total} value(s){}\n",
                        parts.join(", "),
                        if examples.is_empty() {
                            String::new()
                        } else {
                            format!("; e.g. {}", examples.join(", "))
                        }
                    ),
                    format!(
                        "    {name}（{column:?}）：共 {total} 个值中 {}{}\n",
                        parts.join("，"),
                        if examples.is_empty() {
                            String::new()
                        } else {
                            format!("；例如 {}", examples.join("，"))
                        }
                    ),
                ));
            }
        }
        out.push('\n');
    }
    if !warnings.is_empty() {
        out.push_str(&l.either(
            format!("{} warning(s):\n", warnings.len()),
            format!("{} 条警告：\n", warnings.len()),
        ));
        for w in warnings {
            out.push_str(&format!("  {}\n", sanitise_line(&w.to_string())));
        }
    }
    out
}

/// Warnings on standard error: the first dozen, then a count of the rest.
pub fn print_warnings(warnings: &[Warning], all_of_them: &str) {
    const SHOWN: usize = 12;
    for w in warnings.iter().take(SHOWN) {
        output::note(&format!(
            "{}{}",
            say("warning: ", "警告："),
            sanitise_line(&w.to_string())
        ));
    }
    if warnings.len() > SHOWN {
        let more = warnings.len() - SHOWN;
        output::note(&say(
            format!("warning: … and {more} more (all of them: {all_of_them})"),
            format!("警告：……另有 {more} 条（全部见：{all_of_them}）"),
        ));
    }
}
