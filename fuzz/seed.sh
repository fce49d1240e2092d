#!/usr/bin/env bash
# Fills fuzz/corpus/ (ignored by git) from the named seeds in fuzz/seeds/ and the project's own
# test fixtures. cargo fuzz then grows it; `cargo fuzz cmin TARGET` shrinks it again.
set -euo pipefail
cd "$(dirname "$0")"
for target in numbers dates headers loader; do
  mkdir -p "corpus/$target"
  [ -d "seeds/$target" ] && cp -n seeds/"$target"/* "corpus/$target/" 2>/dev/null || true
done
# The loader and the header mapper start from every hand-written fixture, broken ones included.
for f in ../tests/fixtures/*.* ../tests/fixtures/malformed/*; do
  [ -f "$f" ] || continue
  cp -n "$f" "corpus/loader/fixture_$(basename "$f")"
  case "$f" in *.csv) head -c 4096 "$f" > "corpus/headers/fixture_$(basename "$f")" ;; esac
done
for target in numbers dates headers loader; do
  echo "corpus/$target: $(ls "corpus/$target" | wc -l) file(s)"
done
