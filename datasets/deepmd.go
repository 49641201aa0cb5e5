package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/sciadapt/sciadapt/elements"
)

// DeePMDOptions controls ImportDeePMD. The zero value (or nil) reads eV and Å,
// DeePMD-kit's units, and leaves frames unnamed (Write names them by formula).
type DeePMDOptions struct {
	Units  Units  // units of the data; zero fields mean eV and Å
	System string // system name for every frame; "" leaves it to NameSystems
}

// ImportDeePMD reads a DeePMD-kit "npy" system folder:
//
//	type.raw       N integers, the type of each atom
//	type_map.raw   the element symbol of each type, one per line
//	nopbc          optional; if present the frames are not periodic
//	set.*/coord.npy   (M, 3N) or (M, N, 3) positions
//	set.*/energy.npy  (M,) energies
//	set.*/force.npy   (M, 3N) forces, optional
//	set.*/box.npy     (M, 9) cells, rows are lattice vectors; absent or nopbc: no cell
//	set.*/virial.npy  (M, 9) virials W, optional; stress = −W/V
//
// Sets are read in name order and their frames concatenated; .npy files may hold
// <f8 or <f4 values. Frame.Index is the frame's position in that order.
func ImportDeePMD(dir string, opts *DeePMDOptions) ([]Frame, error) {
	var o DeePMDOptions
	if opts != nil {
		o = *opts
	}
	o.Units = o.Units.orDefault(mustDefaultUnits(FormatDeePMD))
	ke, kl, kf, _ := o.Units.factors()

	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", dir, pathErr(err))
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory (a DeePMD-kit system is a folder with type.raw and set.*/)", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "type.raw")); err != nil {
		return nil, fmt.Errorf("%s: no type.raw: not a DeePMD-kit system folder (type.raw, type_map.raw, set.*/)", dir)
	}
	types, err := readRawInts(filepath.Join(dir, "type.raw"))
	if err != nil {
		return nil, err
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("%s: no atoms", filepath.Join(dir, "type.raw"))
	}
	typeMap, err := readRawWords(filepath.Join(dir, "type_map.raw"))
	if err != nil {
		return nil, err
	}
	n := len(types)
	numbers := make([]int, n)
	for i, t := range types {
		if t < 0 || t >= len(typeMap) {
			return nil, fmt.Errorf("%s: atom %d has type %d, but type_map.raw names %d types", filepath.Join(dir, "type.raw"), i, t, len(typeMap))
		}
		el, err := elements.BySymbol(typeMap[t])
		if err != nil {
			return nil, fmt.Errorf("%s: type %d is %q, not an element symbol", filepath.Join(dir, "type_map.raw"), t, clip(typeMap[t]))
		}
		numbers[i] = el.Z
	}
	_, err = os.Stat(filepath.Join(dir, "nopbc"))
	nopbc := err == nil

	sets, err := filepath.Glob(filepath.Join(dir, "set.*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(sets)
	var frames []Frame
	for _, set := range sets {
		if st, err := os.Stat(set); err != nil || !st.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(set, "real_atom_types.npy")); err == nil {
			return nil, fmt.Errorf("%s: real_atom_types.npy (a mixed-type system) is not supported", set)
		}
		// read loads name.npy and checks it holds m frames of per values each;
		// m < 0 takes m from the file.
		read := func(name string, m, per int, required bool) ([]float64, int, error) {
			p := filepath.Join(set, name+".npy")
			if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
				if required {
					return nil, 0, fmt.Errorf("%s: %s.npy is missing", set, name)
				}
				return nil, m, nil
			}
			v, shape, err := readNPY(p)
			if err != nil {
				return nil, 0, err
			}
			if len(shape) == 0 {
				return nil, 0, fmt.Errorf("%s: is a scalar, want one row per frame", p)
			}
			if m < 0 {
				m = shape[0]
			}
			if shape[0] != m || len(v) != m*per {
				return nil, 0, fmt.Errorf("%s: shape %s, want %d frames of %d values (coord.npy has %d frames of %d atoms)", p, shapeString(shape), m, per, m, n)
			}
			return v, m, nil
		}
		coord, m, err := read("coord", -1, 3*n, true)
		if err != nil {
			return nil, err
		}
		energy, _, err := read("energy", m, 1, true)
		if err != nil {
			return nil, err
		}
		force, _, err := read("force", m, 3*n, false)
		if err != nil {
			return nil, err
		}
		box, _, err := read("box", m, 9, false)
		if err != nil {
			return nil, err
		}
		virial, _, err := read("virial", m, 9, false)
		if err != nil {
			return nil, err
		}
		if nopbc {
			box, virial = nil, nil
		}
		for k := 0; k < m; k++ {
			fr := Frame{
				System:    o.System,
				Index:     len(frames),
				Numbers:   append([]int(nil), numbers...),
				Positions: scale(coord[k*3*n:(k+1)*3*n], kl),
				Energy:    energy[k] * ke,
			}
			if force != nil {
				fr.Forces = scale(force[k*3*n:(k+1)*3*n], kf)
			}
			if box != nil {
				var c [9]float64
				copy(c[:], scale(box[k*9:(k+1)*9], kl))
				fr.Cell = &c
				fr.PBC = [3]bool{true, true, true}
				if virial != nil {
					vol := volume(&c) // Å³
					if vol == 0 {
						return nil, fmt.Errorf("%s: frame %d: virial given but the box has zero volume", set, k)
					}
					var s [9]float64
					for j := range s {
						s[j] = -virial[k*9+j] * ke / vol
					}
					fr.Stress = &s
				}
			}
			if err := checkFrameValues(&fr); err != nil {
				return nil, fmt.Errorf("%s: frame %d: %v", set, k, err)
			}
			frames = append(frames, fr)
		}
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("%s: no set.*/ folders with frames", dir)
	}
	return frames, nil
}

// pathErr strips the operation and path from an fs error.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readRawWords reads the blank-separated words of a .raw text file.
func readRawWords(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, pathErr(err))
	}
	return strings.Fields(string(b)), nil
}

// readRawInts reads the blank-separated integers of a .raw text file.
func readRawInts(path string) ([]int, error) {
	words, err := readRawWords(path)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(words))
	for i, w := range words {
		v, err := strconv.Atoi(w)
		if err != nil {
			return nil, fmt.Errorf("%s: value %d is %q, not an integer", path, i+1, clip(w))
		}
		out[i] = v
	}
	return out, nil
}
