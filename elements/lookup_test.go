package elements

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// Sources of the reference numbers below (full citations in doc.go):
// CIAAW = Prohaska et al., Pure Appl. Chem. 94, 573 (2022) and the 2024 revisions;
// Allred = Pauling scale, Allred 1961 (CRC Handbook table);
// Cordero = Cordero et al., Dalton Trans. 2008, 2832; Pyykkö = Pyykkö & Atsumi 2009;
// NIST = NIST SRD 111, Ground Levels and Ionization Energies for the Neutral Atoms.
func TestKnownValues(t *testing.T) {
	type num struct {
		sym   string
		field string
		got   func(Element) float64
		want  float64
		tol   float64
		src   string
	}
	mass := func(e Element) float64 { return e.Mass }
	en := func(e Element) float64 { return e.Electronegativity }
	rc := func(e Element) float64 { return e.CovalentRadius }
	ie := func(e Element) float64 { return e.IonizationEnergy }
	for _, tc := range []num{
		{"H", "Mass", mass, 1.008, 0, "CIAAW conventional value"},
		{"C", "Mass", mass, 12.011, 0, "CIAAW conventional value"},
		{"O", "Mass", mass, 15.999, 0, "CIAAW conventional value"},
		{"Ar", "Mass", mass, 39.95, 0, "CIAAW conventional value since 2017"},
		{"Pb", "Mass", mass, 207.2, 0, "CIAAW conventional value since 2020"},
		{"Au", "Mass", mass, 196.97, 0.005, "CIAAW 196.966570(4)"},
		{"Zr", "Mass", mass, 91.222, 0, "CIAAW 2024 revision"},
		{"U", "Mass", mass, 238.02891, 0, "CIAAW"},
		{"Tc", "Mass", mass, 97, 0, "NUBASE2020 longest-lived isotope"},
		{"Pu", "Mass", mass, 244, 0, "NUBASE2020 longest-lived isotope"},
		{"O", "Electronegativity", en, 3.44, 0, "Allred"},
		{"F", "Electronegativity", en, 3.98, 0, "Allred"},
		{"Cs", "Electronegativity", en, 0.79, 0, "Allred"},
		{"Au", "Electronegativity", en, 2.54, 0, "Allred"},
		{"C", "CovalentRadius", rc, 0.76, 0, "Cordero, sp3"},
		{"Pd", "CovalentRadius", rc, 1.39, 0, "Cordero"},
		{"Fe", "CovalentRadius", rc, 1.32, 0, "Cordero, low spin"},
		{"Og", "CovalentRadius", rc, 1.57, 0, "Pyykkö"},
		{"Fe", "IonizationEnergy", ie, 7.902, 0.001, "NIST 7.9024 eV"},
		{"H", "IonizationEnergy", ie, 13.5984, 0, "NIST"},
		{"He", "IonizationEnergy", ie, 24.5874, 0, "NIST, the largest of all"},
		{"Cs", "IonizationEnergy", ie, 3.8939, 0, "NIST, the smallest of all"},
		{"Lr", "IonizationEnergy", ie, 4.96, 0, "Sato et al., Nature 520, 209 (2015)"},
	} {
		e, err := BySymbol(tc.sym)
		if err != nil {
			t.Fatalf("BySymbol(%q): %v", tc.sym, err)
		}
		if got := tc.got(e); math.Abs(got-tc.want) > tc.tol {
			t.Errorf("%s.%s = %v, want %v ± %v (%s)", tc.sym, tc.field, got, tc.want, tc.tol, tc.src)
		}
	}

	for _, tc := range []struct {
		sym, config string
	}{ // NIST SRD 111, except Og (predicted)
		{"Cu", "[Ar] 3d10 4s1"},
		{"Cr", "[Ar] 3d5 4s1"},
		{"Pd", "[Kr] 4d10"},
		{"Nb", "[Kr] 4d4 5s1"},
		{"Gd", "[Xe] 4f7 5d1 6s2"},
		{"Pt", "[Xe] 4f14 5d9 6s1"},
		{"Lr", "[Rn] 5f14 7s2 7p1"},
		{"Og", "[Rn] 5f14 6d10 7s2 7p6"},
	} {
		e, _ := BySymbol(tc.sym)
		if e.Configuration != tc.config {
			t.Errorf("%s.Configuration = %q, want %q", tc.sym, e.Configuration, tc.config)
		}
	}

	for _, tc := range []struct {
		sym                    string
		period, group, valence int
		block                  string
	}{
		{"H", 1, 1, 1, "s"},
		{"He", 1, 18, 2, "s"},
		{"O", 2, 16, 6, "p"},
		{"Fe", 4, 8, 8, "d"},
		{"Pd", 5, 10, 10, "d"},
		{"Tl", 6, 13, 3, "p"},
		{"La", 6, 0, 3, "f"},
		{"Yb", 6, 0, 16, "f"},
		{"Lu", 6, 3, 3, "d"},
		{"Lr", 7, 3, 3, "d"},
		{"Og", 7, 18, 8, "p"},
	} {
		e, _ := BySymbol(tc.sym)
		if e.Period != tc.period || e.Group != tc.group || e.ValenceElectrons != tc.valence || e.Block != tc.block {
			t.Errorf("%s: period %d group %d valence %d block %q, want %d %d %d %q",
				tc.sym, e.Period, e.Group, e.ValenceElectrons, e.Block, tc.period, tc.group, tc.valence, tc.block)
		}
	}
}

func TestEveryElement(t *testing.T) {
	if Count != 118 {
		t.Fatalf("Count = %d, want 118", Count)
	}
	symbols := make(map[string]int)
	names := make(map[string]int)
	for z := 1; z <= Count; z++ {
		e, err := ByZ(z)
		if err != nil {
			t.Fatalf("ByZ(%d): %v", z, err)
		}
		if e.Z != z {
			t.Errorf("ByZ(%d).Z = %d", z, e.Z)
		}
		if e.Symbol == "" || e.Name == "" || e.Period == 0 || e.Block == "" || e.Configuration == "" {
			t.Errorf("Z=%d: incomplete entry %+v", z, e)
		}
		if Symbol(z) != e.Symbol {
			t.Errorf("Symbol(%d) = %q, want %q", z, Symbol(z), e.Symbol)
		}
		if prev, ok := symbols[e.Symbol]; ok {
			t.Errorf("symbol %q used by Z=%d and Z=%d", e.Symbol, prev, z)
		}
		symbols[e.Symbol] = z
		if prev, ok := names[e.Name]; ok {
			t.Errorf("name %q used by Z=%d and Z=%d", e.Name, prev, z)
		}
		names[e.Name] = z
		if e.Name != strings.ToLower(e.Name) {
			t.Errorf("Z=%d: name %q is not lower case", z, e.Name)
		}
		// Mass lies between Z and 3Z for every element (H 1.008, Og 294).
		if !(e.Mass >= float64(z) && e.Mass < 3*float64(z)) {
			t.Errorf("%s: Mass %v outside [Z, 3Z)", e.Symbol, e.Mass)
		}
		// Ranges of the published sets: Pauling 0.7 (Fr) … 3.98 (F);
		// covalent radius 0.28 (He) … 2.60 (Fr); ionisation energy 3.89 (Cs) … 24.59 (He).
		if v := e.Electronegativity; !math.IsNaN(v) && (v < 0.7 || v > 3.98) {
			t.Errorf("%s: Electronegativity %v outside [0.7, 3.98]", e.Symbol, v)
		}
		if v := e.CovalentRadius; !(v >= 0.28 && v <= 2.60) {
			t.Errorf("%s: CovalentRadius %v outside [0.28, 2.60]", e.Symbol, v)
		}
		if v := e.IonizationEnergy; !math.IsNaN(v) && (v < 3.8939 || v > 24.5874) {
			t.Errorf("%s: IonizationEnergy %v outside [3.8939, 24.5874]", e.Symbol, v)
		}
		if math.IsNaN(e.IonizationEnergy) != (z >= 104) {
			t.Errorf("%s: IonizationEnergy %v; want NaN exactly for Z ≥ 104", e.Symbol, e.IonizationEnergy)
		}
	}
	// The elements documented as having no Pauling electronegativity.
	noEN := map[string]bool{"He": true, "Ne": true, "Ar": true, "Rn": true, "Pm": true, "Eu": true, "Tb": true, "Yb": true, "Lr": true}
	for z := 1; z <= Count; z++ {
		e, _ := ByZ(z)
		want := noEN[e.Symbol] || z >= 104
		if math.IsNaN(e.Electronegativity) != want {
			t.Errorf("%s: Electronegativity %v, want NaN: %v", e.Symbol, e.Electronegativity, want)
		}
	}
}

// TestTableConsistency recomputes period, group, block and valence electrons
// from Z and the configuration, independently of the table.
func TestTableConsistency(t *testing.T) {
	ends := []int{0, 2, 10, 18, 36, 54, 86, 118} // last Z of each period
	cores := map[string]int{"[He]": 2, "[Ne]": 10, "[Ar]": 18, "[Kr]": 36, "[Xe]": 54, "[Rn]": 86}
	for z := 1; z <= Count; z++ {
		e, _ := ByZ(z)
		period := 1
		for z > ends[period] {
			period++
		}
		i := z - ends[period-1] // position within the period, from 1
		var group int
		var block string
		switch {
		case z == 2:
			group, block = 18, "s"
		case i <= 2:
			group, block = i, "s"
		case period <= 3:
			group, block = i+10, "p"
		case period <= 5 && i <= 12:
			group, block = i, "d"
		case period <= 5:
			group, block = i, "p"
		case i <= 16:
			group, block = 0, "f"
		case i <= 26:
			group, block = i-14, "d"
		default:
			group, block = i-14, "p"
		}
		if e.Period != period || e.Group != group || e.Block != block {
			t.Errorf("%s: period %d group %d block %q; want %d %d %q", e.Symbol, e.Period, e.Group, e.Block, period, group, block)
		}

		// Configuration: optional core, then subshells "nlK" in order of n then l,
		// adding up to Z electrons.
		fields := strings.Fields(e.Configuration)
		total, outside := 0, 0
		var subshells []string
		if c, ok := cores[fields[0]]; ok {
			total = c
			fields = fields[1:]
		}
		prevN, prevL := 0, -1
		for _, f := range fields {
			if len(f) < 3 || f[0] < '1' || f[0] > '7' {
				t.Fatalf("%s: bad subshell %q in %q", e.Symbol, f, e.Configuration)
			}
			n := int(f[0] - '0')
			l := strings.IndexByte("spdf", f[1])
			var k int
			for _, r := range f[2:] {
				if r < '0' || r > '9' {
					t.Fatalf("%s: bad subshell %q in %q", e.Symbol, f, e.Configuration)
				}
				k = 10*k + int(r-'0')
			}
			if l < 0 || k < 1 || k > 4*l+2 {
				t.Errorf("%s: impossible subshell %q", e.Symbol, f)
			}
			if n < prevN || (n == prevN && l <= prevL) {
				t.Errorf("%s: subshells not in order of n then l: %q", e.Symbol, e.Configuration)
			}
			prevN, prevL = n, l
			total += k
			outside += k
			subshells = append(subshells, f)
		}
		if total != z {
			t.Errorf("%s: configuration %q holds %d electrons, want %d", e.Symbol, e.Configuration, total, z)
		}

		// Valence rule of the package documentation.
		v := outside
		for _, s := range subshells {
			if (block == "d" || block == "p") && strings.HasSuffix(s, "f14") {
				v -= 14
			}
			if block == "p" && strings.HasSuffix(s, "d10") {
				v -= 10
			}
		}
		if e.ValenceElectrons != v {
			t.Errorf("%s: ValenceElectrons %d, rule gives %d from %q", e.Symbol, e.ValenceElectrons, v, e.Configuration)
		}
		switch {
		case block == "s" || block == "d":
			if z != 2 && v != group {
				t.Errorf("%s: %d valence electrons, want the group number %d", e.Symbol, v, group)
			}
		case block == "p":
			if v != group-10 {
				t.Errorf("%s: %d valence electrons, want group−10 = %d", e.Symbol, v, group-10)
			}
		}
	}
}

func TestBySymbol(t *testing.T) {
	for z := 1; z <= Count; z++ {
		sym := Symbol(z)
		for _, s := range []string{sym, strings.ToLower(sym), strings.ToUpper(sym), " " + sym + "\n"} {
			e, err := BySymbol(s)
			if err != nil || e.Z != z {
				t.Errorf("BySymbol(%q) = Z %d, %v; want Z %d", s, e.Z, err, z)
			}
		}
	}
	for _, tc := range []struct {
		in   string
		want string // substring of the error
	}{
		{"Xx", `unknown element symbol "Xx"`},
		{"", "empty element symbol"},
		{"   ", "empty element symbol"},
		{"oxygen", `its symbol is "O"`},
		{"Palladium", `its symbol is "Pd"`},
		{"Uuo", `unknown element symbol "Uuo"`},
	} {
		e, err := BySymbol(tc.in)
		if err == nil {
			t.Errorf("BySymbol(%q) = %v, want an error", tc.in, e.Symbol)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("BySymbol(%q) error %q does not contain %q", tc.in, err, tc.want)
		}
	}
}

func TestByZErrors(t *testing.T) {
	for _, z := range []int{0, -1, 119, 1000} {
		_, err := ByZ(z)
		if err == nil {
			t.Errorf("ByZ(%d): no error", z)
			continue
		}
		if !strings.Contains(err.Error(), "atomic number") || !strings.Contains(err.Error(), "1–118") {
			t.Errorf("ByZ(%d) error %q does not name the valid range", z, err)
		}
		if got, want := Symbol(z), "Z"+strconv.Itoa(z); got != want {
			t.Errorf("Symbol(%d) = %q, want %q", z, got, want)
		}
	}
}

func TestSymbolsAndPresent(t *testing.T) {
	if got := strings.Join(Symbols([]int{8, 1, 79}), " "); got != "O H Au" {
		t.Errorf("Symbols: %q", got)
	}
	got := Present([]int{8, 1, 1}, nil, []int{6, 8, 118})
	want := []int{1, 6, 8, 118}
	if len(got) != len(want) {
		t.Fatalf("Present: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Present: %v, want %v", got, want)
		}
	}
}
