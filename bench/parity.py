#!/usr/bin/python3
"""Accuracy parity with the reference notebook: DL4J (through sparksweep, conf/sweeps/parity.conf) against PyTorch
(../shared/reference/torch_seed.py) on the same configurations and seeds; prints per-seed and mean test accuracies.

    bench/parity.py [--out results/parity] [--seeds 1,2,3] [--skip-dl4j] [--skip-torch]

Writes <out>/torch/*.json (PyTorch summaries) and uses <out>/leaderboard (the sweep's table); both runs resume.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TORCH_SCRIPT = ROOT.parent / "shared" / "reference" / "torch_seed.py"
DATA = Path(os.environ.get("SPARKSWEEP_DATA_DIR", Path.home() / ".sparksweep" / "data")) / "mnist"
MODELS = [("rnn", "tanh"), ("lstm", None)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "results" / "parity"))
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--skip-dl4j", action="store_true")
    ap.add_argument("--skip-torch", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    seeds = [int(s) for s in args.seeds.split(",")]
    dl4j = None
    if not args.skip_dl4j:
        dl4j = subprocess.Popen([str(ROOT / "sparksweep"), "run", "parity", "--out", str(out),
                                 f"-Dsweep.space.seed=[{args.seeds}]"])
    if not args.skip_torch:
        (out / "torch").mkdir(parents=True, exist_ok=True)
        for model, act in MODELS:
            for seed in seeds:
                target = out / "torch" / f"{model}-seed{seed}.json"
                if target.exists():
                    continue
                cmd = ["/usr/bin/python3", str(TORCH_SCRIPT), "--data", str(DATA), "--model", model, "--layers", "2",
                       "--iters", "3000", "--eval-every", "500", "--threads", "1", "--seed", str(seed),
                       "--json-out", str(target)] + (["--activation", act] if act else [])
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, OMP_NUM_THREADS="1"))
                print(f"torch {model} seed {seed}: {json.loads(target.read_text())['final_test_accuracy']}%",
                      flush=True)
    if dl4j is not None and dl4j.wait() != 0:
        sys.exit("the DL4J sweep failed")
    report(out, seeds)


def report(out, seeds):
    query = ("SELECT family, seed, round(100 * test_accuracy, 2) AS test_pct, round(wall_seconds, 1) AS wall_s "
             "FROM leaderboard WHERE sweep = 'parity' AND status = 'ok' ORDER BY family, seed")
    text = subprocess.run([str(ROOT / "sparksweep"), "leaderboard", "--out", str(out), "--sql", query],
                          capture_output=True, text=True, check=True).stdout
    dl4j = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 4 and cells[1].isdigit():
            dl4j[(cells[0], int(cells[1]))] = float(cells[2])
    print("| model | seed | DL4J test % | PyTorch test % |")
    print("| --- | --- | --- | --- |")
    for model, _ in MODELS:
        d, t = [], []
        for seed in seeds:
            f = out / "torch" / f"{model}-seed{seed}.json"
            torch_acc = json.loads(f.read_text())["final_test_accuracy"] if f.exists() else None
            dl4j_acc = dl4j.get((model, seed))
            if dl4j_acc is not None:
                d.append(dl4j_acc)
            if torch_acc is not None:
                t.append(torch_acc)
            print(f"| {model}-2x128 | {seed} | {dl4j_acc} | {torch_acc} |")
        if d and t:
            print(f"| **{model}-2x128 mean** | | **{statistics.mean(d):.2f}** | **{statistics.mean(t):.2f}** "
                  f"(DL4J - PyTorch = {statistics.mean(d) - statistics.mean(t):+.2f}) |")


if __name__ == "__main__":
    main()
