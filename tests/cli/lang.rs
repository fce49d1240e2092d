//! The terminal in Chinese: `--lang zh`, or a zh_* locale, for the table and the lines under it,
//! `niche show` and `niche account`, warnings, errors and the report; the numbers as in English.

use super::support::{fixture, niche, niche_env, scratch};

const SAMPLE: [&str; 3] = [
    "datasets/sample/accounts.csv",
    "datasets/sample/posts.csv",
    "datasets/sample/snapshots.csv",
];

/// A locale that asks for Chinese (LC_ALL and LC_MESSAGES unset, as on a desktop).
const ZH_LOCALE: [(&str, &str); 3] = [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "zh_CN.UTF-8")];

/// The numbers of a table's rows (everything up to its first blank line), in order.
fn numbers(table: &str) -> Vec<String> {
    table
        .lines()
        .take_while(|l| !l.is_empty())
        .skip(2)
        .flat_map(|l| l.split(|c: char| c.is_whitespace() || "()–≤".contains(c)))
        .filter(|t| {
            let t = t.trim_end_matches('%');
            !t.is_empty() && t.parse::<f64>().is_ok()
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_table_and_its_key_speak_chinese_with_the_same_numbers() {
    let args = |lang: &'static str| {
        [
            "score",
            SAMPLE[0],
            SAMPLE[1],
            "--bootstrap",
            "40",
            "--me",
            "u1001",
            "--lang",
            lang,
        ]
    };
    let en = niche(&args("en"));
    let zh = niche(&args("zh"));
    assert_eq!(en.code, 0, "{}", en.stderr);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    let header = zh.stdout.lines().next().unwrap();
    for word in [
        "赛道",
        "平台",
        "账号",
        "帖子",
        "需求",
        "商业",
        "流量",
        "得分",
        "胜下一名",
    ] {
        assert!(header.contains(word), "{word} in the header: {header}");
    }
    assert!(zh.stdout.contains("小红书") && zh.stdout.contains("抖音") && zh.stdout.contains("B站"));
    for line in [
        "得分 = 需求 × 商业 × 流量",
        "首选：",
        "你：小红书上的 u1001",
        "输入：",
        "（低–高）",
    ] {
        assert!(zh.stdout.contains(line), "{line:?} in:\n{}", zh.stdout);
    }
    for english in [
        "score = demand",
        "top pick:",
        "you:",
        "inputs:",
        "(low–high)",
        "xiaohongshu",
    ] {
        assert!(!zh.stdout.contains(english), "{english:?} left in:\n{}", zh.stdout);
        assert!(en.stdout.contains(english), "{english:?} in English:\n{}", en.stdout);
    }
    // The same cells: only the words change.
    let (n_en, n_zh) = (numbers(&en.stdout), numbers(&zh.stdout));
    assert!(n_en.len() > 50, "{n_en:?}");
    assert_eq!(n_en, n_zh);
}

#[test]
fn a_chinese_locale_is_chinese_unless_lang_says_otherwise() {
    let args = ["score", SAMPLE[0], "--bootstrap", "0"];
    let by_locale = niche_env(&args, &ZH_LOCALE);
    assert_eq!(by_locale.code, 0, "{}", by_locale.stderr);
    assert!(by_locale.stdout.starts_with("#  赛道"), "{}", by_locale.stdout);
    let mut english = args.to_vec();
    english.extend(["--lang", "en"]);
    let asked = niche_env(&english, &ZH_LOCALE);
    assert!(asked.stdout.starts_with("#  niche"), "{}", asked.stdout);
    // LC_ALL outranks LANG.
    let c = niche_env(&args, &[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]);
    assert!(c.stdout.starts_with("#  niche"), "{}", c.stdout);
    // The report follows the run's language.
    let dir = scratch("lang_report_by_locale");
    let out = dir.to_string_lossy().to_string();
    let run = niche_env(
        &["score", SAMPLE[0], SAMPLE[1], "--bootstrap", "0", "--report", &out],
        &ZH_LOCALE,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("已写入"), "{}", run.stderr);
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(page.contains("lang=\"zh-CN\""));
    // A saved analysis written in that locale keeps its language for `niche run`'s reports.
    let toml = dir.join("niche.toml");
    let init = niche_env(
        &["init", "--input", SAMPLE[0], "--output", toml.to_str().unwrap()],
        &ZH_LOCALE,
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(init.stderr.contains("已写入"), "{}", init.stderr);
    assert!(std::fs::read_to_string(&toml).unwrap().contains("lang = \"zh\""));
}

#[test]
fn warnings_and_errors_speak_chinese() {
    // A warning: the summary row left out.
    let run = niche(&[
        "score",
        &fixture("studio_total_row.csv"),
        "--bootstrap",
        "0",
        "--lang",
        "zh",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("警告：") && run.stderr.contains("汇总行"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 条警告（见标准错误输出）"), "{}", run.stdout);
    let en = niche(&["score", &fixture("studio_total_row.csv"), "--bootstrap", "0"]);
    assert!(
        en.stderr.contains("warning: ") && en.stderr.contains("summary row"),
        "{}",
        en.stderr
    );

    // Errors, each with its place and what to try; exit 1 in either language.
    for (file, zh_words, en_words) in [
        ("no-such-file.csv", "检查路径", "check the path"),
        (
            &fixture("no_niche.csv"),
            "没有一列写明赛道",
            "no column names the niche",
        ),
        (&fixture("empty.csv"), "文件是空的", "the file is empty"),
        (
            &fixture("unreadable_followers.csv"),
            "没有一个值能读作 followers",
            "could be read as followers",
        ),
    ] {
        let zh = niche(&["score", file, "--lang", "zh"]);
        assert_eq!(zh.code, 1, "{}", zh.stderr);
        assert!(
            zh.stderr.starts_with("错误：") && zh.stderr.contains(file),
            "{}",
            zh.stderr
        );
        assert!(
            zh.stderr.contains(zh_words) && zh.stderr.contains("= 试试: "),
            "{}",
            zh.stderr
        );
        let en = niche(&["score", file]);
        assert_eq!(en.code, 1);
        assert!(
            en.stderr.starts_with("error: ") && en.stderr.contains(en_words),
            "{}",
            en.stderr
        );
        assert!(
            en.stderr.contains("= try: ") && !en.stderr.contains("试试"),
            "{}",
            en.stderr
        );
    }
}

#[test]
fn mistakes_on_the_command_line_are_told_in_chinese() {
    for (args, words) in [
        (vec!["score", SAMPLE[0], "--me", "mine.csv"], "没有这个文件"),
        (vec!["score", SAMPLE[0], "--map", "followers"], "不是 字段=列名 的形式"),
        (
            vec!["score", SAMPLE[0], "--niche", "语音生成"],
            "赛道名和关键词之间没有 `=`",
        ),
        (
            vec!["show", "美妆", SAMPLE[0], "--bootstrap", "0"],
            "是不是 \"美妆护肤\"",
        ),
        (vec!["init"], "没有给出输入"),
    ] {
        let mut zh = args.clone();
        zh.extend(["--lang", "zh"]);
        let run = niche(&zh);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("错误：") && run.stderr.contains(words),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("= 试试: "), "{args:?}: {}", run.stderr);
        let en = niche(&args);
        assert!(
            en.stderr.starts_with("error: ") && !en.stderr.contains(words),
            "{args:?}: {}",
            en.stderr
        );
    }
}

#[test]
fn show_and_account_speak_chinese() {
    let show = niche(&[
        "show",
        "AI工具",
        SAMPLE[0],
        SAMPLE[1],
        "--bootstrap",
        "0",
        "--lang",
        "zh",
    ]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    for words in ["第 ", "平台：小红书", "证据（", "爆款帖子", "值得看的账号", "方法 "] {
        assert!(show.stdout.contains(words), "{words:?} in:\n{}", show.stdout);
    }
    assert!(
        !show.stdout.contains("Breakout posts") && !show.stdout.contains(" followers ·"),
        "{}",
        show.stdout
    );
    let account = niche(&[
        "account",
        "u1001",
        SAMPLE[0],
        SAMPLE[1],
        SAMPLE[2],
        "--bootstrap",
        "0",
        "--lang",
        "zh",
    ]);
    assert_eq!(account.code, 0, "{}", account.stderr);
    for words in ["小红书上的 u1001", "在 AI工具", "它最好的帖子", "互动率"] {
        assert!(account.stdout.contains(words), "{words:?} in:\n{}", account.stdout);
    }
    assert!(!account.stdout.contains("best posts") && !account.stdout.contains("engagement rate"));
}

#[test]
fn inspect_speaks_chinese() {
    let file = fixture("gbk_wan_units.csv");
    let zh = niche(&["inspect", &file, "--lang", "zh"]);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    for words in [
        "格式：分隔文本",
        "编码：GBK（自动检测）",
        "类型：账号列表：它有粉丝数",
        "平台：（按行）（来自列",
        "行：读取 5 行，使用 5 行",
        "（第 4 列）",
        "问题：",
        "1 个是 10万+ 这样的下限",
    ] {
        assert!(zh.stdout.contains(words), "{words:?} in:\n{}", zh.stdout);
    }
    let en = niche(&["inspect", &file]);
    assert!(
        en.stdout.contains("  kind:      account list: it has follower counts"),
        "{}",
        en.stdout
    );
    assert!(
        !en.stdout.contains("格式") && !en.stdout.contains("第 4 列"),
        "{}",
        en.stdout
    );
}
