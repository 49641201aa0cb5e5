package mol

import (
	"sort"

	"github.com/sciadapt/sciadapt/elements"
)

// valenceModel gives, per atomic number, the outer-shell electron count and the
// allowed valences of the neutral atom, smallest (the default) first; nil means
// "any valence" (d- and f-block metals) and {0} none (noble gases). These are the
// values of RDKit's periodic table (Code/GraphMol/atomic_data.cpp, RDKit
// 2022.09), so that implicit hydrogens, Kekulé structures and aromaticity come out
// as RDKit's. Elements not listed have any valence.
var valenceModel = map[int]struct {
	outer    int
	valences []int
}{
	1: {1, []int{1}}, 2: {2, []int{0}},
	3: {1, []int{1}}, 4: {2, []int{2}}, 5: {3, []int{3}}, 6: {4, []int{4}}, 7: {5, []int{3}},
	8: {6, []int{2}}, 9: {7, []int{1}}, 10: {8, []int{0}},
	11: {1, []int{1}}, 12: {2, []int{2}}, 13: {3, []int{3, 6}}, 14: {4, []int{4, 6}},
	15: {5, []int{3, 5, 7}}, 16: {6, []int{2, 4, 6}}, 17: {7, []int{1}}, 18: {8, []int{0}},
	19: {1, []int{1}}, 20: {2, []int{2}},
	31: {3, []int{3}}, 32: {4, []int{4}}, 33: {5, []int{3, 5, 7}}, 34: {6, []int{2, 4, 6}},
	35: {7, []int{1}}, 36: {8, []int{0}},
	37: {1, []int{1}}, 38: {2, []int{2}},
	49: {3, []int{3}}, 50: {4, []int{2, 4}}, 51: {5, []int{3, 5, 7}}, 52: {6, []int{2, 4, 6}},
	53: {7, []int{1, 3, 5}}, 54: {8, []int{0, 2, 4, 6}},
	55: {1, []int{1}}, 56: {2, []int{2}},
	81: {3, []int{3}}, 82: {4, []int{2, 4}}, 83: {5, []int{3, 5, 7}}, 84: {6, []int{2, 4, 6}},
	85: {7, []int{1, 3, 5}}, 86: {8, []int{0}}, 87: {1, []int{1}}, 88: {2, []int{2}},
}

// valences returns the allowed valences of element z (nil: any).
func valences(z int) []int { return valenceModel[z].valences }

// defaultValence returns the first allowed valence of z, or -1 for any.
func defaultValence(z int) int {
	if v := valences(z); len(v) > 0 {
		return v[0]
	}
	return -1
}

// outerElectrons returns the number of outer-shell electrons of z (from the
// elements table for elements outside valenceModel).
func outerElectrons(z int) int {
	if e, ok := valenceModel[z]; ok {
		return e.outer
	}
	if e, err := elements.ByZ(z); err == nil {
		return e.ValenceElectrons
	}
	return 0
}

// earlyAtom reports whether z has fewer than four outer electrons (H, Li, Be, B,
// Na, …): for these a negative charge raises the valence (BH₄⁻), for the others it
// lowers it (OH⁻), as in RDKit.
func earlyAtom(z int) bool { return z > 0 && outerElectrons(z) < 4 }

// chargeShift returns what adds to an allowed valence of atom a because of its
// charge: −q for early atoms, −|q| for carbon (CH₃⁺ and CH₃⁻ are both trivalent),
// +q otherwise (NH₄⁺ 4, OH⁻ 1).
func chargeShift(a *Atom) int {
	q := a.Charge
	switch {
	case a.Z == 6:
		if q > 0 {
			q = -q
		}
		return q
	case earlyAtom(a.Z):
		return -q
	}
	return q
}

// moreElectronegative reports whether element a counts as more electronegative
// than element b in RDKit's aromaticity rules: more outer electrons, or as many and
// a smaller atomic number (RDKit's PeriodicTable::moreElectroNegative).
func moreElectronegative(a, b int) bool {
	na, nb := outerElectrons(a), outerElectrons(b)
	return na > nb || (na == nb && a < b)
}

// symbolOf returns the element symbol of z ("*" for 0).
func symbolOf(z int) string {
	if z == 0 {
		return "*"
	}
	return elements.Symbol(z)
}

func sortedSymbols(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// isotopeMass holds the masses (u) of the isotopes that drug data use, from the
// AME/NIST tables as RDKit carries them (atomic_data.cpp); others are taken as
// their mass number.
var isotopeMass = map[[2]int]float64{
	{1, 2}: 2.014101778, {1, 3}: 3.016049278,
	{6, 11}: 11.0114336, {6, 12}: 12, {6, 13}: 13.00335484, {6, 14}: 14.00324199,
	{7, 13}: 13.00573861, {7, 15}: 15.0001089,
	{8, 15}: 15.0030656, {8, 17}: 16.9991317, {8, 18}: 17.999161,
	{9, 18}: 18.000938, {15, 32}: 31.97390727, {16, 35}: 34.96903216,
	{35, 76}: 75.924541, {35, 77}: 76.921379, {53, 123}: 122.905589, {53, 124}: 123.9062099,
	{53, 125}: 124.9046302, {53, 131}: 130.9061246,
}

// standardWeight returns RDKit's atomic weight of element z (u); it differs from
// the IUPAC value of package elements for a few elements, which matters only
// through the truncated mass difference of isotopes (massDelta).
func standardWeight(z int) float64 {
	switch z { // RDKit's values where they differ from IUPAC's conventional ones
	case 5:
		return 10.812
	case 16:
		return 32.067
	case 14:
		return 28.086
	}
	if e, err := elements.ByZ(z); err == nil {
		return e.Mass
	}
	return 0
}

// massDelta is RDKit's "delta mass" atom invariant: the atom's mass minus the
// element's standard weight, truncated towards zero (0 for an atom without an
// isotope; [2H] gives 1, [13C] 0, [125I] −1).
func massDelta(a *Atom) int {
	if a.Isotope == 0 || a.Z == 0 {
		return 0
	}
	m, ok := isotopeMass[[2]int{a.Z, a.Isotope}]
	if !ok {
		m = float64(a.Isotope)
	}
	return int(m - standardWeight(a.Z))
}
