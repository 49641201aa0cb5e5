#!/usr/bin/python3
"""Writes the three walkthrough notebooks (without outputs) from the cells below.

    /usr/bin/python3 notebooks/build_notebooks.py      # then: make notebooks

The notebooks are the deliverable; this file is their source, kept so that a change
to the shared set-up cell is made once. `make notebooks` executes them in place.
"""
import nbformat as nbf

SETUP = r'''
import json, os, subprocess, shutil
import numpy as np
import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import Image, display

# The sciadapt binary (built by `make build`) and a scratch directory for outputs.
SCIADAPT = os.path.abspath(os.environ.get("SCIADAPT", "../bin/sciadapt"))
WORK = os.path.abspath(os.path.join(os.environ.get("SCIADAPT_NOTEBOOK_WORK_ROOT", "work"), "{name}"))
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

def sciadapt(*args):
    """Run one sciadapt command in WORK, show its output, stop on failure."""
    r = subprocess.run([SCIADAPT, *map(str, args), "--quiet"], cwd=WORK, capture_output=True, text=True)
    print(("$ sciadapt " + " ".join(map(str, args)))[:300])
    print(r.stdout.strip())
    if r.returncode != 0:
        raise RuntimeError(f"sciadapt exited {r.returncode}: {r.stderr.strip()}")

def report(path):
    with open(os.path.join(WORK, path)) as f:
        return json.load(f)

def show(fig, name):
    fig.tight_layout()
    fig.savefig(os.path.join(WORK, name), dpi=80)
    plt.close(fig)
    display(Image(os.path.join(WORK, name)))
'''


def notebook(name, cells):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out = []
    for kind, src in cells:
        src = src.strip("\n")
        out.append(nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src))
    nb.cells = out
    nbf.write(nb, f"notebooks/{name}.ipynb")


notebook("add-element", [
("md", r'''
# Teaching a potential a new element: `sciadapt add-element`

An interatomic potential maps atomic positions to an energy; forces are its negative
gradient, **F = −∂E/∂R**, computed here by automatic differentiation, so every model is
energy-conserving by construction. The potential of sciadapt is SchNet-like: each
element has a learned **embedding vector**, interaction blocks pass messages between
atoms within a cutoff, and atomic energies are summed.

A model trained on hydrocarbons and nitrogen compounds (H, C, N) knows nothing about
oxygen. Instead of retraining, `add-element` keeps every base parameter **frozen** and
trains only

* the new element's embedding (initialised from its chemical neighbours in the periodic
  table, not at random),
* its reference energy (fitted first by least squares), and
* a small element-gated LoRA adapter that is active only on the new element's atoms,

so predictions for molecules without oxygen stay bit-identical. This notebook runs the
whole workflow on the small rMD17 subset embedded in the binary (`sciadapt demo --export`;
PBE/def2-SVP, Christensen & von Lilienfeld 2020, CC0). Settings are small so that it
runs in about two minutes on two cores; `bench/potentials/` has the full-size study.
'''),
("code", SETUP.replace("{name}", "add-element")),
("code", r'''
# The small data sets embedded in the binary, written out as files.
DATA = os.path.join(WORK, "data")
sciadapt("demo", "--export", DATA)
sciadapt("inspect", "data", f"{DATA}/hcn_train.h5")
'''),
("md", r'''
## 1. The base potential on H/C/N

Four molecules (azobenzene, benzene, toluene, naphthalene), 40 frames each. The per-element
reference energies are fitted first by linear least squares on composition; the network
then learns what composition cannot explain, from energies and forces together.
'''),
("code", r'''
ARCH = ["--features", 32, "--rbf", 16, "--interactions", 2]
sciadapt("train", "potential", "--data", f"{DATA}/hcn_train.h5", *ARCH, "--epochs", 25,
         "--batch-size", 16, "--lr", 3e-3, "--out", "base.model", "--report", "base_train.json")
sciadapt("eval", "--model", "base.model", "--data", f"{DATA}/hcn_test.h5",
         "--report", "base_test.json", "--predictions", "base_test_pred.h5")
'''),
("md", r'''
The base has never seen oxygen, and says so rather than guessing:
'''),
("code", r'''
try:
    sciadapt("eval", "--model", "base.model", "--data", f"{DATA}/o_test.h5")
except RuntimeError as e:
    print(e)
'''),
("md", r'''
`--predictions` writes the test frames again with the model's energies and forces in
the same HDF5 layout as the data (eV and Å, stated in the file's attributes), so the
comparison is a few lines of h5py:
'''),
("code", r'''
# Files state their units; sciadapt writes eV and Å, rMD17 is in kcal/mol (and Å).
EV_PER = {"eV": 1.0, "kcal/mol": 4184 / 96485.33212, "hartree": 27.211386245988}

def energies_forces(path):
    """Energies (eV) and force components (eV/Å) of every frame, system by system."""
    E, F, N, S = [], [], [], []
    with h5py.File(path) as f:
        assert f.attrs["length_unit"] == "angstrom", f.attrs["length_unit"]
        u = EV_PER[f.attrs["energy_unit"]]
        for name in sorted(f):
            g = f[name]
            E.extend(u * g["energies"][:]); F.extend(u * g["forces"][:].ravel())
            N.extend([g["atomic_numbers"].shape[0]] * g["energies"].shape[0])
            S.extend([name] * g["energies"].shape[0])
    return np.array(E), np.array(F), np.array(N), np.array(S)

ref = energies_forces(f"{DATA}/hcn_test.h5")
pred = energies_forces(os.path.join(WORK, "base_test_pred.h5"))
fig, ax = plt.subplots(1, 2, figsize=(9, 4))
# Total energies of different molecules differ by thousands of eV: compare each frame
# with its molecule's mean reference energy (the same shift on both axes).
for name in np.unique(ref[3]):
    sel = ref[3] == name
    mean = ref[0][sel].mean()
    ax[0].plot(ref[0][sel] - mean, pred[0][sel] - mean, ".", ms=5, label=name)
ax[0].legend(fontsize=8)
ax[0].set_xlabel("reference energy − molecule mean (eV)"); ax[0].set_ylabel("predicted energy − same (eV)")
ax[1].plot(ref[1], pred[1], ".", ms=1, alpha=0.4)
lim = np.abs(ref[1]).max(); ax[1].plot([-lim, lim], [-lim, lim], "k-", lw=0.8)
ax[1].set_xlabel("reference force component (eV/Å)"); ax[1].set_ylabel("predicted (eV/Å)")
r = report("base_test.json")
ax[1].set_title(f"force MAE {1000*r['force_mae_ev_per_angstrom']:.0f} meV/Å")
ax[0].set_title(f"energy MAE {1000*r['energy_mae_ev_per_atom']:.1f} meV/atom")
show(fig, "base_parity.png")
'''),
("md", r'''
What to look at: the force parity plot is the one that matters for molecular dynamics.
With 160 training frames and 25 epochs this small model is far from the SchNet-level
~10–40 meV/Å that full training reaches (see `bench/potentials/RESULTS.md` for the
full-data numbers and how far we are from that goal).

## 2. Adding oxygen from K frames

Three oxygen-containing molecules (ethanol, malonaldehyde, salicylic acid). We add O with
K = 5 and K = 20 frames per molecule and compare three methods:

* **zero-shot** — only the initialised embedding and the fitted reference energy;
* **adapter** — embedding, reference and the element-gated LoRA (the default);
* **full** — every parameter fine-tuned (the reference an adapter is measured against).
'''),
("code", r'''
rows = []
for k in (5, 20):
    for method in ("zero-shot", "adapter", "full"):
        name = f"O_{method}_k{k}"
        sciadapt("add-element", "--base", "base.model", "--element", "O", "--data", f"{DATA}/o_train.h5",
                 "--frames", k, "--method", method, "--epochs", 40, "--test", f"{DATA}/o_test.h5",
                 "--out", f"{name}.adapter", "--report", f"{name}.json")
        r = report(f"{name}.json")
        rows.append((k, method, r["trainable_parameters"], r.get("adapter_bytes", 0),
                     r["test"]["energy_mae_ev_per_atom"], r["test"]["force_mae_ev_per_angstrom"]))
print(f"{'K':>3} {'method':10} {'trained':>8} {'bytes':>8} {'E MAE meV/atom':>15} {'F MAE meV/Å':>12}")
for k, m, p, b, e, f in rows:
    print(f"{k:3d} {m:10} {p:8d} {b:8d} {1000*e:15.1f} {1000*f:12.0f}")
'''),
("code", r'''
fig, ax = plt.subplots(figsize=(5.5, 4))
for method, marker in (("zero-shot", "s"), ("adapter", "o"), ("full", "^")):
    ks = [k for k, m, *_ in rows if m == method]
    fs = [1000 * f for k, m, p, b, e, f in rows if m == method]
    ax.plot(ks, fs, marker=marker, label=method)
ax.set_xscale("log"); ax.set_xticks([5, 20]); ax.set_xticklabels(["5", "20"])
ax.set_xlabel("O frames per molecule, K"); ax.set_ylabel("test force MAE (meV/Å)")
ax.legend(); ax.set_title("learning curve: adding O")
show(fig, "learning_curve.png")
'''),
("md", r'''
## 3. Nothing learned is forgotten

The adapter is gated by element: on a molecule without oxygen it contributes exactly
zero, so the base's predictions on H/C/N are unchanged **bit for bit**:
'''),
("code", r'''
sciadapt("eval", "--model", "base.model", "--adapter", "O_adapter_k20.adapter",
         "--data", f"{DATA}/hcn_test.h5", "--predictions", "hcn_with_adapter.h5")
a = energies_forces(os.path.join(WORK, "base_test_pred.h5"))
b = energies_forces(os.path.join(WORK, "hcn_with_adapter.h5"))
print("energies identical:", np.array_equal(a[0], b[0]), " forces identical:", np.array_equal(a[1], b[1]))
print("adapter file:", os.path.getsize(os.path.join(WORK, "O_adapter_k20.adapter")), "bytes;",
      "base file:", os.path.getsize(os.path.join(WORK, "base.model")), "bytes")
'''),
("md", r'''
What to try next: `--plan` to let the budget planner choose where the LoRA goes
(`sciadapt plan`), `sciadapt md` to run molecular dynamics with the adapted model, and
`sciadapt serve ipi` to drive it from i-PI or ASE.
'''),
])


notebook("temperature-tune", [
("md", r'''
# Moving a constitutive model to a new temperature: `sciadapt temperature-tune`

A constitutive model tells a finite-element code how a material responds to strain.
sciadapt's model of a metal is **small-strain J2 plasticity derived from a learned free
energy** ψ(εᵉ, α, T) = ψᵉ(εᵉ, T) + ψᵖ(α, T): the stress is σ = ∂ψ/∂εᵉ and the hardening
κ = ∂ψᵖ/∂α, both by automatic differentiation, so the model is thermodynamically
consistent by construction (zero stress at zero strain at every temperature, elastic
unloading, non-negative dissipation).

Temperature enters through small **FiLM subnetworks** that scale (positively) and shift
hidden units of the property and hardening networks. A base fitted at room temperature
is moved to 200 °C by training only those 32 numbers on a handful of measured points
from ONE specimen; the errors are then measured on the OTHER specimens at 200 °C.

The data are Sandia's Al 6061-T6 tension curves (MatCal, BSD-3-Clause), thinned to about
30 points each and embedded in the binary. `bench/constitutive/RESULTS.md` has the
full-data study with every comparison arm (full fine-tuning, from scratch,
Johnson–Cook, a two-scalar rescaling).
'''),
("code", SETUP.replace("{name}", "temperature-tune")),
("code", r'''
DATA = os.path.join(WORK, "data")
sciadapt("demo", "--export", DATA)
AL = f"{DATA}/al6061.h5"

def read_curves(path):
    """{specimen: (temperature °C, true strain, true stress MPa)} from a curves file."""
    out = {}
    with h5py.File(path) as f:
        for name in f:
            g = f[name]
            out[name] = (g.attrs["temperature_K"] - 273.15, g["strain"][:], g["stress"][:])
    return out

measured = read_curves(AL)
for T in sorted({round(t) for t, _, _ in measured.values()}):
    names = [n for n, (t, _, _) in measured.items() if round(t) == T]
    print(f"{T:5d} °C: {len(names)} specimens, e.g. {names[:3]}")
'''),
("md", r'''
## 1. The base at 23 °C

All parameters train by L-BFGS on the room-temperature curves.
'''),
("code", r'''
sciadapt("train", "constitutive", "--data", AL, "--out", "base.model", "--report", "base.json")
sciadapt("eval", "--model", "base.model", "--data", AL, "--predictions", "base_pred.h5")
'''),
("md", r'''
## 2. Tuning to 200 °C from K points of one specimen

`--specimen` names the specimen whose points are used; `--points K` picks one elastic
point and K − 1 points spread over the plastic part. Only the FiLM parameters train.
'''),
("code", r'''
hot = sorted(n for n, (t, _, _) in measured.items() if round(t) == 200)
source = hot[0]
rows = []
for k in (3, 5, 10):
    sciadapt("temperature-tune", "--base", "base.model", "--temperature", "200C", "--data", AL,
             "--specimen", source, "--points", k, "--out", f"T200_k{k}.adapter", "--report", f"T200_k{k}.json")
    r = report(f"T200_k{k}.json")
    rows.append((k, r["trainable_parameters"], r))
r = rows[-1][2]
print("report of K = 10:", {k: r[k] for k in ("specimen", "train_indices", "trainable_parameters", "modulus_mpa", "yield_mpa")})
'''),
("code", r'''
sciadapt("eval", "--model", "base.model", "--adapter", "T200_k10.adapter", "--data", AL, "--predictions", "tuned_pred.h5")
base_pred, tuned_pred = read_curves(os.path.join(WORK, "base_pred.h5")), read_curves(os.path.join(WORK, "tuned_pred.h5"))
fig, ax = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
for a, T in zip(ax, (23, 200)):
    first = True
    for n, (t, e, s) in measured.items():
        if round(t) != T:
            continue
        a.plot(100 * e, s, color="0.6", lw=1, label="measured" if first else None)
        a.plot(100 * e, base_pred[n][2], "C0--", lw=1, label="base (23 °C fit)" if first else None)
        if T == 200:
            a.plot(100 * e, tuned_pred[n][2], "C3-", lw=1, label="FiLM-tuned, K = 10" if first else None)
        first = False
    a.set_title(f"{T} °C"); a.set_xlabel("true strain (%)"); a.grid(alpha=0.3)
ax[0].set_ylabel("true stress (MPa)"); ax[1].legend(loc="lower right")
show(fig, "stress_strain.png")
'''),
("md", r'''
What to look at: at 23 °C the dashed base follows the grey measurements, with the adapter
disabled (the base is bit-for-bit unchanged). At 200 °C the untuned base is far too
strong; ten points of one specimen bring the tuned model to the other specimens' curves.
The residual error is of the order of the specimen-to-specimen scatter:
'''),
("code", r'''
print(f"stress RMSE on the {rows[0][2]['test_specimens']} other 200 °C specimens, MPa")
print(f"{'K':>3} {'trained':>8} {'tuned':>7} {'base, untuned':>14} {'specimen scatter':>17}")
for k, p, r in rows:
    print(f"{k:3d} {p:8d} {r['stress_rmse_mpa']:7.2f} {r['base']['stress_rmse_mpa']:14.2f} {r['scatter']['stress_rmse_mpa']:17.2f}")
'''),
])


notebook("transfer", [
("md", r'''
# Moving a drug–target model from human to rat: `sciadapt transfer`

A drug–target interaction model predicts whether a compound binds a protein from the
compound's SMILES and the protein's sequence (DeepDTA-style: 1-D convolutions over
both, an interaction head). Trained on human receptors, it meets rat receptors whose
sequences differ by a few per cent. `transfer` keeps the human model frozen and trains
only a small part of the **protein branch** (soft prompt residues, bottleneck adapters
or LoRA), optionally with an **ortholog-alignment** term that pulls each rat receptor's
representation towards the frozen human representation of its human ortholog.

The GPCR set (TransformerCPI, Apache-2.0) was built for a *label-reversal* test:
compounds appear on other receptors with the opposite label, so a model that memorises
compounds scores **below** chance on new receptors. Always compare with the controls the
report carries: the frozen human model, the receptor base rate (every pair of a
receptor scored with the fraction of positives among its K adaptation pairs), and
shuffled orthologs. The data here are a small subset embedded in the binary; the
honest summary of the full-data study is in the README (the goals are not met yet).
'''),
("code", SETUP.replace("{name}", "transfer")),
("code", r'''
DATA = os.path.join(WORK, "data")
sciadapt("demo", "--export", DATA)
GPCR, ORTH = f"{DATA}/gpcr_demo.h5", f"{DATA}/orthologs_demo.h5"
with h5py.File(GPCR) as f:
    print("attributes:", {k: v for k, v in f.attrs.items()})
    print("groups:", list(f))
'''),
("md", r'''
## 1. The human model

Trained on human (and unknown-species) pairs only; rat receptors are never seen.
'''),
("code", r'''
sciadapt("train", "dti", "--data", GPCR, "--species", "human,unknown", "--epochs", 6,
         "--out", "human.model", "--report", "human.json")
print({k: report("human.json")[k] for k in ("train", "test")})
'''),
("md", r'''
## 2. Moving to rat with K labelled pairs per receptor

The pairs of each rat receptor are split by compound scaffold: K adapt, the rest test.
'''),
("code", r'''
arms = {
    "frozen": ["--method", "frozen"],
    "prompt": ["--method", "prompt"],
    "adapter": ["--method", "adapter"],
    "adapter + orthologs": ["--method", "adapter", "--orthologs", ORTH, "--align", 1],
    "shuffled orthologs": ["--method", "adapter", "--orthologs", ORTH, "--align", 1, "--shuffle-orthologs"],
}
res = {}
for name, flags in arms.items():
    tag = name.replace(" ", "_").replace("+", "plus")
    sciadapt("transfer", "--base", "human.model", "--species", "rat", "--data", GPCR, "--per-target", 16,
             "--epochs", 20, *flags, "--out", f"{tag}.adapter", "--report", f"{tag}.json")
    res[name] = report(f"{tag}.json")
rate = res["frozen"]["control_receptor_rate_test"]["auroc"]
print(f"{'arm':22} {'trained':>8} {'AUROC':>6} {'AUPRC':>6} {'per-receptor AUROC':>19}")
for name, r in res.items():
    t = r["test"]
    print(f"{name:22} {r['trainable_parameters']:8d} {t['auroc']:6.3f} {t['auprc']:6.3f} {t['macro_auroc'] or float('nan'):19.3f}")
print(f"{'receptor base rate':22} {0:8d} {rate:6.3f}")
print("human predictions unchanged with the adapter disabled:", all(r.get("human_predictions_unchanged", True) for r in res.values()))
'''),
("md", r'''
## 3. ROC curves from the predictions

`eval --predictions` writes one CSV line per pair with the model's output (a logit):
'''),
("code", r'''
import csv
def roc(path):
    rows = list(csv.DictReader(open(os.path.join(WORK, path))))
    y = np.array([float(r["value"]) for r in rows]); s = np.array([float(r["output"]) for r in rows])
    order = np.argsort(-s, kind="stable"); y = y[order]
    tpr = np.concatenate([[0], np.cumsum(y) / y.sum()]); fpr = np.concatenate([[0], np.cumsum(1 - y) / (1 - y).sum()])
    return fpr, tpr
fig, ax = plt.subplots(figsize=(5, 5))
for name, adapter in (("frozen human model", None), ("adapter + orthologs", "adapter_plus_orthologs.adapter")):
    out = "roc_" + name.split()[0] + ".csv"
    extra = ["--adapter", adapter] if adapter else []
    sciadapt("eval", "--model", "human.model", *extra, "--data", GPCR, "--species", "rat", "--predictions", out)
    fpr, tpr = roc(out)
    ax.plot(fpr, tpr, label=name)
ax.plot([0, 1], [0, 1], "k:", lw=0.8, label="chance")
ax.set_xlabel("false positive rate"); ax.set_ylabel("true positive rate"); ax.legend(loc="lower right")
ax.set_title("rat GPCR pairs (adaptation and test pairs)")
show(fig, "roc.png")
'''),
("md", r'''
What to look at: a pooled AUROC above 0.5 may come from ranking whole receptors by
their base rates; the per-receptor AUROC and the base-rate control tell whether the
model ranks compounds *within* a receptor. On this small subset, as on the full data
(README), the adapter does not yet beat the receptor base rate by a clear margin.
'''),
])
