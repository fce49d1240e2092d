#!/usr/bin/env bash
# Issue 7's "memory stays bounded on a 1 GB input": peak memory of `niche score` on a messy
# export of about 1 GB, read by the general loader (Chinese headers, units, BOM, banner, per-row
# niche and platform: nothing the fast path takes).
#
#   benches/memory/messy.sh [POSTS]      default 12000000 posts (~1.0 GB)
#
# The data is cached under ~/.cache/niche-bench/messy-POSTS-ORDER. Prints the file size, the peak
# resident memory and the wall time of one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
POSTS="${1:-12000000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/niche-target}"
cargo build -q --release --bin niche
NICHE="$CARGO_TARGET_DIR/release/niche"
data="$HOME/.cache/niche-bench/messy-$POSTS-${ORDER:-grouped}"
if [ ! -s "$data/posts.csv" ]; then
  accounts=$(( POSTS / 50 < 100000 ? POSTS / 50 : 100000 ))
  # Grouped rows, as the messy numbers in BENCHMARKS.md were measured on (ORDER=crawl for crawl
  # order). Until 2026-12-06 the messy layout came from a Python script (benches/memory/messy.py,
  # in git history) with its own random choices; `niche gen --layout messy` makes the same kinds
  # of fault.
  "$NICHE" gen --force --out "$data" --seed 42 --accounts "$accounts" --posts "$POSTS" --order "${ORDER:-grouped}" --layout messy >/dev/null
fi
size=$(stat -c %s "$data/posts.csv")
if ! /usr/bin/time -f "%e %M" -o "$data/time.txt" "$NICHE" score "$data/posts.csv" --format json \
    -o "$data/report.json" 2>"$data/stderr.txt" >/dev/null; then
  echo "niche score failed; see $data/stderr.txt" >&2
  exit 1
fi
read -r secs kib < "$data/time.txt"
awk -v s="$size" -v k="$kib" -v t="$secs" 'BEGIN {
  printf "file %.0f MB; peak %.0f MiB (%.2f bytes per byte of file); %.1f s\n", s/1e6, k/1024, k*1024/s, t }'
