"""Molecule lists, RDKit conformers, bond graphs and initial velocities for xtbgen.py."""
import hashlib
import os

import numpy as np
from rdkit import Chem
from rdkit.Chem import AllChem

from xtbcalc import AMU_ME, KB_HARTREE, MASS_U

HERE = os.path.dirname(os.path.abspath(__file__))
LISTS = os.path.join(HERE, "lists")

# Covalent radii, Å: Cordero et al., Dalton Trans. 2008, 2832 (C sp3, N, O single values).
COVALENT_RADIUS = {1: 0.31, 6: 0.76, 7: 0.71, 8: 0.66}
# Two atoms are bonded when their distance is below BOND_FACTOR times the sum of their
# covalent radii. The margins actually seen (largest bonded and smallest non-bonded
# ratio over all frames) are reported by collect.py.
BOND_FACTOR = 1.3


def read_list(group):
    """Rows of lists/<group>.tsv as dicts, in file order (comment lines start with #)."""
    rows, header = [], None
    with open(os.path.join(LISTS, group + ".tsv")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
            else:
                rows.append(dict(zip(header, cols)))
    return rows


def read_split():
    """{name: "train" | "val"} from lists/hcn_split.tsv."""
    return {r["name"]: r["split"] for r in read_list("hcn_split")}


def derive_seed(*parts):
    """A 31-bit seed from the global seed and names, stable across machines and runs."""
    h = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()
    return int(h[:8], 16) & 0x7FFFFFFF


def embed(smiles, seed):
    """RDKit molecule with H and one ETKDG (v3) conformer, pre-optimised with MMFF94
    (UFF when MMFF94 lacks parameters). Returns (mol, atomic numbers, positions Å,
    force field name)."""
    mol = Chem.AddHs(Chem.MolFromSmiles(smiles))
    params = AllChem.ETKDGv3()
    params.randomSeed = seed
    if AllChem.EmbedMolecule(mol, params) != 0:
        raise ValueError("RDKit ETKDG could not embed the molecule")
    if AllChem.MMFFHasAllMoleculeParams(mol):
        AllChem.MMFFOptimizeMolecule(mol, maxIters=2000)
        ff = "MMFF94"
    else:
        AllChem.UFFOptimizeMolecule(mol, maxIters=2000)
        ff = "UFF"
    numbers = np.array([a.GetAtomicNum() for a in mol.GetAtoms()])
    pos = mol.GetConformer().GetPositions()
    return mol, numbers, pos, ff


def rdkit_graph(mol):
    """Bonds of an RDKit molecule as a frozenset of (i, j), i < j."""
    return frozenset((min(b.GetBeginAtomIdx(), b.GetEndAtomIdx()), max(b.GetBeginAtomIdx(), b.GetEndAtomIdx()))
                     for b in mol.GetBonds())


def distance_ratios(numbers, pos):
    """Matrix of d_ij / (r_i + r_j), covalent radii r; the diagonal is +inf."""
    r = np.array([COVALENT_RADIUS[z] for z in numbers])
    d = np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=-1)
    ratio = d / (r[:, None] + r[None, :])
    np.fill_diagonal(ratio, np.inf)
    return ratio


def distance_graph(numbers, pos):
    """Bonds by the distance rule d_ij < BOND_FACTOR (r_i + r_j)."""
    ratio = distance_ratios(numbers, pos)
    i, j = np.nonzero(np.triu(ratio < BOND_FACTOR, 1))
    return frozenset(zip(i.tolist(), j.tolist()))


def bond_margins(numbers, pos, graph):
    """(largest d/(r_i+r_j) over bonded pairs, smallest over non-bonded pairs)."""
    ratio = distance_ratios(numbers, pos)
    bonded = np.zeros_like(ratio, dtype=bool)
    for i, j in graph:
        bonded[i, j] = bonded[j, i] = True
    nb = ratio[~bonded]
    return float(ratio[bonded].max()), float(nb.min()) if nb.size else float("inf")


def describe_graph_change(want, got):
    extra = sorted(got - want)
    missing = sorted(want - got)
    parts = []
    if missing:
        parts.append("broken " + ",".join(f"{i}-{j}" for i, j in missing[:4]))
    if extra:
        parts.append("new " + ",".join(f"{i}-{j}" for i, j in extra[:4]))
    return "; ".join(parts)


def stereo_matches(mol, smiles, pos):
    """True unless the SMILES specifies double-bond or tetrahedral stereo that the 3D
    structure pos does not have."""
    if not any(c in smiles for c in "/\\@"):
        return True
    want = Chem.MolToSmiles(Chem.MolFromSmiles(smiles))
    m = Chem.Mol(mol)
    conf = m.GetConformer()
    for i, p in enumerate(pos):
        conf.SetAtomPosition(i, p.tolist())
    Chem.AssignStereochemistryFrom3D(m)
    return Chem.MolToSmiles(Chem.RemoveHs(m)) == want


def internal_dof(numbers, pos):
    """3N - 6, or 3N - 5 for a linear molecule (smallest principal moment ~ 0)."""
    n = len(numbers)
    m = np.array([MASS_U[z] for z in numbers])
    x = pos - (m[:, None] * pos).sum(0) / m.sum()
    inertia = np.einsum("i,ij,ik->jk", m, x, x)
    eig = np.linalg.eigvalsh(np.trace(inertia) * np.eye(3) - inertia)
    linear = eig[0] < 1e-3 * eig[-1]
    return 3 * n - (5 if linear else 6)


def initial_velocities(numbers, pos, temperature, seed):
    """Maxwell-Boltzmann velocities (bohr per atomic time unit) at `temperature` K,
    from numpy's PCG64 with `seed`, with the centre-of-mass motion and rotation
    removed and scaled so that the internal kinetic energy is exactly dof/2 k_B T."""
    rng = np.random.Generator(np.random.PCG64(seed))
    m = np.array([MASS_U[z] for z in numbers]) * AMU_ME
    v = rng.normal(size=(len(numbers), 3)) * np.sqrt(KB_HARTREE * temperature / m)[:, None]
    v -= (m[:, None] * v).sum(0) / m.sum()
    x = pos - (m[:, None] * pos).sum(0) / m.sum()
    ang = (m[:, None] * np.cross(x, v)).sum(0)
    inertia = np.einsum("i,ij,ik->jk", m, x, x)
    inertia = np.trace(inertia) * np.eye(3) - inertia
    omega = np.linalg.pinv(inertia, rcond=1e-8) @ ang
    v -= np.cross(omega, x)
    dof = internal_dof(numbers, pos)
    ekin = 0.5 * (m[:, None] * v * v).sum()
    return v * np.sqrt(0.5 * dof * KB_HARTREE * temperature / ekin)


def kinetic_temperature(numbers, vel_au, dof):
    """Instantaneous temperature (K) of velocities in atomic units over dof degrees."""
    m = np.array([MASS_U[z] for z in numbers]) * AMU_ME
    return float((m[:, None] * vel_au * vel_au).sum() / (dof * KB_HARTREE))
