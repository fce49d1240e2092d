//! The data-quality panel: each input as read, what was left out, and the warnings.

use super::appendix::platform_name;
use super::*;

pub(super) fn kind_name(kind: Option<&str>, l: Lang) -> String {
    match kind {
        Some("accounts") => l.pick("account list", "账号列表"),
        Some("posts") => l.pick("post list", "内容列表"),
        Some("snapshots") => l.pick("follower snapshots", "粉丝快照"),
        Some(other) => other,
        None => l.pick("not recognised", "未识别"),
    }
    .to_string()
}

pub(super) fn quality(page: &Page, l: Lang) -> Markup {
    html! {
        section #quality {
            h2 { (l.pick("Data quality", "数据质量")) }
            table {
                thead { tr {
                    th { (l.pick("file", "文件")) } th { (l.pick("kind", "类型")) } th { (l.pick("platform", "平台")) }
                    th { (l.pick("format, encoding", "格式、编码")) } th.n { (l.pick("rows read", "读取行")) }
                    th.n { (l.pick("skipped", "跳过")) } th.n { (l.pick("duplicates removed", "去重")) }
                    th.n { (l.pick("no niche of their own", "无自带赛道")) } th.n { (l.pick("used", "使用")) }
                } }
                tbody {
                    @for i in &page.inputs {
                        tr {
                            td.mono { (name(&i.path)) }
                            td { (kind_name(i.kind.as_deref(), l)) }
                            td { bdi { (platform_name(&i.platform, l)) } }
                            td { (i.format) ", " (i.encoding) }
                            td.n { (i.rows_read) }
                            td.n { (i.skipped.banner + i.skipped.total + i.skipped.blank) }
                            td.n { (i.deduplicated) @if i.deduplicated_conflicting > 0 { " (" (i.deduplicated_conflicting) (l.pick(" differing", " 条不一致")) ")" } }
                            td.n { (i.rows_without_niche) }
                            td.n { (i.rows_used) }
                        }
                    }
                }
            }
            @let problems: Vec<(&str, &crate::report::page::Problem)> = page.inputs.iter().flat_map(|i| i.problems.iter().map(move |p| (i.path.as_str(), p))).filter(|(_, p)| p.unreadable + p.negative + p.implausible + p.censored > 0).collect();
            @if !problems.is_empty() {
                h4 { (l.pick("Values not used as read (counted, never turned into zero)", "未按原值使用的数据（已计数，从不当作 0）")) }
                table {
                    thead { tr {
                        th { (l.pick("file", "文件")) } th { (l.pick("column", "列")) }
                        th.n { (l.pick("unreadable", "无法读取")) } th.n { (l.pick("negative", "负数")) }
                        th.n { (l.pick("implausible values", "不合理数值")) } th.n { (l.pick("lower bounds (10万+)", "下限值（10万+）")) }
                    } }
                    tbody {
                        @for (path, p) in &problems {
                            tr { td.mono { (name(path)) } td { (name(&p.column)) } td.n { (p.unreadable) } td.n { (p.negative) } td.n { (p.implausible) } td.n { (p.censored) } }
                        }
                    }
                }
            }
            @if !page.notes.is_empty() {
                h4 { (l.pick("How the inputs were joined", "输入如何合并")) }
                ul { @for n in &page.notes { li { (name(n)) } } }
            }
            h4 { (match l { Lang::En => format!("Warnings ({})", page.warnings.len()), Lang::Zh => format!("警告（{} 条）", page.warnings.len()) }) }
            @if page.warnings.is_empty() {
                p.muted { (l.pick("None.", "无。")) }
            } @else {
                ul.warn {
                    @for w in page.warnings.iter().take(MAX_WARNINGS) {
                        li {
                            @if let Some(p) = &w.path { span.mono { (name(p)) @if let Some(line) = w.line { ":" (line) } } ": " }
                            (name(&w.message))
                        }
                    }
                }
                @if page.warnings.len() > MAX_WARNINGS {
                    p.note { (match l {
                        Lang::En => format!("{} more in report.json.", page.warnings.len() - MAX_WARNINGS),
                        Lang::Zh => format!("另有 {} 条见 report.json。", page.warnings.len() - MAX_WARNINGS),
                    }) }
                }
            }
        }
    }
}
