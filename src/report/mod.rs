//! Stage 5: scored niches -> bytes: a terminal table, CSV, JSON, or a report folder (HTML page,
//! PNG charts, report.json, scores.csv, scores.xlsx).
//!
//! Renderers are pure functions from the [`ScoreReport`] view model to bytes; writing them
//! anywhere is [`crate::output`]'s job. The HTML and charts are drawn from report.json read back
//! ([`page::Page`]), so `niche report` can redraw a folder from its JSON alone. Text from inputs
//! is escaped for each target: control and bidi characters in the terminal, formula-leading
//! characters in CSV, markup in HTML; JSON escapes by itself.

pub mod charts;
pub mod format;
pub mod html;
pub mod lang;
pub mod page;
pub mod prose;
pub mod questions;
pub mod show;
pub mod terminal;
pub mod xlsx;

pub use lang::Lang;
pub use terminal::table;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::method::METHOD_VERSION;
use crate::normalise::{InputReport, Warning};
use crate::score::uncertainty::BootstrapSettings;
use crate::score::{Scored, ScoredNiche, Sensitivity, Weights};

/// Everything a score output shows, in one serialisable value.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreReport {
    pub method_version: &'static str,
    pub formula: &'static str,
    pub inputs: Vec<InputReport>,
    pub warnings: Vec<Warning>,
    /// How the inputs were joined (not problems).
    pub notes: Vec<String>,
    /// The interaction counts summed as engagement, as present in the inputs.
    pub engagement_components: Vec<&'static str>,
    /// The engagement-rate denominator compared across niches.
    pub engagement_rate_basis: Option<&'static str>,
    /// The measures each sub-factor used in this run (each niche uses the first it has).
    pub measures_used: BTreeMap<&'static str, Vec<&'static str>>,
    /// The reference scales the niches were judged against (METHOD.md §3).
    pub reference: crate::score::ReferenceUsed,
    /// Per platform and measure, where its scale came from: the reference, the crawl or both
    /// (method 2.1, METHOD.md §3, calibration).
    pub calibration: Vec<crate::measure::calibrate::Calibration>,
    /// The weight of each sub-factor.
    pub weights: Weights,
    pub bootstrap: BootstrapSettings,
    pub niches: Vec<NicheView>,
    /// Each weight at ×0.5 and ×1.5: the scores and ranks that follow, and which ranks change.
    pub sensitivity: Vec<Sensitivity>,
    /// How often the top pick stays on top under random weights around the defaults.
    pub robustness: Option<crate::score::uncertainty::Robustness>,
    /// Your account against each niche (`--me`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me: Option<crate::score::me::Me>,
    /// The profile behind the personal scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::profile::Profile>,
}

impl ScoreReport {
    /// The top pick (METHOD.md §3): the first niche with a score and enough evidence.
    pub fn top_pick(&self) -> Option<&NicheView> {
        self.niches
            .iter()
            .find(|n| n.score.is_some() && !n.metrics.low_evidence)
    }

    pub fn new(scored: Scored, inputs: Vec<InputReport>, warnings: Vec<Warning>, notes: Vec<String>) -> Self {
        ScoreReport {
            method_version: METHOD_VERSION,
            formula: "score = demand × business × traffic",
            inputs,
            warnings,
            notes,
            engagement_components: scored.engagement_components,
            engagement_rate_basis: scored.engagement_rate_basis,
            measures_used: {
                let mut used: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
                for (sub, measure) in scored.measures_used {
                    used.entry(sub).or_default().push(measure);
                }
                used
            },
            reference: scored.reference,
            calibration: scored.calibration,
            weights: scored.weights,
            bootstrap: scored.bootstrap,
            niches: scored
                .niches
                .into_iter()
                .map(|n| {
                    let mine = scored
                        .me
                        .as_ref()
                        .and_then(|me| me.niches.iter().find(|m| m.niche == n.metrics.niche));
                    NicheView {
                        questions: questions::answers(
                            &n,
                            scored.profile.as_ref().map_or(&[][..], |p| &p.channels[..]),
                            mine,
                        ),
                        scored: n,
                    }
                })
                .collect(),
            sensitivity: scored.sensitivity,
            robustness: scored.robustness,
            me: scored.me,
            profile: scored.profile,
        }
    }
}

/// A scored niche with the essay's ten questions answered.
#[derive(Debug, Clone, Serialize)]
pub struct NicheView {
    #[serde(flatten)]
    pub scored: ScoredNiche,
    pub questions: Vec<questions::Answer>,
}

impl std::ops::Deref for NicheView {
    type Target = ScoredNiche;
    fn deref(&self) -> &ScoredNiche {
        &self.scored
    }
}

/// The files of a report folder, by path relative to the folder, in the order to write them.
pub struct Bundle {
    pub files: Vec<(String, Vec<u8>)>,
    /// The method version the report's numbers were computed with.
    pub method_version: String,
}

/// The page and charts of a report, drawn from its report.json (`json_path` names it in errors).
/// With `refresh`, the page reloads itself every that many seconds (for `niche run --watch`).
pub fn render(
    report_json: &[u8],
    json_path: &std::path::Path,
    lang: Lang,
    refresh: Option<u32>,
) -> crate::error::Result<Bundle> {
    let page = page::parse(report_json, json_path)?;
    let charts = charts::draw(&page, lang)?;
    let html = html::render(&page, &charts, lang, refresh);
    let mut files: Vec<(String, Vec<u8>)> = charts
        .drawn
        .into_iter()
        .map(|c| (format!("charts/{}.png", c.name), c.png))
        .collect();
    files.push(("report.html".to_string(), html));
    Ok(Bundle {
        files,
        method_version: page.method_version,
    })
}

/// JSON for scripts: the whole view model, pretty-printed, with a trailing newline.
pub fn json(report: &ScoreReport) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    out.push(b'\n');
    out
}

/// A CSV column: its header and how to read it from a niche.
type CsvColumn = (&'static str, fn(&NicheView, &ScoreReport) -> String);

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn int(v: Option<u64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn bound(n: &NicheView, key: &str, high: bool) -> String {
    num(n.intervals.get(key).and_then(|i| if high { i.high } else { i.low }))
}

const CSV_COLUMNS: &[CsvColumn] = &[
    ("rank", |n, _| n.rank.to_string()),
    ("niche", |n, _| spreadsheet_safe(&n.metrics.niche)),
    ("platforms", |n, _| spreadsheet_safe(&n.metrics.platforms.join(";"))),
    ("start_on", |n, _| {
        spreadsheet_safe(n.start_on.as_deref().unwrap_or_default())
    }),
    ("accounts", |n, _| int(n.metrics.accounts)),
    ("posts", |n, _| int(n.metrics.posts)),
    ("followers_total", |n, _| num(n.metrics.followers_total)),
    ("engagement_total", |n, _| num(n.metrics.engagement_total)),
    ("median_engagement_per_post", |n, _| {
        num(n.metrics.median_engagement_per_post)
    }),
    ("engagement_rate", |n, _| num(n.metrics.engagement_rate)),
    ("engagement_rate_basis", |n, _| {
        n.metrics.engagement_rate_basis.unwrap_or_default().to_string()
    }),
    ("median_views_per_post", |n, _| num(n.metrics.median_views_per_post)),
    ("posts_per_week", |n, _| num(n.metrics.posts_per_week)),
    ("hours_per_week", |n, _| num(n.metrics.hours_per_week)),
    ("sponsored_share", |n, _| num(n.metrics.sponsored_share)),
    ("sponsored_lift", |n, _| num(n.metrics.sponsored_lift)),
    ("price_per_post_median", |n, _| num(n.metrics.price_per_post_median)),
    ("price_per_10k_followers", |n, _| num(n.metrics.price_per_10k_followers)),
    ("earnings_monthly_median", |n, _| num(n.metrics.earnings_monthly_median)),
    ("value_per_post_low", |n, _| num(n.metrics.value_per_post.map(|v| v[0]))),
    ("value_per_post_high", |n, _| {
        num(n.metrics.value_per_post.map(|v| v[1]))
    }),
    ("value_basis", |n, _| {
        n.metrics.value_basis.unwrap_or_default().to_string()
    }),
    ("top10_follower_share", |n, _| num(n.metrics.top10_follower_share)),
    ("gini", |n, _| num(n.metrics.gini)),
    ("gini_basis", |n, _| {
        n.metrics.gini_basis.unwrap_or_default().to_string()
    }),
    ("hhi", |n, _| num(n.metrics.hhi)),
    ("mid_tier_median_er", |n, _| num(n.metrics.mid_tier_median_er)),
    ("head_engagement_per_post", |n, _| {
        num(n.metrics.head_engagement_per_post)
    }),
    ("newcomer_breakout_odds", |n, _| num(n.metrics.newcomer_breakout_odds)),
    ("breakout_rate", |n, _| num(n.metrics.breakout_rate)),
    ("engagement_trend_monthly", |n, _| {
        num(n.metrics.engagement_trend_monthly)
    }),
    ("trend_p_value", |n, _| num(n.metrics.trend_p_value)),
    ("follower_growth_monthly", |n, _| num(n.metrics.follower_growth_monthly)),
    ("censored_values", |n, _| n.metrics.censored_values.to_string()),
    ("low_evidence", |n, _| n.metrics.low_evidence.to_string()),
    ("demand", |n, _| num(n.demand)),
    ("demand_low", |n, _| bound(n, "demand", false)),
    ("demand_high", |n, _| bound(n, "demand", true)),
    ("business", |n, _| num(n.business)),
    ("business_low", |n, _| bound(n, "business", false)),
    ("business_high", |n, _| bound(n, "business", true)),
    ("traffic", |n, _| num(n.traffic)),
    ("traffic_low", |n, _| bound(n, "traffic", false)),
    ("traffic_high", |n, _| bound(n, "traffic", true)),
    ("score", |n, _| num(n.score)),
    ("score_low", |n, _| bound(n, "score", false)),
    ("score_high", |n, _| bound(n, "score", true)),
    ("p_first", |n, _| num(n.p_first)),
    ("p_above_next", |n, _| num(n.p_above_next)),
    ("personal_score", |n, _| num(n.personal.as_ref().and_then(|p| p.score))),
    ("method_version", |_, r| r.method_version.to_string()),
];

/// CSV: one row per niche, every measure a column; empty cells where a value is unknown.
/// Text cells that a spreadsheet would run as a formula are prefixed with `'`.
pub fn csv(report: &ScoreReport) -> Vec<u8> {
    let (headers, rows) = csv_cells(report);
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(headers);
    for row in rows {
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

/// The CSV's header and cells, one row a niche (the CSV and the workbook write the same).
pub(crate) fn csv_cells(report: &ScoreReport) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let headers = CSV_COLUMNS.iter().map(|c| c.0).collect();
    let rows = report
        .niches
        .iter()
        .map(|n| CSV_COLUMNS.iter().map(|c| (c.1)(n, report)).collect())
        .collect();
    (headers, rows)
}

/// CSV bytes for a file a person opens: with a UTF-8 byte-order mark where the text is not all
/// ASCII, as Excel (in a Chinese locale above all) otherwise reads UTF-8 as the locale's code page
/// and shows AI工具 as mojibake. Standard output gets none: a pipe's reader does not need it.
pub fn for_excel(csv: &[u8]) -> Vec<u8> {
    if csv.is_ascii() || csv.starts_with(b"\xEF\xBB\xBF") {
        return csv.to_vec();
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(csv);
    out
}

/// Neutralise text that a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR at the start).
pub fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A sub-factor and its value on its fixed scale.
pub type Ranked<'a> = (&'a str, f64);

/// Of a niche's sub-factors with a scaled value, its two strongest and (when it has more than two)
/// its weakest: the reasons the table and the page give for a rank.
pub fn strongest_and_weakest<'a>(
    evidence: impl IntoIterator<Item = (&'a str, Option<f64>)>,
) -> (Vec<Ranked<'a>>, Option<Ranked<'a>>) {
    let mut ev: Vec<Ranked> = evidence.into_iter().filter_map(|(s, p)| Some((s, p?))).collect();
    ev.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let weakest = ev.last().copied().filter(|_| ev.len() > 2);
    ev.truncate(2);
    (ev, weakest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("美妆"), "美妆");
    }
}
