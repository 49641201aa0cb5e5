#!/usr/bin/python3
"""Turn the per-molecule results of xtbgen.py into extxyz and sciadapt HDF5 files,
check them, and write MANIFEST.md and MANIFEST_molecules.tsv beside this script.

    /usr/bin/python3 bench/potentials/xtb/collect.py [--out DIR] [--sciadapt BIN]

Outputs in OUT (default out/ here): hcn_xtb_train, hcn_xtb_val (the H/C/N list split
by molecule with lists/hcn_split.tsv), o_xtb_adapt, o_xtb_test, each as .xyz
(extended XYZ as ASE writes it: eV, eV/Å, pbc="F F F", plus system=NAME,
T_target=K, replica=, t_fs=, T_kin=K per frame) and .h5 (the sciadapt atoms layout of
../shared/DESIGN.md, one group per molecule, written with h5py), and frames.tsv (the
temperature, MD run and time of every frame of every file, in file order).

Why h5py and not "sciadapt import extxyz": the importer names systems by formula and
merges frames with the same atoms in the same order, so isomers (propylamine and
isopropylamine, both C3H9N with their atoms listed C C C N H...) would share one group
and per-molecule errors could not be reported. With --sciadapt, the importer is still
run on every .xyz and its output is compared frame by frame with the .h5 written here
(same numbers, to the bit), and "sciadapt inspect data" must read every .h5.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

import molecules as M
import xtbcalc as X
import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUTS = [  # file stem, list group, split filter
    ("hcn_xtb_train", "hcn", "train"),
    ("hcn_xtb_val", "hcn", "val"),
    ("o_xtb_adapt", "o_adapt", None),
    ("o_xtb_test", "o_test", None),
]
LEVEL_OF_THEORY = "GFN2-xTB (xtb 6.5.1)"


def load_group(out, group):
    """Per molecule of lists/<group>.tsv in list order: (row, log, arrays or None)."""
    res = []
    for row in M.read_list(group):
        path = os.path.join(out, "work", group, row["name"])
        if not os.path.exists(path + ".json"):
            res.append((row, dict(status="missing"), None))
            continue
        with open(path + ".json") as f:
            log = json.load(f)
        arrays = None
        if log["status"] == "ok":
            with np.load(path + ".npz") as d:
                arrays = convert({k: d[k] for k in d.files})
        res.append((row, log, arrays))
    return res


def convert(d):
    """Add eV / eV/Å values: energy_eV = E_h * 27.211386245988, forces = -g * Eh/bohr→eV/Å."""
    d["energy_eV"] = d["energy_hartree"] * X.HARTREE_EV
    d["forces_eV_per_A"] = -d["gradient_hartree_per_bohr"] * X.FORCE_EV_ANG
    return d


def git_describe():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
                             text=True).stdout.strip()
        code = ["xtbgen.py", "xtbcalc.py", "molecules.py", "collect.py", "stats.py", "lists"]
        dirty = subprocess.run(["git", "status", "--porcelain", "--"] + code, cwd=HERE, capture_output=True,
                               text=True).stdout.strip()
        return rev + (" with uncommitted changes" if dirty else "")
    except OSError:
        return "unknown"


def source_attr(group, seed):
    return (f"sciadapt bench/potentials/xtb (xtbgen.py, collect.py) at {git_describe()}: "
            f"molecules of lists/{group}.tsv, RDKit ETKDG conformer + MMFF94, GFN2-xTB optimisation, "
            f"GFN-FF MD at 300/500/750/1000 K (seed {seed}; GFN2 MD for the molecules MANIFEST.md lists), "
            f"GFN2-xTB single points "
            f"(--acc {X.GFN2_ACC}, electronic temperature 300 K); hartree and bohr converted "
            f"with CODATA 2018")


def write_h5(path, systems, group, seed):
    """systems: list of (name, arrays). Atomic: written to path.tmp, then renamed."""
    tmp = path + ".tmp"
    with h5py.File(tmp, "w") as f:
        f.attrs["format"] = "sciadapt-atoms"
        f.attrs["version"] = np.int64(1)
        f.attrs["energy_unit"] = "eV"
        f.attrs["length_unit"] = "angstrom"
        f.attrs["forces"] = "negative gradient of energy"
        f.attrs["level_of_theory"] = LEVEL_OF_THEORY
        f.attrs["source"] = source_attr(group, seed)
        for name, a in systems:
            g = f.create_group(name)
            g.create_dataset("atomic_numbers", data=a["numbers"].astype(np.int32))
            g.create_dataset("coordinates", data=a["positions"].astype(np.float64))
            g.create_dataset("energies", data=a["energy_eV"].astype(np.float64))
            g.create_dataset("forces", data=a["forces_eV_per_A"].astype(np.float64))
    os.replace(tmp, path)


def write_xyz(path, systems):
    """Extended XYZ as ASE writes it, every number to round-trip precision."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        for name, a in systems:
            for k in range(len(a["energy_eV"])):
                f.write(f"{len(a['numbers'])}\n")
                f.write(f"Properties=species:S:1:pos:R:3:forces:R:3 energy={a['energy_eV'][k]!r} "
                        f"system=\"{name}\" T_target={a['temperature_K'][k]:g} replica={a['replica'][k]} t_fs={a['time_fs'][k]:g} "
                        f"T_kin={a['kinetic_temperature_K'][k]:.1f} pbc=\"F F F\"\n")
                for z, p, fo in zip(a["numbers"], a["positions"][k], a["forces_eV_per_A"][k]):
                    f.write(f"{X.SYMBOL[int(z)]} {p[0]!r} {p[1]!r} {p[2]!r} {fo[0]!r} {fo[1]!r} {fo[2]!r}\n")
    os.replace(tmp, path)


def check_with_ase(path, systems):
    """ASE must read the .xyz back to the same numbers, bit for bit."""
    import ase.io
    frames = ase.io.read(path, index=":", format="extxyz")
    k = 0
    for name, a in systems:
        for j in range(len(a["energy_eV"])):
            at = frames[k]
            ok = (at.info.get("system") == name and not at.pbc.any()
                  and at.get_potential_energy() == a["energy_eV"][j]
                  and np.array_equal(at.get_forces(), a["forces_eV_per_A"][j])
                  and np.array_equal(at.positions, a["positions"][j])
                  and np.array_equal(at.numbers, a["numbers"]))
            if not ok:
                raise SystemExit(f"{path}: ASE reads frame {k} ({name}) differently from what was written")
            k += 1
    if k != len(frames):
        raise SystemExit(f"{path}: ASE reads {len(frames)} frames, {k} were written")
    return len(frames)


def frame_keys(numbers, coords, energies, forces):
    """One hashable key per frame from its exact bytes."""
    return [hashlib.sha256(numbers.astype(np.int64).tobytes() + coords[i].tobytes()
                           + np.float64(energies[i]).tobytes() + forces[i].tobytes()).hexdigest()
            for i in range(len(energies))]


def h5_frame_keys(path):
    keys, groups = [], 0
    with h5py.File(path, "r") as f:
        for name in f:
            g = f[name]
            groups += 1
            keys += frame_keys(g["atomic_numbers"][()], g["coordinates"][()], g["energies"][()], g["forces"][()])
    return sorted(keys), groups


def check_with_sciadapt(binary, xyz, h5):
    """Import xyz with sciadapt, compare with h5 frame by frame; inspect h5. Returns a note."""
    with tempfile.TemporaryDirectory() as d:
        imported = os.path.join(d, "imported.h5")
        p = subprocess.run([binary, "import", "extxyz", xyz, "--out", imported, "--quiet",
                            "--level-of-theory", LEVEL_OF_THEORY], capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"sciadapt import extxyz {xyz}: {p.stderr.strip()}")
        a, groups_imported = h5_frame_keys(imported)
    b, groups_ours = h5_frame_keys(h5)
    if a != b:
        raise SystemExit(f"{h5}: frames differ from what sciadapt import extxyz makes of {xyz}")
    p = subprocess.run([binary, "inspect", "data", h5, "--quiet"], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"sciadapt inspect data {h5}: {p.stderr.strip()}")
    return (f"identical {len(b)} frames; sciadapt import makes {groups_imported} systems of them "
            f"(by formula), this file has {groups_ours} (one per molecule); sciadapt inspect data reads it")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_frames_tsv(path, written):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("file\tsystem\tframe\tT_target_K\treplica\tt_fs\tT_kin_K\n")
        for stem, systems in written:
            for name, a in systems:
                for j in range(len(a["energy_eV"])):
                    f.write(f"{stem}\t{name}\t{j}\t{a['temperature_K'][j]:g}\t{a['replica'][j]}\t{a['time_fs'][j]:g}\t"
                            f"{a['kinetic_temperature_K'][j]:.1f}\n")
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--seed", type=int, default=1, help="the seed xtbgen.py ran with (recorded)")
    ap.add_argument("--sciadapt", help="sciadapt binary for the importer cross-check")
    ap.add_argument("--manifest", default=HERE, help="directory for MANIFEST.md (default: here)")
    args = ap.parse_args()
    split = M.read_split()
    loaded = {g: load_group(args.out, g) for g in ("hcn", "o_adapt", "o_test")}
    written, files = [], []
    for stem, group, want in OUTPUTS:
        systems = [(row["name"], a) for row, log, a in loaded[group]
                   if a is not None and (want is None or split[row["name"]] == want)]
        xyz, h5 = (os.path.join(args.out, stem + ext) for ext in (".xyz", ".h5"))
        if not systems:
            print(f"{stem}: no molecule has frames yet; not written")
            continue
        write_xyz(xyz, systems)
        write_h5(h5, systems, group, args.seed)
        n = check_with_ase(xyz, systems)
        note = check_with_sciadapt(args.sciadapt, xyz, h5) if args.sciadapt else "not cross-checked"
        print(f"{stem}: {len(systems)} molecules, {n} frames; ASE reads the .xyz back exactly; {note}")
        written.append((stem, systems))
        files.append(dict(stem=stem, molecules=len(systems), frames=n, note=note))
    write_frames_tsv(os.path.join(args.out, "frames.tsv"), written)
    paths = [os.path.join(args.out, f"{f['stem']}{e}") for f in files for e in (".h5", ".xyz")]
    paths.append(os.path.join(args.out, "frames.tsv"))
    sums = [(os.path.relpath(p, args.manifest), os.path.getsize(p), sha256(p)) for p in paths]
    stats.write_manifest(args.manifest, loaded, split, files, sums)
    print("wrote " + os.path.join(args.manifest, "MANIFEST.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
