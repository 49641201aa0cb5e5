#!/usr/bin/python3
"""PyTorch half of the SchNet benchmark (see bench/schnet/doc.go).

Builds the architecture of sciadapt's potentials.Model in PyTorch, loads the
weights, positions and pair list that Go exported (bench/schnet Export JSON), in the
precision Go used ("precision": the network in float64 or float32; positions,
distances before rounding, reference energies, per-structure sums, forces and the
loss in float64, as in Go),
checks that energies, forces, the training loss and its parameter gradient agree
with Go's, then times energies+forces and one training step (create-graph forces,
gradient of the loss with respect to the weights, Adam step), median of repeats
after warm-up.

    OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 /usr/bin/python3 schnet_torch.py \
        [--threads 2] [--warm 3] [--repeats 15] [--tol T] BATCH.json

--tol defaults to 1e-8 for a float64 network and 1e-5 for a float32 one (both sides
round to float32 in different orders: sums in BLAS and in index_add, exp).

prints one JSON object: the agreement (max relative differences) and the timings in
milliseconds. Exits 1 if an agreement check fails. With --serve it prints the
agreement as one JSON line, then answers each line "infer K" or "train K" read from
standard input with {"ms": [K call times in ms], "cpu_ms": process CPU time of the
K calls}; bench/schnet/cmd/schnetbench
uses this to alternate Go and PyTorch blocks, so that both see the same machine load.
"""

import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

DTYPE = torch.float64  # positions, forces, energies, the loss
FLOAT64_PARAMS = ("energy.scale", "energy.reference", "energy.shift")
LN2 = math.log(2.0)
FORCE_WEIGHT = 10.0


def ssp(x):
    # log(1 + e^x) - log 2. threshold=30 keeps log1p(exp(x)) further out than
    # PyTorch's default 20, where the two differ by e^-20 = 2e-9.
    return F.softplus(x, beta=1, threshold=30) - LN2


class SchNet:
    """The architecture of potentials.Model.Energies, with weights from Go."""

    def __init__(self, ex):
        cfg = ex["config"]
        self.net = torch.float32 if ex.get("precision") == "float32" else torch.float64
        self.cutoff = cfg["cutoff"]
        self.nrbf = cfg["rbf"]
        self.nint = cfg["interactions"]
        width = self.cutoff / max(self.nrbf - 1, 1)
        self.mu = (width * torch.arange(self.nrbf, dtype=DTYPE)).reshape(1, -1).to(self.net)
        self.gamma = 0.5 / (width * width)
        self.p = {}
        self.trainable = []
        for q in ex["params"]:
            dt = DTYPE if q["name"] in FLOAT64_PARAMS else self.net
            t = torch.tensor(q["data"], dtype=DTYPE).reshape(q["shape"]).to(dt)
            t.requires_grad_(q["trainable"])
            self.p[q["name"]] = t
            if q["trainable"]:
                self.trainable.append(t)
        self.i = torch.tensor(ex["i"], dtype=torch.long)
        self.j = torch.tensor(ex["j"], dtype=torch.long)
        self.species = torch.tensor(ex["species"], dtype=torch.long)
        self.mol = torch.tensor(ex["mol"], dtype=torch.long)
        self.nmol = int(self.mol.max()) + 1
        self.off = torch.tensor(ex["offsets"], dtype=DTYPE).reshape(-1, 3)

    def lin(self, name, x):
        y = x @ self.p[name + ".weight"]
        b = self.p.get(name + ".bias")
        return y if b is None else y + b

    def mlp2(self, name, x):
        return self.lin(name + ".1", ssp(self.lin(name + ".0", x)))

    def energies(self, R):
        p = self.p
        n = R.shape[0]
        r = R[self.j] - R[self.i] + self.off
        d = torch.sqrt((r * r).sum(1, keepdim=True)).to(self.net)
        rbf = torch.exp(-self.gamma * (d - self.mu) ** 2)
        fc = 0.5 * (torch.cos(d * (math.pi / self.cutoff)) + 1)
        x = p["embedding.weight"][self.species]
        for t in range(self.nint):
            b = "interaction.%d." % t
            w = self.mlp2(b + "filter", rbf) * fc
            xj = self.lin(b + "in", x)[self.j]
            agg = torch.zeros(n, x.shape[1], dtype=self.net).index_add(0, self.i, xj * w)
            x = x + self.mlp2(b + "update", agg)
        atom = self.mlp2("output", x).to(DTYPE) * p["energy.scale"]
        atom = atom + p["energy.reference"][self.species].reshape(-1, 1)
        e = torch.zeros(self.nmol, 1, dtype=DTYPE).index_add(0, self.mol, atom)
        return e + p["energy.shift"]

    def predict(self, R0, create_graph):
        R = R0.detach().requires_grad_(True)
        e = self.energies(R)
        (g,) = torch.autograd.grad(e.sum(), R, create_graph=create_graph)
        return e, -g

    def loss(self, R0, eref, invn, fref):
        e, f = self.predict(R0, True)
        de = (e - eref) * invn
        return (de ** 2).mean() + FORCE_WEIGHT * ((f - fref) ** 2).mean()


def rel(a, b):
    a = a.detach().reshape(-1).to(DTYPE)
    b = torch.as_tensor(b, dtype=DTYPE).reshape(-1)
    return float((a - b).abs().max() / max(1.0, float(b.abs().max())))


def timeit(f, warm, repeats):
    for _ in range(warm):
        f()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return {"median_ms": 1e3 * statistics.median(ts), "min_ms": 1e3 * min(ts), "repeats": repeats}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("batch")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warm", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--tol", type=float, default=None)
    ap.add_argument("--serve", action="store_true",
                    help="after the check line, answer 'infer K' or 'train K' lines on standard input "
                         "with one JSON line of K call times in ms (no warm-up)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(a.batch) as fh:
        ex = json.load(fh)
    m = SchNet(ex)
    if a.tol is None:
        a.tol = 1e-5 if m.net == torch.float32 else 1e-8
    R = torch.tensor(ex["positions"], dtype=DTYPE).reshape(-1, 3)
    nmol = m.nmol
    eref = torch.tensor(ex["energy_ref"], dtype=DTYPE).reshape(nmol, 1)
    invn = 1.0 / torch.bincount(m.mol, minlength=nmol).to(DTYPE).reshape(nmol, 1)
    fref = torch.tensor(ex["forces_ref"], dtype=DTYPE).reshape(-1, 3)

    # Agreement with Go on the exported weights.
    e, f = m.predict(R, False)
    loss = m.loss(R, eref, invn, fref)
    grads = torch.autograd.grad(loss, m.trainable)
    gdiff = max(rel(g, gg) for g, gg in zip(grads, ex["go"]["grads"]))
    check = {
        "energy_rel_diff": rel(e, ex["go"]["energy"]),
        "energy_abs_diff_ev": float((e.detach().reshape(-1) - torch.tensor(ex["go"]["energy"], dtype=DTYPE)).abs().max()),
        "forces_rel_diff": rel(f, ex["go"]["forces"]),
        "loss_rel_diff": abs(float(loss) - ex["go"]["loss"]) / max(1.0, abs(ex["go"]["loss"])),
        "grad_rel_diff": gdiff,
    }
    ok = all(v <= a.tol for k, v in check.items() if k.endswith("rel_diff"))

    opt = torch.optim.Adam(m.trainable, lr=1e-3)

    def infer():
        m.predict(R, False)

    def step():
        opt.zero_grad(set_to_none=True)
        l = m.loss(R, eref, invn, fref)
        l.backward(inputs=m.trainable)
        opt.step()

    if a.serve:
        print(json.dumps({"name": ex["name"], "precision": str(m.net).replace("torch.", ""), "torch": torch.__version__, "threads": torch.get_num_threads(),
                          "check": check, "agree": ok, "tolerance": a.tol}), flush=True)
        work = {"infer": infer, "train": step}
        for line in sys.stdin:
            what, k = line.split()
            ts = []
            c0 = time.process_time()
            for _ in range(int(k)):
                t0 = time.perf_counter()
                work[what]()
                ts.append(1e3 * (time.perf_counter() - t0))
            cpu = 1e3 * (time.process_time() - c0)
            print(json.dumps({"ms": ts, "cpu_ms": cpu}), flush=True)
        return

    out = {
        "name": ex["name"],
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "atoms": int(R.shape[0]),
        "pairs": int(m.i.shape[0]),
        "check": check,
        "agree": ok,
        "tolerance": a.tol,
        "infer": timeit(infer, a.warm, a.repeats),
        "train": timeit(step, a.warm, a.repeats),
    }
    json.dump(out, sys.stdout)
    print()
    if not ok:
        print("schnet_torch.py: %s: PyTorch and Go disagree beyond %g: %s" % (a.batch, a.tol, check), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
