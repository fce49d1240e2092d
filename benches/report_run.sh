#!/usr/bin/env bash
# Issue 32's cost: a run that writes a report keeps each post's title and counts (for the breakout
# posts), so it reads the general way even where the fast way could; the default command (the
# table) does not. Times `niche score` with the table only, the table read the general way
# (NICHE_FAST=0), and with --report, interleaved, on the 1M-post crawl compare.sh caches (seed 42,
# 20k accounts, rows in crawl order). Wall time and peak memory by /usr/bin/time; results go in
# BENCHMARKS.md by hand.
#
#   benches/report_run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/niche-target}"
cargo build -q --release --bin niche
NICHE="$CARGO_TARGET_DIR/release/niche"
data="$HOME/.cache/niche-bench/1000000-crawl"
if [ ! -s "$data/posts.csv" ]; then
  "$NICHE" gen --force --out "$data" --seed 42 --accounts 20000 --posts 1000000 --order crawl >/dev/null
fi
files=("$data/accounts.csv" "$data/posts.csv" "$data/snapshots.csv")
out=$(mktemp -d)
for run in $(seq "$RUNS"); do
  /usr/bin/time -f "table            %e s  %M KB" "$NICHE" score "${files[@]}" >/dev/null
  NICHE_FAST=0 /usr/bin/time -f "table, general  %e s  %M KB" "$NICHE" score "${files[@]}" >/dev/null
  rm -rf "$out/report"
  /usr/bin/time -f "--report         %e s  %M KB" "$NICHE" score "${files[@]}" --report "$out/report" >/dev/null 2>"$out/err" || { cat "$out/err"; exit 1; }
  grep -E "KB$" "$out/err"
done
rm -rf "$out"
