package elements

import (
	"fmt"
	"strings"
)

// Element is one chemical element. Properties that the cited source does not
// give for an element (for example the Pauling electronegativity of a noble gas)
// are NaN. The package documentation gives the source and convention of every
// field.
type Element struct {
	Z      int    // atomic number
	Symbol string // IUPAC symbol, e.g. "Pd"
	Name   string // IUPAC English name in lower case, e.g. "palladium", "aluminium"

	// Mass is the standard atomic weight (dimensionless, numerically the
	// mass of one atom in u = Da). For elements whose standard atomic weight
	// is an interval it is the IUPAC conventional value (H 1.008, C 12.011).
	// For elements with no standard atomic weight it is the mass number of
	// the longest-lived known isotope (Tc 97, Pu 244), an integer.
	Mass float64

	Period int    // 1–7
	Group  int    // 1–18; 0 for La–Yb and Ac–No (the f block); Lu and Lr are in group 3
	Block  string // "s", "p", "d" or "f"; He is "s"

	Electronegativity float64 // Pauling scale (dimensionless); NaN where none is tabulated
	CovalentRadius    float64 // single-bond covalent radius, Å (Cordero 2008; Pyykkö 2009 for Z ≥ 97)
	ValenceElectrons  int     // see the package documentation for the counting rule
	IonizationEnergy  float64 // first ionisation energy of the neutral atom, eV; NaN for Z ≥ 104
	Configuration     string  // ground state, noble-gas core notation, e.g. "[Ar] 3d10 4s1"
}

// Count is the number of known elements (Z = 1 … Count).
const Count = len(table) - 1

// ByZ returns the element with atomic number z, or an error if there is none.
func ByZ(z int) (Element, error) {
	if z < 1 || z > Count {
		return Element{}, fmt.Errorf("no element has atomic number %d (known elements: Z = 1–%d)", z, Count)
	}
	return table[z], nil
}

// BySymbol returns the element with the given symbol, ignoring case and
// surrounding white space ("pd", " PD" and "Pd" give palladium). An element
// name is not a symbol: BySymbol("oxygen") returns an error that names the
// symbol "O".
func BySymbol(symbol string) (Element, error) {
	s := strings.TrimSpace(symbol)
	if s == "" {
		return Element{}, fmt.Errorf("empty element symbol")
	}
	for z := 1; z <= Count; z++ {
		if strings.EqualFold(table[z].Symbol, s) {
			return table[z], nil
		}
	}
	for z := 1; z <= Count; z++ {
		if strings.EqualFold(table[z].Name, s) {
			return Element{}, fmt.Errorf("unknown element symbol %q: %s is a name; its symbol is %q", symbol, table[z].Name, table[z].Symbol)
		}
	}
	return Element{}, fmt.Errorf("unknown element symbol %q (symbols are like \"O\" or \"Pd\", Z = 1–%d)", symbol, Count)
}

// Symbol returns the symbol of atomic number z, or "Z<z>" if z is not an element.
func Symbol(z int) string {
	if z < 1 || z > Count {
		return fmt.Sprintf("Z%d", z)
	}
	return table[z].Symbol
}

// Symbols returns the symbols of the atomic numbers zs, in order (as Symbol does).
func Symbols(zs []int) []string {
	s := make([]string, len(zs))
	for i, z := range zs {
		s[i] = Symbol(z)
	}
	return s
}

// Present returns the atomic numbers that occur in lists, sorted.
func Present(lists ...[]int) []int {
	seen := map[int]bool{}
	for _, l := range lists {
		for _, z := range l {
			seen[z] = true
		}
	}
	var zs []int
	for z := 1; z <= Count; z++ {
		if seen[z] {
			zs = append(zs, z)
		}
	}
	return zs
}
