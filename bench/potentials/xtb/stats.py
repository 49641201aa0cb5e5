"""Statistics of the generated frames and the MANIFEST files (used by collect.py)."""
import os
from collections import Counter

import numpy as np

KB_EV = 8.617333262e-5  # Boltzmann constant, eV/K (CODATA 2018, exact)
GROUPS = ("hcn", "o_adapt", "o_test")


def lag1(series, rng=None):
    """Mean lag-1 autocorrelation over series (each a 1-D array of >= 3 values); with
    rng, of randomly permuted copies (the value for uncorrelated frames)."""
    vals = []
    for s in series:
        x = s - s.mean()
        if rng is not None:
            x = rng.permutation(x)
        den = (x * x).sum()
        if len(x) >= 3 and den > 0:
            vals.append((x[:-1] * x[1:]).sum() / den)
    return float(np.mean(vals)) if vals else float("nan")


def per_temperature(entries):
    """Rows (T, frames, force RMS, mean T_kin, std T_kin, <E-Eopt>/(dof/2 kT)) of a group."""
    rows = []
    temps = sorted({t for _, log, a in entries if a is not None for t in a["temperature_K"]})
    for t in temps:
        f2, tk, ratio, n = [], [], [], 0
        for _, log, a in entries:
            if a is None:
                continue
            s = a["temperature_K"] == t
            n += int(s.sum())
            f2.append((a["forces_eV_per_A"][s] ** 2).reshape(-1))
            tk.append(a["kinetic_temperature_K"][s])
            de = a["energy_eV"][s] - log["gfn2_optimised_energy_eV"]
            ratio.append(de / (0.5 * log["internal_dof"] * KB_EV * t))
        tk = np.concatenate(tk)
        rows.append((t, n, float(np.sqrt(np.concatenate(f2).mean())), float(tk.mean()), float(tk.std()),
                     float(np.concatenate(ratio).mean())))
    return rows


def molecule_row(group, split, row, log, a):
    base = [group, split.get(row["name"], "-") if group == "hcn" else group, row["name"], row["class"]]
    if a is None:
        reason = log.get("reason", log["status"])
        return base + [str(log.get("atoms", "-")), log["status"]] + ["-"] * 13 + [reason]
    e, f = a["energy_eV"], a["forces_eV_per_A"]
    de = e - log["gfn2_optimised_energy_eV"]
    return base + [str(len(a["numbers"])), "ok", log["sampler"], f"{log['gfnff_excess_ratio_300K']:.2f}",
                   f"{log['excess_ratio_300K']:.2f}", str(len(e)), f"{e.min():.6f}", f"{e.max():.6f}",
                   f"{e.std():.4f}", f"{de.mean():.4f}", f"{np.sqrt((f ** 2).mean()):.4f}",
                   f"{np.abs(f).max():.3f}", str(len(log["failures"])), str(len(log["dropped_frames"])),
                   f"{log['seconds']:.1f}", f"{log.get('cpu_seconds', float('nan')):.1f}", "; ".join(log["failures"] + log["dropped_frames"])[:300] or "-"]


MOLECULE_COLUMNS = ["group", "split", "name", "class", "atoms", "status", "sampler", "gfnff_excess_300K",
                    "excess_300K", "frames", "E_min_eV", "E_max_eV",
                    "E_std_eV", "E_minus_Eopt_mean_eV", "F_rms_eV_per_A", "F_maxabs_eV_per_A",
                    "xtb_failures", "frames_dropped", "seconds", "cpu_seconds", "notes"]


def write_molecules_tsv(path, loaded, split):
    with open(path + ".tmp", "w") as f:
        f.write("\t".join(MOLECULE_COLUMNS) + "\n")
        for g in GROUPS:
            for row, log, a in loaded[g]:
                f.write("\t".join(molecule_row(g, split, row, log, a)) + "\n")
    os.replace(path + ".tmp", path)


def group_section(g, entries):
    """Markdown lines for one group: counts, failures, per temperature, correlation, margins."""
    ok = [(r, l, a) for r, l, a in entries if a is not None]
    dropped = [(r, l) for r, l, a in entries if a is None and l["status"] == "dropped"]
    missing = [r["name"] for r, l, a in entries if l["status"] == "missing"]
    frames = sum(len(a["energy_eV"]) for _, _, a in ok)
    fails = [x for _, l, _ in ok for x in l["failures"]]
    drops = [x for _, l, _ in ok for x in l["dropped_frames"]]
    secs = sum(l["seconds"] for _, l, _ in ok)
    cpu = sum(l.get("cpu_seconds", float("nan")) for _, l, _ in ok)
    out = [f"### {g}", "",
           f"{len(entries)} molecules listed, {len(ok)} with frames, {len(dropped)} dropped, "
           f"{len(missing)} not generated (yet); {frames} frames; "
           f"{len(fails)} xtb failures (frames lost), {len(drops)} frames dropped by the bond-graph check; "
           f"generation {secs:.0f} s wall, {cpu:.0f} s CPU (sums over molecules).", ""]
    gfn2 = [r["name"] for r, l, _ in ok if l["sampler"] == "gfn2"]
    out.append(f"Sampled with GFN2 MD instead of GFN-FF ({len(gfn2)} molecules, GFN-FF frames at 300 K more "
               f"than 3 × dof/2 k_B T above the GFN2 minimum): {', '.join(gfn2) or 'none'}.")
    out.append("")
    for r, l in dropped:
        out.append(f"- dropped {r['name']}: {l.get('reason', l['status'])}")
    for x in Counter(f.split(":", 1)[-1].strip() for f in fails + drops).most_common(10):
        out.append(f"- {x[1]}× {x[0]}")
    if not ok:
        return out + [""]
    out += ["", "| T target (K) | frames | force RMS (eV/Å) | mean T_kin (K) | std T_kin (K) | "
                "⟨E − E_opt⟩ / (dof/2 k_B T) |", "|---|---|---|---|---|---|"]
    for t, n, frms, tk, tks, ratio in per_temperature(ok):
        out.append(f"| {t:g} | {n} | {frms:.3f} | {tk:.0f} | {tks:.0f} | {ratio:.2f} |")
    series = [a["energy_eV"][(a["temperature_K"] == t) & (a["replica"] == r)] for _, _, a in ok
              for t in np.unique(a["temperature_K"]) for r in np.unique(a["replica"])]
    rng = np.random.default_rng(0)
    shuffled = np.mean([lag1(series, rng) for _ in range(20)])
    bmax = max(ok, key=lambda x: x[1]["max_bonded_ratio"])
    nbmin = min(ok, key=lambda x: x[1]["min_nonbonded_ratio"])
    out += ["", f"Lag-1 autocorrelation of the energy between consecutive kept frames of one MD run "
                f"(molecule, temperature, replica): {lag1(series):.3f} (the same frames shuffled: {shuffled:.3f}).",
            f"Bond-graph margins (d / sum of covalent radii, bonded below 1.3): largest bonded "
            f"{bmax[1]['max_bonded_ratio']:.3f} ({bmax[0]['name']}), smallest non-bonded "
            f"{nbmin[1]['min_nonbonded_ratio']:.3f} ({nbmin[0]['name']}).", ""]
    return out


def energy_spread_lines(loaded):
    out = ["Per-molecule energy spread (standard deviation over the molecule's frames, eV):", ""]
    for g in GROUPS:
        sd = np.array([a["energy_eV"].std() for _, _, a in loaded[g] if a is not None])
        if sd.size:
            q = np.percentile(sd, [0, 50, 100])
            out.append(f"- {g}: min {q[0]:.3f}, median {q[1]:.3f}, max {q[2]:.3f}")
    return out + [""]


def write_manifest(directory, loaded, split, files, sums):
    write_molecules_tsv(os.path.join(directory, "MANIFEST_molecules.tsv"), loaded, split)
    lines = ["# MANIFEST of the GFN2-xTB data (written by collect.py; do not edit)", "",
             "The HDF5 and extxyz files are not in git; regenerate them with the commands of README.md.",
             "Per-molecule numbers are in MANIFEST_molecules.tsv.", "",
             "| file (relative to this directory) | bytes | SHA-256 |", "|---|---|---|"]
    lines += [f"| {p} | {size} | {h} |" for p, size, h in sums]
    lines += ["", "| output | molecules | frames | checks |", "|---|---|---|---|"]
    lines += [f"| {f['stem']} | {f['molecules']} | {f['frames']} | {f['note']} |" for f in files]
    lines += [""] + energy_spread_lines(loaded)
    for g in GROUPS:
        lines += group_section(g, loaded[g])
    path = os.path.join(directory, "MANIFEST.md")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)
