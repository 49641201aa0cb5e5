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
