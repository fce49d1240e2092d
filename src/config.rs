//! The model's settings (`--config FILE`, TOML): weights, thresholds, bootstrap, CPM and hours.
//!
//! Every key is optional and defaults to the value METHOD.md documents; an unknown key or a value
//! of the wrong type is an error that names the line. `niche config` prints the defaults as a file
//! to start from.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{bad_value, toml_error, Error, Result};
use crate::measure::Params;
use crate::score::uncertainty::BootstrapSettings;
use crate::score::{Weights, SUB_FACTORS};

/// The model as a file holds it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelFile {
    /// Sub-factor weights (METHOD.md §3).
    pub weights: BTreeMap<String, f64>,
    pub measure: MeasureFile,
    pub bootstrap: BootstrapFile,
    /// USD per 1,000 views, [low, high], per platform; `default` for the rest.
    pub cpm: BTreeMap<String, [f64; 2]>,
    /// Hours to make one post, per format (image, short_video, long_video, text); `default` for the rest.
    pub hours: BTreeMap<String, f64>,
    /// A reference file to score against (method 2.1), relative to this file; the built-in one
    /// when absent.
    pub reference: Option<String>,
    /// A niche's vertical, where its name does not say it (niche = vertical), for the money per
    /// vertical (METHOD.md §3, business).
    pub verticals: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MeasureFile {
    pub tier_bounds: Option<[f64; 3]>,
    pub global_tier_bounds: Option<[f64; 4]>,
    /// Per platform Chinese tier bounds, e.g. `douyin = [10000, 100000, 1000000]`.
    pub platform_tier_bounds: BTreeMap<String, [f64; 3]>,
    pub head_fraction: Option<f64>,
    pub small_account_max: Option<f64>,
    pub breakout_multiple: Option<f64>,
    /// Breakout posts listed per niche (0: all of them).
    pub top_posts: Option<usize>,
    pub min_trend_weeks: Option<usize>,
    pub min_accounts: Option<u64>,
    pub min_posts: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BootstrapFile {
    pub resamples: Option<usize>,
    pub seed: Option<u64>,
}

/// The settings a run uses.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub weights: Weights,
    pub params: Params,
    pub bootstrap: BootstrapSettings,
}

impl Model {
    /// Defaults, overridden by `path` when given.
    pub fn load(path: Option<&Path>) -> Result<Model> {
        let Some(path) = path else { return Ok(Model::default()) };
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let file: ModelFile = toml::from_str(&text).map_err(|e| {
            toml_error(
                path,
                &text,
                &e,
                "the keys and types that `niche config` prints",
                "run `niche config` to see every key with its default",
            )
        })?;
        Model::from_file(&file, path, &text)
    }

    /// The model a parsed file describes; `path` and `text` locate bad values in errors.
    pub fn from_file(file: &ModelFile, path: &Path, text: &str) -> Result<Model> {
        let text = text.to_string();
        let mut model = Model::default();
        if let Some(r) = file.reference.as_deref().filter(|r| !r.trim().is_empty()) {
            let at = path.parent().unwrap_or(Path::new(".")).join(r);
            model.params.reference = crate::reference::Reference::load(&at)?;
        }
        for (name, w) in &file.weights {
            let Some(sf) = SUB_FACTORS.iter().find(|s| s.name == name) else {
                return Err(bad_value(
                    path,
                    &text,
                    name,
                    format!(
                        "there is no sub-factor named {name:?}{}",
                        crate::text::nearest(name, SUB_FACTORS.iter().map(|s| s.name))
                            .map(|n| format!("; did you mean {n:?}?"))
                            .unwrap_or_default()
                    ),
                    format!(
                        "use one of: {}",
                        SUB_FACTORS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                    ),
                ));
            };
            if !w.is_finite() || *w < 0.0 {
                return Err(bad_value(
                    path,
                    &text,
                    name,
                    format!("weight {w} is not a non-negative number"),
                    "use 0 to switch a sub-factor off".to_string(),
                ));
            }
            model.weights.0.insert(sf.name, *w);
        }
        let m = &file.measure;
        let p = &mut model.params;
        if let Some(v) = m.tier_bounds {
            p.tier_bounds = v;
        }
        if let Some(v) = m.global_tier_bounds {
            p.global_tier_bounds = v;
        }
        p.platform_tier_bounds = m.platform_tier_bounds.clone();
        if let Some(v) = m.head_fraction {
            p.head_fraction = v.clamp(0.0, 1.0);
        }
        if let Some(v) = m.small_account_max {
            p.small_account_max = v;
        }
        if let Some(v) = m.breakout_multiple {
            p.breakout_multiple = v;
        }
        if let Some(v) = m.top_posts {
            p.top_posts = v;
        }
        if let Some(v) = m.min_trend_weeks {
            p.min_trend_weeks = v.max(3);
        }
        if let Some(v) = m.min_accounts {
            p.min_accounts = v;
        }
        if let Some(v) = m.min_posts {
            p.min_posts = v;
        }
        for (k, v) in &file.cpm {
            if v[0] < 0.0 || v[1] < v[0] {
                return Err(bad_value(
                    path,
                    &text,
                    k,
                    format!("CPM band {v:?} is not [low, high] with 0 ≤ low ≤ high"),
                    "write it like youtube = [5.0, 12.0]".to_string(),
                ));
            }
            p.cpm.insert(k.clone(), *v);
        }
        for (k, v) in &file.hours {
            if !v.is_finite() || *v < 0.0 {
                return Err(bad_value(
                    path,
                    &text,
                    k,
                    format!("{v} hours is not a non-negative number"),
                    "write it like short_video = 4.0".to_string(),
                ));
            }
            p.hours.insert(k.clone(), *v);
        }
        for (niche, vertical) in &file.verticals {
            let known = model.params.reference.vertical_names();
            if !known.contains(&vertical.as_str()) {
                return Err(bad_value(
                    path,
                    &text,
                    niche,
                    format!("there is no vertical named {vertical:?} (for niche {niche:?})"),
                    format!("use one of: {}", known.join(", ")),
                ));
            }
            model.params.verticals.insert(niche.clone(), vertical.clone());
        }
        if let Some(v) = file.bootstrap.resamples {
            model.bootstrap.resamples = v;
        }
        if let Some(v) = file.bootstrap.seed {
            model.bootstrap.seed = v;
        }
        Ok(model)
    }

    /// The defaults, as a commented TOML file.
    pub fn default_file() -> String {
        let d = Model::default();
        let mut out =
            String::from("# niche model settings: every key is optional; these are the defaults (METHOD.md).\n\n");
        out.push_str("[weights]  # sub-factor weights within each factor\n");
        for sf in SUB_FACTORS {
            out.push_str(&format!(
                "{} = {}  # {:?}, {}\n",
                sf.name,
                d.weights.get(sf.name),
                sf.factor,
                sf.measures.iter().map(|m| m.0).collect::<Vec<_>>().join(" / ")
            ));
        }
        let p = &d.params;
        out.push_str("\n[measure]\n");
        out.push_str(&format!(
            "tier_bounds = {:?}  # 素人 < a ≤ 初级 < b ≤ 腰部 < c ≤ 头部 (followers)\n",
            p.tier_bounds
        ));
        out.push_str(&format!(
            "global_tier_bounds = {:?}  # nano < a ≤ micro < b ≤ mid < c ≤ macro < d ≤ mega\n",
            p.global_tier_bounds
        ));
        out.push_str(&format!(
            "head_fraction = {}  # the head: this share of a niche's accounts\n",
            p.head_fraction
        ));
        out.push_str(&format!(
            "small_account_max = {}  # small accounts, for newcomer breakout odds\n",
            p.small_account_max
        ));
        out.push_str(&format!(
            "breakout_multiple = {}  # a breakout post: this many times the niche's median post\n",
            p.breakout_multiple
        ));
        out.push_str(&format!(
            "top_posts = {}  # breakout posts listed per niche in a report (0: all)\n",
            p.top_posts
        ));
        out.push_str(&format!(
            "min_trend_weeks = {}\nmin_accounts = {}\nmin_posts = {}\n",
            p.min_trend_weeks, p.min_accounts, p.min_posts
        ));
        out.push_str("\n[measure.platform_tier_bounds]  # per platform, e.g. douyin = [10000, 100000, 1000000]\n");
        out.push_str(&format!(
            "\n[bootstrap]\nresamples = {}\nseed = {}\n",
            d.bootstrap.resamples, d.bootstrap.seed
        ));
        out.push_str("\n[cpm]  # USD per 1,000 views [low, high]; an estimate where no price is observed\n");
        for (k, v) in &p.cpm {
            out.push_str(&format!("{k} = [{:.1}, {:.1}]\n", v[0], v[1]));
        }
        out.insert_str(
            out.find("[weights]").unwrap_or(0),
            &format!(
                "# reference = \"my-reference.toml\"  # scales to judge niches against (default: the built-in {})\n\n",
                crate::reference::BUILT_IN_PATH
            ),
        );
        out.push_str("\n[hours]  # hours to make one post, by format\n");
        for (k, v) in &p.hours {
            out.push_str(&format!("{k} = {v:.1}\n"));
        }
        out.push_str(&format!(
            "\n[verticals]  # a niche's vertical where its name does not say it, e.g. \"我的赛道\" = \"finance\"; one of: {}\n",
            p.reference.vertical_names().join(", ")
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Model> {
        let dir = std::env::temp_dir().join(format!("niche-config-{}-{}", std::process::id(), text.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("model.toml");
        std::fs::write(&path, text).unwrap();
        let out = Model::load(Some(&path));
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    #[test]
    fn the_default_file_loads_to_the_defaults() {
        let model = load_text(&Model::default_file()).unwrap();
        assert_eq!(model.weights, Weights::default());
        assert_eq!(model.bootstrap.resamples, 1000);
    }

    #[test]
    fn overrides_apply() {
        let model =
            load_text("[weights]\naudience = 1.0\n[bootstrap]\nresamples = 10\n[measure]\nmin_accounts = 3\n").unwrap();
        assert_eq!(model.weights.get("audience"), 1.0);
        assert_eq!(model.weights.get("growth"), Weights::default().get("growth"));
        assert_eq!(model.bootstrap.resamples, 10);
        assert_eq!(model.params.min_accounts, 3);
    }

    #[test]
    fn a_niche_s_vertical_is_set_by_name_and_a_wrong_name_is_refused_at_its_line() {
        let model = load_text("[verticals]\n\"我的赛道\" = \"finance\"\n").unwrap();
        assert_eq!(
            model.params.verticals.get("我的赛道").map(String::as_str),
            Some("finance")
        );
        let err = load_text("[weights]\naudience = 0.5\n[verticals]\n\"我的赛道\" = \"fiance\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains(":4:") && err.contains("fiance") && err.contains("finance"),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let err = load_text("[bootstrap]\nresamples = 10\nsamples = 5\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(":3:"), "{err}");
        let err = load_text("[weights]\naudience = 0.4\nfame = 1.0\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(":3:") && err.contains("fame"), "{err}");
        let err = load_text("[weights]\naudience = -1\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(":2:"), "{err}");
    }
}
