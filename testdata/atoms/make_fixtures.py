#!/usr/bin/python3
"""Rebuild the fixtures in this folder from ../../../shared/data (see README.md).

Run from this folder with Debian's python3-h5py and python3-numpy:
    /usr/bin/python3 make_fixtures.py /work/shared/data
Values are copied, never changed, except in ani1x_like.h5 (see README.md).
"""
import os
import shutil
import sys

import h5py
import numpy as np

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"


def copy_atoms(src, dst, picks):
    """Copy the root attributes and the first k frames of the chosen groups."""
    with h5py.File(src, "r") as fi, h5py.File(dst, "w") as fo:
        for k, v in fi.attrs.items():
            fo.attrs[k] = v
        for name, k in picks:
            gi, go = fi[name], fo.create_group(name)
            for d in gi:
                ds = gi[d]
                go[d] = ds[()] if d in ("atomic_numbers", "pbc") else ds[:k]


# rMD17, split 01, training file: 4 ethanol and 3 malonaldehyde frames.
copy_atoms(f"{DATA}/rmd17/o_train.h5", "rmd17_o_subset.h5",
           [("ethanol", 4), ("malonaldehyde", 3)])

# EMT alloys: one 3-frame group and one 1-frame group (periodic, with stress).
copy_atoms(f"{DATA}/emt/cuagau_train.h5", "emt_subset.h5",
           [("Ag11Au2Cu19_32", 3), ("Ag10Au13Cu9_32", 1)])

# aspirin.xyz: the first 3 of its 15 frames, byte for byte.
with open(f"{DATA}/extxyz/aspirin.xyz") as fi, open("aspirin_3.xyz", "w") as fo:
    for _ in range(3):
        n = fi.readline()
        fo.write(n)
        for _ in range(int(n) + 1):
            fo.write(fi.readline())
shutil.copy(f"{DATA}/extxyz/LICENSE.nequip", "LICENSE.nequip")

# DeePMD-kit water: the first 3 of the 80 frames, dtype (<f4) kept.
src = f"{DATA}/deepmd/water/data/data_0"
dst = "deepmd_water_3"
os.makedirs(f"{dst}/set.000", exist_ok=True)
for f in ("type.raw", "type_map.raw"):
    shutil.copy(f"{src}/{f}", f"{dst}/{f}")
for f in ("box", "coord", "energy", "force"):
    np.save(f"{dst}/set.000/{f}.npy", np.load(f"{src}/set.000/{f}.npy")[:3])
shutil.copy(f"{DATA}/deepmd/LICENSE", "LICENSE.deepmd-kit")

# ani1x_like.h5: the ANI-1x layout (one group per formula; atomic_numbers uint8,
# coordinates and forces float32, energies float64, NaN where not computed) filled
# with rMD17 frames whose energies and forces are converted from kcal/mol to hartree.
KCAL_PER_HARTREE = 27.211386245988 / (4184 / (6.02214076e23 * 1.602176634e-19))
with h5py.File(f"{DATA}/rmd17/o_train.h5", "r") as fi, h5py.File("ani1x_like.h5", "w") as fo:
    for name, formula, k in (("ethanol", "C2H6O", 4), ("malonaldehyde", "C3H4O2", 3)):
        g = fi[name]
        o = fo.create_group(formula)
        o["atomic_numbers"] = g["atomic_numbers"][()].astype(np.uint8)
        o["coordinates"] = g["coordinates"][:k].astype(np.float32)
        e = g["energies"][:k] / KCAL_PER_HARTREE
        f = (g["forces"][:k] / KCAL_PER_HARTREE).astype(np.float32)
        cc = np.full(k, np.nan)
        cc[0] = e[0] - 0.01  # a second level of theory, known for frame 0 only
        if name == "ethanol":
            e[1] = np.nan          # frame 1: energy not computed
            f[2, 0, 0] = np.nan    # frame 2: forces not computed
        o["wb97x_dz.energy"] = e
        o["wb97x_dz.forces"] = f
        o["ccsd(t)_cbs.energy"] = cc
print("done")
