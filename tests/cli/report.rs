//! The report folder (`score --report`, `niche report`): its files, chart sizes, both languages,
//! redrawing from report.json alone, hostile text, and the page in a real headless browser.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::{fixture, niche, scratch};

const SAMPLE: [&str; 2] = ["datasets/sample/accounts.csv", "datasets/sample/posts.csv"];
const CHARTS: [&str; 6] = [
    "ranking",
    "opportunity",
    "concentration",
    "trends",
    "platforms",
    "sensitivity",
];

/// Score `files` and write a report folder; returns the folder.
fn write_report(name: &str, files: &[&str], extra: &[&str]) -> PathBuf {
    let dir = scratch(name).join("report");
    let dir_arg = dir.to_string_lossy().to_string();
    let mut args = vec!["score"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--report", &dir_arg]);
    args.extend_from_slice(extra);
    let run = niche(&args);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("report.html"),
        "says where the report went: {}",
        run.stderr
    );
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Width, height and the RGB(A) pixels of a PNG.
fn decode_png(path: &Path) -> (u32, u32, Vec<u8>, usize) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG frame decodes");
    let channels = info.color_type.samples();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf, channels)
}

#[test]
fn report_folder_holds_page_charts_json_and_csv() {
    let dir = write_report("report_files", &SAMPLE, &[]);
    for name in ["report.html", "report.json", "scores.csv"] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    // report.json is the view model the scripts get, with each niche's breakout posts and its
    // accounts' best posts (a report run keeps the posts' titles; `--format json` alone reads the
    // fast way and keeps none: null there); scores.csv the CSV format.
    let json = niche(&["score", SAMPLE[0], SAMPLE[1], "--format", "json"]);
    let folder: serde_json::Value = serde_json::from_str(&read(&dir.join("report.json"))).unwrap();
    assert!(folder["niches"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["top_posts"].as_array().is_some_and(|p| !p.is_empty())));
    let stdout: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(super::support::without_post_details(folder), stdout);
    // scores.csv is the CSV format with Excel's byte-order mark (its text is not all ASCII);
    // standard output has none.
    let csv = niche(&["score", SAMPLE[0], SAMPLE[1], "--format", "csv"]);
    assert!(!csv.stdout.starts_with('\u{FEFF}'));
    assert_eq!(read(&dir.join("scores.csv")), format!("\u{FEFF}{}", csv.stdout));
    // scores.xlsx holds the same rows, numbers as numbers.
    {
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("scores.xlsx")).expect("a workbook");
        let sheet = book.worksheet_range("scores").expect("the scores sheet");
        let mut lines = csv.stdout.lines();
        let header: Vec<String> = lines.next().expect("header").split(',').map(str::to_string).collect();
        let rows: Vec<_> = sheet.rows().collect();
        let cells: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        assert_eq!(cells, header);
        assert_eq!(rows.len() - 1, lines.count(), "one row a niche");
        let score = header.iter().position(|h| h == "score").expect("a score column");
        assert!(
            rows[1..].iter().any(|r| matches!(r[score], Data::Float(_))),
            "scores are numbers"
        );
        let niche_col = header.iter().position(|h| h == "niche").expect("a niche column");
        assert!(matches!(rows[1][niche_col], Data::String(_)));
    }

    // Question 10 points at a breakout post that carries each trait and tag it names.
    let html = read(&dir.join("report.html"));
    assert!(html.contains("(e.g. “"), "question 10 gives examples");
    // Question 7 without views asks for views (its niches have follower counts already).
    assert!(html.contains("Influence is how far a typical post carries: add views per post"));
    assert!(!html.contains("Add follower counts or views"));

    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let niches = report["niches"].as_array().expect("niches").len();
    for chart in CHARTS {
        let (w, h, pixels, channels) = decode_png(&dir.join(format!("charts/{chart}.png")));
        assert_eq!(w, 1920, "{chart}: 960 layout pixels at 2×");
        assert!(h >= 400 && h % 2 == 0, "{chart}: height {h}");
        let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(channels).collect();
        assert!(distinct.len() > 50, "{chart} looks empty: {} colours", distinct.len());
    }
    // The ranking has one 28-pixel row per niche between a 96-pixel head and a 64-pixel foot.
    let (_, h, _, _) = decode_png(&dir.join("charts/ranking.png"));
    assert_eq!(h, 2 * (96 + 28 * niches as u32 + 64));

    let html = read(&dir.join("report.html"));
    assert_eq!(html.matches("src=\"data:image/png;base64,").count(), CHARTS.len());
    for remote in ["http://", "https://", "src=\"//", "@import"] {
        assert!(!html.contains(remote), "the page refers to something remote: {remote}");
    }
    // One url(), the embedded font's, and it is data.
    assert_eq!(html.matches("url(").count(), 1);
    assert_eq!(html.matches("url(data:font/otf;base64,").count(), 1);
    assert!(html.contains("Content-Security-Policy"));
    assert!(
        html.contains(&format!("method {}", niche::method::METHOD_VERSION)),
        "the page repeats the method version"
    );
}

#[test]
fn report_speaks_both_languages() {
    let en = read(&write_report("report_en", &SAMPLE, &["--bootstrap", "20"]).join("report.html"));
    let zh = read(&write_report("report_zh", &SAMPLE, &["--bootstrap", "20", "--lang", "zh"]).join("report.html"));
    assert!(en.contains("<html lang=\"en\">") && zh.contains("<html lang=\"zh-CN\">"));
    for (page, words) in [
        (&en, ["Top pick", "Golden loop", "Data quality", "Definitions"]),
        (&zh, ["首选赛道", "黄金循环", "数据质量", "指标定义"]),
    ] {
        for w in words {
            assert!(page.contains(w), "missing {w:?}");
        }
    }
    // Counts are written per language: 万 in Chinese, K/M in English.
    assert!(zh.contains("万粉丝") || zh.contains("万。"), "Chinese counts use 万");
    assert!(!en.contains("万粉丝") && (en.contains("K followers") || en.contains("M followers")));
    // No English sentence leaks into the Chinese page's answers, and the reverse.
    assert!(!zh.contains("No evidence in these inputs") && !zh.contains("accounts compete"));
    assert!(!en.contains("本次输入中没有相关证据") && !en.contains("个账号在这个赛道"));
    // Platforms by the names their Chinese readers use, on the Chinese page only.
    for (code, name) in [("xiaohongshu", "小红书"), ("douyin", "抖音"), ("bilibili", "B站")] {
        assert!(
            !zh.contains(&format!(">{code}<")) && zh.contains(name),
            "{code} on the Chinese page"
        );
        assert!(en.contains(code) && !en.contains(name), "{code} on the English page");
    }
}

#[test]
fn report_redraws_from_its_json_alone() {
    let first = write_report("report_redraw_src", &SAMPLE, &["--lang", "zh"]);
    let copy = scratch("report_redraw_copy");
    std::fs::copy(first.join("report.json"), copy.join("report.json")).expect("copy");
    let run = niche(&["report", &copy.to_string_lossy(), "--lang", "zh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&copy.join("report.html")), read(&first.join("report.html")));
    for chart in CHARTS {
        let name = format!("charts/{chart}.png");
        assert!(
            std::fs::read(copy.join(&name)).expect("chart") == std::fs::read(first.join(&name)).expect("chart"),
            "{name} differs"
        );
    }
    // --out writes elsewhere, with the JSON beside the page.
    let out = scratch("report_redraw_out").join("en");
    let run = niche(&[
        "report",
        &copy.join("report.json").to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(&out.join("report.html")).contains("Top pick"));
    assert!(out.join("report.json").is_file());
}

#[test]
fn a_broken_report_json_is_pointed_at() {
    let dir = scratch("report_broken");
    std::fs::write(
        dir.join("report.json"),
        "{\n  \"method_version\": \"1.0\",\n  \"niches\": [}\n",
    )
    .expect("write");
    let run = niche(&["report", &dir.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("report.json:3:"),
        "names file and line: {}",
        run.stderr
    );
    assert!(run.stderr.contains("niche score"), "says what to try: {}", run.stderr);
    assert!(!dir.join("report.html").exists());

    let missing = niche(&["report", &dir.join("nothing-here").to_string_lossy()]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("nothing-here"), "{}", missing.stderr);
}

fn hostile_report(name: &str) -> PathBuf {
    write_report(
        name,
        &[
            &fixture("hostile_report_accounts.csv"),
            &fixture("hostile_report_posts.csv"),
        ],
        &["--bootstrap", "20"],
    )
}

#[test]
fn hostile_names_and_titles_render_as_text() {
    let dir = hostile_report("report_hostile");
    let html = read(&dir.join("report.html"));
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script element, ours or theirs");
    for injected in ["<img src=x", "<img src=y", "<svg", "<b>douyin", "<em class"] {
        assert!(!lower.contains(injected), "{injected} reached the page as markup");
    }
    assert!(html.contains("&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;douyin&lt;/b&gt;"));
    // Titles reach the page in the breakout posts' table, their markup left out and the rest
    // as text.
    assert!(html.contains("Breakout posts"));
    assert!(html.contains("alert(&quot;t&quot;)"));
    assert!(
        html.contains("evil\\u{202E}exe.txt"),
        "the bidi override is shown, not obeyed"
    );
    assert!(!html.contains('\u{202E}'));
    assert_eq!(
        html.matches("<img ").count(),
        CHARTS.len(),
        "the only images are the charts"
    );

    let csv = read(&dir.join("scores.csv"));
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "formula neutralised: {csv}"
    );
}

// ------------------------------------------------------------------ the page in a real browser

/// The browser to test with; `None` (test skipped) only outside CI. CI installs Debian's chromium
/// and sets NICHE_REQUIRE_BROWSER, so a missing browser fails there.
fn browser() -> Option<PathBuf> {
    let candidates = [
        std::env::var("NICHE_CHROMIUM").ok().map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
        Some(PathBuf::from("/usr/bin/google-chrome")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("NICHE_REQUIRE_BROWSER").is_none() && std::env::var_os("CI").is_none(),
            "no headless browser found, and CI requires one (apt-get install chromium)"
        );
        eprintln!("skipped: no chromium (set NICHE_CHROMIUM to its path)");
    }
    found
}

struct Visit {
    dom: String,
    /// Console messages the page logged (errors included: CSP violations, failed loads).
    console: Vec<String>,
    /// Requests the page made to anything but its own file.
    requests: Vec<String>,
}

/// Open a page in headless Chromium with logging: the DOM after load, console lines, requests.
fn visit(chromium: &Path, page: &Path, work: &Path, screenshot: Option<&Path>) -> Visit {
    let profile = work.join(format!(
        "profile-{}",
        page.file_stem().unwrap_or_default().to_string_lossy()
    ));
    let netlog = work.join(format!(
        "{}.netlog.json",
        page.file_stem().unwrap_or_default().to_string_lossy()
    ));
    let url = format!("file://{}", page.canonicalize().expect("page path").display());
    let mut cmd = Command::new("timeout");
    cmd.arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", netlog.display()));
    match screenshot {
        Some(shot) => cmd
            .arg("--window-size=1100,2400")
            .arg(format!("--screenshot={}", shot.display())),
        None => cmd.arg("--dump-dom"),
    };
    let out = cmd.arg(&url).output().expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    // Requests the page started carry its file:// partition; the browser's own (update checks and
    // the like) do not, and are not the page's doing.
    let log: serde_json::Value = serde_json::from_str(&read(&netlog)).expect("net log is JSON");
    let requests = log["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.contains("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .map(str::to_string)
        .collect();
    Visit {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console,
        requests,
    }
}

#[test]
fn the_page_loads_in_chromium_offline_and_quiet() {
    let Some(chromium) = browser() else { return };
    let work = scratch("browser_page");
    let dir = write_report("browser_report", &SAMPLE, &["--bootstrap", "20"]);

    // The detectors can fail: a page with a remote image and a console error trips both.
    let bad = work.join("control.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><body><p>x</p><img src=\"http://example.invalid/a.png\"><script>console.error('control')</script></body></html>",
    )
    .expect("write");
    let control = visit(&chromium, &bad, &work, None);
    assert!(
        !control.console.is_empty(),
        "the console detector saw nothing on the control page"
    );
    assert!(
        control.requests.iter().any(|u| u.contains("example.invalid")),
        "the request detector saw nothing on the control page: {:?}",
        control.requests
    );

    let page = visit(&chromium, &dir.join("report.html"), &work, None);
    assert!(page.console.is_empty(), "console messages: {:#?}", page.console);
    assert!(page.requests.is_empty(), "network requests: {:#?}", page.requests);
    assert!(page.dom.contains("id=\"chart-ranking\""), "the page rendered");

    let shot = work.join("page.png");
    visit(&chromium, &dir.join("report.html"), &work, Some(&shot));
    let (w, h, pixels, channels) = decode_png(&shot);
    assert!(w >= 1000 && h >= 2000, "screenshot {w}×{h}");
    let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(channels).collect();
    let inked = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 200))
        .count();
    assert!(
        distinct.len() > 200,
        "screenshot looks blank: {} colours",
        distinct.len()
    );
    assert!(inked * 50 > pixels.len() / channels, "screenshot is almost all white");
}

#[test]
fn chinese_text_is_drawn_with_the_embedded_font_on_a_machine_without_one() {
    let Some(chromium) = browser() else { return };
    // The check is for a machine without a CJK system font, which is exactly what CI is; where
    // one is installed the page may rightly draw Chinese without the embedded font.
    let system_cjk = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    if system_cjk && std::env::var_os("NICHE_REQUIRE_BROWSER").is_none() {
        eprintln!("skipped: this machine has a CJK font (fc-list :lang=zh)");
        return;
    }
    let dir = write_report("webfont_report", &SAMPLE, &["--bootstrap", "0", "--lang", "zh"]);
    let page = read(&dir.join("report.html"));
    let face = "@font-face{font-family:\"Niche CJK\";src:url(data:font/otf;base64,";
    assert!(page.contains(face), "the page embeds the font");
    assert!(page.contains("font-src data:"), "and its policy lets it load");
    let seen = visit(&chromium, &dir.join("report.html"), &scratch("webfont_visit"), None);
    assert!(seen.console.is_empty(), "console messages: {:#?}", seen.console);

    // The page's own head, then one band per text style the page uses. Chinese drawn as empty
    // boxes looks the same as characters no font has (U+E000, private use): each band of the
    // probe must differ from the same band with those characters instead.
    let head = &page[..page.find("<body").expect("a body")];
    let styles = [
        "<h1>",
        "<h2>",
        "<h3>",
        "<h4>",
        "<p>",
        "<p class=\"pick\"><strong>",
        "<p class=\"note\">",
        "<table><tr><td>",
        "<code>",
    ];
    let probe = |text: &str| {
        let mut html = format!("{head}<body><main>");
        for open in styles {
            let tags: Vec<&str> = open.trim_start_matches('<').trim_end_matches('>').split("><").collect();
            let close: String = tags
                .iter()
                .rev()
                .map(|t| format!("</{}>", t.split(' ').next().unwrap_or(t)))
                .collect();
            html.push_str(&format!(
                "<div style=\"height:80px;overflow:hidden\">{open}{text}{close}</div>"
            ));
        }
        html + "</main></body></html>"
    };
    let work = scratch("webfont_page");
    let (chinese, none) = (work.join("chinese.html"), work.join("none.html"));
    std::fs::write(&chinese, probe("赛道选择报告")).expect("write");
    std::fs::write(&none, probe("\u{E000}\u{E000}\u{E000}\u{E000}\u{E000}\u{E000}")).expect("write");
    let (a, b) = (work.join("chinese.png"), work.join("none.png"));
    visit(&chromium, &chinese, &work, Some(&a));
    visit(&chromium, &none, &work, Some(&b));
    let (w, h, pa, channels) = decode_png(&a);
    let (_, _, pb, _) = decode_png(&b);
    let row = w as usize * channels;
    // Bands start below main's top padding (24px); each is 80px high.
    for (k, style) in styles.iter().enumerate() {
        let (top, bottom) = (24 + 80 * k, (24 + 80 * (k + 1)).min(h as usize));
        let differs = pa[top * row..bottom * row] != pb[top * row..bottom * row];
        assert!(differs, "Chinese in {style} is drawn as empty boxes");
    }
}

#[test]
fn hostile_text_runs_no_script_in_chromium() {
    let Some(chromium) = browser() else { return };
    let work = scratch("browser_hostile");
    let dir = hostile_report("browser_hostile_report");
    let page = visit(&chromium, &dir.join("report.html"), &work, None);
    assert!(page.console.is_empty(), "console messages: {:#?}", page.console);
    assert!(page.requests.is_empty(), "network requests: {:#?}", page.requests);
    let dom = page.dom.to_lowercase();
    // The DOM after load: the title is ours (the injected script did not run), and no element
    // came from the inputs.
    assert!(
        dom.contains("<title>which niche to enter"),
        "title changed: {}",
        &page.dom[..400.min(page.dom.len())]
    );
    assert!(!dom.contains("<script") && !dom.contains("<svg") && !dom.contains("onerror=\""));
    assert!(dom.contains("&lt;script&gt;document.title"));
}

#[test]
fn the_page_opens_with_you_when_your_account_is_given() {
    let dir = write_report("report_me", &SAMPLE, &["--bootstrap", "0", "--me", "u1001"]);
    let html = read(&dir.join("report.html"));
    let you = html.find("id=\"you\"").expect("a section about you");
    let summary = html.find("id=\"summary\"").expect("the summary");
    assert!(you < summary, "the page opens with you");
    assert!(html.contains("href=\"#you\""));
    let without = write_report("report_not_me", &SAMPLE, &["--bootstrap", "0"]);
    assert!(!read(&without.join("report.html")).contains("id=\"you\""));
    // The golden loop brings your platform in after the main niche's own: an account on a
    // platform the top pick is not on.
    let report: serde_json::Value = serde_json::from_str(&read(&without.join("report.json"))).expect("json");
    let top = &report["niches"][0];
    let main_platform = top["start_on"].as_str().expect("the top pick's platform").to_string();
    let other = if main_platform == "youtube" {
        ("u1001", "xiaohongshu")
    } else {
        ("u6001", "youtube")
    };
    assert!(
        top["platforms"]
            .as_array()
            .is_some_and(|p| !p.iter().any(|x| x == other.1)),
        "the top pick is not on {}: {top}",
        other.1
    );
    let mine = write_report("report_me_other", &SAMPLE, &["--bootstrap", "0", "--me", other.0]);
    let page = read(&mine.join("report.html"));
    let at = page.find("Channels, in order").expect("the golden loop's channels");
    let channels = &page[at..at + 400];
    let (main, yours) = (channels.find(main_platform.as_str()), channels.find(other.1));
    assert!(main.is_some() && yours.is_some() && main < yours, "{channels}");
}

#[test]
fn the_trend_chart_draws_the_demand_signals_given() {
    // The golden loop's main niche is the top pick: give it a demand signal rising 5% a week (as
    // the fixture's AI工具 rises), beside the fixture's own.
    let plain = write_report("report_signals_plain", &SAMPLE, &["--bootstrap", "0"]);
    let report: serde_json::Value = serde_json::from_str(&read(&plain.join("report.json"))).expect("json");
    let top = report["niches"][0]["niche"].as_str().expect("a top pick").to_string();
    let fixture = std::fs::read_to_string("tests/fixtures/signals_baidu.csv").expect("fixture");
    let mut signals = fixture.clone();
    for line in fixture.lines().filter(|l| l.starts_with("AI工具,")) {
        signals.push_str(&line.replacen("AI工具", &top, 1));
        signals.push('\n');
    }
    let file = scratch("report_signals_file").join("signals.csv");
    std::fs::write(&file, signals).expect("write");
    let dir = write_report(
        "report_signals",
        &SAMPLE,
        &["--bootstrap", "0", "--signals", &file.to_string_lossy()],
    );
    let html = read(&dir.join("report.html"));
    assert!(
        html.contains("searches +"),
        "the chart's text names the searches' trend"
    );
    let at = html.find("Main niche: ").expect("the golden loop");
    let main = &html[at..at + 120];
    assert!(main.contains(top.as_str()), "{main}");
    let demand = html
        .find("Demand behind it")
        .map(|i| &html[i..i + 200])
        .expect("the golden loop uses the signals");
    assert!(demand.contains("+23.6% a month"), "{demand}");
    let json = read(&dir.join("report.json"));
    assert!(
        json.contains("\"search_series\": [\n        [\n          \"2026-07-06\""),
        "the series is in report.json"
    );
}
