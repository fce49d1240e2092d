//! Reading back the few `&'static str` labels the pipeline's types carry (a measure's basis, how a
//! column was mapped). They come from fixed tables in the code, so deserializing maps a label to
//! its static copy; an unknown label is an error, which a cache treats as a miss.

use serde::{de::Error as _, Deserialize, Deserializer};

/// A label from the code. Fields of this type name it through the alias, not as `&'static str`:
/// serde's derive would otherwise treat the field as borrowed from the input and require the input
/// to live for `'static`.
pub type Label = &'static str;

/// Every label that a cached type can hold.
const KNOWN: &[&str] = &[
    "followers",
    "views",
    "engagement",
    "observed price",
    "views × CPM estimate (USD)",
    "likes",
    "comments",
    "shares",
    "collects",
    "alias",
    "--map",
    "--niche-column",
];

fn find(s: &str) -> Option<&'static str> {
    KNOWN.iter().copied().find(|k| *k == s)
}

pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    find(&s).ok_or_else(|| D::Error::custom(format!("unknown label {s:?}")))
}

pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => find(&s)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("unknown label {s:?}"))),
    }
}

pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|s| find(s).ok_or_else(|| D::Error::custom(format!("unknown label {s:?}"))))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_read_back_and_strangers_do_not() {
        let mut de = serde_json::Deserializer::from_str("\"views\"");
        assert_eq!(super::one(&mut de).ok(), Some("views"));
        let mut de = serde_json::Deserializer::from_str("\"nope\"");
        assert!(super::one(&mut de).is_err());
    }
}
