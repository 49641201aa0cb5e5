#!/usr/bin/python3
"""Write RDKit's Morgan fingerprints and Murcko scaffolds of SMILES, one per line.

Run with Debian's python3-rdkit (/usr/bin/python3):

    /usr/bin/python3 rdkit_reference.py < smiles.txt > reference.tsv

Input: one SMILES per line (blank lines skipped). Output: a header line, then one
tab-separated line per SMILES with
  smiles    the input
  bits      GetMorganFingerprintAsBitVect(mol, 2, nBits=2048): set bits, comma-separated
  counts    GetHashedMorganFingerprint(mol, 2, nBits=2048): bit:count, comma-separated
  codes     GetMorganFingerprint(mol, 2): unfolded code:count, comma-separated
  scaffold  MurckoScaffold.GetScaffoldForMol(mol), canonical SMILES ("" if none)
  generic   MakeScaffoldGeneric of that scaffold, canonical SMILES
A SMILES RDKit cannot read gives "ERROR" in every column after the first.
"""
import sys

from rdkit import Chem, RDLogger, rdBase
from rdkit.Chem import AllChem
from rdkit.Chem.Scaffolds import MurckoScaffold

RDLogger.DisableLog("rdApp.*")


def row(smi):
    m = Chem.MolFromSmiles(smi)
    if m is None:
        return [smi] + ["ERROR"] * 5
    bits = list(AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=2048).GetOnBits())
    counts = sorted(AllChem.GetHashedMorganFingerprint(m, 2, nBits=2048).GetNonzeroElements().items())
    codes = sorted(AllChem.GetMorganFingerprint(m, 2).GetNonzeroElements().items())
    scaf = MurckoScaffold.GetScaffoldForMol(m)
    generic = MurckoScaffold.MakeScaffoldGeneric(scaf)
    return [
        smi,
        ",".join(map(str, bits)),
        ",".join(f"{b}:{c}" for b, c in counts),
        ",".join(f"{b}:{c}" for b, c in codes),
        Chem.MolToSmiles(scaf),
        Chem.MolToSmiles(generic),
    ]


def main():
    print(f"# RDKit {rdBase.rdkitVersion}")
    print("smiles\tbits\tcounts\tcodes\tscaffold\tgeneric")
    for line in sys.stdin:
        smi = line.strip()
        if smi:
            print("\t".join(row(smi)))


if __name__ == "__main__":
    main()
