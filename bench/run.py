#!/usr/bin/python3
"""Side-by-side training speed of sparksweep's DL4J models and the reference PyTorch notebook models.

Each configuration (model, layers, threads) runs in its own process, DL4J and PyTorch alternating, `--repeats` times;
the figure per run is the median time of a training iteration after warm-up (batch 100, hidden 128, 28 steps of 28
features), and one pass over the 10k test set. Printed: medians over the repeats and the ratio DL4J / PyTorch.

    bench/run.py                          # the four reference models (2 layers), 1 and 2 threads
    bench/run.py --full                   # rnn tanh/relu, lstm, gru at 1-4 layers
    bench/run.py --with-stock             # also DL4J's own SimpleRnn/LSTM layers
    bench/run.py --packing                # also sweep packing on local[*] (2 trials x 1 thread vs 1 x 2)

PyTorch comes from Debian's python3-torch (with libopenblas0-openmp); without it only DL4J is measured.
Run it on a quiet machine: it reports the load other processes put on the CPU while it ran.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TORCH_SCRIPT = ROOT.parent / "shared" / "reference" / "torch_seed.py"
DATA = Path(os.environ.get("SPARKSWEEP_DATA_DIR", Path.home() / ".sparksweep" / "data")) / "mnist"
RSS_WRAPPER = (
    "import resource, runpy, sys\n"
    "sys.argv = sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_path(sys.argv[0], run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(f'##peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}')\n"
)


def build():
    jar = ROOT / "bench" / "target" / "bench-0.1.0-SNAPSHOT.jar"
    if not jar.exists() or any(p.stat().st_mtime > jar.stat().st_mtime
                               for d in ("model-lib/src/main", "sweep-driver/src/main", "bench/src/main")
                               for p in (ROOT / d).rglob("*.java")):
        print("building ...", file=sys.stderr, flush=True)
        subprocess.run(["mvn", "-q", "-B", "-Dstyle.color=never", "-Pbench", "-DskipTests", "-DskipSubmitJar", "install"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return f"{jar}:{ROOT / 'bench' / 'target' / 'lib'}/*"


def java():
    for candidate in [os.environ.get("JAVA_HOME", "") + "/bin/java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                      "java"]:
        try:
            out = subprocess.run([candidate, "-version"], capture_output=True, text=True)
            if '"17.' in out.stderr:
                return candidate
        except OSError:
            pass
    sys.exit("needs a Java 17")


def torch_available():
    return TORCH_SCRIPT.exists() and subprocess.run(["/usr/bin/python3", "-c", "import torch"],
                                                    capture_output=True).returncode == 0


def run_dl4j(cp, model, layers, activation, threads, args, impl):
    cmd = [java(), "-Xmx4g", f"@{ROOT}/conf/java17.options", f"-Dlog4j2.configurationFile={ROOT}/conf/log4j2.properties",
           "-cp", cp, "dev.sparksweep.bench.IterationBenchmark", "--model", model, "--layers", str(layers),
           "--threads", str(threads), "--iters", str(args.iters), "--warmup", str(args.warmup),
           "--eval-batch", "1000", "--impl", impl]
    if activation:
        cmd += ["--activation", activation]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive")  # as ./sparksweep runs it
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    line = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not line:
        raise RuntimeError(f"DL4J run failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return json.loads(line[-1])


def run_torch(model, layers, activation, threads, args):
    cmd = ["/usr/bin/python3", "-c", RSS_WRAPPER, str(TORCH_SCRIPT), "--data", str(DATA), "--model", model,
           "--layers", str(layers), "--iters", str(args.iters + args.warmup), "--warmup", str(args.warmup),
           "--threads", str(threads), "--eval-every", "0", "--eval-batch", "1000"]
    if activation:
        cmd += ["--activation", activation]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    lines = out.stdout.splitlines()
    summary = [l for l in lines if l.startswith("{")]
    if not summary:
        raise RuntimeError(f"PyTorch run failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    result = json.loads(summary[-1])
    for l in lines:
        if l.startswith("##peak_rss_mb"):
            result["peak_rss_mb"] = int(l.split()[1])
    return result


def cpu_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v[:8]) - v[3] - v[4], os.sysconf("SC_CLK_TCK")


def configs(args):
    if args.full:
        for layers in (1, 2, 3, 4):
            for model, act in (("rnn", "tanh"), ("rnn", "relu"), ("lstm", None), ("gru", None)):
                yield model, layers, act
    else:
        for spec in args.models.split(","):
            name, layers = spec.split(":")
            model, _, act = name.partition("-")
            yield model, int(layers), act or None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="rnn-tanh:2,rnn-relu:2,lstm:2,gru:2")
    ap.add_argument("--full", action="store_true", help="every family at 1-4 layers")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--iters", type=int, default=80, help="timed iterations per run")
    ap.add_argument("--warmup", type=int, default=30, help="untimed iterations first (JIT, buffers)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--with-stock", action="store_true", help="also time DL4J's own SimpleRnn/LSTM layers")
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--packing", action="store_true", help="also measure sweep packing on local[*]")
    ap.add_argument("--json-out", default=None, help="write every run's figures here")
    args = ap.parse_args()

    cp = build()
    use_torch = not args.no_torch and torch_available()
    if not use_torch:
        print("# PyTorch side skipped: " + ("--no-torch" if args.no_torch else
              "Debian's python3-torch (and ../shared/reference/torch_seed.py) not found"), flush=True)
    threads = [int(t) for t in args.threads.split(",")]
    impls = ["fused"] + (["stock"] if args.with_stock else [])
    busy0, hz = cpu_busy()
    wall0 = time.time()
    rows, runs = [], []
    for model, layers, act in configs(args):
        for t in threads:
            results = {impl: [] for impl in impls}
            results["torch"] = []
            for r in range(args.repeats):
                order = impls + (["torch"] if use_torch else [])
                if r % 2:
                    order.reverse()  # alternate who goes first, so drift in machine load hits both sides alike
                for who in order:
                    if who == "torch":
                        res = run_torch(model, layers, act, t, args)
                    elif who == "stock" and model == "gru":
                        continue  # DL4J 1.0.0-M2.1 has no GRU layer
                    else:
                        res = run_dl4j(cp, model, layers, act, t, args, who)
                    results[who].append(res)
                    runs.append(res)
            row = {"model": model + (f"-{act}" if act else ""), "layers": layers, "threads": t}
            for who, rs in results.items():
                if rs:
                    row[who] = {k: statistics.median(x[k] for x in rs) for k in ("ms_per_iter", "eval_seconds")}
                    row[who]["peak_rss_mb"] = max(x.get("peak_rss_mb", -1) for x in rs)
            rows.append(row)
            print_row(row, use_torch, impls, header=len(rows) == 1)
    wall = time.time() - wall0
    busy1, _ = cpu_busy()
    print(f"# {len(runs)} runs in {wall:.0f}s; the whole machine was {((busy1 - busy0) / hz) / wall:.2f} cores busy "
          f"on average (benchmark included); {os.cpu_count()} cores, load average now {os.getloadavg()[0]:.2f}")
    if args.packing:
        packing(cp)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"rows": rows, "runs": runs}, indent=1))


def print_row(row, use_torch, impls, header):
    if header:
        cols = ["model", "layers", "thr", "fused ms/it"]
        if "stock" in impls:
            cols += ["stock ms/it"]
        if use_torch:
            cols += ["torch ms/it", "fused/torch"]
        cols += ["fused eval s"]
        if use_torch:
            cols += ["torch eval s", "eval ratio"]
        cols += ["fused RSS MB"]
        if use_torch:
            cols += ["torch RSS MB"]
        print(" | ".join(f"{c:>12}" for c in cols), flush=True)
    f = row["fused"]
    cells = [row["model"], row["layers"], row["threads"], f"{f['ms_per_iter']:.1f}"]
    if "stock" in impls:
        cells += [f"{row['stock']['ms_per_iter']:.1f}" if "stock" in row else "-"]
    if use_torch:
        tt = row["torch"]
        cells += [f"{tt['ms_per_iter']:.1f}", f"{f['ms_per_iter'] / tt['ms_per_iter']:.2f}"]
    cells += [f"{f['eval_seconds']:.2f}"]
    if use_torch:
        cells += [f"{row['torch']['eval_seconds']:.2f}", f"{f['eval_seconds'] / row['torch']['eval_seconds']:.2f}"]
    cells += [f["peak_rss_mb"]]
    if use_torch:
        cells += [row["torch"]["peak_rss_mb"]]
    print(" | ".join(f"{str(c):>12}" for c in cells), flush=True)


def packing(cp):
    print("# sweep packing on local[*]: the same small grid with 1 thread per trial (2 at a time) and with 2 threads "
          "per trial (1 at a time)", flush=True)
    for threads in (1, 2):
        cmd = [java(), "-Xmx6g", f"@{ROOT}/conf/java17.options",
               f"-Dlog4j2.configurationFile={ROOT}/conf/log4j2.properties", "-cp", cp,
               "dev.sparksweep.bench.PackingBenchmark", "--threads", str(threads)]
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive", SPARK_LOCAL_IP="127.0.0.1")
        out = subprocess.run(cmd, capture_output=True, text=True, env=env)
        lines = [l for l in out.stdout.splitlines() if l.startswith("packing")]
        if out.returncode != 0 or not lines:
            raise RuntimeError(f"packing run failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
        print(lines[-1], flush=True)


if __name__ == "__main__":
    main()
