"""Rewrite `niche gen`'s canonical posts.csv as a messy export, streaming (constant memory).

What a real crawler or dashboard export looks like (see docs/MALFORMED.md): a byte order mark, a
banner row above Chinese headers, counts written with 万 and k units, 是/否 flags, a niche and a
platform per row (taken from the account list), a tags column, missing markers, duplicated rows,
some posts filed under a second niche, and a 合计 row at the end. Seeded: same input, same bytes.

    python3 messy.py ACCOUNTS.csv POSTS.csv OUT.csv
"""
import csv
import random
import sys

accounts_path, posts_path, out_path = sys.argv[1:4]
rng = random.Random(1)
niche_of = {}
with open(accounts_path, encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        niche_of[r["account_id"]] = (r["niche"], r["platform"])


def unit(v):
    if v == "":
        return ""
    n = int(float(v))
    if n >= 10000:
        return f"{n / 10000:.1f}万"
    if n >= 1000 and rng.random() < 0.3:
        return f"{n / 1000:.1f}k"
    return str(n)


with open(posts_path, encoding="utf-8", newline="") as f, open(
    out_path, "w", encoding="utf-8-sig", newline=""
) as out:
    src = csv.reader(f)
    col = {h: i for i, h in enumerate(next(src))}
    w = csv.writer(out)
    w.writerow(["导出时间 2026-11-01 最多导出前一千万条"])
    w.writerow(["笔记ID", "用户ID", "领域", "平台", "标题", "发布时间", "点赞数", "评论数", "分享数",
                "收藏数", "播放量", "是否广告", "话题"])
    for r in src:
        account = r[col["account_id"]]
        niche, platform = niche_of.get(account, ("", ""))
        row = [r[col["post_id"]], account, niche, platform, r[col["title"]], r[col["published_at"]],
               unit(r[col["likes"]]), unit(r[col["comments"]]), unit(r[col["shares"]]),
               unit(r[col["collects"]]), unit(r[col["views"]]),
               "是" if r[col["is_sponsored"]] == "true" else "否",
               f"#{niche} #日常" if rng.random() < 0.3 else ""]
        if rng.random() < 0.01:
            row[6] = "--"
        w.writerow(row)
        if rng.random() < 0.005:
            w.writerow(row)
        if rng.random() < 0.002:
            w.writerow(row[:2] + ["生活"] + row[3:])
    w.writerow(["合计"] + [""] * 12)
