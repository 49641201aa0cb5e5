#!/usr/bin/python3
"""Data coverage of the rat GPCR receptors: pairs, positives, human ortholog (by
accession in ortholog_pairs_checked.tsv), whether that ortholog's sequence has
GPCR pairs (and so trains the human base), and the compounds shared by the rat
receptor and its human ortholog with how many labels agree.

  bench/dti/coverage.py /work/shared/data/dti > coverage.md
"""
import sys, os, collections

root = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/dti"
species, acc_of = {}, {}
with open(os.path.join(root, "gpcr/protein_species.tsv")) as f:
    next(f)
    for line in f:
        idx, sp, acc, n, sq = line.rstrip("\n").split("\t")
        species[sq], acc_of[sq] = sp, acc

pairs = collections.defaultdict(dict)  # sequence -> smiles -> set of labels
for split in ("train", "test"):
    with open(os.path.join(root, f"gpcr/GPCR_{split}.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            smi, sq, lab = parts
            pairs[sq].setdefault(smi, set()).add(int(float(lab)))

def fasta(path):
    out, acc, buf = {}, None, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(">"):
                if acc:
                    out[acc] = "".join(buf)
                h = line[1:].split()[0]
                acc = h.split("|")[1] if "|" in h else h
                buf = []
            else:
                buf.append(line)
    if acc:
        out[acc] = "".join(buf)
    return out

human_seq = fasta(os.path.join(root, "orthologs/human_proteins_combined.fasta"))
orth = {}
with open(os.path.join(root, "orthologs/ortholog_pairs_checked.tsv")) as f:
    head = next(f).rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(head, line.rstrip("\n").split("\t")))
        if r.get("rat_acc"):
            orth[r["rat_acc"]] = (r["human_acc"], r["gene_symbol_in_source"], r["id_human_rat"])
seq_by_acc = {acc_of[s]: s for s in acc_of}

def label(ls):
    return max(ls)  # a compound listed with both labels counts as positive

rows = []
for sq, sp in species.items():
    if sp != "rat" or sq not in pairs:
        continue
    acc = acc_of[sq]
    p = pairs[sq]
    npos = sum(label(v) for v in p.values())
    h = orth.get(acc)
    hacc, gene, ident = (h if h else ("", "", ""))
    # The GPCR set's own sequence of the ortholog (protein_species.tsv), else the
    # UniProt one of the ortholog FASTA (which may differ from the GPCR set's).
    hsq = seq_by_acc.get(hacc) or (human_seq.get(hacc) if hacc else None)
    hp = pairs.get(hsq, {}) if hsq else {}
    hsp = species.get(hsq, "unknown") if hsq in pairs else ""
    shared = set(p) & set(hp)
    agree = sum(label(p[s]) == label(hp[s]) for s in shared)
    rows.append((len(p), acc, npos, gene, hacc, ident, len(hp), hsp, len(shared), agree))

# Nearest training protein (species human or unknown) by shared 3-mers: the
# fraction of the rat receptor's distinct 3-mers found in it (a cheap stand-in for
# identity; orthologs score well above paralogs).
def kmers(x, k=3):
    return {x[i:i + k] for i in range(len(x) - k + 1)}
train_seqs = [s for s in pairs if species.get(s, "unknown") in ("human", "unknown")]
train_k = [(s, kmers(s)) for s in train_seqs]
near = {}
for sq, sp in species.items():
    if sp != "rat" or sq not in pairs:
        continue
    k = kmers(sq)
    best = max(train_k, key=lambda t: len(k & t[1]))
    near[acc_of[sq]] = (len(k & best[1]) / len(k), len(pairs[best[0]]), acc_of.get(best[0], "unnamed"))

rows.sort(reverse=True)
print("| rat receptor | pairs | positive | ortholog in table (gene, identity) | human ortholog | its GPCR pairs (species) | shared compounds | labels agree | nearest training protein: shared 3-mers, its pairs |")
print("|---|---|---|---|---|---|---|---|---|")
tot = [0, 0, 0, 0]
for n, acc, npos, gene, hacc, ident, nh, hsp, ns, ag in rows:
    o = f"{gene}, {ident}" if hacc else "no"
    print(f"| {acc} | {n} | {npos} | {o} | {hacc or '–'} | {nh}{' (' + hsp + ')' if nh else ''} | {ns} | {ag} | {near[acc][0]:.2f}, {near[acc][1]} ({near[acc][2]}) |")
    tot[0] += n; tot[1] += npos; tot[2] += ns; tot[3] += ag
print(f"| all {len(rows)} | {tot[0]} | {tot[1]} | {sum(1 for r in rows if r[4])} with an ortholog | | {sum(1 for r in rows if r[6])} with pairs | {tot[2]} | {tot[3]} | |")
