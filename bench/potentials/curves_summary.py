#!/usr/bin/python3
"""Summarise a curves.sh directory: a markdown table of test errors (mean ± sd over
the seeds that ran; failed runs counted in their own column, never dropped
silently), per-system force errors, and a learning-curve PNG.

    /usr/bin/python3 bench/potentials/curves_summary.py DIR TITLE [out.png] [--systems]
"""
import glob, json, os, re, sys
import statistics as st
from collections import defaultdict

d, title = sys.argv[1], sys.argv[2]
png = next((a for a in sys.argv[3:] if a.endswith(".png")), None)
with_systems = "--systems" in sys.argv
ORDER = ["zero-shot", "embedding", "adapter", "full", "full-replay", "scratch"]
ok, failed = defaultdict(list), defaultdict(int)
pat = re.compile(r"(.+)_k(\d+)_s(\d+)\.(json|failed)$")
for f in sorted(glob.glob(f"{d}/*")):
    m = pat.match(os.path.basename(f))
    if not m or m[1].endswith("_train"):
        continue
    key = (m[1], int(m[2]))
    if m[4] == "failed":
        if not os.path.exists(f[: -len(".failed")] + ".json"):
            failed[key] += 1
        continue
    r = json.load(open(f))
    t = r.get("test", r)
    if "force_mae_ev_per_angstrom" not in t:
        failed[key] += 1
        continue
    size = r.get("adapter_bytes")
    ok[key].append((t, r.get("test_systems", r.get("systems")), r.get("trainable_parameters"), size))


def ms(xs, scale=1000):
    xs = [scale * x for x in xs]
    if not xs:
        return "–"
    return f"{st.mean(xs):.1f} ± {st.stdev(xs):.1f}" if len(xs) > 1 else f"{xs[0]:.1f}"


keys = sorted(set(ok) | set(failed), key=lambda k: (k[1], ORDER.index(k[0]) if k[0] in ORDER else 99, k[0]))
print(f"{title}: test errors, mean ± sd over the seeds that ran")
print()
print("| method | K | runs ok | failed | force MAE meV/Å | energy MAE meV/atom | stress MAE meV/Å³ | trained values | adapter bytes |")
print("|---|---|---|---|---|---|---|---|---|")
for k in keys:
    rs = ok.get(k, [])
    f = [t["force_mae_ev_per_angstrom"] for t, *_ in rs]
    e = [t["energy_mae_ev_per_atom"] for t, *_ in rs]
    s = [t["stress_mae_ev_per_angstrom3"] for t, *_ in rs if t.get("stress_mae_ev_per_angstrom3")]
    tr = rs[0][2] if rs and k[0] != "scratch" else ("all" if rs else "–")
    size = rs[0][3] if rs and rs[0][3] else "–"
    print(f"| {k[0]} | {k[1]} | {len(rs)} | {failed.get(k, 0)} | {ms(f)} | {ms(e)} | {ms(s)} | {tr} | {size} |")

if with_systems:
    print()
    print("Force MAE per test system (meV/Å), mean over seeds:")
    print()
    systems = []
    for rs in ok.values():
        for _, sy, *_ in rs:
            for x in sy or []:
                if x["system"] not in systems:
                    systems.append(x["system"])
    print("| method | K | " + " | ".join(systems) + " |")
    print("|---|---|" + "---|" * len(systems))
    for k in keys:
        row = []
        for name in systems:
            v = [x["force_mae_ev_per_angstrom"] for _, sy, *_ in ok.get(k, []) for x in (sy or []) if x["system"] == name]
            row.append(f"{1000 * st.mean(v):.0f}" if v else "–")
        print(f"| {k[0]} | {k[1]} | " + " | ".join(row) + " |")

if png:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter
    fig, ax = plt.subplots(figsize=(6, 4.5))
    marks = dict(zip(ORDER, "sDo^Pv"))
    for meth in ORDER:
        ks = sorted(k for m, k in ok if m == meth)
        if not ks:
            continue
        vals = [[1000 * t["force_mae_ev_per_angstrom"] for t, *_ in ok[(meth, k)]] for k in ks]
        ax.errorbar(ks, [st.mean(v) for v in vals], yerr=[st.stdev(v) if len(v) > 1 else 0 for v in vals],
                    marker=marks[meth], capsize=3, label=meth)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sorted({k for _, k in ok}))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.set_xlabel("K, structures with the new element")
    ax.set_ylabel("test force MAE (meV/Å)")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    print(f"\nwrote {png}")
