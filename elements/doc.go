// Package elements is the periodic table: symbols, atomic numbers and the
// properties that sciadapt uses to place a new element near its chemical
// neighbours.
//
// # Overview
//
// All 118 elements are held in one table (table.go, one line per element).
// ByZ and BySymbol look an element up; BySymbol ignores case. Descriptor gives
// a scaled property vector per element and Neighbours ranks candidate
// elements by their distance to a given one in that space, which is how a
// new element's embedding is initialised from the embeddings of the elements
// a model already knows.
//
// # Fields, sources and conventions
//
// Mass is the standard atomic weight Ar°(E) of the IUPAC Commission on
// Isotopic Abundances and Atomic Weights: T. Prohaska et al., "Standard atomic
// weights of the elements 2021 (IUPAC Technical Report)", Pure Appl. Chem. 94,
// 573–600 (2022), doi:10.1515/pac-2019-0603, with the 2024 CIAAW revisions of
// Zr (91.222), Gd (157.249) and Lu (174.96669). For the fourteen elements
// whose standard atomic weight is an interval (H, Li, B, C, N, O, Mg, Si, S,
// Cl, Ar, Br, Tl, Pb) Mass is the IUPAC conventional value (H 1.008, C 12.011,
// Ar 39.95, Pb 207.2). For the elements that have no standard atomic weight
// (Tc, Pm, Po–Ac, Np–Og; Th, Pa and U do have one) Mass is the mass number of
// the longest-lived known isotope after NUBASE2020 (F. G. Kondev et al., Chin.
// Phys. C 45, 030001 (2021)), written as an integer: Tc 97 (⁹⁷Tc and ⁹⁸Tc have
// half-lives equal within their uncertainties; many tables give 98), Pm 145,
// Po 209, At 210, Rn 222, Fr 223, Ra 226, Ac 227, Np 237, Pu 244, Am 243,
// Cm 247, Bk 247, Cf 251, Es 252, Fm 257, Md 258, No 259, Lr 266, Rf 267,
// Db 268, Sg 269, Bh 270, Hs 271, Mt 278, Ds 281, Rg 282, Cn 285, Nh 286,
// Fl 289, Mc 290, Lv 293, Ts 294, Og 294. For Z ≥ 104 only a few atoms of
// each isotope have been observed and the longest-lived one may change.
//
// Period, Group and Block follow the 18-column IUPAC table with Sc, Y, Lu and
// Lr in group 3, the arrangement favoured by the provisional report of the
// IUPAC project on group 3 (E. Scerri, Chem. Int. 43(1), 31–34 (2021)).
// La–Yb and Ac–No form the f block and have Group 0; Lu and Lr are d-block
// elements of group 3. He is in group 18 but in the s block (1s²). Block is a
// position in the table, not a statement about the valence shell: La, Ac and
// Th are f-block elements with no f electron in their ground state.
//
// Electronegativity is on the Pauling scale as revised by A. L. Allred,
// J. Inorg. Nucl. Chem. 17, 215 (1961), the values tabulated in the CRC
// Handbook of Chemistry and Physics; Kr (3.00) and Xe (2.60) are from
// L. C. Allen and J. E. Huheey, J. Inorg. Nucl. Chem. 42, 1523 (1980). Where
// Allred gives values for several oxidation states the usual single value is
// used: Fe 1.83 (II), Cu 1.90 (I), Sn 1.96 (IV), Tl 1.62 (I), Pb 2.33 (IV).
// He, Ne, Ar, Rn, Pm, Eu, Tb, Yb, Lr and Z ≥ 104 have none and are NaN.
//
// CovalentRadius is the single-bond covalent radius in Å of B. Cordero et al.,
// "Covalent radii revisited", Dalton Trans. 2008, 2832–2838,
// doi:10.1039/b801115j, for Z = 1–96, with the sp³ value for C and the
// low-spin values for Mn (1.39), Fe (1.32) and Co (1.26) (the high-spin ones
// are 1.61, 1.52 and 1.50). Cordero gives none for Z ≥ 97; for those the
// single-bond radius of P. Pyykkö and M. Atsumi, Chem. Eur. J. 15, 186–197
// (2009), doi:10.1002/chem.200800987, is used. Where both sets give a value
// Pyykkö's is mostly the smaller, by up to 0.4 Å (Ce: 2.04 against 1.63), so
// Z ≤ 96 and Z ≥ 97 are not strictly on one scale.
//
// IonizationEnergy is the first ionisation energy of the neutral atom in eV
// from NIST, "Ground Levels and Ionization Energies for the Neutral Atoms"
// (W. C. Martin, A. Musgrove, S. Kotochigova and J. E. Sansonetti, NIST
// Standard Reference Database 111, doi:10.18434/T42P4C), rounded as published
// there (at most four decimals), replaced by the later measurements that the
// NIST Atomic Spectra Database (A. Kramida, Yu. Ralchenko, J. Reader and
// NIST ASD Team) adopts for Tc 7.1194 (Mattolat et al., Phys. Rev. A 81,
// 052513 (2010)), Ac 5.3802 (Roßnagel et al., Phys. Rev. A 85, 012525
// (2012)), At 9.3175 (Rothe et al., Nat. Commun. 4, 1835 (2013)), Po 8.4181
// (Fink et al., Phys. Rev. X 5, 011018 (2015)), Lr 4.96 (Sato et al., Nature
// 520, 209 (2015)), No 6.6262 (Chhetri et al., Phys. Rev. Lett. 120, 263003
// (2018)) and Es 6.3676. Fm (6.50) and Md (6.58) are known to about 0.1 eV.
// Z ≥ 104 has no measured value and is NaN.
//
// Configuration is the ground-state electron configuration of the neutral atom
// in noble-gas core notation, subshells in order of n then l, each with its
// occupation written out ("[Ar] 3d10 4s1" for Cu, "[Kr] 4d10" for Pd,
// "[Rn] 5f14 7s2 7p1" for Lr), from NIST SRD 111 for Z ≤ 103. For Z ≥ 104
// the configurations are predictions of relativistic calculations, not
// measurements.
//
// ValenceElectrons counts the electrons outside the noble-gas core, except
// that completed (n−1)d¹⁰ subshells are not counted in the p block and
// completed (n−2)f¹⁴ subshells are not counted in the d and p blocks. It
// therefore equals the group number in groups 1–12 (Pd 10, Cu 11, Zn 12,
// Lr 3), the group number minus 10 in groups 13–18 (O 6, Tl 3, Xe 8), 2 for
// He, and in the f block the whole count outside the core (La 3, Ce 4,
// Eu 9, Yb 16, U 6, No 16).
//
// The values were cross-checked, field by field, against ASE 3.22.1
// (ase.data: IUPAC 2016 atomic weights, Cordero radii), QCElemental 0.25.1
// (Cordero radii) and the Blue Obelisk Data Repository release 10
// (elements.xml: Pauling electronegativities, NIST ionisation energies and
// configurations). The differences found are all accounted for: the atomic
// weight revisions since 2016 (Ar 2017; Hf, Yb 2019; Zr, Gd, Lu 2024), ASE's
// use of isotopic masses (not mass numbers) for radioactive elements, the
// choice of low-spin radii for Mn, Fe and Co (QCElemental uses the high-spin
// ones), the later ionisation-energy measurements listed above, a theoretical
// Rf ionisation energy (6.0 eV) that is left out here, and two errors in the
// Blue Obelisk file (Nb given as [Kr] 4d4 and Tc as [Kr] 4d6 5s1, where NIST
// has [Kr] 4d4 5s1 and [Kr] 4d5 5s2).
//
// # Descriptor
//
// Descriptor(z) is a vector of DescriptorLen = 11 components, indexed by the
// Desc constants:
//
//	0 DescPeriod              period
//	1 DescGroup               group; the f block (Group 0) counts as 3
//	2 DescElectronegativity   Pauling electronegativity
//	3 DescCovalentRadius      covalent radius, Å
//	4 DescIonizationEnergy    first ionisation energy, eV
//	5 DescValenceElectrons    valence electrons (rule above)
//	6 DescBlockS              1 in the s block, else 0
//	7 DescBlockP              1 in the p block, else 0
//	8 DescBlockD              1 in the d block, else 0
//	9 DescBlockF              1 in the f block, else 0
//	10 DescMass               Mass, u
//
// A missing property (NaN above: electronegativity, ionisation energy) is
// first replaced by the mean of that property over the elements of Z = 1–86
// in the same group that have it (Group 0, the f block, counts as a group
// here), or by its mean over all of Z = 1–86 that have it if no element of
// the group does. So the noble gases without an electronegativity get the
// mean of Kr and Xe (2.80), Pm, Eu, Tb and Yb the mean of La, Ce, Pr, Nd,
// Sm, Gd, Dy, Ho, Er and Tm (1.18), Lr that of Sc, Y and Lu, and the elements
// Rf–Og the means of their groups in periods 1–6.
//
// Every component c is then standardised,
//
//	x'_c(z) = (x_c(z) − μ_c) / σ_c,
//
// with μ_c and σ_c the mean and the population standard deviation (divisor
// 86) of x_c over the reference elements Z = 1 … ScaleMaxZ = 86, so that over
// those elements every component has mean 0 and variance 1. Elements 87–118
// use the same μ and σ. The table is built once, deterministically, when the
// package is initialised.
//
// Neighbours(z, candidates, k) ranks candidates by the Euclidean distance
// ‖x'(z) − x'(c)‖ and breaks ties by atomic number. With these components the
// period counts twice (through period and, strongly correlated, mass), so
// elements of the same period come out close: O's nearest among H, C, N is N
// (distance 0.75; C 1.66, H 5.12), Pd's nearest among Cu, Ag, Au is Ag (0.59;
// Cu 1.15, Au 1.72), but Na's nearest among K and Mg is Mg (1.15) just ahead
// of K (1.19), and F's nearest among O and Cl is O.
package elements
