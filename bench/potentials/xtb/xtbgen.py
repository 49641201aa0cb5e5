#!/usr/bin/python3
"""Generate GFN2-xTB training and test frames for the molecules of one list.

For each molecule of lists/<group>.tsv: an RDKit ETKDG conformer (seeded), MMFF94
pre-optimisation, GFN2-xTB optimisation (--opt tight), then for each temperature a
GFN-FF molecular dynamics run (GFN2 where GFN-FF samples too far from the GFN2
minimum, see GFN2_RESAMPLE_RATIO) from seeded Maxwell-Boltzmann velocities; after an
equilibration, frames every SPACING fs get GFN2-xTB single-point energies and
gradients (several independent runs per temperature for the O molecules, see PROTOCOLS). Results go to OUT/work/<group>/<name>.npz (+ .json with the log), so an
interrupted run resumes where it stopped; collect.py turns them into extxyz and HDF5.

    /usr/bin/python3 bench/potentials/xtb/xtbgen.py --group hcn [--only NAME...] [--limit N]

Run one at a time (each xtb call is single-threaded), under nice -n 10; see README.md.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

import molecules as M
import xtbcalc as X

HERE = os.path.dirname(os.path.abspath(__file__))
# Bump when the procedure changes, so that cached molecules are recomputed.
PROTOCOL_VERSION = 2
# Per molecule and temperature: `replicas` independent MD runs (own velocity seeds),
# each equilibrated for equilibration_fs, then frames_per_replica frames spacing_fs apart.
COMMON = dict(temperatures_K=[300, 500, 750, 1000], spacing_fs=500.0, equilibration_fs=1000.0,
              step_fs=0.5, initial_velocity_factor=2.0, frames_per_replica=5)
PROTOCOLS = {
    "hcn": dict(COMMON, replicas=1),
    "o_adapt": dict(COMMON, replicas=10),
    "o_test": dict(COMMON, replicas=5),
}
# Sampling is done with GFN-FF, whose minima are close to GFN2's for most molecules.
# Where they are not, GFN-FF frames sit far above the GFN2 minimum: if the mean GFN2
# energy of the 300 K frames exceeds the starting GFN2 minimum by more than
# GFN2_RESAMPLE_RATIO * dof/2 k_B T, the molecule is sampled again with GFN2 dynamics.
GFN2_RESAMPLE_RATIO = 3.0
KB_EV = 8.617333262e-5  # eV/K, CODATA 2018 (exact)


def cpu_seconds():
    """CPU time (user + system) of this process and of the finished xtb runs."""
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


class Dropped(Exception):
    """A molecule that yields no frames, with the reason."""


def xtb_version():
    p = subprocess.run([X.XTB, "--version"], capture_output=True, text=True, env=X.xtb_env())
    for line in (p.stdout + p.stderr).splitlines():
        if "xtb version" in line:
            return line.strip().lstrip("*").strip()
    return "unknown"


def prepare(row, seed, group, tmp, log):
    """Embed, pre-optimise and GFN2-optimise one molecule; return (mol, Z, pos, graph)."""
    mseed = M.derive_seed(seed, group, row["name"])
    try:
        mol, numbers, pos0, ff = M.embed(row["smiles"], mseed)
    except ValueError as e:
        raise Dropped(str(e))
    graph = M.rdkit_graph(mol)
    log.update(embed_seed=mseed, preopt_force_field=ff, atoms=len(numbers))
    if M.distance_graph(numbers, pos0) != graph:
        log["warnings"].append(f"{ff} geometry: distance graph differs from the SMILES graph: "
                               + M.describe_graph_change(graph, M.distance_graph(numbers, pos0)))
    try:
        pos, e_opt = X.gfn2_optimise(numbers, pos0, tmp)
    except X.XtbError as e:
        raise Dropped(f"GFN2 optimisation: {e}")
    got = M.distance_graph(numbers, pos)
    if got != graph:
        raise Dropped("GFN2 optimised structure has another bond graph than the SMILES: "
                      + M.describe_graph_change(graph, got))
    if not M.stereo_matches(mol, row["smiles"], pos):
        raise Dropped("GFN2 optimised structure lost the stereochemistry of the SMILES")
    log["gfn2_optimised_energy_eV"] = e_opt * X.HARTREE_EV
    log["gfn2_optimised_positions"] = pos.tolist()
    log["internal_dof"] = M.internal_dof(numbers, pos)
    return mol, numbers, pos, graph


def sample_replica(method, numbers, pos, graph, temp, vseed, proto, tmp, log):
    """One MD run at temp on the `method` surface; returns the kept (positions, t_fs,
    T_kin) after equilibration."""
    dof = M.internal_dof(numbers, pos)
    n_keep, sp, eq = proto["frames_per_replica"], proto["spacing_fs"], proto["equilibration_fs"]
    v0 = M.initial_velocities(numbers, pos, proto["initial_velocity_factor"] * temp, vseed)
    # xtb's thermostat counts 3N degrees of freedom but removes rotation and translation
    # every step; aim it at temp * dof / 3N so that the internal motion is at temp.
    t_thermostat = temp * dof / (3 * len(numbers))
    try:
        traj = X.xtb_md(method, numbers, pos, v0, t_thermostat, eq + n_keep * sp, sp, proto["step_fs"], tmp)
    except X.XtbError as e:
        log["failures"].append(f"{temp} K: {method} MD: {e}")
        return []
    if len(traj) * sp < eq + n_keep * sp - 1e-6:
        log["failures"].append(f"{temp} K: MD gave {len(traj)} frames, want {int((eq + n_keep * sp) / sp)}")
    kept = []
    for j, (p, v) in enumerate(traj):
        t = j * sp
        if t < eq or len(kept) == n_keep:
            continue
        got = M.distance_graph(numbers, p)
        if got != graph:
            log["dropped_frames"].append(f"{temp} K, t={t:.0f} fs: bond graph changed: "
                                         + M.describe_graph_change(graph, got))
            continue
        kept.append((p, t, M.kinetic_temperature(numbers, v, dof)))
    return kept


def label(numbers, samples, temp, rep, tmp, log):
    """GFN2-xTB single points of the sampled frames; returns per-frame records."""
    out = []
    for p, t, tkin in samples:
        try:
            e, g = X.gfn2_single_point(numbers, p, tmp)
        except X.XtbError as err:
            log["failures"].append(f"{temp} K, t={t:.0f} fs: GFN2 single point: {err}")
            continue
        out.append(dict(pos=p, e_h=e, grad=g, temp=temp, rep=rep, t=t, tkin=tkin))
    return out


def sample_and_label(method, row, seed, group, proto, tmp, prepared, log):
    """Frames of every temperature and replica on the `method` surface, labelled with
    GFN2 single points; returns (records, bond margins)."""
    numbers, pos, graph = prepared
    records, margins = [], []
    for temp in proto["temperatures_K"]:
        for rep in range(proto["replicas"]):
            vseed = M.derive_seed(seed, group, row["name"], temp, rep)
            samples = sample_replica(method, numbers, pos, graph, temp, vseed, proto, tmp, log)
            margins += [M.bond_margins(numbers, p, graph) for p, _, _ in samples]
            records += label(numbers, samples, temp, rep, tmp, log)
    return records, margins


def excess_ratio(records, log, temp=300):
    """Mean GFN2 energy of the frames at temp above the optimised minimum, in units of
    dof/2 k_B T (1 for a harmonic molecule sampled on its own surface)."""
    de = [r["e_h"] * X.HARTREE_EV - log["gfn2_optimised_energy_eV"] for r in records if r["temp"] == temp]
    return float(np.mean(de) / (0.5 * log["internal_dof"] * KB_EV * temp)) if de else float("nan")


def process(row, seed, group, proto, tmp):
    """All frames of one molecule: (records, log)."""
    log = dict(name=row["name"], smiles=row["smiles"], cls=row["class"], warnings=[], failures=[],
               dropped_frames=[], status="ok")
    t0, c0 = time.perf_counter(), cpu_seconds()
    mol, numbers, pos, graph = prepare(row, seed, group, tmp, log)
    records, margins = sample_and_label("gfnff", row, seed, group, proto, tmp, (numbers, pos, graph), log)
    log["sampler"] = "gfnff"
    log["gfnff_excess_ratio_300K"] = excess_ratio(records, log)
    if not log["gfnff_excess_ratio_300K"] <= GFN2_RESAMPLE_RATIO:
        log["warnings"].append(f"GFN-FF frames at 300 K lie {log['gfnff_excess_ratio_300K']:.2f} x dof/2 kT "
                               f"above the GFN2 minimum (limit {GFN2_RESAMPLE_RATIO}): sampled again with GFN2 MD")
        log["sampler"] = "gfn2"
        log["gfnff_failures"], log["gfnff_dropped_frames"] = log["failures"], log["dropped_frames"]
        log["failures"], log["dropped_frames"] = [], []
        records, margins = sample_and_label("gfn2", row, seed, group, proto, tmp, (numbers, pos, graph), log)
    if not records:
        raise Dropped("no frame survived: " + "; ".join(log["failures"][:3]))
    log["excess_ratio_300K"] = excess_ratio(records, log)
    log["max_bonded_ratio"] = max(m[0] for m in margins)
    log["min_nonbonded_ratio"] = min(m[1] for m in margins)
    log["seconds"] = time.perf_counter() - t0
    log["cpu_seconds"] = cpu_seconds() - c0
    log["numbers"] = numbers.tolist()
    return records, log


def save(path, records, log):
    """Write <path>.npz (arrays) and <path>.json (log), atomically."""
    arrays = dict(
        numbers=np.array(log["numbers"], dtype=np.int32),
        positions=np.array([r["pos"] for r in records]),
        energy_hartree=np.array([r["e_h"] for r in records]),
        gradient_hartree_per_bohr=np.array([r["grad"] for r in records]),
        temperature_K=np.array([r["temp"] for r in records], dtype=float),
        replica=np.array([r["rep"] for r in records], dtype=np.int32),
        time_fs=np.array([r["t"] for r in records]),
        kinetic_temperature_K=np.array([r["tkin"] for r in records]))
    with open(path + ".npz.tmp", "wb") as f:
        np.savez(f, **arrays)
    os.replace(path + ".npz.tmp", path + ".npz")
    write_json(path + ".json", log)


def write_json(path, obj):
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(path + ".tmp", path)


def cached(path, config):
    """True if path holds this molecule's result for config. A result made before the
    GFN2 resampling rule existed (config without gfn2_resample_ratio) is kept, with its
    log brought up to date, when the rule would not have resampled it."""
    try:
        with open(path + ".json") as f:
            old = json.load(f)
    except FileNotFoundError:
        return False
    done = old["status"] == "dropped" or os.path.exists(path + ".npz")
    if old.get("config") == config:
        return done
    legacy = {k: v for k, v in config.items() if k != "gfn2_resample_ratio"}
    if old.get("config") != legacy or not done:
        return False
    if old["status"] == "ok":
        with np.load(path + ".npz") as d:
            recs = [dict(e_h=e, temp=t) for e, t in zip(d["energy_hartree"], d["temperature_K"])]
        ratio = excess_ratio(recs, old)
        if not ratio <= GFN2_RESAMPLE_RATIO:
            return False
        old.update(sampler="gfnff", gfnff_excess_ratio_300K=ratio, excess_ratio_300K=ratio)
    old["config"] = config
    write_json(path + ".json", old)
    return True


def run(args):
    proto = PROTOCOLS[args.group]
    rows = M.read_list(args.group)
    if args.only:
        want = set(args.only)
        rows = [r for r in rows if r["name"] in want]
    rows = rows[:args.limit] if args.limit else rows
    wdir = os.path.join(args.out, "work", args.group)
    tmp = os.path.join(args.out, "work", "tmp")
    os.makedirs(wdir, exist_ok=True)
    os.makedirs(tmp, exist_ok=True)
    version = xtb_version()
    print(f"# {args.group}: {len(rows)} molecules, seed {args.seed}, {version}, protocol {proto}", flush=True)
    t_all, c_all = time.perf_counter(), cpu_seconds()
    for k, row in enumerate(rows, 1):
        path = os.path.join(wdir, row["name"])
        config = dict(protocol=proto, version=PROTOCOL_VERSION, seed=args.seed, smiles=row["smiles"],
                      xtb=version, gfn2_acc=X.GFN2_ACC, gfn2_resample_ratio=GFN2_RESAMPLE_RATIO)
        if cached(path, config):
            continue
        try:
            records, log = process(row, args.seed, args.group, proto, tmp)
            log["config"] = config
            save(path, records, log)
            print(f"{k}/{len(rows)} {row['name']}: {log['atoms']} atoms, {log['sampler']} MD "
                  f"(GFN-FF excess {log['gfnff_excess_ratio_300K']:.2f}), {len(records)} frames, "
                  f"{len(log['failures'])} xtb failures, {len(log['dropped_frames'])} frames dropped, "
                  f"{log['seconds']:.1f} s wall, {log['cpu_seconds']:.1f} s CPU", flush=True)
        except Dropped as e:
            write_json(path + ".json", dict(name=row["name"], smiles=row["smiles"], cls=row["class"],
                                            status="dropped", reason=str(e), config=config))
            print(f"{k}/{len(rows)} {row['name']}: DROPPED: {e}", flush=True)
    print(f"# {args.group}: done in {time.perf_counter() - t_all:.0f} s wall, "
          f"{cpu_seconds() - c_all:.0f} s CPU", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", required=True, choices=sorted(PROTOCOLS))
    ap.add_argument("--out", default=os.path.join(HERE, "out"), help="output directory (default: out/ here)")
    ap.add_argument("--seed", type=int, default=1, help="global seed of conformers and velocities")
    ap.add_argument("--only", nargs="+", help="molecule names (default: the whole list)")
    ap.add_argument("--limit", type=int, help="only the first N molecules")
    run(ap.parse_args())
    return 0


if __name__ == "__main__":
    sys.exit(main())
