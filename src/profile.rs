//! Your profile (`--profile FILE`, TOML): the essay's questions that only you can answer — your
//! time, skills and interest (你是否真的喜欢), the platforms you use, the ways you can earn, and what
//! influence is worth to you. With a profile, each niche gets a personal score beside its market
//! score (METHOD.md §4).
//!
//! An example, written for the bundled sample, is `examples/profile.toml` (a test scores the sample
//! with it).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Profile {
    pub hours_per_week: Option<f64>,
    pub platforms: Vec<String>,
    pub channels: Vec<String>,
    pub influence_weight: Option<f64>,
    /// Your own hours to make one post, per format; these replace the model's assumptions.
    pub hours: BTreeMap<String, f64>,
    pub niche: BTreeMap<String, NicheFit>,
    /// Your account as `--me` gives it (an id or name in the inputs, or a file of your own posts,
    /// relative to the profile), and your follower count for such a file; `--me` replaces both.
    /// In a saved analysis these are `[me]`'s.
    pub me: Option<String>,
    pub me_followers: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NicheFit {
    pub skill: Option<f64>,
    pub interest: Option<f64>,
}

/// How one niche fits you.
#[derive(Debug, Clone, Serialize)]
pub struct Personal {
    /// Your skill and interest (0.5 where the profile does not say), time fit and platform fit.
    pub skill: f64,
    pub interest: f64,
    pub stated: bool,
    /// min(1, your hours ÷ the hours the niche's cadence needs), where both are known.
    pub time_fit: Option<f64>,
    /// 1 if the platform to start on is one you use, 0.7 if another of the niche's platforms is,
    /// 0.5 otherwise; unknown when the profile lists no platforms.
    pub platform_fit: Option<f64>,
    /// Geometric mean of the fit components that are known.
    pub fit: f64,
    /// fit × score^(1 − w) × reach^w, w = influence_weight, reach = the niche's reach per post on its reference (views_share).
    pub score: Option<f64>,
    /// Its 95% bootstrap interval: the same formula over the market score's resamples.
    pub score_interval: Option<[f64; 2]>,
}

impl Profile {
    pub fn load(path: &Path) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let profile: Profile = toml::from_str(&text).map_err(|e| {
            crate::error::toml_error(
                path,
                &text,
                &e,
                "hours_per_week, platforms, channels, influence_weight, [hours] and [niche.\"NAME\"] tables with skill and interest",
                "see the example in examples/profile.toml, or METHOD.md §4",
            )
        })?;
        for (name, fit) in &profile.niche {
            for (what, v) in [("skill", fit.skill), ("interest", fit.interest)] {
                if v.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                    return Err(Error::file(
                        path,
                        crate::lang::say(
                            format!("niche {name:?}: {what} must be between 0 and 1"),
                            format!("赛道 {name:?}：{what} 必须在 0 到 1 之间"),
                        ),
                        crate::lang::say("write 0.8 for 80%", "80% 写作 0.8"),
                    ));
                }
            }
        }
        if profile.influence_weight.is_some_and(|w| !(0.0..=1.0).contains(&w)) {
            return Err(Error::file(
                path,
                crate::lang::say(
                    "influence_weight must be between 0 and 1",
                    "influence_weight 必须在 0 到 1 之间",
                ),
                crate::lang::say("write 0.3 for a little", "想要一点就写 0.3"),
            ));
        }
        Ok(profile)
    }

    /// The personal fit and score of one niche.
    /// fit × score^(1 − w) × reach^w, w = `influence_weight` (fit × score where w is 0 or the
    /// reach unknown).
    pub fn personal_score(&self, fit: f64, score: f64, reach: Option<f64>) -> f64 {
        let w = self.influence_weight.unwrap_or(0.0);
        match reach {
            Some(r) if w > 0.0 => fit * score.powf(1.0 - w) * r.powf(w),
            _ => fit * score,
        }
    }

    pub fn personal(
        &self,
        niche: &str,
        market_score: Option<f64>,
        reach: Option<f64>,
        hours_needed: Option<f64>,
        start_on: Option<&str>,
        platforms: &[String],
    ) -> Personal {
        let stated = self.niche.get(niche);
        let skill = stated.and_then(|f| f.skill).unwrap_or(0.5);
        let interest = stated.and_then(|f| f.interest).unwrap_or(0.5);
        let time_fit = match (self.hours_per_week, hours_needed) {
            (Some(have), Some(need)) if need > 0.0 => Some((have / need).min(1.0)),
            _ => None,
        };
        let uses = |p: &str| {
            self.platforms
                .iter()
                .any(|q| crate::normalise::fields::platform_name(q).as_deref() == Some(p))
        };
        let platform_fit = (!self.platforms.is_empty()).then(|| {
            if start_on.is_some_and(uses) {
                1.0
            } else if platforms.iter().any(|p| uses(p)) {
                0.7
            } else {
                0.5
            }
        });
        let parts: Vec<f64> = [Some(skill), Some(interest), time_fit, platform_fit]
            .into_iter()
            .flatten()
            .collect();
        let fit = (parts.iter().map(|p| p.max(1e-9).ln()).sum::<f64>() / parts.len() as f64).exp();
        let score = market_score.map(|s| self.personal_score(fit, s, reach));
        Personal {
            skill,
            interest,
            stated: stated.is_some(),
            time_fit,
            platform_fit,
            fit,
            score,
            score_interval: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_is_a_geometric_mean_and_scales_the_score() {
        let mut p = Profile {
            hours_per_week: Some(5.0),
            platforms: vec!["小红书".to_string()],
            ..Profile::default()
        };
        p.niche.insert(
            "AI工具".to_string(),
            NicheFit {
                skill: Some(0.8),
                interest: Some(1.0),
            },
        );
        let x = p.personal("AI工具", Some(0.5), Some(0.9), Some(10.0), Some("xiaohongshu"), &[]);
        // skill 0.8, interest 1.0, time 0.5, platform 1.0.
        let want = (0.8f64 * 1.0 * 0.5 * 1.0).powf(0.25);
        assert!((x.fit - want).abs() < 1e-12);
        assert!((x.score.unwrap_or(0.0) - want * 0.5).abs() < 1e-12);
        let unstated = p.personal("美妆", None, None, None, Some("douyin"), &["douyin".to_string()]);
        assert!(!unstated.stated && unstated.score.is_none());
        assert_eq!(unstated.platform_fit, Some(0.5));
    }

    #[test]
    fn influence_weight_moves_the_score_towards_reach() {
        let p = Profile {
            influence_weight: Some(1.0),
            ..Profile::default()
        };
        let x = p.personal("n", Some(0.1), Some(0.9), None, None, &[]);
        assert!((x.score.unwrap_or(0.0) - 0.5 * 0.9).abs() < 1e-9, "{x:?}");
    }
}
