#!/usr/bin/python3
"""compare.py TORCH_DIR DL4J_DIR [--grad-scale S]: forward, gradients, losses, parameter drift."""
import os, sys
import numpy as np
T, D = sys.argv[1], sys.argv[2]
NAMES = ["lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_l0", "lstm.weight_ih_l1", "lstm.weight_hh_l1",
         "lstm.bias_l1", "fc.weight", "fc.bias"]

def rd(d, n):
    return np.fromfile(os.path.join(d, n + ".bin"), dtype="<f8")

def torch_param(d, n, grad=False):
    if n.startswith("lstm.bias_l"):
        l = n[-1]
        a, b = rd(d, "lstm.bias_ih_l" + l), rd(d, "lstm.bias_hh_l" + l)
        return a if grad else a + b   # grad of the sum = grad of either
    return rd(d, n)

def cmp(a, b):
    d = np.abs(a - b)
    return d.max(), d.max() / np.abs(b).max(), np.linalg.norm(a - b) / np.linalg.norm(b)

if os.path.exists(os.path.join(T, "fwd", "probs.bin")) and os.path.exists(os.path.join(D, "fwd", "probs.bin")):
    p_t, p_d = rd(os.path.join(T, "fwd"), "probs"), rd(os.path.join(D, "fwd"), "probs")
    print("forward probs: max abs %.3g  max rel %.3g  rel-L2 %.3g" % cmp(p_d, p_t))
    if os.path.exists(os.path.join(D, "score0.txt")):
        s = float(open(os.path.join(D, "score0.txt")).read())
        yl = None
        print("batch-0 loss dl4j %.9f" % s)
    print("gradients (dl4j as stored in network.gradient() vs torch mean-loss grad):")
    for n in NAMES:
        g_t, g_d = torch_param(os.path.join(T, "grad"), n, True), rd(os.path.join(D, "grad"), n)
        ratio = np.dot(g_d, g_t) / np.dot(g_t, g_t)
        print("  %-18s |g|=%.3e ratio(dl4j/torch)=%.4f  after /ratio: max abs %.3g max rel %.3g rel-L2 %.3g"
              % ((n, np.linalg.norm(g_t), ratio) + cmp(g_d / round(ratio), g_t)))
lt, ld = os.path.join(T, "losses.bin"), os.path.join(D, "losses.bin")
if os.path.exists(lt) and os.path.exists(ld) and os.path.getsize(ld) > 0:
    a, b = np.fromfile(lt), np.fromfile(ld)
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    print("losses: step1 torch %.7f dl4j %.7f" % (a[0], b[0]))
    for k in [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000]:
        if k <= n:
            print("  step %4d  torch %.6f  dl4j %.6f  diff %+.2e" % (k, a[k - 1], b[k - 1], b[k - 1] - a[k - 1]))
    for lo, hi in [(0, 50), (50, 100), (100, 150), (150, 200), (200, 500), (500, 1000)]:
        if hi <= n:
            print("  mean loss steps %d-%d: torch %.5f dl4j %.5f" % (lo + 1, hi, a[lo:hi].mean(), b[lo:hi].mean()))
for k in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]:
    st, sd = os.path.join(T, "step%d" % k), os.path.join(D, "step%d" % k)
    if not (os.path.isdir(st) and os.path.isdir(sd)):
        continue
    init = os.path.join(T, "init") if os.path.isdir(os.path.join(T, "init")) else None
    rows = []
    for n in NAMES:
        pt, pd = torch_param(st, n), rd(sd, n)
        if init is None or not os.path.exists(os.path.join(init, n.replace("bias_l", "bias_ih_l") + ".bin")):
            p0 = None
        else:
            p0 = torch_param(init, n)
        moved = np.linalg.norm(pt - p0) if p0 is not None else float("nan")
        rows.append((n, np.abs(pd - pt).max(), np.linalg.norm(pd - pt), moved))
    print("after step %d: per param max|dl4j-torch| / ||dl4j-torch|| / ||torch moved from init||" % k)
    for n, m, l2, mv in rows:
        print("   %-18s %.3g  %.3g  %.3g  (ratio %.3f)" % (n, m, l2, mv, l2 / mv if mv == mv and mv > 0 else float("nan")))
