package potentials

import (
	"fmt"
	"os"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
)

// LoadAdapted reads the model file at model and, if adapter is not "", attaches
// the add-element adapter file at adapter to it (LoadElementAdapter).
func LoadAdapted(model, adapter string) (*Model, error) {
	m, err := Load(model)
	if err != nil {
		return nil, err
	}
	if adapter != "" {
		if _, err := LoadElementAdapter(adapter, m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ReadStructure reads the first frame of the extended XYZ file at path (eV and
// Å; the energy may be absent) as a structure, with the frame's system name. It
// returns an error naming the file for a folder, an unreadable or empty file and
// an invalid structure.
func ReadStructure(path string) (s *Structure, system string, err error) {
	fin, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer fin.Close()
	if st, err := fin.Stat(); err == nil && st.IsDir() {
		return nil, "", fmt.Errorf("%s: is a directory, not an extended XYZ file", path)
	}
	frames, err := datasets.ReadExtXYZ(fin, path, &datasets.ExtXYZOptions{EnergyOptional: true})
	if err != nil {
		return nil, "", err
	}
	if len(frames) == 0 {
		return nil, "", fmt.Errorf("%s: no structure", path)
	}
	s = StructureOf(&frames[0])
	if err := s.Validate(); err != nil {
		return nil, "", fmt.Errorf("%s: %v", path, err)
	}
	return s, frames[0].System, nil
}

// FrameOf returns s with the energy and forces of r as a frame of system (the
// frame shares the slices of s and r).
func FrameOf(s *Structure, system string, r Result) datasets.Frame {
	return datasets.Frame{System: system, Numbers: s.Numbers, Positions: s.Positions, Cell: s.Cell, PBC: s.PBC,
		Energy: r.Energy, Forces: r.Forces}
}

// parameterCount returns the number of values of m, with an attached adapter's.
func parameterCount(m nn.Module) int {
	total, _ := nn.Counts(m)
	return total
}
