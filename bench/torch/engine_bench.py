#!/usr/bin/python3
"""PyTorch half of sciadapt's engine benchmark.

Runs the workloads of the Go package github.com/sciadapt/sciadapt/bench in PyTorch
(Debian's python3-torch 1.13, float64) with the same shapes and ops, and times them
the same way: warm up, pick a repetition count so a run lasts at least --min-run
seconds, time --runs runs, report milliseconds per call and their median.

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/torch/engine_bench.py
        prints one JSON object with every workload (or those named as arguments);
    ... engine_bench.py --serve
        prints a JSON line describing the set-up, then answers each workload name read
        from standard input with one JSON line (this is how bench/cmd/benchall drives
        it, alternating Go and PyTorch workload by workload);
    ... engine_bench.py --check IN.json
        evaluates the potential on the positions, weights and targets in IN.json and
        prints energies, forces, loss and the loss gradient with respect to the weights
        as JSON (used by the Go test that checks both definitions agree).

Workloads (see bench/doc.go for the maths):
    mlp_step             3-layer MLP 256-256-256-256, SiLU, batch 1024: forward, MSE,
                         backward, Adam step (lr 1e-3)
    potential_forces     per-atom MLP potential on 32 molecules: energies and forces
    potential_forces_cg  the same with create_graph=True
    potential_train      loss on energies and forces, its gradient with respect to the
                         weights (double backward), Adam step
    potential_forces_1mol  energies and forces of one molecule of 18 atoms, where
                         per-op overhead rather than arithmetic dominates
    gemm_256, gemm_1024  torch.mm of two n x n matrices
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F

DTYPE = torch.float64

# Descriptor constants; the same as NumRBF, RBFMin, RBFMax and RBFGamma in Go.
NUM_RBF = 32
RBF_MIN = 0.5
RBF_MAX = 5.5
RBF_GAMMA = 4.0


def molecule_sizes(n):
    """Atoms per molecule: the rule of bench.MoleculeSizes."""
    d = [-2, 2, -1, 1, 0, 0, -2, 2]
    return [20 + d[m % 8] for m in range(n)]


def rbf_centres():
    k = torch.arange(NUM_RBF, dtype=DTYPE)
    return (RBF_MIN + (RBF_MAX - RBF_MIN) * k / (NUM_RBF - 1)).reshape(1, NUM_RBF)


def mlp(sizes):
    """Linear layers with SiLU between them (none after the last)."""
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=DTYPE))
        if i + 2 < len(sizes):
            layers.append(torch.nn.SiLU())
    return torch.nn.Sequential(*layers)


class MLPStep:
    """Forward, MSE, backward and Adam step of a 3-layer MLP."""

    def __init__(self, batch=1024, width=256):
        self.model = mlp([width, width, width, width])
        self.x = torch.randn(batch, width, dtype=DTYPE)
        self.y = torch.randn(batch, width, dtype=DTYPE)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)

    def __call__(self):
        self.opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        return loss.item()


class Potential:
    """Per-atom MLP potential on Gaussian radial descriptors (bench.Potential)."""

    def __init__(self, sizes, positions, model=None, e_ref=None, f_ref=None):
        self.sizes = sizes
        self.n_atoms = sum(sizes)
        i_idx, j_idx, mol = [], [], []
        base = 0
        for m, n in enumerate(sizes):
            mol += [m] * n
            for i in range(n):
                for j in range(n):
                    if i != j:
                        i_idx.append(base + i)
                        j_idx.append(base + j)
            base += n
        self.i = torch.tensor(i_idx, dtype=torch.long)
        self.j = torch.tensor(j_idx, dtype=torch.long)
        self.mol = torch.tensor(mol, dtype=torch.long)
        self.r = positions.clone().requires_grad_(True)
        self.mu = rbf_centres()
        self.model = model if model is not None else mlp([NUM_RBF, 64, 64, 1])
        self.params = list(self.model.parameters())
        self.e_ref = e_ref if e_ref is not None else torch.randn(len(sizes), 1, dtype=DTYPE)
        self.f_ref = f_ref if f_ref is not None else 0.5 * torch.randn(self.n_atoms, 3, dtype=DTYPE)
        self.opt = torch.optim.Adam(self.params, lr=1e-3)

    @staticmethod
    def random(molecules=32):
        """Positions on distinct sites of a 3x3x3 grid of spacing 1.5 A, jittered."""
        sizes = molecule_sizes(molecules)
        pos = []
        for n in sizes:
            sites = torch.randperm(27)[:n]
            grid = torch.stack([sites // 9, (sites // 3) % 3, sites % 3], dim=1).to(DTYPE)
            pos.append(1.5 * grid + 0.4 * (torch.rand(n, 3, dtype=DTYPE) - 0.5))
        return Potential(sizes, torch.cat(pos))

    def descriptors(self, r):
        d = r.index_select(0, self.i) - r.index_select(0, self.j)
        dist = d.square().sum(1, keepdim=True).sqrt()
        g = torch.exp(-RBF_GAMMA * (dist - self.mu).square())
        return torch.zeros(self.n_atoms, NUM_RBF, dtype=DTYPE).index_add(0, self.i, g)

    def energy(self):
        e = self.model(self.descriptors(self.r))
        return torch.zeros(len(self.sizes), 1, dtype=DTYPE).index_add(0, self.mol, e)

    def energy_forces(self, create_graph):
        e = self.energy()
        (g,) = torch.autograd.grad(e.sum(), self.r, create_graph=create_graph)
        return e, -g

    def loss(self):
        e, f = self.energy_forces(True)
        return ((e - self.e_ref) ** 2).mean() + ((f - self.f_ref) ** 2).mean()

    def train_step(self):
        loss = self.loss()
        # Gradients with respect to the weights only, as the Go side computes them
        # (loss.backward() would also fill the positions' gradient).
        grads = torch.autograd.grad(loss, self.params)
        for p, g in zip(self.params, grads):
            p.grad = g
        self.opt.step()
        return loss.item()


class Gemm:
    def __init__(self, n):
        self.a = torch.randn(n, n, dtype=DTYPE)
        self.b = torch.randn(n, n, dtype=DTYPE)

    def __call__(self):
        return torch.mm(self.a, self.b)


def make(name):
    """Returns a no-argument callable running one call of the named workload."""
    if name == "mlp_step":
        return MLPStep()
    if name == "potential_forces_1mol":
        p1 = Potential.random(1)
        return lambda: p1.energy_forces(False)
    if name.startswith("potential_"):
        p = Potential.random(32)
        if name == "potential_forces":
            return lambda: p.energy_forces(False)
        if name == "potential_forces_cg":
            return lambda: p.energy_forces(True)
        if name == "potential_train":
            return p.train_step
    if name.startswith("gemm_"):
        return Gemm(int(name[len("gemm_"):]))
    raise ValueError("unknown workload %r (known: %s)" % (name, ", ".join(WORKLOADS)))


WORKLOADS = ["mlp_step", "potential_forces", "potential_forces_cg", "potential_train",
             "potential_forces_1mol", "gemm_256", "gemm_1024"]


def measure(f, warmup, min_run, runs):
    """The method of bench.Measure: milliseconds per call of each run, and median."""
    start = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - start < warmup:
        f()
        calls += 1
    per = (time.perf_counter() - start) / calls
    reps = max(1, math.ceil(min_run / max(per, 1e-9)))
    runs_ms = []
    for _ in range(runs):
        s = time.perf_counter()
        for _ in range(reps):
            f()
        runs_ms.append((time.perf_counter() - s) * 1e3 / reps)
    return {"reps": reps, "runs_ms": runs_ms, "median_ms": statistics.median(runs_ms),
            "min_ms": min(runs_ms)}


def setup(threads):
    torch.manual_seed(20240601)
    torch.set_num_threads(threads)
    env = {k: os.environ.get(k) for k in
           ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS")}
    return {"torch_version": torch.__version__, "python": platform.python_version(),
            "threads": torch.get_num_threads(), "env": env}


def check(path):
    """Evaluates the potential on the inputs that the Go test wrote to path."""
    with open(path) as f:
        spec = json.load(f)
    sizes = spec["sizes"]
    n_atoms = sum(sizes)
    layers = spec["layers"]
    model = mlp([layers[0]["in"]] + [l["out"] for l in layers])
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for lin, l in zip(linears, layers):
            # Go stores W as (in, out) for x·W; torch.nn.Linear as (out, in).
            w = torch.tensor(l["w"], dtype=DTYPE).reshape(l["in"], l["out"])
            lin.weight.copy_(w.T)
            lin.bias.copy_(torch.tensor(l["b"], dtype=DTYPE))
    pos = torch.tensor(spec["positions"], dtype=DTYPE).reshape(n_atoms, 3)
    e_ref = torch.tensor(spec["e_ref"], dtype=DTYPE).reshape(len(sizes), 1)
    f_ref = torch.tensor(spec["f_ref"], dtype=DTYPE).reshape(n_atoms, 3)
    p = Potential(sizes, pos, model, e_ref, f_ref)
    e, f = p.energy_forces(False)
    loss = p.loss()
    grads = torch.autograd.grad(loss, p.params)
    out_grads = []
    for k, lin in enumerate(linears):
        gw, gb = grads[2 * k], grads[2 * k + 1]
        out_grads.append(gw.T.reshape(-1).tolist())  # back to Go's (in, out) layout
        out_grads.append(gb.reshape(-1).tolist())
    return {"energies": e.reshape(-1).tolist(), "forces": f.reshape(-1).tolist(),
            "loss": loss.item(), "grads": out_grads}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workloads", nargs="*", help="workloads to run (default all)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--runs", type=int, default=7, help="timed runs per workload (default 7)")
    ap.add_argument("--min-run", type=float, default=0.5, help="least seconds per run (default 0.5)")
    ap.add_argument("--warmup", type=float, default=0.5, help="warm-up seconds (default 0.5)")
    ap.add_argument("--serve", action="store_true", help="answer workload names read from stdin")
    ap.add_argument("--check", metavar="IN.json", help="evaluate the potential on IN.json")
    args = ap.parse_args()

    info = setup(args.threads)
    if args.check:
        json.dump(check(args.check), sys.stdout)
        print()
        return
    def run(name):
        # Built afresh for every request, as the Go side builds its workloads.
        return measure(make(name), args.warmup, args.min_run, args.runs)

    if args.serve:
        print(json.dumps(info), flush=True)
        for line in sys.stdin:
            name = line.strip()
            if not name:
                continue
            try:
                res = run(name)
            except Exception as e:  # reported to the Go side, which stops
                res = {"error": "%s: %s" % (type(e).__name__, e)}
            print(json.dumps(res), flush=True)
        return
    info["workloads"] = {name: run(name) for name in (args.workloads or WORKLOADS)}
    json.dump(info, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
