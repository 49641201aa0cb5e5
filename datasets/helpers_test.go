package datasets

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// Fixtures; see testdata/atoms/README.md for their provenance.
const (
	fixRMD17  = "../testdata/atoms/rmd17_o_subset.h5"
	fixEMT    = "../testdata/atoms/emt_subset.h5"
	fixXYZ    = "../testdata/atoms/aspirin_3.xyz"
	fixDeePMD = "../testdata/atoms/deepmd_water_3"
	fixANI    = "../testdata/atoms/ani1x_like.h5"
)

// rawSystem is one group of an atoms file written by writeRaw, in file units.
type rawSystem struct {
	name     string
	numbers  []int32
	coords   []float64 // M*N*3
	energies []float64
	forces   []float64 // nil: none
	cell     []float64 // nil: none
	pbc      []uint8   // nil: none
	stress   []float64 // nil: none
	// shape overrides, for shape-mismatch tests
	coordShape, forceShape []int
}

// ethanolRaw returns a valid 2-frame, 9-atom system.
func ethanolRaw() rawSystem {
	n, m := 9, 2
	s := rawSystem{name: "ethanol", numbers: []int32{6, 6, 8, 1, 1, 1, 1, 1, 1}}
	for i := 0; i < m*n*3; i++ {
		s.coords = append(s.coords, float64(i)*0.1)
		s.forces = append(s.forces, float64(i%7)-3)
	}
	s.energies = []float64{-97074.75, -97070.5}
	return s
}

// writeRaw writes an atoms file with the given root attributes (nil values are
// omitted) and systems, without any of the checks of Write.
func writeRaw(t *testing.T, attrs map[string]any, systems ...rawSystem) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data.h5")
	err := h5io.WriteAtomic(path, func(f *h5io.File) error {
		r := f.Root()
		for _, k := range []string{"format", "version", "energy_unit", "length_unit", "forces", "level_of_theory", "source"} {
			v, ok := attrs[k]
			if !ok {
				v = map[string]any{"format": Format, "version": int64(1), "energy_unit": "kcal/mol",
					"length_unit": "angstrom", "forces": ForcesConvention, "level_of_theory": "test", "source": "test"}[k]
			}
			var err error
			switch v := v.(type) {
			case nil:
			case string:
				err = r.WriteStringAttr(k, v)
			case int64:
				err = r.WriteIntAttr(k, v)
			case float64:
				err = r.WriteFloatAttr(k, v)
			}
			if err != nil {
				return err
			}
		}
		for _, s := range systems {
			g, err := r.CreateGroup(s.name)
			if err != nil {
				return err
			}
			n := len(s.numbers)
			m := len(s.energies)
			if err := g.WriteInt32("atomic_numbers", s.numbers); err != nil {
				return err
			}
			cs := s.coordShape
			if cs == nil {
				cs = []int{m, n, 3}
			}
			if s.coords != nil {
				if err := g.WriteFloat64("coordinates", s.coords, cs...); err != nil {
					return err
				}
			}
			if s.energies != nil {
				if err := g.WriteFloat64("energies", s.energies); err != nil {
					return err
				}
			}
			if s.forces != nil {
				fs := s.forceShape
				if fs == nil {
					fs = []int{m, n, 3}
				}
				if err := g.WriteFloat64("forces", s.forces, fs...); err != nil {
					return err
				}
			}
			if s.cell != nil {
				if err := g.WriteFloat64("cell", s.cell, len(s.cell)/9, 3, 3); err != nil {
					return err
				}
			}
			if s.pbc != nil {
				if err := g.WriteUint8("pbc", s.pbc); err != nil {
					return err
				}
			}
			if s.stress != nil {
				if err := g.WriteFloat64("stress", s.stress, len(s.stress)/9, 3, 3); err != nil {
					return err
				}
			}
			g.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// near reports whether a and b agree to a relative tolerance tol.
func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func mustOpen(t *testing.T, path string) *File {
	t.Helper()
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// errString returns err's message or "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
