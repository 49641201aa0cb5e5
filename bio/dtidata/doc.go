// Package dtidata holds drug–target interaction data: a Dataset of drugs
// (SMILES), proteins (sequence, accession, species) and measured pairs (binary
// labels or affinities), the sciadapt-dti HDF5 layout it is stored in, and
// importers for the public files the project uses.
//
// # Layout "sciadapt-dti", version 1
//
//	/   attrs  format="sciadapt-dti", version=1 (int64), source (text),
//	           task = "binary" | "affinity" | "none",
//	           affinity_unit = "pKd"                 (affinity files only)
//	/drugs/id             text (D)
//	/drugs/smiles         text (D)
//	/proteins/id          text (P)
//	/proteins/accession   text (P)   UniProt accession, "" if not known
//	/proteins/species     text (P)   "human", "rat", "mouse", "guinea_pig", … or "unknown"
//	/proteins/sequence    text (P)   one-letter residue codes, upper case
//	/pairs/drug           int32 (N)  index into /drugs
//	/pairs/protein        int32 (N)  index into /proteins
//	/pairs/label          float64 (N)  0 or 1                (task "binary")
//	/pairs/affinity       float64 (N)  in affinity_unit      (task "affinity")
//	/pairs/split          text (N)   optional: "train", "test", … ("" = none)
//	/pairs/fold           int32 (N)  optional: cross-validation fold, -1 = none
//	/orthologs/human      int32 (K)  optional: index into /proteins of a human protein
//	/orthologs/other      int32 (K)  index of its ortholog (species in /proteins/species)
//	/orthologs/identity   float64 (K)  global sequence identity in [0, 1], NaN if not stated
//	/orthologs/gene       text (K)
//	/orthologs/note       text (K)
//
// A group with no rows is left out: a FASTA import has no /drugs and no /pairs
// (task "none"); /orthologs appears only when ortholog links were imported. So
// the ortholog table and its sequences live in the same layout as the pairs,
// either in their own file (sciadapt import fasta --orthologs) or beside pairs.
//
// Text columns ("text (n)") are stored as uint8 datasets of shape (n, W): row i
// holds the bytes of string i followed by NUL padding to the width W of the
// longest string (at least 1). In h5py: f["drugs/smiles"][:].view(f"S{W}")[:, 0]
// gives numpy byte strings. (This is because internal/h5io writes numeric
// datasets only; the reader is written so that variable-length string datasets
// can be accepted later under the same names.)
//
// # Units
//
// Affinities are pKd = −log10(Kd / 1 M); the Davis importer converts Kd in nM with
// pKd = −log10(Kd/1e9), so the inactive ceiling Kd = 10000 nM is pKd 5. Labels are
// 1 for an interacting pair and 0 otherwise.
//
// # Importers
//
//   - ImportGPCR: TransformerCPI pair lists ("SMILES SEQUENCE LABEL" per line),
//     with species joined by sequence from a table such as protein_species.tsv
//     (ReadSpeciesTable) and a species for the proteins that the table does not
//     name. The GPCR set was built for a label-reversal test: a compound usually
//     appears on other proteins with the opposite label, so split by protein
//     (SplitByProtein), never by pair, and compare against a drug-only control.
//   - ImportDavis: DeepDTA's Davis directory (ligands_can.txt, proteins.txt, the
//     text Kd matrix, folds/). The pickle Y is never read. Pair k is DeepDTA's fold
//     index k; training folds become Split "train" with Fold 0…4, the test fold
//     Split "test".
//   - ImportFASTA, ReadOrthologPairs, JoinOrthologs: protein FASTA files with a
//     species each, and human–rat/mouse ortholog tables joined by accession.
//
// # Selections
//
// PairsBySpecies, PairsOfProtein, PairsInSplit, ProteinsOf, DrugsOf select pair
// indices; SplitByProtein and SplitByGroup split them with a seed so that no
// protein (or group) is on both sides; Subset makes a smaller Dataset;
// FrameworkKey and DrugFrameworks group compounds by an approximate scaffold
// signature (see FrameworkKey for exactly what it is and is not); DrugScaffolds
// groups them by their exact Bemis–Murcko scaffold (package mol), and
// SplitByScaffold carves a validation set whose compounds' scaffolds never occur
// in training.
//
// # SMILES
//
// Importers check every SMILES with CheckSMILES (it must tokenise and read as a
// molecule with mol.Parse) and name the file and line (pair lists) or ligand id
// (Davis) of one that does not, with the column of the problem.
package dtidata
