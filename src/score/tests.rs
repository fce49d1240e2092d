//! The score's own tests: the formula's rules on hand-made niches (kept apart from `mod.rs`,
//! which holds the rules, so that each file stays readable).

use super::*;

fn niche(name: &str, head: f64, value: f64, er: f64) -> NicheMetrics {
    NicheMetrics {
        niche: name.to_string(),
        platforms: vec!["instagram".into()],
        head_followers_share: Some(head),
        value_ratio: Some(value),
        engagement_rate_share: Some(er),
        views_share: Some(er),
        gini: Some(0.5),
        ..NicheMetrics::default()
    }
}

#[test]
fn no_money_sinks_a_niche_whatever_its_audience() {
    let r = Reference::built_in();
    let rich = factors(&niche("rich", 0.9, 1.0, 0.5), &Weights::default(), &r);
    let broke = factors(&niche("broke", 0.99, 0.0, 0.99), &Weights::default(), &r);
    assert_eq!(broke.business, Some(0.0));
    assert_eq!(broke.score, Some(0.0));
    assert!(rich.score.unwrap() > 0.1);
    // At par with a wage, business is one half.
    assert!((rich.business.unwrap() - 0.5).abs() < 1e-12);
}

#[test]
fn growth_is_read_on_the_main_platforms_scale() -> Result<(), String> {
    use crate::measure::calibrate::GROWTH;
    // Douyin's growth scale as a crawl calibrated it (accounts there shrink half a point a
    // month); Bilibili keeps the one every platform shares.
    let mut r = Reference::built_in();
    let mut own = r
        .scales
        .iter()
        .find(|s| s.measure == GROWTH && s.platform == "*")
        .cloned()
        .ok_or("a growth scale")?;
    own.platform = "douyin".into();
    own.median = Some(-0.005);
    r.scales.push(own);
    // A niche mostly on Douyin: its platforms come in name order, Bilibili first.
    let mut n = niche("n", 0.6, 1.0, 0.5);
    n.platforms = vec!["bilibili".into(), "douyin".into()];
    n.main_platform = Some("douyin".into());
    n.follower_growth_monthly = Some(-0.005);
    let growth = |f: &Factors| {
        f.evidence
            .iter()
            .find(|e| e.sub_factor == "growth")
            .and_then(|e| e.scale)
    };
    let on_douyin = growth(&factors(&n, &Weights::default(), &r)).ok_or("a growth scale")?;
    assert!((on_douyin - 0.5).abs() < 1e-9, "typical of Douyin: {on_douyin}");
    n.main_platform = Some("bilibili".into());
    let on_bilibili = growth(&factors(&n, &Weights::default(), &r)).ok_or("a growth scale")?;
    assert!(on_bilibili < 0.3, "below the shared scale's 1.69%: {on_bilibili}");
    Ok(())
}

#[test]
fn unknown_business_is_no_score_but_a_ceiling() {
    let r = Reference::built_in();
    let mut n = niche("n", 0.8, 0.0, 0.6);
    n.value_ratio = None;
    let f = factors(&n, &Weights::default(), &r);
    assert!(f.business.is_none() && f.score.is_none());
    let (d, t) = (f.demand.unwrap(), f.traffic.unwrap());
    assert_eq!(f.ceiling, Some(d * t));
}

#[test]
fn a_niche_alone_scores_what_it_scores_among_others() {
    let r = Reference::built_in();
    let a = niche("a", 0.7, 0.4, 0.3);
    let alone = factors(&a, &Weights::default(), &r).score;
    assert!(alone.is_some_and(|s| s != 0.125), "a single niche gets a real score");
    // Nothing else is read: the same value, bit for bit, is what `compute` gives it among
    // others (the property test in tests/cli/method.rs checks whole runs).
    assert_eq!(alone, factors(&a.clone(), &Weights::default(), &r).score);
}

#[test]
fn a_niche_of_typical_accounts_earning_a_wage_scores_one_eighth() {
    // What the footer and METHOD.md §3 say 0.125 is, built: 1,000 Instagram accounts drawn
    // evenly from the reference (followers at the shares (i + ½) ÷ 1,000 of its follower
    // scale), each at the median of its platform's scales for its size (engagement per view,
    // views per follower), growing at the reference's centre, earning an hour's wage.
    use crate::measure::niche::{measure, Context};
    use crate::measure::placed::{self, FULL_TIME_HOURS_PER_MONTH, SCALE_FOLLOWERS};
    use crate::measure::Params;
    let params = Params::default();
    let r = &params.reference;
    let n = 1_000;
    let field = r.followers_field("instagram", n).expect("a follower scale");
    let mut units: Vec<crate::measure::Unit> = field
        .iter()
        .enumerate()
        .map(|(i, &f)| {
            let reach = r.typical("views_per_follower", "instagram", Some(f)).expect("reach");
            crate::measure::Unit {
                niche: "typical".into(),
                platform: "instagram".into(),
                account: Some(format!("a{i}")),
                followers: Some(f),
                er_views: r.typical("engagement_rate_views", "instagram", None),
                views_per_post: Some(f * reach),
                follower_growth_monthly: r.typical("follower_growth_monthly", "instagram", None),
                // An hour's wage for every hour of a full-time month, at 10万 followers.
                earnings_monthly: Some(30.35 * FULL_TIME_HOURS_PER_MONTH * f / SCALE_FOLLOWERS),
                ..crate::measure::Unit::default()
            }
        })
        .collect();
    placed::place(&mut units, &params);
    let refs: Vec<&crate::measure::Unit> = units.iter().collect();
    let ctx = Context {
        has_posts: false,
        accounts_known: true,
    };
    let m = measure("typical", &refs, ctx, &params);
    let f = factors(&m, &Weights::default(), r);
    let [d, b, t, s] = [f.demand, f.business, f.traffic, f.score].map(|x| x.unwrap_or(f64::NAN));
    for (name, v) in [("demand", d), ("business", b), ("traffic", t)] {
        assert!((v - 0.5).abs() < 0.01, "{name} {v}: {:?}", f.evidence);
    }
    assert!((s - 0.125).abs() < 0.003, "score {s}");
}

#[test]
fn ranking_puts_low_evidence_last_and_unknown_business_after_scores() {
    let r = ranking(
        &["a", "b", "c", "d"],
        &[Some(0.9), Some(0.5), None, None],
        &[None, None, Some(0.8), None],
        &[true, false, false, false],
    );
    assert_eq!(r, vec![3, 0, 1, 2]);
}

/// Every number of `a` and `b` the same to the bit.
fn assert_same(a: &Factors, b: &Factors, what: &str) {
    let bits = |f: &Factors| {
        let mut v: Vec<Option<u64>> = [f.demand, f.business, f.traffic, f.score, f.ceiling]
            .iter()
            .map(|x| x.map(f64::to_bits))
            .collect();
        for e in &f.evidence {
            v.extend([e.value, e.scale, Some(e.weight)].map(|x| x.map(f64::to_bits)));
            v.push(Some(u64::from(e.provisional)));
        }
        v
    };
    assert_eq!(bits(a), bits(b), "{what}");
    let measures = |f: &Factors| f.evidence.iter().map(|e| e.measure).collect::<Vec<_>>();
    assert_eq!(measures(a), measures(b), "{what}");
}

/// The niches a scorer meets one after another: platforms with published scales, a proxy
/// and an unlisted one; each growth measure and none.
fn mixed_niches() -> Vec<NicheMetrics> {
    let mut out = Vec::new();
    for (k, platform) in ["instagram", "douyin", "xiaohongshu", "nowhere", "instagram"]
        .iter()
        .enumerate()
    {
        for growth in 0..4 {
            let mut n = niche(&format!("n{k}{growth}"), 0.3 + 0.1 * k as f64, 0.5 + growth as f64, 0.4);
            n.platforms = vec![platform.to_string()];
            n.head_accounts = 20;
            match growth {
                0 => n.follower_growth_monthly = Some(0.02 * k as f64 - 0.03),
                1 => n.engagement_trend_monthly = Some(-0.01),
                2 => n.search_trend_monthly = Some(0.04),
                _ => {}
            }
            out.push(n);
        }
    }
    out
}

#[test]
fn a_scorer_that_keeps_the_scales_it_looked_up_scores_as_a_fresh_look_up_does() -> Result<(), &'static str> {
    // Growth has one scale for every platform in the built-in reference; a second, Douyin's
    // own (as a calibrated reference may have), so that the platform matters.
    let mut r = Reference::built_in();
    let mut own = r
        .scales
        .iter()
        .find(|s| s.measure == "follower_growth_monthly")
        .cloned()
        .ok_or("the built-in reference has a growth scale")?;
    own.platform = "douyin".into();
    own.median = Some(0.05);
    r.scales.push(own);
    let w = Weights::default();
    let niches = mixed_niches();
    let mut scorer = Scorer::new(&w, &r);
    for n in niches.iter().chain(niches.iter().rev()) {
        assert_same(&scorer.factors(n), &factors(n, &w, &r), &n.niche);
    }
    // It looked each measure up once per platform, not once per niche.
    assert!(scorer.reached.len() < niches.len(), "{}", scorer.reached.len());
    Ok(())
}

#[test]
fn reweighing_gives_what_scoring_with_the_weights_gives() {
    let r = Reference::built_in();
    let mut moved = Weights::default();
    moved.0.insert("growth", 0.9);
    moved.0.insert("openness", 0.0);
    moved.0.insert("reach_per_post", 0.05);
    for n in &mixed_niches() {
        let base = factors(n, &Weights::default(), &r);
        assert_same(&reweigh(&base, &moved), &factors(n, &moved, &r), &n.niche);
    }
}
