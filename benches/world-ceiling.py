#!/usr/bin/env python3
"""How well could any reader rank a confounded world's niches by worth? (METHOD.md §3, "What the
world shows")

    python3 benches/world-ceiling.py DIR [REPEATS] [FIRST-LAST]

DIR holds one folder per seed, named by the seed, each written by `niche gen --world confounded`
(its truth.json is all this reads); FIRST-LAST keeps those seeds only. The reader imagined here knows every number the world drew for its platforms
and its economy — everything the method has to estimate or borrow — and still faces what each
niche carries of its own, as the generator (src/generate/world.rs) draws it:

- demand: the crawl's pull on followers, e^N(0, 0.35) against a slope of 4.6 per unit of D (an
  SD of 0.35 / 4.6 in D), and growth, whose slope is 0.05 per unit of D with each account's own
  N(0, 0.01) (an SD of 1.2533 × 0.2 / √n in D for the median of n accounts); the two combined by
  their precisions;
- traffic: the niche's own reach and response parts, N(0, 0.15) each against slopes of 1.6 and
  1.2 per unit of T (SDs 0.094 and 0.125 in T), combined by their precisions (0.075);
- business: known exactly (every price and flag read without error).

Each repeat draws those errors afresh for every niche of every seed and ranks by D̂ × B × T̂; it
prints, over the repeats, the median of the seeds' median Spearman ρ(W) and of their worst seed,
and how often the worst seed reaches 0.7. No numpy: the standard library only.
"""

import json
import math
import os
import random
import statistics
import sys


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    k = 0
    while k < len(order):
        end = k
        while end + 1 < len(order) and v[order[end + 1]] == v[order[k]]:
            end += 1
        for i in order[k : end + 1]:
            r[i] = (k + end) / 2
        k = end + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / math.sqrt(va * vb)


def main():
    folder = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    first, last = map(int, sys.argv[3].split("-")) if len(sys.argv) > 3 else (0, 10**9)
    worlds = []
    for name in sorted(os.listdir(folder), key=lambda n: (len(n), n)):
        if not (name.isdigit() and first <= int(name) <= last):
            continue
        path = os.path.join(folder, name, "truth.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                worlds.append(json.load(f)["niches"])
    rng = random.Random(42)
    sd_t = 1 / math.sqrt((1.6 / 0.15) ** 2 + (1.2 / 0.15) ** 2)
    medians, worsts = [], []
    for _ in range(repeats):
        per_seed = []
        for niches in worlds:
            seen = []
            for n in niches:
                sd_growth = 1.2533 * 0.2 / math.sqrt(max(n["accounts"], 1))
                sd_d = 1 / math.sqrt((4.6 / 0.35) ** 2 + 1 / sd_growth**2)
                d = max(1e-3, n["demand"] + rng.gauss(0, sd_d))
                t = max(1e-3, n["traffic"] + rng.gauss(0, sd_t))
                seen.append(d * n["business"] * t)
            per_seed.append(spearman([n["worth"] for n in niches], seen))
        medians.append(statistics.median(per_seed))
        worsts.append(min(per_seed))
    reached = sum(w >= 0.7 for w in worsts)
    print(
        f"{len(worlds)} worlds, {repeats} repeats: median rho(W) {statistics.median(medians):.3f}; "
        f"worst seed {statistics.median(worsts):.3f} (median over repeats), at 0.7 or more in "
        f"{reached} of {repeats} repeats"
    )


if __name__ == "__main__":
    main()
