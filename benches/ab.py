#!/usr/bin/env python3
"""A/B of two niche binaries on the same command: interleaved runs (the order alternating each
pair), wall time and peak memory from GNU time, the median of the pairs' ratios, and a check that
both printed the same bytes.

    benches/ab.py OLD_BINARY NEW_BINARY RUNS [--outputs-may-differ] -- score posts.csv --format csv

--outputs-may-differ: for a change that is meant to change the output (a new method version).

Used for refactors that must not slow anything (issue 20): build the old commit into another
target folder (git worktree add /tmp/old REV; CARGO_TARGET_DIR=/tmp/old-target cargo build
--release), then compare. Another target folder, not the shared one: built in the same folder, the
old commit's binary replaced the new one's and cargo did not build the new one again (it took
`cargo clean -p niche --release`; seen 2026-12-07). Copying each binary out of the target folder
(cp …/release/niche /tmp/niche-NAME) before building the next keeps the pair apart either way.
"""
import statistics
import subprocess
import sys
import tempfile


def run(binary, args):
    with tempfile.NamedTemporaryFile("r") as t, tempfile.TemporaryFile() as out:
        subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", t.name, binary, *args],
            stdout=out,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        secs, kib = t.read().split()[-2:]
        out.seek(0)
        return float(secs), int(kib) / 1024, out.read()


def main():
    argv = sys.argv[1:]
    may_differ = "--outputs-may-differ" in argv[:4]
    if may_differ:
        argv.remove("--outputs-may-differ")
    if len(argv) < 4 or argv[3] != "--":
        sys.exit(__doc__)
    old, new, runs, args = argv[0], argv[1], int(argv[2]), argv[4:]
    pairs = []
    for i in range(runs):
        order = [("old", old), ("new", new)] if i % 2 == 0 else [("new", new), ("old", old)]
        got = {name: run(binary, args) for name, binary in order}
        if got["old"][2] != got["new"][2] and not may_differ:
            sys.exit("the two binaries printed different output")
        pairs.append((got["old"], got["new"]))
    med = statistics.median
    old_t = [p[0][0] for p in pairs]
    new_t = [p[1][0] for p in pairs]
    ratios = [n / o for o, n in zip(old_t, new_t)]
    print(f"command: niche {' '.join(args)}")
    print(f"old: {med(old_t):.2f} s ({min(old_t):.2f}-{max(old_t):.2f}), peak {max(p[0][1] for p in pairs):.0f} MiB")
    print(f"new: {med(new_t):.2f} s ({min(new_t):.2f}-{max(new_t):.2f}), peak {max(p[1][1] for p in pairs):.0f} MiB")
    same = all(p[0][2] == p[1][2] for p in pairs)
    print(f"new / old, pair by pair: median {med(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}); same output: {'yes' if same else 'no'}")


if __name__ == "__main__":
    main()
