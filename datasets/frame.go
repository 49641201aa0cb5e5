package datasets

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/sciadapt/sciadapt/elements"
)

// Frame is one labelled structure: atoms, their positions, the energy and, when
// known, forces, the periodic cell and the stress. Units are always eV and Å.
// Frames returned by this package own their slices: no two share memory.
type Frame struct {
	System string // name of the system (HDF5 group) the frame belongs to; may be "" before writing
	Index  int    // index of the frame within its system (or within the file it was read from)

	Numbers   []int     // atomic numbers, length N
	Positions []float64 // Cartesian positions in Å, length 3N: x0 y0 z0 x1 …
	Energy    float64   // total energy in eV

	Forces []float64   // forces −∂E/∂R in eV/Å, length 3N; nil if not known
	Cell   *[9]float64 // lattice vectors as rows (a_x a_y a_z b_x … c_z) in Å; nil if none
	PBC    [3]bool     // periodic along a, b, c
	Stress *[9]float64 // stress tensor, row-major, eV/Å³, positive = tensile; nil if not known
}

// Len returns the number of atoms N.
func (f *Frame) Len() int { return len(f.Numbers) }

// FrameRef names one frame of a file: its system and index, and its number of atoms
// (used by Batches).
type FrameRef struct {
	System string
	Index  int
	Atoms  int
}

// SystemInfo describes one system (HDF5 group) of an atoms file.
type SystemInfo struct {
	Name      string
	Numbers   []int   // atomic numbers, length N, the same for every frame
	Frames    int     // number of frames M
	HasForces bool    // forces dataset present
	HasCell   bool    // cell dataset present
	HasStress bool    // stress dataset present
	PBC       [3]bool // from the pbc dataset; all false if absent
}

// Atoms returns the number of atoms N of the system.
func (s SystemInfo) Atoms() int { return len(s.Numbers) }

// Formula returns the chemical formula of atomic numbers in Hill order: C first, H
// second, then the other elements alphabetically; without carbon, all elements
// alphabetically. Counts of one are omitted: Formula([]int{6, 6, 8, 1, …}) = "C2H6O".
func Formula(numbers []int) string {
	counts := map[string]int{}
	hasC := false
	for _, z := range numbers {
		s := elements.Symbol(z)
		counts[s]++
		if z == 6 {
			hasC = true
		}
	}
	syms := make([]string, 0, len(counts))
	for s := range counts {
		syms = append(syms, s)
	}
	sort.Slice(syms, func(i, j int) bool {
		a, b := syms[i], syms[j]
		if hasC {
			ra, rb := hillRank(a), hillRank(b)
			if ra != rb {
				return ra < rb
			}
		}
		return a < b
	})
	var b strings.Builder
	for _, s := range syms {
		b.WriteString(s)
		if n := counts[s]; n > 1 {
			b.WriteString(strconv.Itoa(n))
		}
	}
	return b.String()
}

func hillRank(sym string) int {
	switch sym {
	case "C":
		return 0
	case "H":
		return 1
	}
	return 2
}

// NameSystems gives every frame whose System is empty a name derived from its
// atoms: the Hill formula (Formula). Frames get the same name exactly when their
// atomic-number sequences are equal; a second atom ordering of the same formula is
// named with a suffix ("C2H6O-2"), as is a formula that is already used by a named
// frame with other atoms. Names are assigned in the order frames appear, so the
// result is deterministic.
func NameSystems(frames []Frame) {
	type entry struct {
		name    string
		numbers []int
	}
	var taken []entry // names in use and their atoms
	used := map[string]bool{}
	for _, f := range frames {
		if f.System != "" && !used[f.System] {
			used[f.System] = true
			taken = append(taken, entry{f.System, f.Numbers})
		}
	}
	for i := range frames {
		if frames[i].System != "" {
			continue
		}
		nums := frames[i].Numbers
		name := ""
		base := Formula(nums)
		for _, e := range taken {
			if equalInts(e.numbers, nums) && (e.name == base || strings.HasPrefix(e.name, base+"-")) {
				name = e.name
				break
			}
		}
		if name == "" {
			name = base
			for k := 2; used[name]; k++ {
				name = base + "-" + strconv.Itoa(k)
			}
			used[name] = true
			taken = append(taken, entry{name, nums})
		}
		frames[i].System = name
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkNumbers returns an error if an atomic number is not an element.
func checkNumbers(numbers []int) error {
	for i, z := range numbers {
		if _, err := elements.ByZ(z); err != nil {
			return fmt.Errorf("atom %d: atomic number %d is not an element (1–%d)", i, z, elements.Count)
		}
	}
	return nil
}

// firstNonFinite returns the index of the first NaN or ±Inf in v, or -1.
func firstNonFinite(v []float64) int {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i
		}
	}
	return -1
}

// checkFinite returns an error naming what and the first non-finite value of v;
// per is the number of values per atom (3 for vectors) or 0 for per-frame values.
func checkFinite(what string, v []float64, per int) error {
	i := firstNonFinite(v)
	if i < 0 {
		return nil
	}
	switch per {
	case 3:
		return fmt.Errorf("%s of atom %d is %v", what, i/3, v[i])
	case 9:
		return fmt.Errorf("%s component %d is %v", what, i, v[i])
	}
	return fmt.Errorf("%s is %v", what, v[i])
}

// validate checks one frame for writing: sizes consistent, elements known, values
// finite. The error does not name the frame; the caller does.
func (f *Frame) validate() error {
	n := len(f.Numbers)
	if n == 0 {
		return fmt.Errorf("has no atoms")
	}
	if err := checkNumbers(f.Numbers); err != nil {
		return err
	}
	if len(f.Positions) != 3*n {
		return fmt.Errorf("positions have %d values, want %d (%d atoms × 3)", len(f.Positions), 3*n, n)
	}
	if f.Forces != nil && len(f.Forces) != 3*n {
		return fmt.Errorf("forces have %d values, want %d (%d atoms × 3)", len(f.Forces), 3*n, n)
	}
	if err := checkFinite("energy", []float64{f.Energy}, 0); err != nil {
		return err
	}
	if err := checkFinite("position", f.Positions, 3); err != nil {
		return err
	}
	if err := checkFinite("force", f.Forces, 3); err != nil {
		return err
	}
	if f.Cell != nil {
		if err := checkFinite("cell", f.Cell[:], 9); err != nil {
			return err
		}
	}
	if f.Stress != nil {
		if err := checkFinite("stress", f.Stress[:], 9); err != nil {
			return err
		}
	}
	return nil
}

// volume returns |det cell| for a row-major 3×3 cell.
func volume(c *[9]float64) float64 {
	det := c[0]*(c[4]*c[8]-c[5]*c[7]) - c[1]*(c[3]*c[8]-c[5]*c[6]) + c[2]*(c[3]*c[7]-c[4]*c[6])
	return math.Abs(det)
}

// MinDistance is the closest two atoms of a frame may be, in Å. Readers refuse
// closer atoms as overlapping (the shortest bond, in H₂, is 0.74 Å), naming the file,
// the group or line, the frame and the two atoms.
const MinDistance = 0.1

// checkOverlap returns an error naming the first two atoms of fr closer than
// MinDistance. Along periodic directions of a frame with a cell the distance is that
// of the nearest image found by rounding fractional coordinates (exact for cells
// that are not strongly skewed). The cost is O(N log N) for a molecule, O(N²) for a
// periodic frame.
func checkOverlap(fr *Frame) error {
	n := len(fr.Numbers)
	p := fr.Positions
	if len(p) != 3*n || n < 2 {
		return nil
	}
	const d2max = MinDistance * MinDistance
	fail := func(i, j int, d2 float64) error {
		if i > j {
			i, j = j, i
		}
		return fmt.Errorf("atoms %d (%s) and %d (%s) are %.3g Å apart, closer than %g Å (overlapping atoms?)",
			i, elements.Symbol(fr.Numbers[i]), j, elements.Symbol(fr.Numbers[j]), math.Sqrt(d2), MinDistance)
	}
	var inv [9]float64
	periodic := fr.Cell != nil && (fr.PBC[0] || fr.PBC[1] || fr.PBC[2]) && invert3(&inv, fr.Cell)
	if !periodic {
		// Sweep along x: only atoms within MinDistance in x can overlap.
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return p[3*idx[a]] < p[3*idx[b]] })
		for a, i := range idx {
			for _, j := range idx[a+1:] {
				if p[3*j]-p[3*i] >= MinDistance {
					break
				}
				dx, dy, dz := p[3*j]-p[3*i], p[3*j+1]-p[3*i+1], p[3*j+2]-p[3*i+2]
				if d2 := dx*dx + dy*dy + dz*dz; d2 < d2max {
					return fail(i, j, d2)
				}
			}
		}
		return nil
	}
	c := fr.Cell
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			d := [3]float64{p[3*j] - p[3*i], p[3*j+1] - p[3*i+1], p[3*j+2] - p[3*i+2]}
			var s [3]float64
			for k := range 3 {
				s[k] = d[0]*inv[k] + d[1]*inv[3+k] + d[2]*inv[6+k] // s = d·Cell⁻¹
				if fr.PBC[k] {
					s[k] -= math.Round(s[k])
				}
			}
			var d2 float64
			for k := range 3 {
				x := s[0]*c[k] + s[1]*c[3+k] + s[2]*c[6+k]
				d2 += x * x
			}
			if d2 < d2max {
				return fail(i, j, d2)
			}
		}
	}
	return nil
}

// invert3 sets dst to the inverse of the row-major 3×3 matrix m and reports whether
// m is invertible.
func invert3(dst, m *[9]float64) bool {
	a, b, c, d, e, f, g, h, k := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	det := a*(e*k-f*h) - b*(d*k-f*g) + c*(d*h-e*g)
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return false
	}
	*dst = [9]float64{
		(e*k - f*h) / det, (c*h - b*k) / det, (b*f - c*e) / det,
		(f*g - d*k) / det, (a*k - c*g) / det, (c*d - a*f) / det,
		(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det,
	}
	return true
}
