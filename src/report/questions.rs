//! The essay's ten questions, each with its facts ([`crate::score::facts`]) for one niche: the
//! view model's answers, written to report.json and read back from it to draw the page. A question
//! whose facts are all unknown has no evidence in these inputs; `report::prose` says so, and what
//! to add.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::score::facts::{self, Facts};
use crate::score::ScoredNiche;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Answer {
    pub id: u8,
    pub factor: String,
    pub question: String,
    pub question_zh: String,
    /// Whether any measure bears on the question in these inputs.
    pub evidence: bool,
    /// The question's facts (`None` only when read back from a report.json whose facts do not
    /// fit the question: drawn as no evidence).
    #[serde(serialize_with = "write_facts")]
    pub facts: Option<Facts>,
}

const QUESTIONS: [(u8, &str, &str, &str); 10] = [
    (
        1,
        "demand",
        "How many people need such an account; is the need growing or shrinking?",
        "当前多少人需求这样一个账号？这个需求会扩大还是缩小？",
    ),
    (
        2,
        "demand",
        "How many accounts compete; how do the head and mid-tier perform?",
        "多少账号在这个赛道上，头部表现如何？中腰部表现如何？",
    ),
    (3, "demand", "Where is my competitive advantage?", "竞争优势在哪？"),
    (
        4,
        "business",
        "What does running the account cost in time and energy?",
        "运营账号的成本是多少？占用多少时间和精力？",
    ),
    (
        5,
        "business",
        "What is the account worth at scale?",
        "如果账号做到一定规模，商业价值是多少？",
    ),
    (
        6,
        "business",
        "Can the niche take sponsored orders, and earn in other ways?",
        "赛道能不能接单？有没有其他变现可能？",
    ),
    (
        7,
        "business",
        "What non-commercial value (influence) does it bring?",
        "非商业价值的东西能带来什么？",
    ),
    (
        8,
        "traffic",
        "Which platform is the audience on?",
        "目标人群在哪个平台？",
    ),
    (
        9,
        "traffic",
        "What do the platform's rules encourage?",
        "平台的规则是什么？鼓励什么内容？",
    ),
    (
        10,
        "traffic",
        "What style and tone does it like?",
        "平台喜欢的内容风格是什么？样式、调性？",
    ),
];

/// The ten answers for one scored niche.
pub fn answers(n: &ScoredNiche, channels: &[String], me: Option<&crate::score::me::InNiche>) -> Vec<Answer> {
    QUESTIONS
        .iter()
        .zip(facts::of(n, channels, me))
        .map(|(&(id, factor, question, question_zh), facts)| Answer {
            id,
            factor: factor.to_string(),
            question: question.to_string(),
            question_zh: question_zh.to_string(),
            evidence: facts.any(),
            facts: Some(facts),
        })
        .collect()
}

/// An answer's facts as the object they are (an empty one when there are none).
fn write_facts<S: Serializer>(facts: &Option<Facts>, s: S) -> Result<S::Ok, S::Error> {
    match facts {
        Some(f) => f.serialize(s),
        None => serde_json::Map::new().serialize(s),
    }
}

/// Read back from report.json: the facts by the question's number.
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Answer, D::Error> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Raw {
            id: u8,
            factor: String,
            question: String,
            question_zh: String,
            evidence: bool,
            facts: serde_json::Value,
        }
        let raw = Raw::deserialize(d)?;
        Ok(Answer {
            facts: Facts::from_json(raw.id, raw.facts),
            id: raw.id,
            factor: raw.factor,
            question: raw.question,
            question_zh: raw.question_zh,
            evidence: raw.evidence,
        })
    }
}
