#!/usr/bin/python3
"""Plot predicted against measured Al 6061-T6 curves for each arm of
bench/constitutive/arms (K = 10, first source specimen), one figure per temperature.

    /usr/bin/python3 bench/constitutive/plot_arms.py bench/out/constitutive/arms bench/constitutive
"""
import csv
import sys
from collections import defaultdict

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

src, dst = sys.argv[1], sys.argv[2]
arms = ["film", "full", "scratch", "rescale", "johnson-cook", "base"]
for T in ["100C", "200C"]:
    fig, axes = plt.subplots(2, 3, figsize=(12, 7.5), sharex=True, sharey=True)
    for ax, arm in zip(axes.flat, arms):
        rows = list(csv.DictReader(open(f"{src}/curves_{T}_k10_{arm}.csv")))
        by = defaultdict(list)
        for r in rows:
            by[r["specimen"]].append(r)
        first = True
        for spec, rs in by.items():
            e = [100 * float(r["strain"]) for r in rs]
            if spec == "K-points":
                ax.plot(e, [float(r["measured_mpa"]) for r in rs], "k*", ms=9, label="K = 10 tuning points", zorder=5)
                continue
            ax.plot(e, [float(r["measured_mpa"]) for r in rs], color="0.6", lw=1, label="measured (other specimens)" if first else None)
            ax.plot(e, [float(r["predicted_mpa"]) for r in rs], color="C3", lw=1, ls="--", label="predicted" if first else None)
            first = False
        ax.set_title(arm, fontsize=12)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("true strain (%)", fontsize=11)
    for ax in axes[:, 0]:
        ax.set_ylabel("true stress (MPa)", fontsize=11)
    axes[0, 0].legend(fontsize=9, loc="lower right")
    fig.suptitle(f"Al 6061-T6 at {T[:-1]} °C: models moved from 23 °C with K = 10 points of one specimen", fontsize=13)
    fig.tight_layout()
    fig.savefig(f"{dst}/arms_{T}_k10.png", dpi=90)
    print(f"wrote {dst}/arms_{T}_k10.png")
