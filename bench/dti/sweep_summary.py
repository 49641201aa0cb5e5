#!/usr/bin/python3
"""Summarise the rat GPCR transfer sweep: mean ± sd over seeds per (K, arm) of
pooled AUROC, AUPRC, per-receptor (macro) AUROC, trainable parameters and
seconds, with the receptor base rate and drug-only controls as rows; and a PNG of
AUROC against K per arm.

  bench/dti/sweep_summary.py SWEEPDIR [OUT.png] > table.md

Reads SWEEPDIR/jobs/*/job.json (the flags) and report.json (the results; the
sweep's own sweep.csv leaves out the wall-clock seconds).
"""
import glob, json, math, os, sys, collections

sweep_dir = sys.argv[1]
png = sys.argv[2] if len(sys.argv) > 2 else None

ARM_ORDER = ["frozen", "head", "full", "adapter", "adapter + align λ=0.1", "adapter + align λ=1",
             "adapter + align λ=10", "shuffled orthologs λ=1", "shuffled orthologs λ=10", "prompt (auto length)",
             "receptor base rate (control)", "drug-only fine-tuned (control)"]

def arm_of(f):
    m = f["method"]
    if m in ("frozen", "head", "full"):
        return m
    if m == "prompt":
        return "prompt (auto length)" if f.get("prompt-length") == "auto" else f"prompt {f.get('prompt-length')}"
    if m == "adapter":
        if f.get("orthologs"):
            lam = f["align"]
            lam = lam.rstrip("0").rstrip(".") if "." in lam else lam
            if f.get("shuffle-orthologs") == "true":
                return f"shuffled orthologs λ={lam}"
            return f"adapter + align λ={lam}"
        return "adapter"
    return m

cells = collections.defaultdict(list)  # (K, arm) -> list of dicts
extra = collections.defaultdict(list)
for jd in sorted(glob.glob(os.path.join(sweep_dir, "jobs", "*"))):
    try:
        job = json.load(open(os.path.join(jd, "job.json")))
        rep = json.load(open(os.path.join(jd, "report.json")))
    except (OSError, ValueError):
        continue
    f = {}
    for a in job["flags"]:
        k, _, v = a.lstrip("-").partition("=")
        f[k] = v
    K, seed, arm = int(f["per-target"]), int(f["seed"]), arm_of(f)
    t = rep["test"]
    row = {"seed": seed, "auroc": t["auroc"], "auprc": t["auprc"], "macro": t.get("macro_auroc"),
           "params": rep["trainable_parameters"], "seconds": rep["seconds"], "n": t["n_pairs"]}
    cells[(K, arm)].append(row)
    if "prompt_length" in rep:
        extra[(K, arm, "length")].append(rep["prompt_length"])
    if "alignment_cosine_after" in rep:
        extra[(K, arm, "cos")].append((rep["alignment_cosine_before"], rep["alignment_cosine_after"]))
    if arm == "frozen":
        c = rep["control_receptor_rate_test"]
        cells[(K, "receptor base rate (control)")].append({"seed": seed, "auroc": c["auroc"], "auprc": c["auprc"],
            "macro": c.get("macro_auroc"), "params": 0, "seconds": None, "n": c["n_pairs"]})
    if "control_drug_only_test" in rep:
        c = rep["control_drug_only_test"]
        cells[(K, "drug-only fine-tuned (control)")].append({"seed": seed, "auroc": c["auroc"], "auprc": c["auprc"],
            "macro": c.get("macro_auroc"), "params": None, "seconds": None, "n": c["n_pairs"]})

def ms(xs, d=3):
    xs = [x for x in xs if x is not None and not (isinstance(x, float) and math.isnan(x))]
    if not xs:
        return "–"
    m = sum(xs) / len(xs)
    if len(xs) < 2:
        return f"{m:.{d}f}"
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
    return f"{m:.{d}f} ± {sd:.{d}f}"

def mean(xs):
    xs = [x for x in xs if x is not None and not (isinstance(x, float) and math.isnan(x))]
    return sum(xs) / len(xs) if xs else float("nan")

Ks = sorted({k for k, _ in cells})
arms = [a for a in ARM_ORDER if any((k, a) in cells for k in Ks)]
arms += sorted({a for _, a in cells} - set(arms))
print("| K | arm | seeds | test pairs | AUROC | AUPRC | per-receptor AUROC | trained parameters | seconds |")
print("|---|---|---|---|---|---|---|---|---|")
for K in Ks:
    for a in arms:
        rs = cells.get((K, a))
        if not rs:
            continue
        rs.sort(key=lambda r: r["seed"])
        p = {r["params"] for r in rs if r["params"] is not None}
        params = "–" if not p else (str(p.pop()) if len(p) == 1 else f"{min(p)}–{max(p)}")
        sec = "–" if rs[0]["seconds"] is None else f"{mean([r['seconds'] for r in rs]):.0f}"
        n = sorted({r["n"] for r in rs})
        ntxt = str(n[0]) if len(n) == 1 else f"{n[0]}–{n[-1]}"
        print(f"| {K} | {a} | {len(rs)} | {ntxt} | {ms([r['auroc'] for r in rs])} | {ms([r['auprc'] for r in rs])} | "
              f"{ms([r['macro'] for r in rs])} | {params} | {sec} |")
print()
for key in sorted(extra):
    K, a, what = key
    v = extra[key]
    if what == "length":
        print(f"- K = {K}, {a}: prompt lengths chosen {sorted(collections.Counter(v).items())}")
    else:
        print(f"- K = {K}, {a}: alignment cosine {mean([x[0] for x in v]):.3f} → {mean([x[1] for x in v]):.3f}")

# Pooled AUROC over the seeds every arm of a K shares (arms with fewer seeds make
# the means of the main table incomparable).
print()
print("Pooled AUROC over the seeds shared by every arm of the row's K:")
print()
print("| K | seeds | " + " | ".join(arms) + " |")
print("|---|---|" + "---|" * len(arms))
for K in Ks:
    present = [a for a in arms if (K, a) in cells]
    shared = set.intersection(*[{r["seed"] for r in cells[(K, a)]} for a in present])
    row = []
    for a in arms:
        rs = [r["auroc"] for r in cells.get((K, a), []) if r["seed"] in shared]
        row.append(f"{mean(rs):.3f}" if rs else "–")
    print(f"| {K} | {len(shared)} | " + " | ".join(row) + " |")

# Paired comparisons per (K, seed): each adapter + align arm against the others
# (on the same adaptation and test pairs), and the best arm by mean AUROC.
print()
for K in Ks:
    means = {a: mean([r["auroc"] for r in cells[(K, a)]]) for a in arms if (K, a) in cells}
    best = max(means, key=means.get)
    print(f"- K = {K}: highest mean AUROC {best} ({means[best]:.3f})")
    for al in [a for a in arms if a.startswith("adapter + align")]:
        base = {r["seed"]: r["auroc"] for r in cells.get((K, al), [])}
        if not base:
            continue
        parts = []
        for a in arms:
            if a == al:
                continue
            other = {r["seed"]: r["auroc"] for r in cells.get((K, a), [])}
            common = sorted(set(base) & set(other))
            if common:
                wins = sum(base[s] > other[s] for s in common)
                parts.append(f"{a} {wins}/{len(common)}")
        print(f"  - {al} has the higher AUROC than " + ", ".join(parts) + " (seeds)")

if png:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(11, 5.2), sharex=True)
    colors = plt.get_cmap("tab20").colors
    pos = {K: i for i, K in enumerate(Ks)}  # K on an even categorical axis
    for ax, key, title in ((axes[0], "auroc", "pooled AUROC"), (axes[1], "macro", "per-receptor AUROC")):
        for i, a in enumerate(arms):
            xs, ys, es = [], [], []
            for K in Ks:
                rs = cells.get((K, a))
                if not rs:
                    continue
                v = [r[key] for r in rs if r[key] is not None and not math.isnan(r[key])]
                if not v:
                    continue
                m = sum(v) / len(v)
                sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0
                xs.append(pos[K] + (i - (len(arms) - 1) / 2) * 0.025)
                ys.append(m)
                es.append(sd)
            if xs:
                ls = "--" if "control" in a or "shuffled" in a else "-"
                ax.errorbar(xs, ys, yerr=es, label=a, marker="o", ms=3, lw=1.2, ls=ls, capsize=2,
                            color=colors[(2 * i) % 20 if i < 10 else (2 * i + 1) % 20])
        ax.axhline(0.5, color="grey", lw=0.6)
        ax.set_xlabel("K labelled pairs per rat receptor")
        ax.set_title(title + " on held-out rat pairs")
        ax.set_xticks(range(len(Ks)), [str(K) for K in Ks])
    axes[0].set_ylabel("mean ± sd over seeds")
    h, l = axes[0].get_legend_handles_labels()
    fig.legend(h, l, loc="lower center", ncol=4, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    fig.savefig(png, dpi=90)
