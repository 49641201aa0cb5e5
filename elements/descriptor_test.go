package elements

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func mustZ(t *testing.T, sym string) int {
	t.Helper()
	e, err := BySymbol(sym)
	if err != nil {
		t.Fatal(err)
	}
	return e.Z
}

func mustDescriptor(t *testing.T, z int) []float64 {
	t.Helper()
	d, err := Descriptor(z)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDescriptorShape(t *testing.T) {
	if DescriptorLen != 11 || len(DescriptorNames()) != DescriptorLen {
		t.Fatalf("DescriptorLen = %d, len(DescriptorNames()) = %d, want 11", DescriptorLen, len(DescriptorNames()))
	}
	for i, n := range DescriptorNames() {
		if n == "" {
			t.Errorf("DescriptorNames()[%d] is empty", i)
		}
	}
	for z := 1; z <= Count; z++ {
		d := mustDescriptor(t, z)
		if len(d) != DescriptorLen {
			t.Fatalf("len(Descriptor(%d)) = %d, want %d", z, len(d), DescriptorLen)
		}
		for c, v := range d {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("Descriptor(%s)[%s] = %v, want finite", Symbol(z), DescriptorNames()[c], v)
			}
		}
	}
	for _, z := range []int{0, -3, 119} {
		if _, err := Descriptor(z); err == nil || !strings.Contains(err.Error(), "atomic number") {
			t.Errorf("Descriptor(%d) error = %v, want one naming the atomic number", z, err)
		}
	}
}

// Over the reference elements Z = 1–86 every component has mean 0 and
// population variance 1 (doc.go).
func TestDescriptorScaling(t *testing.T) {
	var sum, sq [DescriptorLen]float64
	for z := 1; z <= ScaleMaxZ; z++ {
		for c, v := range mustDescriptor(t, z) {
			sum[c] += v
			sq[c] += v * v
		}
	}
	for c := range DescriptorLen {
		mean := sum[c] / ScaleMaxZ
		variance := sq[c]/ScaleMaxZ - mean*mean
		if math.Abs(mean) > 1e-12 || math.Abs(variance-1) > 1e-12 {
			t.Errorf("component %s: mean %g, variance %g over Z 1–86; want 0, 1", DescriptorNames()[c], mean, variance)
		}
	}
}

// The scaling is affine per component, so unscaled relations survive it.
func TestDescriptorValues(t *testing.T) {
	d := func(sym string) []float64 { return mustDescriptor(t, mustZ(t, sym)) }

	// One-hot block: exactly one of the four components is at its "1" level.
	for z := 1; z <= Count; z++ {
		e, _ := ByZ(z)
		x := mustDescriptor(t, z)
		for c, b := range map[int]string{DescBlockS: "s", DescBlockP: "p", DescBlockD: "d", DescBlockF: "f"} {
			if (x[c] > 0) != (e.Block == b) {
				t.Errorf("%s (block %s): component %s = %v", e.Symbol, e.Block, DescriptorNames()[c], x[c])
			}
		}
	}

	// Equal properties give equal components; ordered properties stay ordered.
	if d("O")[DescPeriod] != d("N")[DescPeriod] || d("Cu")[DescGroup] != d("Ag")[DescGroup] {
		t.Error("equal period/group give different components")
	}
	if !(d("F")[DescElectronegativity] > d("O")[DescElectronegativity]) {
		t.Error("F is not more electronegative than O in the descriptor")
	}
	// The f block counts as group 3, the group of Lu.
	if d("Eu")[DescGroup] != d("Lu")[DescGroup] {
		t.Errorf("Eu group component %v, Lu %v; want equal (f block counts as 3)", d("Eu")[DescGroup], d("Lu")[DescGroup])
	}

	// Imputation (doc.go): He, Ne, Ar, Rn and Og have the mean
	// electronegativity of Kr and Xe; Eu that of the lanthanides that have one;
	// Og's ionisation energy is the mean of He, Ne, Ar, Kr, Xe and Rn.
	mean := func(c int, syms ...string) float64 {
		var s float64
		for _, sym := range syms {
			s += d(sym)[c]
		}
		return s / float64(len(syms))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	want := mean(DescElectronegativity, "Kr", "Xe")
	for _, sym := range []string{"He", "Ne", "Ar", "Rn", "Og"} {
		if got := d(sym)[DescElectronegativity]; !near(got, want) {
			t.Errorf("%s electronegativity component %v, want mean of Kr, Xe %v", sym, got, want)
		}
	}
	lanthanides := []string{"La", "Ce", "Pr", "Nd", "Sm", "Gd", "Dy", "Ho", "Er", "Tm"}
	if got, want := d("Eu")[DescElectronegativity], mean(DescElectronegativity, lanthanides...); !near(got, want) {
		t.Errorf("Eu electronegativity component %v, want %v", got, want)
	}
	if got, want := d("Og")[DescIonizationEnergy], mean(DescIonizationEnergy, "He", "Ne", "Ar", "Kr", "Xe", "Rn"); !near(got, want) {
		t.Errorf("Og ionisation-energy component %v, want %v", got, want)
	}
}

func TestDescriptorDeterministicAndCopied(t *testing.T) {
	a := mustDescriptor(t, 26)
	a[0] = 1e9
	b := mustDescriptor(t, 26)
	c := mustDescriptor(t, 26)
	if b[0] == 1e9 {
		t.Fatal("Descriptor returned a slice that aliases internal state")
	}
	if !slices.Equal(b, c) {
		t.Fatalf("Descriptor(26) differs between calls: %v, %v", b, c)
	}
}

func TestNeighboursChemistry(t *testing.T) {
	z := func(sym string) int { return mustZ(t, sym) }
	for _, tc := range []struct {
		elem       string
		candidates []string
		want       string // expected nearest
		why        string
	}{
		{"O", []string{"H", "C", "N"}, "N", "period-2 p-block neighbour"},
		{"Pd", []string{"Cu", "Ag", "Au"}, "Ag", "same period, adjacent group"},
		{"Pt", []string{"Pd", "Ir", "Na"}, "Ir", "same period, adjacent group"},
		{"S", []string{"O", "Se", "P", "Cl", "Na", "Fe"}, "P", "same period, adjacent group"},
		{"Eu", []string{"Sm", "Ba", "Ca", "Fe"}, "Sm", "neighbouring lanthanide"},
		{"Kr", []string{"Ar", "K", "Fe", "C"}, "Ar", "noble gas"},
	} {
		var cands []int
		for _, s := range tc.candidates {
			cands = append(cands, z(s))
		}
		got := Neighbours(z(tc.elem), cands, 1)
		if len(got) != 1 || Symbol(got[0]) != tc.want {
			t.Errorf("nearest to %s among %v = %v, want %s (%s)", tc.elem, tc.candidates, got, tc.want, tc.why)
		}
	}
	// The full ranking for the two cases that sciadapt's scenarios use.
	for _, tc := range []struct {
		elem string
		cand []string
		want []string
	}{
		{"O", []string{"H", "C", "N"}, []string{"N", "C", "H"}},
		{"Pd", []string{"Au", "Ag", "Cu"}, []string{"Ag", "Cu", "Au"}},
	} {
		var cands []int
		for _, s := range tc.cand {
			cands = append(cands, z(s))
		}
		var got []string
		for _, n := range Neighbours(z(tc.elem), cands, len(cands)) {
			got = append(got, Symbol(n))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Neighbours(%s, %v) = %v, want %v", tc.elem, tc.cand, got, tc.want)
		}
	}
}

// Neighbours agrees with a brute-force ranking by the Euclidean distance
// between Descriptor vectors, on random candidate sets.
func TestNeighboursBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dist := func(a, b []float64) float64 {
		var s float64
		for i := range a {
			s += (a[i] - b[i]) * (a[i] - b[i])
		}
		return math.Sqrt(s)
	}
	for trial := 0; trial < 200; trial++ {
		z := 1 + rng.IntN(Count)
		n := rng.IntN(12)
		cands := make([]int, n)
		for i := range cands {
			cands[i] = 1 + rng.IntN(Count)
		}
		k := rng.IntN(n + 3)
		got := Neighbours(z, cands, k)

		uniq := slices.Clone(cands)
		slices.Sort(uniq)
		uniq = slices.Compact(uniq)
		dz := mustDescriptor(t, z)
		slices.SortStableFunc(uniq, func(a, b int) int {
			da, db := dist(dz, mustDescriptor(t, a)), dist(dz, mustDescriptor(t, b))
			switch {
			case da < db:
				return -1
			case da > db:
				return 1
			}
			return 0 // uniq is sorted by Z, so the stable sort breaks ties by Z
		})
		want := uniq[:min(k, len(uniq))]
		if !slices.Equal(got, want) {
			t.Fatalf("Neighbours(%d, %v, %d) = %v, want %v", z, cands, k, got, want)
		}
	}
}

func TestNeighboursEdgeCases(t *testing.T) {
	o, h, c, n := 8, 1, 6, 7
	if got := Neighbours(o, []int{h, c, o, n}, 2); !slices.Equal(got, []int{o, n}) {
		t.Errorf("with z among the candidates: %v, want [8 7]", got)
	}
	if got := Neighbours(o, []int{n, n, c, n}, 5); !slices.Equal(got, []int{n, c}) {
		t.Errorf("with duplicates: %v, want [7 6]", got)
	}
	if got := Neighbours(o, []int{h, c}, 0); got == nil || len(got) != 0 {
		t.Errorf("k = 0: %v, want empty", got)
	}
	if got := Neighbours(o, nil, 3); len(got) != 0 {
		t.Errorf("no candidates: %v, want empty", got)
	}
	for _, tc := range []struct {
		name  string
		z     int
		cands []int
		k     int
	}{
		{"bad z", 0, []int{1}, 1},
		{"bad z", 119, []int{1}, 1},
		{"bad candidate", 8, []int{1, 119}, 1},
		{"negative k", 8, []int{1}, -1},
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Errorf("%s: Neighbours(%d, %v, %d) did not panic", tc.name, tc.z, tc.cands, tc.k)
				} else if s, ok := r.(string); !ok || !strings.HasPrefix(s, "elements: ") {
					t.Errorf("%s: panic value %v lacks the package prefix", tc.name, r)
				}
			}()
			Neighbours(tc.z, tc.cands, tc.k)
		}()
	}
}

// Ties in distance are broken by atomic number, whatever the input order.
func TestNearestTies(t *testing.T) {
	dist := map[int]float64{30: 1, 10: 2, 20: 1, 5: 2, 40: 0.5}
	got := nearest(0, []int{30, 10, 20, 5, 40}, 4, func(_, b int) float64 { return dist[b] })
	if want := []int{40, 20, 30, 5}; !slices.Equal(got, want) {
		t.Errorf("nearest with ties = %v, want %v", got, want)
	}
}
