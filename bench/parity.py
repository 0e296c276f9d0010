#!/usr/bin/python3
"""Accuracy parity with the reference notebook: DL4J (through sparksweep, conf/sweeps/parity.conf) against PyTorch
(../shared/reference/torch_seed.py) on the same configurations and seeds; prints per-seed and mean test accuracies.

    bench/parity.py [--out results/parity] [--seeds 1,2,3] [--jobs N] [--skip-dl4j] [--skip-torch]

Writes <out>/torch/*.json (PyTorch summaries) and uses <out>/leaderboard (the sweep's table); both runs resume.
--jobs runs that many PyTorch trainings at a time (one thread each). A results folder that ran the parity sweep with
both bias initialisations (-Dsweep.space.bias-init=[dl4j,pytorch]) gets one DL4J column per initialisation.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The reference script beside the checkout (../shared/reference), or where SPARKSWEEP_TORCH_SCRIPT says (a second
# clone elsewhere, as the study's runner uses).
TORCH_SCRIPT = Path(os.environ.get("SPARKSWEEP_TORCH_SCRIPT", ROOT.parent / "shared" / "reference" / "torch_seed.py"))
DATA = Path(os.environ.get("SPARKSWEEP_DATA_DIR", Path.home() / ".sparksweep" / "data")) / "mnist"
MODELS = [("rnn", "tanh"), ("lstm", None)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "results" / "parity"))
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--jobs", type=int, default=1)
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
        if not TORCH_SCRIPT.is_file():
            sys.exit(f"parity.py: the reference script {TORCH_SCRIPT} does not exist (set SPARKSWEEP_TORCH_SCRIPT)")
        (out / "torch").mkdir(parents=True, exist_ok=True)
        runs = [(model, act, seed) for model, act in MODELS for seed in seeds
                if not (out / "torch" / f"{model}-seed{seed}.json").exists()]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for done in pool.map(lambda run: torch_run(out, *run), runs):
                print(done, flush=True)
    if dl4j is not None and dl4j.wait() != 0:
        sys.exit("the DL4J sweep failed")
    report(out, seeds)


def torch_run(out, model, act, seed):
    """Trains the reference model once (one thread) and returns its line for the console."""
    target = out / "torch" / f"{model}-seed{seed}.json"
    partial = target.with_suffix(".json.part")
    cmd = ["/usr/bin/python3", str(TORCH_SCRIPT), "--data", str(DATA), "--model", model, "--layers", "2",
           "--iters", "3000", "--eval-every", "500", "--threads", "1", "--seed", str(seed),
           "--json-out", str(partial)] + (["--activation", act] if act else [])
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, OMP_NUM_THREADS="1"))
    partial.rename(target)  # only a finished run counts as done on a rerun
    return f"torch {model} seed {seed}: {json.loads(target.read_text())['final_test_accuracy']}%"


def report(out, seeds):
    query = ("SELECT family, coalesce(bias_init, 'dl4j') AS bias_init, seed, round(100 * test_accuracy, 2) AS test_pct "
             "FROM leaderboard WHERE sweep = 'parity' AND status = 'ok' ORDER BY family, bias_init, seed")
    text = subprocess.run([str(ROOT / "sparksweep"), "leaderboard", "--out", str(out), "--sql", query],
                          capture_output=True, text=True, check=True).stdout
    dl4j = {}
    inits = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 4 and cells[2].isdigit():
            dl4j[(cells[0], cells[1], int(cells[2]))] = float(cells[3])
            if cells[1] not in inits:
                inits.append(cells[1])
    heads = [f"DL4J ({i} biases) test %" if len(inits) > 1 else "DL4J test %" for i in inits]
    print("| model | seed | " + " | ".join(heads) + " | PyTorch test % |")
    print("| --- | --- | " + " | ".join("---" for _ in heads) + " | --- |")
    for model, _ in MODELS:
        d = {i: [] for i in inits}
        t = []
        for seed in seeds:
            f = out / "torch" / f"{model}-seed{seed}.json"
            torch_acc = json.loads(f.read_text())["final_test_accuracy"] if f.exists() else None
            if torch_acc is not None:
                t.append(torch_acc)
            row = []
            for i in inits:
                acc = dl4j.get((model, i, seed))
                if acc is not None:
                    d[i].append(acc)
                row.append(str(acc))
            print(f"| {model}-2x128 | {seed} | " + " | ".join(row) + f" | {torch_acc} |")
        means = [f"**{statistics.mean(d[i]):.2f}** (n={len(d[i])})" if d[i] else "" for i in inits]
        diffs = ", ".join(f"{i} - PyTorch = {statistics.mean(d[i]) - statistics.mean(t):+.2f}"
                          for i in inits if d[i] and t)
        torch_mean = f"**{statistics.mean(t):.2f}** (n={len(t)}; {diffs})" if t else ""
        print(f"| **{model}-2x128 mean** | | " + " | ".join(means) + f" | {torch_mean} |")


if __name__ == "__main__":
    main()
