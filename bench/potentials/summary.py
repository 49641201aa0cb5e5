#!/usr/bin/python3
"""Summarise add-element evidence reports (evidence.sh, alloy_evidence.sh) as a
markdown table (mean ± sd over seeds) and a learning-curve PNG.

    /usr/bin/python3 bench/potentials/summary.py bench/out/pot2 O [out.png]
    /usr/bin/python3 bench/potentials/summary.py bench/out/alloy Pd [out.png]
"""
import glob, json, os, re, sys
from collections import defaultdict
import statistics as st

d, el = sys.argv[1], sys.argv[2].lower()
png = sys.argv[3] if len(sys.argv) > 3 else None
runs = defaultdict(list)
for f in sorted(glob.glob(f"{d}/{el}_*_k*_s*.json")):
    m = re.match(rf"{el}_(.+)_k(\d+)_s(\d+)\.json$", os.path.basename(f))
    if not m or m[1].endswith("_train") or "_train" in f:
        continue
    r = json.load(open(f))
    t = r.get("test", r)
    if "force_mae_ev_per_angstrom" not in t:
        continue
    size = os.path.getsize(f[:-5] + ".adapter") if os.path.exists(f[:-5] + ".adapter") else None
    runs[(m[1], int(m[2]))].append((t, r.get("trainable_parameters"), size, int(m[3])))

def ms(xs):
    return f"{st.mean(xs):.1f} ± {st.stdev(xs):.1f}" if len(xs) > 1 else f"{xs[0]:.1f}"

print("| method | K | seeds | force MAE meV/Å | energy MAE meV/atom | stress MAE meV/Å³ | trained | file bytes |")
print("|---|---|---|---|---|---|---|---|")
order = ["zero-shot", "adapter", "adapter-r2", "adapter-r2f32", "adapter-r1", "full", "scratch"]
for (meth, k) in sorted(runs, key=lambda x: (x[1], order.index(x[0]) if x[0] in order else 9)):
    rs = runs[(meth, k)]
    f = [1000 * t["force_mae_ev_per_angstrom"] for t, *_ in rs]
    e = [1000 * t["energy_mae_ev_per_atom"] for t, *_ in rs]
    s = [1000 * t["stress_mae_ev_per_angstrom3"] for t, *_ in rs if t.get("stress_mae_ev_per_angstrom3")]
    tr = "scratch" if meth == "scratch" else rs[0][1]
    print(f"| {meth} | {k} | {len(rs)} | {ms(f)} | {ms(e)} | {ms(s) if s else '–'} | {tr} | {rs[0][2] or '–'} |")

if png:
    import matplotlib; matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4.5))
    labels = {"adapter": "adapter (rank 4, float64)", "adapter-r2f32": "adapter (rank 2, float32)"}
    for meth, mk in (("zero-shot", "s"), ("adapter", "o"), ("adapter-r2f32", "D"), ("full", "^"), ("scratch", "v")):
        ks = sorted(k for m, k in runs if m == meth)
        if not ks:
            continue
        mean = [st.mean(1000 * t["force_mae_ev_per_angstrom"] for t, *_ in runs[(meth, k)]) for k in ks]
        sd = [st.stdev([1000 * t["force_mae_ev_per_angstrom"] for t, *_ in runs[(meth, k)]]) if len(runs[(meth, k)]) > 1 else 0 for k in ks]
        ax.errorbar(ks, mean, yerr=sd, marker=mk, capsize=3, label=labels.get(meth, meth))
    ax.set_xscale("log"); ax.set_yscale("log")
    from matplotlib.ticker import ScalarFormatter, NullFormatter
    ks_all = sorted({k for _, k in runs})
    ax.set_xticks(ks_all); ax.xaxis.set_major_formatter(ScalarFormatter()); ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(ScalarFormatter()); ax.yaxis.set_minor_formatter(ScalarFormatter())
    ax.set_xlabel("training structures with the new element, K" + (" (per molecule)" if el == "o" else " (in all)"))
    ax.set_ylabel("test force MAE (meV/Å)")
    ax.set_title(f"adding {sys.argv[2]}: mean ± sd over seeds")
    ax.legend(); ax.grid(alpha=0.3, which="both")
    fig.tight_layout(); fig.savefig(png, dpi=100)
    print(f"wrote {png}")
