#!/usr/bin/python3
"""Check the forces stored in the generated HDF5 files against central finite
differences of fresh GFN2-xTB energies: this checks their sign (F = -dE/dR) and their
units (eV/Å, after the hartree/bohr conversion) end to end.

    /usr/bin/python3 bench/potentials/xtb/fdcheck.py [--out DIR] [--frames 12] [--h 0.002]

For frames drawn with a seed from hcn_xtb_train.h5, o_xtb_adapt.h5 and o_xtb_test.h5
(their stored coordinates, eV and Å), and COMPONENTS random Cartesian components each:
    F_fd = -(E(x + h) - E(x - h)) / 2h,   E from xtb --gfn 2 in eV, h in Å,
compared with the stored F. Also recomputes each frame's energy and forces unperturbed
and compares them with the stored ones (the labels reproduce). Exits with status 1 if
any |F_fd - F| exceeds TOL_FD or a recomputed value differs by more than TOL_REPRO.
"""
import argparse
import os
import sys
import tempfile

import h5py
import numpy as np

import xtbcalc as X

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["hcn_xtb_train.h5", "o_xtb_adapt.h5", "o_xtb_test.h5"]
# Central differences with h = 2e-3 Å: truncation ~ h^2/6 |d3E/dx3| ~ 1e-4 eV/Å for a
# stiff C-H bond; SCC noise (--acc 0.01, energies converged to 1e-8 Eh) / 2h ~ 1e-4 eV/Å.
TOL_FD = 2e-3        # eV/Å
TOL_REPRO_E = 1e-6   # eV
TOL_REPRO_F = 1e-5   # eV/Å
COMPONENTS = 4


def pick_frames(out, n, rng):
    """n (file, system, frame index, numbers, coordinates, energy, forces) across FILES."""
    picks = []
    for k, name in enumerate(FILES):
        with h5py.File(os.path.join(out, name), "r") as f:
            if f.attrs["energy_unit"] != "eV" or f.attrs["length_unit"] != "angstrom":
                raise SystemExit(f"{name}: units are not eV and angstrom")
            systems = sorted(f)
            for _ in range(n // len(FILES) + (k < n % len(FILES))):
                s = systems[rng.integers(len(systems))]
                g = f[s]
                j = int(rng.integers(g["energies"].shape[0]))
                picks.append((name, s, j, g["atomic_numbers"][()], g["coordinates"][j],
                              float(g["energies"][j]), g["forces"][j]))
    return picks


def energy_ev(numbers, pos, tmp):
    e, _ = X.gfn2_single_point(numbers, pos, tmp)
    return e * X.HARTREE_EV


def check_frame(pick, h, rng, tmp):
    """Rows (component, F stored, F fd) and (dE, max dF) of the recomputation."""
    name, s, j, numbers, pos, e_stored, f_stored = pick
    e, g = X.gfn2_single_point(numbers, pos, tmp)
    de = abs(e * X.HARTREE_EV - e_stored)
    df = float(np.abs(-g * X.FORCE_EV_ANG - f_stored).max())
    rows = []
    for k in rng.choice(3 * len(numbers), size=min(COMPONENTS, 3 * len(numbers)), replace=False):
        a, c = int(k) // 3, int(k) % 3
        plus, minus = pos.copy(), pos.copy()
        plus[a, c] += h
        minus[a, c] -= h
        f_fd = -(energy_ev(numbers, plus, tmp) - energy_ev(numbers, minus, tmp)) / (2 * h)
        rows.append((a, "xyz"[c], float(f_stored[a, c]), f_fd))
    return rows, de, df


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--frames", type=int, default=12)
    ap.add_argument("--h", type=float, default=2e-3, help="displacement, Å")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    worst_fd, worst_e, worst_f, failed = 0.0, 0.0, 0.0, False
    print("file\tsystem\tframe\tatom\taxis\tF_stored_eV/A\tF_fd_eV/A\tdiff")
    with tempfile.TemporaryDirectory() as tmp:
        for pick in pick_frames(args.out, args.frames, rng):
            rows, de, df = check_frame(pick, args.h, rng, tmp)
            worst_e, worst_f = max(worst_e, de), max(worst_f, df)
            for a, axis, fs, ffd in rows:
                worst_fd = max(worst_fd, abs(fs - ffd))
                print(f"{pick[0]}\t{pick[1]}\t{pick[2]}\t{a}\t{axis}\t{fs:+.6f}\t{ffd:+.6f}\t{fs - ffd:+.2e}")
    failed = worst_fd > TOL_FD or worst_e > TOL_REPRO_E or worst_f > TOL_REPRO_F
    print(f"largest |F_stored - F_fd| = {worst_fd:.2e} eV/Å (tolerance {TOL_FD:g}); recomputed labels: "
          f"largest |dE| = {worst_e:.2e} eV (tolerance {TOL_REPRO_E:g}), largest |dF| = {worst_f:.2e} eV/Å "
          f"(tolerance {TOL_REPRO_F:g}): {'FAIL' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
