#!/usr/bin/python3
"""Check the molecule lists of the xTB data generator and carve the H/C/N validation split.

Run with Debian's Python (RDKit from python3-rdkit; Debian's RDKit is built without
InChI, so InChIKeys come from the IUPAC InChI executable of Debian's libinchi-bin):

    /usr/bin/python3 bench/potentials/xtb/checklists.py [--write-split]

Checks, for lists/hcn.tsv, lists/o_adapt.tsv and lists/o_test.tsv:
  - every SMILES parses and sanitises with RDKit;
  - net charge 0 and no radical electrons (neutral, closed shell; formal charges inside
    a neutral group such as nitro or isocyanide are allowed);
  - only the allowed elements: H, C, N in hcn; H, C, N, O in the O lists, with at least
    one O;
  - names are unique, usable as HDF5 group names ([a-z0-9] then [a-z0-9,.'()\\[\\]-]);
  - no molecule twice within a list (same standard InChIKey; cis and trans isomers
    are different molecules), and the three lists disjoint judged by the InChIKey
    connectivity block (first 14 characters: a stereoisomer, or a tautomer that
    standard InChI merges, of a molecule in another list counts as the same);
  - none of rMD17's O molecules (ethanol, malonaldehyde in both tautomers, salicylic
    acid, aspirin, paracetamol, uracil) is in any list.
With --write-split it writes lists/hcn_split.tsv: a validation split of the H/C/N list,
by molecule, stratified by class (about VAL_FRACTION of each class, at least one),
chosen by sorting on SHA-256(seed:InChIKey connectivity block), so it does not depend
on list order and stereoisomers (cis/trans) stay on the same side.
Exits with status 1 and one line per problem if any check fails.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

from rdkit import Chem, RDLogger
from rdkit.Chem import Descriptors

HERE = os.path.dirname(os.path.abspath(__file__))
LISTS = os.path.join(HERE, "lists")
GROUPS = {  # list file -> allowed elements, must contain
    "hcn": ({"H", "C", "N"}, None),
    "o_adapt": ({"H", "C", "N", "O"}, "O"),
    "o_test": ({"H", "C", "N", "O"}, "O"),
}
# rMD17's O-containing molecules (Christensen & von Lilienfeld 2020); none may be
# used here, so that rMD17 stays an independent yardstick.
RMD17_O = {
    "ethanol": "CCO",
    "malonaldehyde": "O=CCC=O",
    "malonaldehyde-enol": "OC=CC=O",
    "salicylic-acid": "OC(=O)c1ccccc1O",
    "aspirin": "CC(=O)Oc1ccccc1C(=O)O",
    "paracetamol": "CC(=O)Nc1ccc(O)cc1",
    "uracil": "O=c1cc[nH]c(=O)[nH]1",
}
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9,.'()\[\]-]*$")
VAL_FRACTION = 0.1
SPLIT_SEED = 1


def read_list(group):
    """Rows of lists/<group>.tsv as dicts (comment lines start with #)."""
    path = os.path.join(LISTS, group + ".tsv")
    rows, header = [], None
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            if len(cols) != len(header):
                raise SystemExit(f"{path}:{lineno}: {len(cols)} columns, want {len(header)}")
            row = dict(zip(header, cols))
            row["_where"] = f"{os.path.basename(path)}:{lineno}"
            rows.append(row)
    return rows


def inchikeys(mols):
    """Standard InChIKeys of RDKit molecules, from one run of inchi_main (libinchi-bin)."""
    with tempfile.TemporaryDirectory() as tmp:
        sdf, out = os.path.join(tmp, "in.sdf"), os.path.join(tmp, "out.txt")
        w = Chem.SDWriter(sdf)
        for m in mols:
            w.write(m)
        w.close()
        p = subprocess.run(["inchi_main", sdf, out, "-Key", "-AuxNone"], capture_output=True, text=True)
        if p.returncode != 0 or not os.path.exists(out):
            raise SystemExit(f"inchi_main failed (status {p.returncode}): {p.stderr.strip()[-300:]}")
        keys, current = {}, None
        for line in open(out):
            if line.startswith("Structure: "):
                current = int(line.split()[1]) - 1
            elif line.startswith("InChIKey="):
                keys[current] = line.strip().split("=", 1)[1]
    missing = [i for i in range(len(mols)) if i not in keys]
    if missing:
        raise SystemExit(f"inchi_main gave no InChIKey for structures {missing}")
    return [keys[i] for i in range(len(mols))]


def mol_facts(smiles):
    """(mol with H, problems) for one SMILES."""
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return None, ["RDKit cannot parse the SMILES"]
    molh = Chem.AddHs(mol)
    problems = []
    if Chem.GetFormalCharge(molh) != 0:
        problems.append(f"net charge {Chem.GetFormalCharge(molh)}")
    if Descriptors.NumRadicalElectrons(molh) != 0:
        problems.append(f"{Descriptors.NumRadicalElectrons(molh)} radical electrons")
    return molh, problems


def check_group(group, rows, seen_keys, problems):
    """Check one list; add its molecules to seen_keys (block -> [(group, key, where)])."""
    allowed, must = GROUPS[group]
    names = Counter(r["name"] for r in rows)
    mols = [mol_facts(r["smiles"]) for r in rows]
    keys = inchikeys([m for m, _ in mols if m is not None])
    keys = iter(keys)
    for r, (molh, probs) in zip(rows, mols):
        where = f"{r['_where']} {r['name']}"
        if names[r["name"]] > 1:
            problems.append(f"{where}: name used {names[r['name']]} times")
        if not NAME_RE.match(r["name"]):
            problems.append(f"{where}: name is not [a-z0-9][a-z0-9,.'()[]-]*")
        problems.extend(f"{where}: {p}" for p in probs)
        if molh is None:
            continue
        elems = {a.GetSymbol() for a in molh.GetAtoms()}
        if not elems <= allowed:
            problems.append(f"{where}: elements {sorted(elems - allowed)} not allowed in {group}")
        if must and must not in elems:
            problems.append(f"{where}: has no {must}")
        key = next(keys)
        block = key[:14]
        for other_group, other_key, other_where in seen_keys.get(block, []):
            if other_group != group:
                problems.append(f"{where}: same skeleton (InChIKey {key}) as {other_where} in {other_group}")
            elif other_key == key:
                problems.append(f"{where}: same molecule (InChIKey {key}) as {other_where}")
        seen_keys.setdefault(block, []).append((group, key, where))
        r["inchikey"] = key
        r["atoms"] = molh.GetNumAtoms()


def check_rmd17(seen_keys, problems):
    keys = inchikeys([Chem.MolFromSmiles(s) for s in RMD17_O.values()])
    for name, key in zip(RMD17_O, keys):
        block = key[:14]
        for _, _, where in seen_keys.get(block, []):
            problems.append(f"{where}: is rMD17's {name} (InChIKey {key}), which must not be used")


def val_split(rows):
    """Names of the validation molecules. Stereoisomers (same InChIKey connectivity
    block) go to the same side. Per class, the blocks are ordered by
    SHA-256(seed:block) and the first VAL_FRACTION of them (at least one) are taken."""
    by_class = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_class[r["class"]][r["inchikey"][:14]].append(r["name"])
    val = set()
    for blocks in by_class.values():
        order = sorted(blocks, key=lambda b: hashlib.sha256(f"{SPLIT_SEED}:{b}".encode()).hexdigest())
        k = max(1, round(VAL_FRACTION * len(order)))
        for b in order[:k]:
            val.update(blocks[b])
    return val


def write_split(rows, val):
    path = os.path.join(LISTS, "hcn_split.tsv")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("# Written by checklists.py --write-split: the H/C/N validation split, by molecule,\n")
        f.write(f"# stratified by class ({VAL_FRACTION:.0%} of each class, at least one): the molecules whose\n")
        f.write(f"# InChIKey connectivity block b has the smallest SHA-256(\"{SPLIT_SEED}:\" + b), so stereoisomers\n")
        f.write("# stay together. Do not edit by hand.\n")
        f.write("name\tsplit\n")
        for r in rows:
            f.write(f"{r['name']}\t{'val' if r['name'] in val else 'train'}\n")
    os.replace(tmp, path)
    return path


def summary(group, rows):
    classes = Counter(r["class"] for r in rows)
    atoms = sorted(r.get("atoms", 0) for r in rows)
    over = sum(a > 25 for a in atoms)
    print(f"{group}: {len(rows)} molecules; atoms {atoms[0]}–{atoms[-1]}, median {atoms[len(atoms)//2]}, "
          f"{over} over 25")
    print("  classes: " + ", ".join(f"{c} {n}" for c, n in sorted(classes.items())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write-split", action="store_true", help="write lists/hcn_split.tsv")
    args = ap.parse_args()
    RDLogger.DisableLog("rdApp.*")
    problems, seen = [], {}
    lists = {g: read_list(g) for g in GROUPS}
    for g, rows in lists.items():
        check_group(g, rows, seen, problems)
    check_rmd17(seen, problems)
    for g, rows in lists.items():
        summary(g, rows)
    if problems:
        for p in problems:
            print("problem: " + p, file=sys.stderr)
        print(f"{len(problems)} problems", file=sys.stderr)
        return 1
    val = val_split(lists["hcn"])
    print(f"hcn validation split: {len(val)} molecules: " + ", ".join(sorted(val)))
    if args.write_split:
        print("wrote " + write_split(lists["hcn"], val))
    print("all lists valid, neutral, closed shell, allowed elements, disjoint by InChIKey")
    return 0


if __name__ == "__main__":
    sys.exit(main())
