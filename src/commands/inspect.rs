//! `niche inspect FILE...`: what was recognised in each file, and what could not be read.

use anyhow::Context;

use crate::cli::{InspectArgs, InspectFormat};
use crate::lang::say;
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

fn text(inputs: &[InputReport], warnings: &[Warning]) -> String {
    let mut out = String::new();
    for i in inputs {
        out.push_str(&format!("{}\n", sanitise_line(&i.path)));
        out.push_str(&format!(
            "  format:    {} (header on line {})\n",
            i.format, i.header_line
        ));
        out.push_str(&format!("  encoding:  {} ({})\n", i.encoding, i.encoding_source));
        match i.kind {
            Some(k) => out.push_str(&format!(
                "  kind:      {}: {}\n",
                k.name(),
                sanitise_line(&i.kind_reason)
            )),
            None => out.push_str(&format!(
                "  kind:      not recognised: {} (declare it with --accounts, --posts or --snapshots)\n",
                i.kind_reason
            )),
        }
        out.push_str(&format!(
            "  platform:  {} ({})\n",
            i.platform,
            sanitise_line(&i.platform_reason)
        ));
        let mut rows = match i.kind {
            // Read apart by the demand-signal reader when scored; none of them is a table row.
            Some(Kind::Signals) => format!("{} read, as readings of an index", i.rows_read),
            _ => format!("{} read, {} used", i.rows_read, i.rows_used),
        };
        if i.deduplicated > 0 {
            rows.push_str(&format!(", {} duplicate(s) removed", i.deduplicated));
            if i.deduplicated_conflicting > 0 {
                rows.push_str(&format!(" ({} with different values)", i.deduplicated_conflicting));
            }
        }
        for (n, what) in [
            (i.skipped.banner, "banner"),
            (i.skipped.total, "total"),
            (i.skipped.blank, "blank"),
        ] {
            if n > 0 {
                rows.push_str(&format!(", {n} {what} row(s) skipped"));
            }
        }
        if i.rows_without_niche > 0 {
            rows.push_str(&format!(", {} without a niche", i.rows_without_niche));
        }
        out.push_str(&format!("  rows:      {rows}\n"));
        if !i.missing.is_empty() {
            let missing: Vec<String> = i.missing.iter().map(|(f, n)| format!("{f} {n}")).collect();
            out.push_str(&format!(
                "  missing:   {} (blank or a marker such as -, --, N/A: missing, not zero)\n",
                missing.join(", ")
            ));
        }
        if !i.niches_by_keyword.is_empty() {
            let caught: Vec<String> = i
                .niches_by_keyword
                .iter()
                .map(|(n, posts)| format!("{} {posts}", crate::text::sanitise_line(n)))
                .collect();
            let rows = if i.kind == Some(Kind::Accounts) {
                "accounts"
            } else {
                "posts"
            };
            out.push_str(&format!(
                "  --niche:   {rows} filed by keyword: {}\n",
                caught.join(", ")
            ));
        }
        if i.kind == Some(Kind::Signals) {
            out.push_str("  columns:   read as keyword, date and index (METHOD.md §1, demand signals)\n");
        } else {
            out.push_str("  columns:\n");
            let width = i.columns.iter().map(|c| c.field.name().len()).max().unwrap_or(0);
            for c in &i.columns {
                let mut line = format!(
                    "    {:width$}  <- {:?} (column {})",
                    c.field.name(),
                    sanitise_line(&c.column),
                    c.index + 1
                );
                if c.by != "alias" {
                    line.push_str(&format!(" ({})", c.by));
                }
                if !c.also.is_empty() {
                    line.push_str(&format!(
                        "  (also matched, not used: {})",
                        c.also
                            .iter()
                            .map(|a| format!("{:?} (column {})", sanitise_line(&a.column), a.index + 1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                out.push_str(&line);
                out.push('\n');
            }
            if i.columns.is_empty() {
                out.push_str("    (none recognised)\n");
            }
            if !i.unmapped.is_empty() {
                let shown: Vec<String> = i
                    .unmapped
                    .iter()
                    .take(40)
                    .map(|u| format!("{:?}", sanitise_line(u)))
                    .collect();
                let more = i.unmapped.len().saturating_sub(40);
                out.push_str(&format!(
                    "  not used:  {}{}\n",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ));
            }
            if !i.niche_suggestions.is_empty() {
                out.push_str(&format!(
                    "  no niche column; these look like categories: {} (pass --niche-column NAME)\n",
                    i.niche_suggestions
                        .iter()
                        .map(|s| format!("{:?}", sanitise_line(s)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if !i.problems.is_empty() {
            out.push_str("  problems:\n");
            for p in &i.problems {
                let mut parts = Vec::new();
                if p.unreadable > 0 {
                    parts.push(format!("{} unreadable", p.unreadable));
                }
                if p.negative > 0 {
                    parts.push(format!("{} negative", p.negative));
                }
                if p.censored > 0 {
                    parts.push(format!("{} lower bound(s) like 10万+", p.censored));
                }
                if p.implausible > 0 {
                    parts.push(format!("{} {}", p.implausible, normalise::implausible_words(p.field)));
                }
                if p.regrouped > 0 {
                    parts.push(format!(
                        "{} read as thousands written with '.' (891.298 = 891,298)",
                        p.regrouped
                    ));
                }
                if p.fractional > 0 {
                    parts.push(format!(
                        "{} with a decimal part, which a count does not have",
                        p.fractional
                    ));
                }
                let examples: Vec<String> = p
                    .examples
                    .iter()
                    .map(|e| format!("line {}: {:?}", e.line, sanitise_line(&e.value)))
                    .collect();
                out.push_str(&format!(
                    "    {} ({:?}): {}, out of {} value(s){}\n",
                    p.field.name(),
                    sanitise_line(&p.column),
                    parts.join(", "),
                    p.read + p.unreadable + p.negative + p.implausible,
                    if examples.is_empty() {
                        String::new()
                    } else {
                        format!("; e.g. {}", examples.join(", "))
                    }
                ));
            }
        }
        out.push('\n');
    }
    if !warnings.is_empty() {
        out.push_str(&format!("{} warning(s):\n", warnings.len()));
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
