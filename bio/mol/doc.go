// Package mol reads molecules from SMILES into graphs and computes what the
// drug–target models need from them: Morgan (ECFP-like) fingerprints, Bemis–Murcko
// scaffolds, a canonical SMILES, and atom features. Its perception follows RDKit
// 2022.09 (Debian python3-rdkit) so that fingerprints agree with RDKit's bit for
// bit: on all 7109 distinct SMILES of shared/data/dti (GPCR train and test, the
// Davis ligands, the DrugBAN files), on randomised and Kekulé re-writings of 400
// of them, and on 110 harder SMILES (porphyrins, azulene, tropylium, fused
// polycycles, charges, isotopes), every bit vector, count vector and scaffold is
// RDKit's (testdata/morgan_reference.tsv, TestRDKitOnSharedData).
//
// # SMILES (OpenSMILES)
//
// Parse reads atoms outside brackets (the organic subset B C N O P S F Cl Br I,
// aromatic b c n o p s, and *), bracket atoms [isotope symbol chirality hcount
// charge :class] with any element and the aromatic symbols b c n o p s se as te
// si, bonds - = # $ : / \, branches, ring bonds 0–9, %nn and %(n…), and '.'
// between disconnected parts. An implicit bond between two aromatic atoms is
// aromatic, otherwise single.
//
// What is kept and what is dropped:
//   - Chirality (@, @@, @TH1 …) is checked for form and dropped: a Mol has no
//     tetrahedral stereo, as RDKit's default Morgan fingerprint has none.
//   - '/' and '\' are single bonds; the character is kept in Bond.Dir but not
//     interpreted (no cis/trans perception). It matters once: a hydrogen written
//     as an atom that fixes a cis/trans double bond ([H]/N=C/C) stays an atom, as
//     RDKit keeps it.
//   - Isotopes, charges and atom classes are kept on the atom.
//   - Hydrogen atoms ([H]) become hydrogen counts of their neighbour unless they
//     carry an isotope, a charge or a class, are bonded to another H or to
//     nothing, or fix stereo as above (RDKit's RemoveHs defaults).
//
// A SMILES that cannot be read gives an *Error naming the 1-based column of the
// problem: syntax (an unknown element, an unclosed '[' or '(' or ring bond, a bond
// with no atom after it, two bonds in a row, an empty branch, a ring bond that
// closes on its own atom or doubles a bond), valence (an atom bonded beyond the
// largest valence its element allows with its charge: C with five bonds, [NH4]
// without its charge), or aromaticity (a lower-case atom outside a ring, aromatic
// atoms that admit no Kekulé structure, such as pyrrole's N written 'n' without
// its H).
//
// # Hydrogens, Kekulé structure and aromaticity
//
// An atom written without brackets gets implicit hydrogens up to the smallest
// allowed valence of its element that holds its bonds (B 3; C 4; N 3; O 2; P 3,
// 5, 7; S 2, 4, 6; halogens 1, I also 3, 5), shifted by a charge (+q for N, O, S …,
// −q for B and the other early elements, −|q| for C). Aromatic bonds count 1.5
// and a half-integer sum rounds up; an aromatic atom whose sum exceeds its
// default valence is taken at the allowed valence below it when within 1.5 (the
// N of c1cccn1C). Bracket atoms have exactly the hydrogens written.
//
// Aromatic input is kekulised: an aromatic atom needs a double bond when one more
// bond order fills its valence (c, n, [n+], [nH+], but not [nH], o, s or c(=O)),
// and such atoms are paired along aromatic ring bonds by a backtracking search.
// Aromaticity is then perceived afresh on the Kekulé structure with RDKit's model:
// each ring atom donates π electrons by its type (C=C carbon 1, pyridine N 1,
// pyrrole N, furan O and thiophene S 2, a carbon with an exocyclic C=O 0, the
// wildcard 1 or 2), atoms outside the first two rows (but Se, Te), with more than
// three neighbours and hydrogens, or with two multiple bonds take no part; a
// ring, or a connected set of up to six rings fused through single shared
// bonds, counting the atoms that lie in one or two of its rings, is aromatic when
// its electrons can number 4N + 2 (or exactly 2 for a three-ring). Aromatic rings
// make their atoms aromatic and the bonds in exactly one ring of the set aromatic,
// so the bond joining the two benzene rings of biphenylene stays single. The
// rings are the relevant cycles (Horton's candidates, kept when not a sum of
// smaller ones): the smallest set of smallest rings for molecules without cages.
//
// # Morgan fingerprints
//
// Morgan returns RDKit's atom environments (Rogers & Hahn, J. Chem. Inf. Model.
// 50, 742 (2010)). With h(s, v) = s ⊕ (v + 0x9e3779b9 + (s ≪ 6) + (s ≫ 2)) on
// 32-bit words (boost's hash_combine as RDKit carries it), the radius-0 code of
// an atom is the fold of h from 0 over [Z, degree + H, H + bonded H atoms, formal
// charge, ⌊isotope mass − standard weight⌉₀, 1 if in a ring]; the code at radius
// k+1 is h folded from k over the atom's radius-k code and then, for each
// neighbour in sorted (bond type, code) order, h(h(0, bond type), code), bond
// types being 1, 2, 3, 4 and 12 (aromatic). An environment covering the same bonds
// as one kept before is dropped (the smaller code kept) and its atom grows no
// further. MorganBits folds the codes to nBits bits (code mod nBits); MorganCounts
// counts the environments per bit. Radius 2 and 2048 bits (DefaultRadius,
// DefaultBits) are ECFP4-like and RDKit's usual choice.
//
// # Scaffolds
//
// Scaffold is the Bemis–Murcko scaffold as RDKit's MurckoScaffold.GetScaffoldForMol
// builds it, NOT the generic one: ring atoms and linkers keep their elements,
// charges, aromaticity and bond orders, and atoms doubly bonded to them (C=O)
// stay. GenericScaffold makes every atom carbon and every bond single (RDKit's
// MakeScaffoldGeneric). ScaffoldKey is the canonical SMILES of the scaffold ("" for
// a molecule without rings), the key for scaffold splits.
//
// # Canonical SMILES
//
// CanonicalSMILES ranks atoms by invariants refined through their neighbours and
// breaks the remaining ties (symmetric atoms) by input order, then writes depth
// first. It is this package's canonical form (stable under re-reading and under
// re-ordering of the input), not RDKit's string.
//
// # Known differences from RDKit
//
//   - Radicals are used in perception (bracket atoms with too few hydrogens, as
//     RDKit assigns them) but not stored; RDKit carries the radical of a
//     hydrogen-less pyridinium [N+] into the carbon of the generic scaffold
//     ([CH]1CCCCC1 where this package writes C1CCCCC1).
//   - Isotope masses are tabulated for the isotopes drug data use (2H, 3H, 11C, 13C,
//     14C, 15N, 18O, 18F, 125I …); others are taken as their mass number, which can
//     move the truncated mass delta by one.
//   - For cage molecules the relevant cycles may hold rings that RDKit's
//     symmetrised SSSR does not; none of the test molecules shows a difference.
package mol
