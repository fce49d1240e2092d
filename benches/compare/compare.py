"""Time `niche score` against DuckDB on the same files, interleaved; see compare.sh."""

import argparse
import os
import statistics
import subprocess
import sys

SQL = """
WITH posts AS (
  SELECT account_id, published_at, likes, comments, shares, collects, views, is_sponsored
  FROM read_csv('{data}/posts.csv', header = true,
                timestampformat = '%Y-%m-%dT%H:%M:%S')
),
accounts AS (SELECT account_id, platform, niche, followers FROM read_csv('{data}/accounts.csv', header = true)),
per_account AS (
  SELECT account_id,
         count(*) AS posts,
         sum(likes + comments + shares + collects) AS engagement,
         median(likes + comments + shares + collects) AS engagement_median,
         max(likes + comments + shares + collects) AS engagement_max,
         median(views) AS views_median,
         avg(CASE WHEN is_sponsored THEN 1 ELSE 0 END) AS sponsored_share,
         epoch(max(published_at) - min(published_at)) AS span_seconds
  FROM posts GROUP BY account_id
),
joined AS (
  SELECT a.niche, a.platform, a.followers, p.*
  FROM per_account p JOIN accounts a USING (account_id)
)
SELECT niche,
       count(*) AS accounts,
       sum(posts) AS posts,
       sum(followers) AS followers_total,
       median(engagement_median / nullif(followers, 0)) AS engagement_rate,
       median(engagement_median) AS median_engagement_per_post,
       median(views_median) AS median_views_per_post,
       avg(sponsored_share) AS sponsored_share,
       median(posts / greatest(span_seconds / 604800.0, 1.0 / 7)) AS posts_per_week,
       quantile_cont(followers, 0.9) AS head_followers
FROM joined GROUP BY niche ORDER BY niche
"""

DUCKDB = "import duckdb, sys; rows = duckdb.connect().execute(sys.argv[1]).fetchall(); print(len(rows))"


def timed(cmd):
    """Wall seconds and peak resident MiB of one command, from GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {out.stderr[-2000:]}")
    wall, kib = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kib) / 1024


def check_equivalence(niche, check_max):
    """The fast path must give the general path's niche table, byte for byte (issue 6)."""
    posts = sum(1 for _ in open(niche[3], "rb")) - 1
    if posts > check_max:
        print(f"fast path = general path: not checked at {posts} posts (over --check-max {check_max}; "
              "the general path takes about 2 s per million posts)")
        return
    outputs = {}
    for label, fast in [("fast", "1"), ("general", "0")]:
        env = dict(os.environ, NICHE_FAST=fast, NICHE_TIMINGS="1")
        run = subprocess.run(niche, capture_output=True, env=env)
        if run.returncode != 0:
            sys.exit(f"niche ({label} path) failed: {run.stderr.decode()[-2000:]}")
        took = b"inputs read by: the fast path" in run.stderr
        if (label == "fast") != took:
            sys.exit(f"the {label} run did not take the path it should have: {run.stderr.decode()[-2000:]}")
        outputs[label] = run.stdout
    if outputs["fast"] != outputs["general"]:
        sys.exit("fast path and general path gave different niche tables")
    print(f"fast path = general path: identical niche tables ({posts} posts, {len(outputs['fast'])} bytes)")


def summary(values):
    return f"{statistics.median(values):7.2f} ({min(values):.2f}–{max(values):.2f})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--niche", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--check-max", type=int, default=2_000_000,
                    help="check fast = general path on data up to this many posts")
    ap.add_argument("--niche-posts", help="the post list niche reads (default: DATA/posts.csv, which "
                    "DuckDB always reads): the same posts in another layout")
    ap.add_argument("--label", default="")
    ap.add_argument("--niche-arg", action="append", default=[],
                    help="an argument added to niche's command (repeatable), e.g. --niche-arg=--bootstrap --niche-arg=0")
    a = ap.parse_args()
    niche_posts = a.niche_posts or f"{a.data}/posts.csv"
    niche = [a.niche, "score", f"{a.data}/accounts.csv", niche_posts, "--format", "csv", *a.niche_arg]
    duck = [sys.executable, "-c", DUCKDB, SQL.format(data=a.data)]
    floor = [a.floor, f"{a.data}/posts.csv"]
    check_equivalence(niche, a.check_max)
    times = {"niche": [], "duckdb": [], "floor": []}
    mem = {"niche": [], "duckdb": [], "floor": []}
    for i in range(a.runs):
        # Interleave, alternating who goes first, so drift hits both alike.
        order = [("niche", niche), ("duckdb", duck)] if i % 2 == 0 else [("duckdb", duck), ("niche", niche)]
        for name, cmd in order + [("floor", floor)]:
            t, m = timed(cmd)
            times[name].append(t)
            mem[name].append(m)
    ratios = [n / d for n, d in zip(times["niche"], times["duckdb"])]
    print(f"== {a.label}: niche reads {niche_posts}, DuckDB {a.data}/posts.csv ({a.runs} interleaved runs)")
    print("tool      wall s: median (min–max)   peak MiB: median")
    for name in ["niche", "duckdb", "floor"]:
        print(f"{name:8}  {summary(times[name])}        {statistics.median(mem[name]):8.0f}")
    print(f"niche / duckdb, pair by pair: median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
