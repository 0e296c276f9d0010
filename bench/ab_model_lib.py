#!/usr/bin/env python3
"""Training speed of this checkout's model-lib side by side with another build of it (an older commit's jar), to
measure what a change to the layers or kernels costs. Runs alternate (old, new, then new, old, ...) so both see the
same machine load; prints each run and the medians of ms per iteration.

    git worktree add /tmp/before HEAD~1 && (cd /tmp/before && mvn -q -o -pl model-lib package -DskipTests)
    bench/ab_model_lib.py --old /tmp/before/model-lib/target/model-lib-0.1.0-SNAPSHOT.jar

Builds the bench module of this checkout first (as bench/run.py does). One thread per run, DL4J side only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py: build() and java())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", required=True, help="the other model-lib jar")
    ap.add_argument("--models", default="gru:2,lstm:2,rnn:2", help="family:layers, comma-separated")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--iters", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=30)
    args = ap.parse_args()
    if not Path(args.old).is_file():
        sys.exit(f"--old: no such jar: {args.old}")
    new_cp = bench.build()
    builds = {"old": f"{args.old}:{new_cp}", "new": new_cp}  # the first model-lib on the class path wins
    times = {}
    for rep in range(args.repeats):
        for spec in args.models.split(","):
            family, layers = spec.split(":")
            for name in (("old", "new") if rep % 2 == 0 else ("new", "old")):
                cmd = [bench.java(), "-Xmx4g", f"@{bench.ROOT}/conf/java17.options",
                       f"-Dlog4j2.configurationFile={bench.ROOT}/conf/log4j2.properties", "-cp", builds[name],
                       "dev.sparksweep.bench.IterationBenchmark", "--model", family, "--layers", layers,
                       "--threads", "1", "--iters", str(args.iters), "--warmup", str(args.warmup),
                       "--eval-batch", "1000", "--impl", "fused"]
                if family == "rnn":
                    cmd += ["--activation", "tanh"]
                env = dict(os.environ, OMP_NUM_THREADS="1", OMP_WAIT_POLICY="passive")
                out = subprocess.run(cmd, capture_output=True, text=True, env=env)
                line = [l for l in out.stdout.splitlines() if l.startswith("{")]
                if out.returncode != 0 or not line:
                    sys.exit(f"{spec} ({name}) failed:\n{out.stderr[-2000:]}")
                ms = json.loads(line[-1])["ms_per_iter"]
                times.setdefault((spec, name), []).append(ms)
                print(f"{spec:8} {name}  {ms:8.1f} ms/iteration", flush=True)
    print("\nmedians (ms per iteration):")
    for spec in args.models.split(","):
        old, new = (statistics.median(times[(spec, n)]) for n in ("old", "new"))
        print(f"{spec:8} old {old:7.1f}  new {new:7.1f}  new/old {new / old:.2f}")


if __name__ == "__main__":
    main()
