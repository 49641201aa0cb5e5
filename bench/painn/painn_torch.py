#!/usr/bin/python3
"""PyTorch twin of sciadapt's PaiNN potential (see bench/painn/doc.go).

Builds potentials.Model with the PaiNN network (Schuett, Unke & Gastegger, ICML
2021) in PyTorch from the weights, positions and pair list that Go exported (the
bench/schnet Export JSON, with config.model = "painn"), in the precision Go used
("precision": the network in float64 or float32; positions, pair vectors and
distances before rounding, the energy scale, reference energies and shift,
per-structure sums, forces and the loss in float64, as in Go), checks that
energies, forces, the force-training loss and its gradient with respect to every
trainable parameter agree with Go's, then times energies+forces and one training
step (create-graph forces, gradient of the loss, Adam step).

    OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 /usr/bin/python3 painn_torch.py \\
        [--threads 2] [--warm 3] [--repeats 15] [--tol T] BATCH.json

--tol defaults to 1e-8 for a float64 network and 1e-5 for a float32 one
(painn.Tolerance in Go: both sides round to float32 in different orders).

prints one JSON object: the agreement (max relative differences) and the timings in
milliseconds; exits 1 if an agreement check fails. With --serve it prints the
agreement as one JSON line, then answers each line "infer K" or "train K" read from
standard input with {"ms": [K call times in ms], "cpu_ms": process CPU time of the
K calls}, so that bench/painn/cmd/painnbench can alternate Go and PyTorch blocks.
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
# Parameters that stay float64 when Go converts the network (Model.SetPrecision).
FLOAT64_PARAMS = ("energy.scale", "energy.reference", "energy.shift")
FORCE_WEIGHT = 10.0
# epsilon of the smooth norm sqrt(|u|^2 + eps) of vector features: painnNormEps in
# potentials/painn.go. The agreement check fails if the two differ.
NORM_EPS = 1e-3


class PaiNN:
    """potentials.Model.Energies with the PaiNN network, weights from Go."""

    def __init__(self, ex):
        cfg = ex["config"]
        if cfg.get("model") != "painn":
            raise SystemExit("painn_torch.py: %s is a %r model, not painn" % (ex["name"], cfg.get("model")))
        prec = ex.get("precision", "float64")
        if prec not in ("float64", "float32"):
            raise SystemExit("painn_torch.py: %s: unknown precision %r" % (ex["name"], prec))
        self.net = torch.float32 if prec == "float32" else torch.float64
        self.cutoff = cfg["cutoff"]
        self.nint = cfg["interactions"]
        self.nf = cfg["features"]
        # n*pi/r_c in float64, then rounded, as sineBasis in potentials/painn.go.
        self.freq = (torch.arange(1, cfg["rbf"] + 1, dtype=DTYPE) * math.pi / self.cutoff).reshape(1, -1).to(self.net)
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
        return self.lin(name + ".1", F.silu(self.lin(name + ".0", x)))

    def message(self, t, s, v, rbf, fc, rhat):
        b = "interaction.%d.message." % t
        n, nf = s.shape
        x = self.mlp2(b + "phi", s)[self.j] * (self.lin(b + "filter", rbf) * fc)
        xs, xvv, xvs = x[:, :nf], x[:, nf:2 * nf], x[:, 2 * nf:]
        ds = torch.zeros(n, nf, dtype=self.net).index_add(0, self.i, xs)
        m = rhat.unsqueeze(2) * xvs.unsqueeze(1)
        if v is not None:
            m = m + v[self.j] * xvv.unsqueeze(1)
        dv = torch.zeros(n, 3, nf, dtype=self.net).index_add(0, self.i, m)
        return s + ds, dv if v is None else v + dv

    def update(self, t, s, v):
        b = "interaction.%d.update." % t
        nf = s.shape[1]
        uv = v @ self.p[b + "U.weight"]
        vv = v @ self.p[b + "V.weight"]
        norm = torch.sqrt((vv * vv).sum(1) + NORM_EPS)
        a = self.mlp2(b + "a", torch.cat([s, norm], 1))
        avv, asv, ass = a[:, :nf], a[:, nf:2 * nf], a[:, 2 * nf:]
        s = s + ass + asv * (uv * vv).sum(1)
        return s, v + avv.unsqueeze(1) * uv

    def energies(self, R):
        p = self.p
        r = R[self.j] - R[self.i] + self.off
        # The network computes in its weights' precision: pair vectors and
        # distances are rounded to it (potentials.PaiNN.features).
        d = torch.sqrt((r * r).sum(1, keepdim=True)).to(self.net)
        rbf = torch.sin(d * self.freq) / d
        fc = 0.5 * (torch.cos(d * (math.pi / self.cutoff)) + 1)
        rhat = r.to(self.net) / d
        s, v = p["embedding.weight"][self.species], None
        for t in range(self.nint):
            s, v = self.message(t, s, v, rbf, fc, rhat)
            s, v = self.update(t, s, v)
        atom = self.mlp2("output", s).to(DTYPE) * p["energy.scale"]
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


def serve(ex, prec, check, ok, tol, infer, step):
    print(json.dumps({"name": ex["name"], "precision": prec, "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "check": check, "agree": ok, "tolerance": tol}), flush=True)
    work = {"infer": infer, "train": step}
    for line in sys.stdin:
        what, k = line.split()
        ts = []
        c0 = time.process_time()
        for _ in range(int(k)):
            t0 = time.perf_counter()
            work[what]()
            ts.append(1e3 * (time.perf_counter() - t0))
        print(json.dumps({"ms": ts, "cpu_ms": 1e3 * (time.process_time() - c0)}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("batch")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warm", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--tol", type=float, default=None)
    ap.add_argument("--serve", action="store_true",
                    help="after the check line, answer 'infer K' or 'train K' lines on standard input")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(a.batch) as fh:
        ex = json.load(fh)
    m = PaiNN(ex)
    # The precision the weights really have here, not the one the file states.
    prec = str(m.p["output.0.weight"].dtype).replace("torch.", "")
    if a.tol is None:
        a.tol = 1e-5 if m.net == torch.float32 else 1e-8
    R = torch.tensor(ex["positions"], dtype=DTYPE).reshape(-1, 3)
    eref = torch.tensor(ex["energy_ref"], dtype=DTYPE).reshape(m.nmol, 1)
    invn = 1.0 / torch.bincount(m.mol, minlength=m.nmol).to(DTYPE).reshape(m.nmol, 1)
    fref = torch.tensor(ex["forces_ref"], dtype=DTYPE).reshape(-1, 3)

    # Agreement with Go on the exported weights.
    e, f = m.predict(R, False)
    loss = m.loss(R, eref, invn, fref)
    grads = torch.autograd.grad(loss, m.trainable)
    check = {
        "energy_rel_diff": rel(e, ex["go"]["energy"]),
        "energy_abs_diff_ev": float((e.detach().reshape(-1) - torch.tensor(ex["go"]["energy"], dtype=DTYPE)).abs().max()),
        "forces_rel_diff": rel(f, ex["go"]["forces"]),
        "loss_rel_diff": abs(float(loss) - ex["go"]["loss"]) / max(1.0, abs(ex["go"]["loss"])),
        "grad_rel_diff": max(rel(g, gg) for g, gg in zip(grads, ex["go"]["grads"])),
    }
    ok = len(grads) == len(ex["go"]["grads"]) and all(v <= a.tol for k, v in check.items() if k.endswith("rel_diff"))

    opt = torch.optim.Adam(m.trainable, lr=1e-3)

    def infer():
        m.predict(R, False)

    def step():
        opt.zero_grad(set_to_none=True)
        l = m.loss(R, eref, invn, fref)
        l.backward(inputs=m.trainable)
        opt.step()

    if a.serve:
        serve(ex, prec, check, ok, a.tol, infer, step)
        return
    out = {"name": ex["name"], "precision": prec, "torch": torch.__version__, "threads": torch.get_num_threads(),
           "atoms": int(R.shape[0]), "pairs": int(m.i.shape[0]), "check": check, "agree": ok, "tolerance": a.tol}
    if a.repeats > 0:
        out["infer"] = timeit(infer, a.warm, a.repeats)
        out["train"] = timeit(step, a.warm, a.repeats)
    json.dump(out, sys.stdout)
    print()
    if not ok:
        print("painn_torch.py: %s: PyTorch and Go disagree beyond %g: %s" % (a.batch, a.tol, check), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
