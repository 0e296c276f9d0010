#!/usr/bin/python3
"""PyTorch side of the lock-step comparison. Writes initial params, batch-0 forward/grad, and an Adam run
on the first STEPS*100 training images in fixed order (batch k = images 100k..100k+99)."""
import argparse, json, os, sys
import numpy as np
import torch
import torch.nn as nn
# The reference notebook's models: the folder of SPARKSWEEP_TORCH_SCRIPT (default ../shared/reference/torch_seed.py
# beside the checkout), as bench/parity.py finds it.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.environ.get("SPARKSWEEP_TORCH_SCRIPT",
                                                  os.path.join(_here, "..", "..", "..", "shared", "reference",
                                                               "torch_seed.py"))))
from torch_seed import LSTMModel, load_mnist

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out/torch")
ap.add_argument("--init", default=None, help="load initial params from this dir instead of seeding")
ap.add_argument("--dtype", default="float32")
ap.add_argument("--steps", type=int, default=200)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--eps", type=float, default=1e-8)
ap.add_argument("--dl4j-eps", action="store_true", help="emulate DL4J's epsilon placement")
ap.add_argument("--single-bias", action="store_true", help="DL4J's parametrisation: one LSTM bias (b_ih + b_hh folded into b_ih, b_hh frozen at 0)")
args = ap.parse_args()
torch.set_num_threads(1)
dt = getattr(torch, args.dtype)
CHECK = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

def save(d, name, t):
    os.makedirs(d, exist_ok=True)
    a = t.detach().to(torch.float64).cpu().numpy()
    a.astype("<f8").tofile(os.path.join(d, name + ".bin"))
    with open(os.path.join(d, name + ".shape"), "w") as f:
        f.write(" ".join(map(str, a.shape)) + "\n")

def load(d, name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(d, name + ".bin"), dtype="<f8").reshape(shape))

torch.manual_seed(args.seed)
model = LSTMModel(28, 128, 2, 10)
if args.init:
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(load(args.init, n, p.shape))
model = model.to(dt)
if not args.init:
    for n, p in model.named_parameters():
        save(os.path.join(args.out, "init"), n, p)

xtr, ytr, _, _ = load_mnist(os.environ.get("SPARKSWEEP_MNIST", os.path.expanduser("~/.sparksweep/data/mnist")))
xtr = xtr.to(dt)
def batch(k):
    return xtr[100 * k:100 * (k + 1)], ytr[100 * k:100 * (k + 1)]

crit = nn.CrossEntropyLoss()
x, y = batch(0)
logits = model(x)
loss = crit(logits, y)
save(os.path.join(args.out, "fwd"), "logits", logits)
save(os.path.join(args.out, "fwd"), "probs", torch.softmax(logits, 1))
loss.backward()
for n, p in model.named_parameters():
    save(os.path.join(args.out, "grad"), n, p.grad)
model.zero_grad()

class DL4JAdam(torch.optim.Optimizer):
    """DL4J/libnd4j adam_updater: alpha_t = lr*sqrt(1-b2^t)/(1-b1^t); p -= alpha_t * m / (sqrt(v) + eps)."""
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        super().__init__(params, dict(lr=lr, b1=b1, b2=b2, eps=eps))
    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                st = self.state[p]
                if not st:
                    st["t"] = 0; st["m"] = torch.zeros_like(p); st["v"] = torch.zeros_like(p)
                st["t"] += 1; t = st["t"]
                st["m"].mul_(g["b1"]).add_(p.grad, alpha=1 - g["b1"])
                st["v"].mul_(g["b2"]).addcmul_(p.grad, p.grad, value=1 - g["b2"])
                a = g["lr"] * (1 - g["b2"] ** t) ** 0.5 / (1 - g["b1"] ** t)
                p.addcdiv_(st["m"], st["v"].sqrt().add_(g["eps"]), value=-a)

params = list(model.parameters())
if args.single_bias:
    with torch.no_grad():
        for l in range(2):
            getattr(model.lstm, f"bias_ih_l{l}").add_(getattr(model.lstm, f"bias_hh_l{l}"))
            getattr(model.lstm, f"bias_hh_l{l}").zero_()
    params = [p for n, p in model.named_parameters() if "bias_hh" not in n]
opt = DL4JAdam(params, eps=args.eps) if args.dl4j_eps else torch.optim.Adam(params, lr=1e-3, eps=args.eps)
losses = []
for k in range(args.steps):
    x, y = batch(k)
    opt.zero_grad()
    loss = crit(model(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
    if k + 1 in CHECK:
        for n, p in model.named_parameters():
            save(os.path.join(args.out, f"step{k + 1}"), n, p)
np.array(losses).tofile(os.path.join(args.out, "losses.bin"))
print("loss first/last", losses[0], losses[-1], "mean last 50", float(np.mean(losses[-50:])))
