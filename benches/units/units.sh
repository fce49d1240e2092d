#!/usr/bin/env bash
# Issue 21's measurement: the units step on an engine against niche in process, on the same
# seeded `niche gen` crawl (posts in crawl order, as compare.sh makes them). Each step is timed
# with GNU time (wall seconds, peak resident MiB), RUNS times, and the median printed:
#
#   in process      niche score accounts.csv posts.csv --bootstrap 0 --format csv
#   normalise       niche normalise accounts.csv posts.csv --out DIR        (once per machine)
#   engine SQL      the script of `niche sql --dialect ENGINE DIR`, run by tests/engines/run.py
#   score --units   niche score --units DIR --bootstrap 0 --format csv     (one machine, after)
#
#   benches/units/units.sh [RUNS] [ENGINE:SIZE ...]    e.g. units.sh 3 duckdb:10000000 spark:1000000
#
# Needs python3 with duckdb / pyspark (pip install duckdb==2.0.1 pyspark==4.3.0; Spark needs a
# JDK). The two scores' CSV outputs are compared byte for byte at the end of each size.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"; shift || true
CASES=("${@:-duckdb:1000000}")
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/niche-target}"
cargo build -q --release --bin niche
NICHE="$CARGO_TARGET_DIR/release/niche"
base="$HOME/.cache/niche-bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Median wall seconds and peak MiB of RUNS runs of a command.
measure() {
  local label="$1"; shift
  local walls=() mems=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r wall kib <"$work/time"
    walls+=("$wall"); mems+=("$kib")
  done
  python3 - "$label" "${walls[*]}" "${mems[*]}" <<'PY'
import statistics, sys
label, walls, mems = sys.argv[1], [float(x) for x in sys.argv[2].split()], [int(x) for x in sys.argv[3].split()]
print(f"  {label:<34} {statistics.median(walls):7.2f} s ({min(walls):.2f}–{max(walls):.2f})   {statistics.median(mems) / 1024:6.0f} MiB")
PY
}

for case in "${CASES[@]}"; do
  engine="${case%%:*}"; posts="${case##*:}"
  accounts=$(( posts / 50 < 100000 ? posts / 50 : 100000 ))
  data="$base/$posts-crawl"
  if [ ! -s "$data/posts.csv" ]; then
    "$NICHE" gen --force --out "$data" --seed 42 --accounts "$accounts" --posts "$posts" --order crawl >/dev/null
  fi
  dir="$work/tables-$posts"
  echo "$posts posts in crawl order ($accounts accounts), engine $engine, median of $RUNS:"
  measure "in process (score)" "$NICHE" score "$data/accounts.csv" "$data/posts.csv" --bootstrap 0 --format csv
  cp "$work/out" "$work/in-process.csv"
  rm -rf "$dir"
  measure "normalise (Parquet out)" "$NICHE" normalise "$data/accounts.csv" "$data/posts.csv" --out "$dir"
  du -sh "$dir/posts" | awk '{print "  posts as Parquet: " $1}'
  "$NICHE" sql --dialect "$engine" "$dir" >"$work/units.sql"
  measure "$engine runs the units SQL" python3 tests/engines/run.py "$engine" "$work/units.sql"
  measure "score --units (after the engine)" "$NICHE" score --units "$dir" --bootstrap 0 --format csv
  if cmp -s "$work/out" "$work/in-process.csv"; then
    echo "  the two scores' CSV: identical"
  else
    echo "  the two scores' CSV: DIFFERENT"; diff "$work/in-process.csv" "$work/out" | head -5
  fi
  rm -rf "$dir/units"; mkdir -p "$dir/units"
  measure "score --units (units step here)" "$NICHE" score --units "$dir" --bootstrap 0 --format csv
done
