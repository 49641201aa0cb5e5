package neighbor

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// system is a test configuration.
type system struct {
	name   string
	pos    []float64
	cell   *[9]float64
	pbc    [3]bool
	cutoff float64
	skin   float64
}

// randomIn places n atoms at uniform random fractional coordinates in [lo, hi)
// along each axis of cell (rows are lattice vectors).
func randomIn(rng *rand.Rand, n int, cell [9]float64, lo, hi [3]float64) []float64 {
	pos := make([]float64, 3*n)
	for i := 0; i < n; i++ {
		var f [3]float64
		for k := range f {
			f[k] = lo[k] + (hi[k]-lo[k])*rng.Float64()
		}
		for c := 0; c < 3; c++ {
			pos[3*i+c] = f[0]*cell[c] + f[1]*cell[3+c] + f[2]*cell[6+c]
		}
	}
	return pos
}

func unit(lo, hi float64) ([3]float64, [3]float64) {
	return [3]float64{lo, lo, lo}, [3]float64{hi, hi, hi}
}

func cubic(a float64) [9]float64 { return [9]float64{a, 0, 0, 0, a, 0, 0, 0, a} }

// fccPrimitive is the primitive cell of fcc with cubic lattice constant a, Å.
func fccPrimitive(a float64) [9]float64 {
	h := a / 2
	return [9]float64{0, h, h, h, 0, h, h, h, 0}
}

// testSystems returns random free, periodic (orthorhombic and triclinic, cells
// larger and smaller than twice the cutoff), mixed-pbc and out-of-cell systems.
func testSystems() []system {
	rng := rand.New(rand.NewPCG(20240611, 1))
	tri := [9]float64{8, 0, 0, 2.5, 7, 0, -1.5, 2, 9}
	smallTri := [9]float64{3, 0, 0, 1.4, 2.8, 0, 0.7, -0.9, 3.1}
	leftTri := [9]float64{2.5, 7, 0, 8, 0, 0, -1.5, 2, 9} // det < 0
	slab := [9]float64{9, 0, 0, 0, 10, 0, 0, 0, 20}
	ortho := [9]float64{4, 0, 0, 0, 5, 0, 0, 0, 6}
	var out []system
	add := func(name string, n int, cell *[9]float64, box [9]float64, lo, hi [3]float64, pbc [3]bool, cutoff, skin float64) {
		out = append(out, system{name, randomIn(rng, n, box, lo, hi), cell, pbc, cutoff, skin})
	}
	lo01, hi01 := unit(0, 1)
	box := cubic(15)
	add("free", 200, nil, box, lo01, hi01, [3]bool{}, 4, 0)
	add("free cell ignored", 60, &tri, tri, lo01, hi01, [3]bool{}, 4, 0)
	c10 := cubic(10)
	add("cubic", 120, &c10, c10, lo01, hi01, [3]bool{true, true, true}, 4.5, 0)
	add("orthorhombic smaller than 2 rc", 10, &ortho, ortho, lo01, hi01, [3]bool{true, true, true}, 6, 0)
	add("triclinic", 80, &tri, tri, lo01, hi01, [3]bool{true, true, true}, 5, 0)
	add("triclinic smaller than 2 rc", 4, &smallTri, smallTri, lo01, hi01, [3]bool{true, true, true}, 5.5, 0)
	add("left-handed triclinic", 50, &leftTri, leftTri, lo01, hi01, [3]bool{true, true, true}, 4.2, 0)
	add("slab TTF", 90, &slab, slab, [3]float64{0, 0, 0.3}, [3]float64{1, 1, 0.7}, [3]bool{true, true, false}, 5, 0)
	add("wire TFF", 40, &ortho, ortho, lo01, [3]float64{1, 3, 3}, [3]bool{true, false, false}, 4, 0)
	add("FFT", 40, &ortho, ortho, [3]float64{-1, -2, 0}, [3]float64{1, 2, 1}, [3]bool{false, false, true}, 4, 0)
	add("triclinic TFT", 40, &tri, tri, lo01, hi01, [3]bool{true, false, true}, 5, 0)
	lo, hi := unit(-2.5, 3.5)
	add("outside the cell", 40, &tri, tri, lo, hi, [3]bool{true, true, true}, 5, 0)
	add("outside small cell", 5, &smallTri, smallTri, lo, hi, [3]bool{true, true, true}, 4.5, 0)
	add("outside slab", 50, &slab, slab, lo, hi, [3]bool{true, true, false}, 4, 0)
	add("skin", 100, &c10, c10, lo01, hi01, [3]bool{true, true, true}, 3.5, 1.0)
	c3 := cubic(3)
	add("one atom", 1, &c3, c3, lo01, hi01, [3]bool{true, true, true}, 7, 0)
	cu := fccPrimitive(3.615)
	// Two atoms in the fcc primitive cell (the diamond structure), rattled.
	d := []float64{0, 0, 0, 3.615 / 4, 3.615 / 4, 3.615 / 4}
	for k := range d {
		d[k] += 0.05 * rng.NormFloat64()
	}
	out = append(out, system{"2-atom fcc primitive cell", d, &cu, [3]bool{true, true, true}, 5, 0})
	add("no atoms", 0, &c10, c10, lo01, hi01, [3]bool{true, true, true}, 4, 0)
	// Liquid-like density 0.1 Å⁻³.
	big := cubic(math.Cbrt(400 / 0.1))
	add("400 atoms", 400, &big, big, lo01, hi01, [3]bool{true, true, true}, 5, 0)
	return out
}

func TestBuildMatchesBruteForce(t *testing.T) {
	for _, s := range testSystems() {
		t.Run(s.name, func(t *testing.T) {
			opt := Options{Cutoff: s.cutoff, Skin: s.skin}
			want, err := BruteForce(s.pos, s.cell, s.pbc, opt)
			if err != nil {
				t.Fatalf("BruteForce: %v", err)
			}
			n := len(s.pos) / 3
			if n > 0 && want.Len() == 0 {
				t.Fatalf("no pairs: the test system is too sparse to test anything")
			}
			// Serial and parallel, large and small chunks, packed keys or not: the
			// list must not depend on any of these.
			for _, tu := range []tuning{{1, defaultChunk, false}, {4, 7, false}, {3, 1, true}, {1, 5, true}} {
				got, err := build(s.pos, s.cell, s.pbc, opt, tu)
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				comparePairs(t, got, want)
			}
			got, err := Build(s.pos, s.cell, s.pbc, opt)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			comparePairs(t, got, want)
			checkVectors(t, got, s)
			checkSymmetric(t, got)
			if got.Cutoff != s.cutoff || got.Skin != s.skin {
				t.Errorf("list has cutoff %g skin %g, want %g and %g", got.Cutoff, got.Skin, s.cutoff, s.skin)
			}
		})
	}
}

func comparePairs(t *testing.T, got, want *List) {
	t.Helper()
	if len(got.I) != len(want.I) || len(got.J) != len(want.I) || len(got.Shift) != len(want.I) {
		t.Fatalf("got %d/%d/%d pairs, want %d", len(got.I), len(got.J), len(got.Shift), len(want.I))
	}
	for p := range want.I {
		if got.I[p] != want.I[p] || got.J[p] != want.J[p] || got.Shift[p] != want.Shift[p] {
			t.Fatalf("pair %d is (%d, %d, %v), want (%d, %d, %v)", p, got.I[p], got.J[p], got.Shift[p], want.I[p], want.J[p], want.Shift[p])
		}
	}
}

// checkVectors compares List.Vectors with r = R_j − R_i + Sᵀ·cell computed here
// independently, and checks that every pair lies within the cutoff.
func checkVectors(t *testing.T, l *List, s system) {
	t.Helper()
	v := l.Vectors(s.pos, s.cell)
	if len(v) != 3*l.Len() {
		t.Fatalf("Vectors returned %d values for %d pairs", len(v), l.Len())
	}
	rc := s.cutoff + s.skin
	for p := range l.I {
		i, j := l.I[p], l.J[p]
		var r [3]float64
		for c := 0; c < 3; c++ {
			r[c] = s.pos[3*j+c] - s.pos[3*i+c]
			for k := 0; k < 3; k++ {
				if l.Shift[p][k] != 0 {
					if !s.pbc[k] {
						t.Fatalf("pair %d has shift %v along non-periodic axis %d", p, l.Shift[p], k)
					}
					r[c] += float64(l.Shift[p][k]) * s.cell[3*k+c]
				}
			}
			if math.Abs(v[3*p+c]-r[c]) > 1e-12 {
				t.Fatalf("pair %d (%d, %d, %v): vector[%d] = %.17g, want %.17g", p, i, j, l.Shift[p], c, v[3*p+c], r[c])
			}
		}
		if d := math.Sqrt(r[0]*r[0] + r[1]*r[1] + r[2]*r[2]); d >= rc {
			t.Fatalf("pair %d (%d, %d, %v) has length %g ≥ cutoff %g", p, i, j, l.Shift[p], d, rc)
		}
		if i == j && l.Shift[p] == [3]int{} {
			t.Fatalf("pair %d joins atom %d to itself with zero shift", p, i)
		}
	}
}

// checkSymmetric checks that (j, i, −S) is present for every (i, j, S) and that
// the pairs are strictly sorted.
func checkSymmetric(t *testing.T, l *List) {
	t.Helper()
	type key struct {
		i, j int
		s    [3]int
	}
	keys := make([]key, l.Len())
	for p := range l.I {
		keys[p] = key{l.I[p], l.J[p], l.Shift[p]}
	}
	cmpKey := func(a, b key) int {
		if a.i != b.i {
			return a.i - b.i
		}
		if a.j != b.j {
			return a.j - b.j
		}
		for k := 0; k < 3; k++ {
			if a.s[k] != b.s[k] {
				return a.s[k] - b.s[k]
			}
		}
		return 0
	}
	for p := 1; p < len(keys); p++ {
		if cmpKey(keys[p-1], keys[p]) >= 0 {
			t.Fatalf("pairs %d and %d are out of order: %v, %v", p-1, p, keys[p-1], keys[p])
		}
	}
	for _, k := range keys {
		rev := key{k.j, k.i, [3]int{-k.s[0], -k.s[1], -k.s[2]}}
		if _, ok := slices.BinarySearchFunc(keys, rev, cmpKey); !ok {
			t.Fatalf("pair %v has no reverse %v", k, rev)
		}
	}
}

// TestBruteForceMatchesNaive checks BruteForce itself on small systems against
// a plain loop over every lattice shift in a generous fixed box.
func TestBruteForceMatchesNaive(t *testing.T) {
	for _, s := range testSystems() {
		n := len(s.pos) / 3
		if n > 60 || n == 0 {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			want := naive(s, naiveReach(s))
			got, err := BruteForce(s.pos, s.cell, s.pbc, Options{Cutoff: s.cutoff, Skin: s.skin})
			if err != nil {
				t.Fatal(err)
			}
			comparePairs(t, got, want)
		})
	}
}

// naiveReach returns a number of lattice shifts that surely covers the cutoff:
// the cutoff over the smallest distance between lattice planes, plus the spread
// of the fractional coordinates, plus a margin.
func naiveReach(s system) int {
	if s.cell == nil {
		return 0
	}
	c := s.cell
	a := [3][3]float64{{c[0], c[1], c[2]}, {c[3], c[4], c[5]}, {c[6], c[7], c[8]}}
	cross := func(u, v [3]float64) [3]float64 {
		return [3]float64{u[1]*v[2] - u[2]*v[1], u[2]*v[0] - u[0]*v[2], u[0]*v[1] - u[1]*v[0]}
	}
	dot := func(u, v [3]float64) float64 { return u[0]*v[0] + u[1]*v[1] + u[2]*v[2] }
	vol := math.Abs(dot(a[0], cross(a[1], a[2])))
	reach, spread := 0.0, 0.0
	for k := 0; k < 3; k++ {
		n := cross(a[(k+1)%3], a[(k+2)%3])
		reach = math.Max(reach, (s.cutoff+s.skin)*math.Sqrt(dot(n, n))/vol)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < len(s.pos)/3; i++ {
			f := dot([3]float64{s.pos[3*i], s.pos[3*i+1], s.pos[3*i+2]}, n) / dot(a[k], n)
			lo, hi = math.Min(lo, f), math.Max(hi, f)
		}
		spread = math.Max(spread, hi-lo)
	}
	return int(math.Ceil(reach+spread)) + 2
}

// naive loops over all shifts in [−K, K] along periodic axes, in sorted order.
func naive(s system, K int) *List {
	n := len(s.pos) / 3
	rc := s.cutoff + s.skin
	var lim [3]int
	for k := 0; k < 3; k++ {
		if s.pbc[k] {
			lim[k] = K
		}
	}
	l := &List{}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var sh [3]int
			for sh[0] = -lim[0]; sh[0] <= lim[0]; sh[0]++ {
				for sh[1] = -lim[1]; sh[1] <= lim[1]; sh[1]++ {
					for sh[2] = -lim[2]; sh[2] <= lim[2]; sh[2]++ {
						if i == j && sh == [3]int{} {
							continue
						}
						d2 := 0.0
						for c := 0; c < 3; c++ {
							r := s.pos[3*j+c] - s.pos[3*i+c]
							for k := 0; k < 3; k++ {
								if sh[k] != 0 {
									r += float64(sh[k]) * s.cell[3*k+c]
								}
							}
							d2 += r * r
						}
						if d2 < rc*rc {
							if slices.Contains(sh[:], -K) || slices.Contains(sh[:], K) {
								panic(fmt.Sprintf("naive: %s: pair at the edge of the shift box, raise K", s.name))
							}
							l.I = append(l.I, i)
							l.J = append(l.J, j)
							l.Shift = append(l.Shift, sh)
						}
					}
				}
			}
		}
	}
	return l
}

// TestFCCShells counts neighbours in perfect fcc Cu in cells of several sizes
// and shapes. a = 3.615 Å (Cu at room temperature, Kittel, Introduction to Solid
// State Physics, 8th ed., Table 1.3). fcc shells lie at a/√2, a, a·√(3/2), a·√2
// holding 12, 6, 24, 12 atoms.
func TestFCCShells(t *testing.T) {
	const a = 3.615
	conv := func(reps int) ([]float64, [9]float64) {
		basis := [][3]float64{{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}}
		var pos []float64
		for x := 0; x < reps; x++ {
			for y := 0; y < reps; y++ {
				for z := 0; z < reps; z++ {
					for _, b := range basis {
						pos = append(pos, a*(float64(x)+b[0]), a*(float64(y)+b[1]), a*(float64(z)+b[2]))
					}
				}
			}
		}
		return pos, cubic(a * float64(reps))
	}
	prim := fccPrimitive(a)
	pos1, cell1 := conv(1)
	pos3, cell3 := conv(3)
	// The same crystal displaced by whole lattice vectors: shifts must follow.
	posOut := slices.Clone(pos1)
	for i, d := range []float64{2, -3, 7, 0, -1, 0, -5, 0, 0, 11, 4, -2} {
		posOut[i] += d * a
	}
	structures := []struct {
		name string
		pos  []float64
		cell [9]float64
	}{
		{"primitive, 1 atom", []float64{0, 0, 0}, prim},
		{"conventional, 4 atoms", pos1, cell1},
		{"conventional 3x3x3, 108 atoms", pos3, cell3},
		{"conventional, atoms outside the cell", posOut, cell1},
	}
	shells := []struct {
		cutoff float64
		counts []int // atoms per shell up to the cutoff
	}{
		{3.0, []int{12}},            // between a/√2 = 2.556 and a = 3.615
		{4.0, []int{12, 6}},         // between a and a·√1.5 = 4.427
		{4.8, []int{12, 6, 24}},     // between a·√1.5 and a·√2 = 5.112
		{5.5, []int{12, 6, 24, 12}}, // between a·√2 and a·√2.5 = 5.716
	}
	radii := []float64{a / math.Sqrt2, a, a * math.Sqrt(1.5), a * math.Sqrt2}
	for _, st := range structures {
		for _, sh := range shells {
			l, err := Build(st.pos, &st.cell, [3]bool{true, true, true}, Options{Cutoff: sh.cutoff})
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			n := len(st.pos) / 3
			got := make([][]int, n)
			for i := range got {
				got[i] = make([]int, len(sh.counts))
			}
			v := l.Vectors(st.pos, &st.cell)
			for p := range l.I {
				d := math.Sqrt(v[3*p]*v[3*p] + v[3*p+1]*v[3*p+1] + v[3*p+2]*v[3*p+2])
				k := slices.IndexFunc(radii, func(r float64) bool { return math.Abs(d-r) < 1e-9 })
				if k < 0 || k >= len(sh.counts) {
					t.Fatalf("%s, cutoff %g: pair at %g Å is on no expected shell", st.name, sh.cutoff, d)
				}
				got[l.I[p]][k]++
			}
			for i := range got {
				if !slices.Equal(got[i], sh.counts) {
					t.Errorf("%s, cutoff %g: atom %d has shells %v, want %v", st.name, sh.cutoff, i, got[i], sh.counts)
				}
			}
		}
	}
}

func TestErrors(t *testing.T) {
	c10 := cubic(10)
	flat := [9]float64{5, 0, 0, 0, 5, 0, 3, 4, 0}           // c in the a–b plane
	nearlyFlat := [9]float64{5, 0, 0, 0, 5, 0, 3, 4, 1e-12} // volume 2.5e-11 Å³
	nanCell := [9]float64{10, 0, 0, 0, math.NaN(), 0, 0, 0, 10}
	tiny := cubic(0.01)
	all := [3]bool{true, true, true}
	ok := []float64{0, 0, 0, 1, 1, 1}
	tests := []struct {
		name string
		pos  []float64
		cell *[9]float64
		pbc  [3]bool
		opt  Options
		want string
	}{
		{"zero cutoff", ok, nil, [3]bool{}, Options{Cutoff: 0}, "cutoff must be a positive"},
		{"negative cutoff", ok, nil, [3]bool{}, Options{Cutoff: -1}, "got -1"},
		{"NaN cutoff", ok, nil, [3]bool{}, Options{Cutoff: math.NaN()}, "got NaN"},
		{"infinite cutoff", ok, nil, [3]bool{}, Options{Cutoff: math.Inf(1)}, "got +Inf"},
		{"negative skin", ok, nil, [3]bool{}, Options{Cutoff: 3, Skin: -0.5}, "skin must be"},
		{"NaN skin", ok, nil, [3]bool{}, Options{Cutoff: 3, Skin: math.NaN()}, "skin must be"},
		{"ragged positions", []float64{0, 0, 0, 1}, nil, [3]bool{}, Options{Cutoff: 3}, "length 4, not a multiple of 3"},
		{"NaN position", []float64{0, 0, 0, 1, math.NaN(), 1}, nil, [3]bool{}, Options{Cutoff: 3}, "atom 1 has a non-finite position (1, NaN, 1)"},
		{"Inf position", []float64{math.Inf(-1), 0, 0}, &c10, all, Options{Cutoff: 3}, "atom 0 has a non-finite position (-Inf, 0, 0)"},
		{"huge position", []float64{1e200, 0, 0}, nil, [3]bool{}, Options{Cutoff: 3}, "atom 0 at (1e+200, 0, 0) Å is beyond"},
		{"pbc without cell", ok, nil, [3]bool{true, true, false}, Options{Cutoff: 3}, "pbc is [T T F] but no cell was given"},
		{"flat cell", ok, &flat, all, Options{Cutoff: 3}, "cell is degenerate: volume 0 Å³"},
		{"nearly flat cell", ok, &nearlyFlat, [3]bool{true, false, false}, Options{Cutoff: 3}, "cell is degenerate"},
		{"zero cell", ok, &[9]float64{}, all, Options{Cutoff: 3}, "cell is degenerate"},
		{"NaN in cell", ok, &nanCell, all, Options{Cutoff: 3}, "cell vector b = (0, NaN, 0) Å is not finite"},
		{"far outside the cell", []float64{0, 0, 0, 1e11, 0, 0}, &c10, all, Options{Cutoff: 3}, "atom 1 lies 1e+10 cell lengths along lattice vector a"},
		{"cell far too small", ok, &tiny, all, Options{Cutoff: 5}, "cell is too small for cutoff 5 Å"},
	}
	for _, tc := range tests {
		for _, f := range []struct {
			name  string
			build func([]float64, *[9]float64, [3]bool, Options) (*List, error)
		}{{"Build", Build}, {"BruteForce", BruteForce}} {
			name := f.name
			l, err := f.build(tc.pos, tc.cell, tc.pbc, tc.opt)
			if err == nil {
				t.Errorf("%s: %s: no error, list of %d pairs", tc.name, name, l.Len())
				continue
			}
			if !strings.HasPrefix(err.Error(), "neighbor: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %s: error %q, want it to contain %q", tc.name, name, err, tc.want)
			}
		}
	}
}

// TestAccepted checks inputs that look odd but are valid.
func TestAccepted(t *testing.T) {
	flat := [9]float64{5, 0, 0, 0, 5, 0, 3, 4, 0}
	pos := []float64{0, 0, 0, 1, 1, 1}
	// A degenerate or zero cell is ignored when no axis is periodic.
	for _, cell := range []*[9]float64{&flat, {}} {
		l, err := Build(pos, cell, [3]bool{}, Options{Cutoff: 2})
		if err != nil {
			t.Fatalf("cell %v without pbc: %v", *cell, err)
		}
		if l.Len() != 2 {
			t.Errorf("cell %v without pbc: %d pairs, want 2", *cell, l.Len())
		}
	}
	// Atoms on the same spot are neighbours at distance 0.
	l, err := Build([]float64{1, 2, 3, 1, 2, 3}, nil, [3]bool{}, Options{Cutoff: 1})
	if err != nil || l.Len() != 2 {
		t.Fatalf("coincident atoms: %v, %d pairs, want 2", err, l.Len())
	}
	// Atoms on the faces and corners of the cell, where wrapping rounds.
	c := cubic(4)
	corner := []float64{0, 0, 0, 4, 4, 4, -1e-17, 2, 4 - 1e-15, 2, 2, 2}
	s := system{"corners", corner, &c, [3]bool{true, true, true}, 4.1, 0}
	got, err := Build(s.pos, s.cell, s.pbc, Options{Cutoff: s.cutoff})
	if err != nil {
		t.Fatal(err)
	}
	want, err := BruteForce(s.pos, s.cell, s.pbc, Options{Cutoff: s.cutoff})
	if err != nil {
		t.Fatal(err)
	}
	comparePairs(t, got, want)
	checkVectors(t, got, s)
}

func TestNeedsRebuild(t *testing.T) {
	l := &List{Cutoff: 5, Skin: 1}
	at := []float64{0, 0, 0, 10, 10, 10}
	tests := []struct {
		name string
		move []float64
		want bool
	}{
		{"unmoved", []float64{0, 0, 0, 0, 0, 0}, false},
		{"under skin/2", []float64{0, 0, 0, 0.28, 0.28, 0.28}, false},       // 0.485 Å
		{"over skin/2", []float64{0, 0, 0, 0.29, 0.29, 0.29}, true},         // 0.502 Å
		{"over skin/2, first atom", []float64{0.4, 0, 0.31, 0, 0, 0}, true}, // 0.506 Å
		{"at skin/2", []float64{0.5, 0, 0, 0, 0, 0}, false},                 // exactly 0.5 Å
		{"NaN", []float64{0, 0, 0, math.NaN(), 0, 0}, true},
		{"wrapped by a lattice vector", []float64{-10, 0, 0, 0, 0, 0}, true},
	}
	for _, tc := range tests {
		now := slices.Clone(at)
		for k := range now {
			now[k] += tc.move[k]
		}
		if got := l.NeedsRebuild(at, now); got != tc.want {
			t.Errorf("%s: NeedsRebuild = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestPacking checks that packed keys decode to their entries and sort in the
// order of (j, shift), over ranges up to the limits of the packing.
func TestPacking(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	ranges := []struct {
		n          int
		smin, smax [3]int32
		fits       bool
	}{
		{1, [3]int32{}, [3]int32{}, true},
		{100, [3]int32{-2, -3, 0}, [3]int32{3, 2, 0}, true},
		{1 << 20, [3]int32{-5, -1000, -1 << 20}, [3]int32{7, 1000, 1 << 20}, true},
		{1 << 30, [3]int32{-1000, -1000, -1000}, [3]int32{1000, 1000, 1000}, true},  // 30 + 3·11 bits
		{1 << 30, [3]int32{-1024, -1024, -1024}, [3]int32{1024, 1024, 1024}, false}, // 30 + 3·12 bits
		{1 << 30, [3]int32{-1 << 28, -1 << 28, 0}, [3]int32{1 << 28, 1 << 28, 0}, false},
	}
	for _, r := range ranges {
		pk := newPacking(r.n, r.smin, r.smax)
		if pk.ok != r.fits {
			t.Errorf("n=%d, shifts %v..%v: packing fits = %v, want %v", r.n, r.smin, r.smax, pk.ok, r.fits)
		}
		if !pk.ok {
			continue
		}
		es := make([]entry, 200)
		for q := range es {
			es[q].j = int32(rng.IntN(r.n))
			for k := 0; k < 3; k++ {
				es[q].shift[k] = r.smin[k] + int32(rng.Int64N(int64(r.smax[k])-int64(r.smin[k])+1))
			}
		}
		es[0] = entry{j: int32(r.n - 1), shift: r.smax}
		es[1] = entry{j: 0, shift: r.smin}
		for q := range es {
			if got := pk.decode(pk.encode(es[q])); got != es[q] {
				t.Fatalf("n=%d: %v decodes as %v", r.n, es[q], got)
			}
			for _, e := range es[:q] {
				if a, b := cmpEntry(e, es[q]), cmp.Compare(pk.encode(e), pk.encode(es[q])); a != b {
					t.Fatalf("n=%d: %v vs %v compare %d but keys compare %d", r.n, e, es[q], a, b)
				}
			}
		}
	}
}

// TestWithinMatchesFreshBuild moves the atoms of every test system by random
// displacements up to skin/2 from a list built with a 1 Å skin, and checks that the
// pairs of the old list within the cutoff at the new positions are exactly those of
// a fresh list (pairs, shifts and order).
func TestWithinMatchesFreshBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 78))
	const skin = 1.0
	for _, s := range testSystems() {
		l, err := Build(s.pos, s.cell, s.pbc, Options{Cutoff: s.cutoff, Skin: skin})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for trial := 0; trial < 3; trial++ {
			now := slices.Clone(s.pos)
			for k := range now {
				now[k] += (skin / 2 / math.Sqrt(3)) * (2*rng.Float64() - 1)
			}
			if l.NeedsRebuild(s.pos, now) {
				t.Fatalf("%s: moves below skin/2 call for a rebuild", s.name)
			}
			fresh, err := Build(now, s.cell, s.pbc, Options{Cutoff: s.cutoff})
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			got := l.Within(now, s.cell, s.cutoff)
			if !slices.Equal(got.I, fresh.I) || !slices.Equal(got.J, fresh.J) || !slices.Equal(got.Shift, fresh.Shift) {
				t.Fatalf("%s, trial %d: Within gives %d pairs, a fresh Build %d (or a different order)", s.name, trial, got.Len(), fresh.Len())
			}
			if trial == 0 && l.Len() > 0 && got.Len() == l.Len() {
				t.Errorf("%s: the skin added no pairs (%d)", s.name, l.Len())
			}
		}
	}
}
