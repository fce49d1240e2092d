#!/usr/bin/env bash
# Issue 6's measurement: `niche score` end to end against DuckDB doing the same per-account and
# per-niche aggregations in SQL, on seeded `niche gen` data, interleaved runs; plus the parse floor
# (Polars reading only the columns the method needs). Results go in BENCHMARKS.md by hand.
#
#   benches/compare/compare.sh [RUNS] [SIZE...]     e.g. compare.sh 5 1000000 10000000
#
# SIZE is the number of posts; accounts are a fiftieth (1M posts: 20k accounts) but at most
# 100,000 (10M posts: 100k accounts), as the issue gives them. Data is cached under
# ~/.cache/niche-bench; DuckDB comes from PyPI into this folder's own virtualenv. ORDER=crawl (or
# grouped, the default so far: every number in BENCHMARKS.md before 2026-12-06 is on grouped rows)
# sets the order of the post rows (`niche gen --order`).
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
  order="${ORDER:-grouped}"
  data="$HOME/.cache/niche-bench/$posts-$order"
  if [ ! -s "$data/posts.csv" ]; then
    "$NICHE" gen --out "$data" --seed 42 --accounts "$accounts" --posts "$posts" --order "$order" >/dev/null
  fi
  "$VENV/bin/python" benches/compare/compare.py --runs "$RUNS" --niche "$NICHE" --floor "$FLOOR" --data "$data"
done
