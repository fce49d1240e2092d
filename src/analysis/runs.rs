//! The run log: `reports/<name>/runs/<n>/`, and what changed between two runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::text::{display_width, pad, sanitise_line};

/// Run numbers present under `runs`, ascending.
pub fn numbers(runs: &Path) -> Vec<u64> {
    let mut out: Vec<u64> = std::fs::read_dir(runs)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    out.sort_unstable();
    out
}

pub fn run_dir(runs: &Path, n: u64) -> PathBuf {
    runs.join(n.to_string())
}

/// One niche's rank and score in a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub rank: u64,
    pub score: Option<f64>,
}

fn standings(report: &Value) -> BTreeMap<String, Standing> {
    report["niches"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| {
            Some((
                n["niche"].as_str()?.to_string(),
                Standing {
                    rank: n["rank"].as_u64()?,
                    score: n["score"].as_f64(),
                },
            ))
        })
        .collect()
}

/// How one niche moved between two runs.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub niche: String,
    pub before: Option<Standing>,
    pub after: Option<Standing>,
}

/// The method versions of two reports where they differ: their scores are on different scales
/// (METHOD.md's changelog), so only ranks are compared.
pub fn method_change(before: &Value, after: &Value) -> Option<(String, String)> {
    let version = |v: &Value| v["method_version"].as_str().unwrap_or("unknown").to_string();
    let (a, b) = (version(before), version(after));
    (a != b).then_some((a, b))
}

/// The niches whose rank or score changed (or that appeared or left), in the later run's order.
/// Across method versions the earlier scores are left out: they are not on the same scale.
pub fn changes(before: &Value, after: &Value) -> Vec<Change> {
    let (mut a, b) = (standings(before), standings(after));
    if method_change(before, after).is_some() {
        for s in a.values_mut() {
            s.score = None;
        }
    }
    let mut out: Vec<Change> = Vec::new();
    for (niche, now) in &b {
        let then = a.get(niche);
        if then != Some(now) {
            out.push(Change {
                niche: niche.clone(),
                before: then.cloned(),
                after: Some(now.clone()),
            });
        }
    }
    for (niche, then) in &a {
        if !b.contains_key(niche) {
            out.push(Change {
                niche: niche.clone(),
                before: Some(then.clone()),
                after: None,
            });
        }
    }
    out.sort_by(|x, y| {
        let r = |c: &Change| c.after.as_ref().map_or(u64::MAX, |s| s.rank);
        r(x).cmp(&r(y)).then(x.niche.cmp(&y.niche))
    });
    out
}

/// Settings that differ between two effective niche.toml files, as dotted keys.
pub fn setting_changes(before: &str, after: &str) -> Vec<(String, String, String)> {
    fn flatten(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    flatten(&key, v, out);
                }
            }
            other => {
                out.insert(prefix.to_string(), other.to_string());
            }
        }
    }
    let read = |s: &str| {
        let mut out = BTreeMap::new();
        if let Ok(t) = s.parse::<toml::Table>() {
            flatten("", &toml::Value::Table(t), &mut out);
        }
        out
    };
    let (a, b) = (read(before), read(after));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            let show = |m: &BTreeMap<String, String>| m.get(k).cloned().unwrap_or_else(|| "(unset)".to_string());
            (k.clone(), show(&a), show(&b))
        })
        .collect()
}

fn standing_text(s: &Option<Standing>) -> (String, String) {
    match s {
        Some(s) => (
            format!("#{}", s.rank),
            s.score.map_or_else(|| "—".to_string(), |v| format!("{v:.3}")),
        ),
        None => ("—".to_string(), "—".to_string()),
    }
}

/// The `niche diff` text: settings and inputs that changed, then each niche that moved.
pub fn diff_text(
    label: (&str, &str),
    methods: Option<(String, String)>,
    settings: &[(String, String, String)],
    inputs: &[String],
    changes: &[Change],
) -> String {
    let mut out = format!("{} → {}\n", label.0, label.1);
    if let Some((a, b)) = methods {
        out.push_str(&format!(
            "method: {} → {}: the scores are measured differently (METHOD.md's changelog), so ranks are compared and scores are not subtracted\n",
            sanitise_line(&a),
            sanitise_line(&b)
        ));
    }
    if settings.is_empty() {
        out.push_str("settings: unchanged\n");
    } else {
        out.push_str("settings:\n");
        for (k, a, b) in settings {
            out.push_str(&format!("  {k}: {} → {}\n", sanitise_line(a), sanitise_line(b)));
        }
    }
    if inputs.is_empty() {
        out.push_str("inputs: unchanged\n");
    } else {
        out.push_str("inputs:\n");
        for line in inputs {
            out.push_str(&format!("  {}\n", sanitise_line(line)));
        }
    }
    if changes.is_empty() {
        out.push_str("ranking: unchanged\n");
        return out;
    }
    let rows: Vec<[String; 5]> = changes
        .iter()
        .map(|c| {
            let (r0, s0) = standing_text(&c.before);
            let (r1, s1) = standing_text(&c.after);
            let delta = match (
                c.before.as_ref().and_then(|s| s.score),
                c.after.as_ref().and_then(|s| s.score),
            ) {
                (Some(a), Some(b)) => format!("{:+.3}", b - a),
                _ => String::new(),
            };
            [
                sanitise_line(&c.niche),
                format!("{r0} → {r1}"),
                format!("{s0} → {s1}"),
                delta,
                String::new(),
            ]
        })
        .collect();
    let headers = ["niche", "rank", "score", "Δ score", ""];
    let mut widths = headers.map(display_width);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(display_width(c));
        }
    }
    out.push_str("ranking:\n");
    let line = |cells: &[String], out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .take(4)
            .map(|(i, c)| pad(c, widths[i], i > 0))
            .collect();
        out.push_str("  ");
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&headers.map(str::to_string), &mut out);
    for r in &rows {
        line(r, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn across_method_versions_scores_are_not_subtracted() {
        let a = json!({"method_version": "1.2", "niches": [{"niche": "a", "rank": 1, "score": 0.5}, {"niche": "b", "rank": 2, "score": 0.4}]});
        let b = json!({"method_version": "2.0", "niches": [{"niche": "b", "rank": 1, "score": 0.3}, {"niche": "a", "rank": 2, "score": 0.2}]});
        let methods = method_change(&a, &b);
        assert_eq!(methods, Some(("1.2".to_string(), "2.0".to_string())));
        let c = changes(&a, &b);
        assert!(c.iter().all(|c| c.before.as_ref().is_some_and(|s| s.score.is_none())));
        let text = diff_text(("run 1", "run 2"), methods, &[], &[], &c);
        assert!(text.contains("method: 1.2 → 2.0"), "{text}");
        assert!(
            !text.contains("-0.2") && !text.contains("+0."),
            "no score difference: {text}"
        );
        assert!(method_change(&b, &b).is_none());
    }

    #[test]
    fn changes_list_moves_arrivals_and_departures() {
        let a = json!({"niches": [{"niche": "a", "rank": 1, "score": 0.5}, {"niche": "b", "rank": 2, "score": 0.4}, {"niche": "gone", "rank": 3, "score": 0.1}]});
        let b = json!({"niches": [{"niche": "b", "rank": 1, "score": 0.6}, {"niche": "a", "rank": 2, "score": 0.5}, {"niche": "new", "rank": 3, "score": null}]});
        let c = changes(&a, &b);
        let names: Vec<&str> = c.iter().map(|c| c.niche.as_str()).collect();
        assert_eq!(names, vec!["b", "a", "new", "gone"]);
        assert!(changes(&a, &a).is_empty());
    }

    #[test]
    fn setting_changes_name_dotted_keys() {
        let a = "[model.weights]\naudience = 0.4\n[report]\nlang = \"en\"\n";
        let b = "[model.weights]\naudience = 0.5\n[report]\nlang = \"en\"\n";
        assert_eq!(
            setting_changes(a, b),
            vec![(
                "model.weights.audience".to_string(),
                "0.4".to_string(),
                "0.5".to_string()
            )]
        );
    }
}
