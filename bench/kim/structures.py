"""Structures for bench/kim/run.sh, written with Debian's python3-ase.

    /usr/bin/python3 bench/kim/structures.py OUTDIR

writes, in OUTDIR:
  alloy.xyz, alloy.data    1,000-atom fcc Cu/Ag/Au (5 x 5 x 10 cubic cells, a = 3.8 A),
                           50 % Cu, 25 % Ag, 25 % Au on random sites (seed 1)
  ethanol.xyz, ethanol.data  100 ethanol molecules (900 atoms) on a 5 x 5 x 4 grid of
                           5 A spacing with random orientations (seed 2), no two atoms
                           of different molecules closer than 1.6 A; 0.61 g/cm^3
extended XYZ (for sciadapt md) and LAMMPS data files (atom_style atomic, masses, one type per
element, in the order of the title line "# types: ...").
"""
import sys

import numpy as np
from ase import Atoms
from ase.build import bulk, molecule
from ase.data import atomic_masses, atomic_numbers
from ase.io import write

out = sys.argv[1]


def lammps(atoms, path, order):
    write(path, atoms, format="lammps-data", specorder=order, atom_style="atomic")
    with open(path) as f:
        text = f.read()
    masses = "Masses\n\n" + "".join(
        f"{k + 1} {atomic_masses[atomic_numbers[s]]}\n" for k, s in enumerate(order))
    text = text.replace("Atoms", masses + "\nAtoms", 1)
    # LAMMPS reads line 1 as a title
    text = "# types: " + " ".join(order) + text[text.index("\n"):]
    with open(path, "w") as f:
        f.write(text)


rng = np.random.default_rng(1)
alloy = bulk("Cu", "fcc", a=3.8, cubic=True).repeat((5, 5, 10))
symbols = np.array(["Cu"] * 500 + ["Ag"] * 250 + ["Au"] * 250)
rng.shuffle(symbols)
alloy.set_chemical_symbols(list(symbols))
write(f"{out}/alloy.xyz", alloy, format="extxyz")
lammps(alloy, f"{out}/alloy.data", ["Cu", "Ag", "Au"])

rng = np.random.default_rng(2)
box = Atoms(cell=[25.0, 25.0, 20.0], pbc=True)
for i in range(5):
    for j in range(5):
        for k in range(4):
            while True:
                m = molecule("CH3CH2OH")
                m.positions -= m.get_center_of_mass()
                m.rotate(rng.uniform(0, 360), rng.normal(size=3))
                m.positions += [5.0 * i + 2.5, 5.0 * j + 2.5, 5.0 * k + 2.5]
                if len(box) == 0:
                    break
                trial = box + m
                new = range(len(box), len(trial))
                if min(trial.get_distances(a, range(len(box)), mic=True).min() for a in new) > 1.6:
                    break
            box += m
write(f"{out}/ethanol.xyz", box, format="extxyz")
lammps(box, f"{out}/ethanol.data", ["H", "C", "O"])
print(f"wrote {out}: alloy {len(alloy)} atoms, ethanol box {len(box)} atoms, "
      f"{box.get_masses().sum() / 6.02214076e23 / (box.get_volume() * 1e-24):.2f} g/cm3")
