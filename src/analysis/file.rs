//! niche.toml: a saved analysis. Reading it (with `--set` overrides), and writing a fresh one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Model, ModelFile};
use crate::error::toml_error;
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::report::Lang;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalysisFile {
    pub inputs: Inputs,
    pub filters: Filters,
    pub model: ModelFile,
    pub profile: Profile,
    pub me: MeSection,
    pub report: ReportSection,
}

/// `[me]`: your account, as `--me` gives it to `niche score`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MeSection {
    /// An account id, or a name as the account list writes it ("": none).
    pub account: String,
    /// Or an export of your own posts, relative to niche.toml ("": none).
    pub file: String,
    /// Your follower count, for `file` (creator-centre exports do not state it).
    pub followers: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Inputs {
    pub files: Vec<String>,
    pub accounts: Vec<String>,
    pub posts: Vec<String>,
    pub snapshots: Vec<String>,
    /// Demand-signal files (a search or topic index over time), as `--signals` reads them.
    pub signals: Vec<String>,
    pub map: BTreeMap<String, String>,
    pub niche_column: String,
    /// Niches named by keywords, as `--niche NAME=KW,KW` (name -> keywords).
    pub niches: BTreeMap<String, Vec<String>>,
    pub sheet: String,
    pub encoding: String,
    pub platform: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Filters {
    pub platforms: Vec<String>,
    pub since: String,
    pub until: String,
    pub min_accounts: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportSection {
    pub name: String,
    pub lang: Lang,
    pub charts: bool,
}

impl Default for ReportSection {
    fn default() -> Self {
        ReportSection {
            name: "analysis".to_string(),
            lang: Lang::En,
            charts: true,
        }
    }
}

/// A saved analysis as a run uses it.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub path: PathBuf,
    /// The folder niche.toml is in: relative paths in it start here.
    pub dir: PathBuf,
    pub file: AnalysisFile,
    pub model: Model,
    /// The file as written, for pointing at a setting in errors.
    pub text: String,
    /// The file's settings with the `--set` overrides applied, as TOML (kept with each run).
    pub effective: String,
    pub sets: Vec<String>,
}

const EXPECTED: &str = "the sections and keys that `niche init` writes";
const HINT: &str = "compare with a fresh file from `niche init --input FILE --output /tmp/niche.toml`";

impl Analysis {
    pub fn load(path: &Path, sets: &[String]) -> Result<Analysis> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::File {
                path: path.to_path_buf(),
                message: "there is no saved analysis here".to_string(),
                hint: "write one with `niche init --input accounts.csv --input posts.csv`, or pass --config FILE"
                    .to_string(),
            },
            _ => Error::io(path, e),
        })?;
        Analysis::from_text(path, text, sets)
    }

    /// The analysis `text` says, as read from `path` (named in every message), with `--set`s.
    pub fn from_text(path: &Path, text: String, sets: &[String]) -> Result<Analysis> {
        let mut file: AnalysisFile = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e, EXPECTED, HINT))?;
        let mut table: toml::Table = text.parse().map_err(|e| toml_error(path, &text, &e, EXPECTED, HINT))?;
        for set in sets {
            apply_set(&mut table, set)?;
        }
        if !sets.is_empty() {
            file = AnalysisFile::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
                Error::usage(
                    format!("--set {}: {}", sets.join(" --set "), e.message()),
                    crate::lang::say(
                        "name a key that niche.toml has, e.g. --set model.weights.audience=0.5 or --set report.lang=zh",
                        "写 niche.toml 中有的键，例如 --set model.weights.audience=0.5 或 --set report.lang=zh",
                    ),
                )
            })?;
        }
        let mut model = Model::from_file(&file.model, path, &text)?;
        if file.profile.me.is_some() || file.profile.me_followers.is_some() {
            return Err(crate::error::bad_value(
                path,
                &text,
                "me",
                "[profile] names your account; in a saved analysis that is [me]'s place".to_string(),
                "move it to [me] as `account = \"…\"` or `file = \"…\"` (and `followers`)".to_string(),
            ));
        }
        let me = &file.me;
        if let Some(f) = me.followers.filter(|f| !f.is_finite() || *f < 0.0) {
            return Err(crate::error::bad_value(
                path,
                &text,
                "followers",
                format!("[me] followers = {f}: a follower count is a number of zero or more"),
                "write it like followers = 12000".to_string(),
            ));
        }
        match (me.account.trim().is_empty(), me.file.trim().is_empty()) {
            (false, false) => {
                return Err(crate::error::bad_value(
                    path,
                    &text,
                    "file",
                    "[me] gives both an account and a file; you are one or the other".to_string(),
                    "keep `account` for an account in the inputs, or `file` for your own export".to_string(),
                ))
            }
            (false, true) if me.followers.is_some() => {
                return Err(crate::error::bad_value(
                    path,
                    &text,
                    "followers",
                    "[me] followers is for your own export (`file`); the inputs give an account's followers"
                        .to_string(),
                    "remove `followers`, or give your export as `file`".to_string(),
                ))
            }
            (false, true) => model.params.me = Some(me.account.trim().to_string()),
            (true, false) => model.params.me_followers = me.followers,
            (true, true) => {}
        }
        let effective = toml::to_string(&table).map_err(|e| Error::Internal {
            stage: "analysis",
            message: e.to_string(),
        })?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(Analysis {
            path: path.to_path_buf(),
            dir,
            file,
            model,
            text,
            effective,
            sets: sets.to_vec(),
        })
    }

    /// Whether the profile section says anything (an empty one adds no personal scores).
    pub fn has_profile(&self) -> bool {
        let p = &self.file.profile;
        p.hours_per_week.is_some()
            || !p.platforms.is_empty()
            || !p.channels.is_empty()
            || p.influence_weight.is_some()
            || !p.hours.is_empty()
            || !p.niche.is_empty()
    }
}

/// `--set a.b.c=value`: the value is read as TOML (`1.5`, `true`, `"zh"`, `[1, 2]`), and as text
/// when it is not TOML (`--set report.lang=zh`).
fn apply_set(table: &mut toml::Table, set: &str) -> Result<()> {
    let usage = |why: &str| {
        Error::usage(
            format!("--set {set:?}: {why}"),
            crate::lang::say(
                "write it like --set model.weights.audience=0.5",
                "写成 --set model.weights.audience=0.5 这样",
            ),
        )
    };
    let (key, raw) = set
        .split_once('=')
        .ok_or_else(|| usage(&crate::lang::say("no `=` between key and value", "键和值之间没有 `=`")))?;
    let parts: Vec<&str> = key.trim().split('.').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(usage(&crate::lang::say(
            "the key is empty or has an empty part",
            "键为空，或有一段为空",
        )));
    }
    let value = format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.trim().to_string()));
    let mut at = table;
    for part in &parts[..parts.len() - 1] {
        let entry = at
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        at = entry
            .as_table_mut()
            .ok_or_else(|| usage(&format!("{part:?} is a value, not a section")))?;
    }
    // A weight's name is free in the file's shape (a map), so a misspelt one passes the parse:
    // it is caught here, where the message can name the --set it came from.
    if let ["model", "weights", name] = parts.as_slice() {
        let names = crate::score::SUB_FACTORS.iter().map(|s| s.name);
        if !names.clone().any(|n| n == *name) {
            let near = crate::text::nearest(name, names.clone())
                .map(|n| format!("; did you mean {n:?}?"))
                .unwrap_or_default();
            return Err(Error::usage(
                format!("--set {set:?}: there is no sub-factor named {name:?}{near}"),
                format!("use one of: {}", names.collect::<Vec<_>>().join(", ")),
            ));
        }
    }
    at.insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

/// A fresh niche.toml: every key with its default and a comment, the profile's questions in both
/// languages.
pub fn template(inputs: &[String], name: &str) -> String {
    let list = |v: &[String]| {
        let items: Vec<String> = v.iter().map(|s| toml_string(s)).collect();
        format!("[{}]", items.join(", "))
    };
    let mut out = String::new();
    out.push_str(
        "# niche analysis: edit it, then `niche run`. Every key is shown with its default.\n\
         # niche 分析文件：修改后运行 `niche run`。每个键都写出了默认值。\n\
         # Paths are relative to this file. METHOD.md defines every setting.\n\n",
    );
    out.push_str("[inputs]\n");
    out.push_str(&format!(
        "files = {}  # paths or globs (*.csv); each file is recognised by its columns\n",
        list(inputs)
    ));
    out.push_str("accounts = []  # files to read as account lists, when recognition guesses wrong\n");
    out.push_str("posts = []  # files to read as post lists\n");
    out.push_str("snapshots = []  # files to read as follower snapshots\n");
    out.push_str("signals = []  # demand signals: a search or topic index over time (keyword, date, index; or Google Trends' multiTimeline.csv)\n");
    out.push_str("niche_column = \"\"  # the column that names each row's niche (\"\": recognise it)\n");
    out.push_str("sheet = \"\"  # the workbook sheet to read (\"\": the first)\n");
    out.push_str("encoding = \"\"  # utf-8, gbk, gb18030 (\"\": detect)\n");
    out.push_str("platform = \"\"  # the platform of rows whose file names none\n\n");
    out.push_str("[inputs.map]  # column overrides, field = \"column\", e.g. followers = \"粉丝量\"\n\n");
    out.push_str("[inputs.niches]  # niches named by keywords, for posts whose files name none, e.g. 语音生成 = [\"TTS\", \"配音\"]\n\n");
    out.push_str("[filters]\n");
    out.push_str("platforms = []  # keep only these platforms ([]: all)\n");
    out.push_str("since = \"\"  # keep posts published on or after this date, YYYY-MM-DD (\"\": no limit)\n");
    out.push_str("until = \"\"  # keep posts published on or before this date\n");
    out.push_str("min_accounts = 0  # leave out niches with fewer accounts than this (0: keep all)\n\n");
    out.push_str(&format!(
        "[model]\n# reference = \"my-reference.toml\"  # scales to judge niches against, relative to this file (default: the built-in {}; `niche reference build` fits one)\n\n",
        crate::reference::BUILT_IN_PATH
    ));
    let model = Model::default_file();
    for line in model.lines().skip_while(|l| l.starts_with('#') || l.is_empty()) {
        match line.strip_prefix('[') {
            Some(rest) => out.push_str(&format!("[model.{rest}\n")),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str(
        "\n[me]\naccount = \"\"  # your account's id or name in the inputs, set beside each niche and never its own competitor (\"\": none)\nfile = \"\"  # or your own export (creator-centre note or video list), relative to this file\n# followers = 12000  # your follower count, for `file` (such exports do not state it)\n",
    );
    out.push_str(
        "\n# What only you know (需求 × 商业 × 流量 — the essay's questions about you).\n\
         # Leave it empty for market scores only; fill it in for a personal score per niche.\n\
         [profile]\n\
         # How many hours a week can you give the account? 你每周能投入多少小时？\n\
         # hours_per_week = 10\n\
         # Which platforms do you already use? 你已经在用哪些平台？ e.g. [\"xiaohongshu\", \"bilibili\"]\n\
         platforms = []\n\
         # Besides sponsored posts, how else could you earn: consulting, courses, tools?\n\
         # 除了接单，还有哪些变现方式：咨询、课程、工具？\n\
         channels = []\n\
         # How much does influence (non-commercial value) matter to you, 0 to 1? 非商业价值（影响力）对你有多重要？\n\
         # influence_weight = 0.2\n\n\
         [profile.hours]  # your own hours to make one post, by format; these replace the model's\n\
         # short_video = 3.0\n\n\
         [profile.niche]  # per niche: your skill and your interest (你是否真的喜欢), 0 to 1\n\
         # \"美妆护肤\" = { skill = 0.8, interest = 0.9 }\n\n",
    );
    out.push_str("[report]\n");
    out.push_str(&format!(
        "name = {}  # reports go to reports/<name>/, each run to reports/<name>/runs/<n>/\n",
        toml_string(name)
    ));
    // The language of the run that wrote the file (`--lang`, else the locale's).
    out.push_str(&format!(
        "lang = \"{}\"  # en or zh (中文)\n",
        crate::lang::current().pick("en", "zh")
    ));
    out.push_str("charts = true  # draw the PNG charts (false: the page without charts)\n");
    out
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back_as_the_defaults() {
        let text = template(&["a.csv".to_string(), "帖子 \"1\".csv".to_string()], "demo");
        let file: AnalysisFile = toml::from_str(&text).expect("the template parses");
        assert_eq!(file.inputs.files, vec!["a.csv", "帖子 \"1\".csv"]);
        assert_eq!(file.report.name, "demo");
        let model = Model::from_file(&file.model, Path::new("niche.toml"), &text).expect("model");
        let defaults = Model::default();
        assert_eq!(model.weights, defaults.weights);
        assert_eq!(model.bootstrap.resamples, defaults.bootstrap.resamples);
    }

    #[test]
    fn sets_read_toml_values_and_fall_back_to_text() {
        let mut t = toml::Table::new();
        apply_set(&mut t, "model.weights.audience=0.5").expect("set");
        apply_set(&mut t, "report.lang=zh").expect("set");
        apply_set(&mut t, "filters.platforms=[\"douyin\"]").expect("set");
        assert_eq!(t["model"]["weights"]["audience"].as_float(), Some(0.5));
        assert_eq!(t["report"]["lang"].as_str(), Some("zh"));
        assert_eq!(t["filters"]["platforms"][0].as_str(), Some("douyin"));
        assert!(apply_set(&mut t, "noequals").is_err());
        assert!(apply_set(&mut t, "a..b=1").is_err());
        assert!(apply_set(&mut t, "report.lang.x=1").is_err());
    }
}
