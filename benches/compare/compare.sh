#!/usr/bin/env bash
# Issue 6's measurement: `niche score` end to end against DuckDB doing the same per-account and
# per-niche aggregations in SQL, on seeded `niche gen` data, interleaved runs; plus the parse floor
# (Polars reading only the columns the method needs). Results go in BENCHMARKS.md by hand.
#
#   benches/compare/compare.sh [RUNS] [SIZE...]     e.g. compare.sh 5 1000000 10000000
#
# SIZE is the number of posts; accounts are a fiftieth (1M posts: 20k accounts) but at most
# 100,000 (10M posts: 100k accounts), as the issue gives them. Data is cached under
# ~/.cache/niche-bench; DuckDB comes from PyPI into this folder's own virtualenv. Each size runs
# three ways: posts grouped by account (every number in BENCHMARKS.md before 2026-12-06 is on
# these), in crawl order (also with --bootstrap 0: reading and measuring only, as DuckDB's SQL),
# and in the messy layout (`niche gen --order`, `--layout`); crawl order and messy also with
# --bootstrap 0; and a crawl of 40 niches each on 7 platforms (`--niches 40 --platforms 7`: 280
# niche × platform pairs, each with its own intervals), with and without --bootstrap 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-5}"; shift || true
SIZES=("${@:-1000000}")
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/niche-target}"
cargo build -q --release --bin niche
# The floor is its own crate (it needs Polars' CSV reader, which niche does not build).
cargo build -q --release --manifest-path benches/compare/floor/Cargo.toml
NICHE="$CARGO_TARGET_DIR/release/niche"
FLOOR="$CARGO_TARGET_DIR/release/parse_floor"
VENV=benches/compare/.venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "duckdb==2.0.1"
fi
for posts in "${SIZES[@]}"; do
  accounts=$(( posts / 50 < 100000 ? posts / 50 : 100000 ))
  base="$HOME/.cache/niche-bench"
  for order in grouped crawl; do
    if [ ! -s "$base/$posts-$order/posts.csv" ]; then
      "$NICHE" gen --force --out "$base/$posts-$order" --seed 42 --accounts "$accounts" --posts "$posts" --order "$order" >/dev/null
    fi
  done
  # Many niche × platform pairs (40 niches, each on 7 platforms: 280 pairs, each bootstrapped).
  if [ ! -s "$base/$posts-pairs/posts.csv" ]; then
    "$NICHE" gen --force --out "$base/$posts-pairs" --seed 42 --accounts "$accounts" --posts "$posts" --order crawl --niches 40 --platforms 7 >/dev/null
  fi
  if [ ! -s "$base/$posts-messy/posts.csv" ]; then
    "$NICHE" gen --force --out "$base/$posts-messy" --seed 42 --accounts "$accounts" --posts "$posts" --order crawl --layout messy >/dev/null
  fi
  run() { "$VENV/bin/python" benches/compare/compare.py --runs "$RUNS" --niche "$NICHE" --floor "$FLOOR" "$@"; }
  # DuckDB reads the canonical files each time; niche reads the same posts grouped, in crawl
  # order, and in the messy layout.
  run --data "$base/$posts-grouped" --label "$posts posts, grouped"
  run --data "$base/$posts-crawl" --label "$posts posts, crawl order"
  # The same without the intervals (DuckDB's SQL computes no bootstrap): reading and measuring.
  run --data "$base/$posts-crawl" --niche-arg=--bootstrap --niche-arg=0 --check-max 0 \
      --label "$posts posts, crawl order, --bootstrap 0"
  run --data "$base/$posts-crawl" --niche-posts "$base/$posts-messy/posts.csv" --check-max 0 \
      --label "$posts posts, messy layout in crawl order (DuckDB on the canonical crawl-order file)"
  run --data "$base/$posts-crawl" --niche-posts "$base/$posts-messy/posts.csv" --check-max 0 \
      --niche-arg=--bootstrap --niche-arg=0 \
      --label "$posts posts, messy layout in crawl order, --bootstrap 0 (DuckDB on the canonical crawl-order file)"
  run --data "$base/$posts-pairs" --check-max 0 --label "$posts posts, crawl order, 40 niches on 7 platforms"
  run --data "$base/$posts-pairs" --check-max 0 --niche-arg=--bootstrap --niche-arg=0 \
      --label "$posts posts, crawl order, 40 niches on 7 platforms, --bootstrap 0"
done
