package datasets

import (
	"fmt"
	"io"
	"os"
)

// ImportOptions configure ImportFiles.
type ImportOptions struct {
	Format string // FormatExtXYZ, FormatANI1x or FormatDeePMD
	// Units are the inputs' units; zero parts take the format's (DefaultUnits).
	Units Units
	// EnergyKey and ForcesKey name the energies and forces: a comment-line key and
	// a per-atom property of extended XYZ, datasets of ANI-1x (EnergyKey required).
	EnergyKey, ForcesKey string
	// System names every frame's system (extended XYZ, DeePMD-kit); "" names
	// systems by formula.
	System string
	Meta   Meta
	// Progress, if set, is called after each input with the number read so far.
	Progress func(inputs int)
}

// SystemWritten summarises one system written by ImportFiles.
type SystemWritten struct {
	Name                 string
	Numbers              []int // atomic numbers of its frames
	Frames               int
	Forces, Cell, Stress bool
}

// ImportReport is what ImportFiles read and wrote.
type ImportReport struct {
	Units   Units           // the units the inputs were read in
	Systems []SystemWritten // in order of writing
	// Frames is the number of frames read from each input (extended XYZ and
	// DeePMD-kit); ANI1x the per-input report of the ANI-1x importer.
	Frames []int
	ANI1x  []ANI1xReport
}

// ImportFiles reads every input of one atoms format (extended XYZ files,
// ANI-1x HDF5 files or DeePMD-kit system folders) and writes their frames into
// one atoms file at out, atomically. ANI-1x files are streamed group by group,
// so files larger than memory import; the other formats are read whole, their
// systems named (NameSystems) and written at once. Errors name the input and the
// problem; nothing is left at out after an error.
func ImportFiles(out string, inputs []string, o ImportOptions) (*ImportReport, error) {
	def, ok := DefaultUnits(o.Format)
	if !ok {
		return nil, fmt.Errorf("unknown atoms format %q (known: %s, %s, %s)", o.Format, FormatExtXYZ, FormatANI1x, FormatDeePMD)
	}
	o.Units = o.Units.orDefault(def)
	r := &ImportReport{Units: o.Units}
	progress := func(i int) {
		if o.Progress != nil {
			o.Progress(i)
		}
	}
	if o.Format == FormatANI1x {
		err := Create(out, o.Meta, func(wr *Writer) error {
			for i, in := range inputs {
				rep, err := ImportANI1x(in, ANI1xOptions{EnergyKey: o.EnergyKey, ForcesKey: o.ForcesKey, Units: o.Units},
					func(name string, frames []Frame) error {
						r.Systems = append(r.Systems, systemWritten(name, frames))
						return wr.Add(name, frames)
					})
				if err != nil {
					return err
				}
				r.ANI1x = append(r.ANI1x, rep)
				progress(i + 1)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	var frames []Frame
	for i, in := range inputs {
		fr, err := readAtomsInput(in, o)
		if err != nil {
			return nil, err
		}
		r.Frames = append(r.Frames, len(fr))
		frames = append(frames, fr...)
		progress(i + 1)
	}
	NameSystems(frames)
	r.Systems = systemsOf(frames)
	if err := Write(out, o.Meta, frames); err != nil {
		return nil, err
	}
	return r, nil
}

// readAtomsInput reads one extended XYZ file or DeePMD-kit folder.
func readAtomsInput(in string, o ImportOptions) ([]Frame, error) {
	if o.Format == FormatDeePMD {
		return ImportDeePMD(in, &DeePMDOptions{Units: o.Units, System: o.System})
	}
	f, err := os.Open(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", in, pathErr(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not an extended XYZ file", in)
	}
	var head [8]byte
	if n, _ := io.ReadFull(f, head[:]); n == 8 && string(head[:]) == "\x89HDF\r\n\x1a\n" {
		return nil, fmt.Errorf("%s: is an HDF5 file, not extended XYZ (an ANI-1x-style file imports with \"sciadapt import ani1x\")", in)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %v", in, err)
	}
	return ReadExtXYZ(f, in, &ExtXYZOptions{Units: o.Units, EnergyKey: o.EnergyKey, ForcesKey: o.ForcesKey, System: o.System})
}

func systemWritten(name string, frames []Frame) SystemWritten {
	f := &frames[0]
	return SystemWritten{Name: name, Numbers: f.Numbers, Frames: len(frames), Forces: f.Forces != nil, Cell: f.Cell != nil, Stress: f.Stress != nil}
}

// systemsOf groups named frames by system in order of first appearance.
func systemsOf(frames []Frame) []SystemWritten {
	var out []SystemWritten
	at := map[string]int{}
	for i := range frames {
		fr := &frames[i]
		if k, ok := at[fr.System]; ok {
			out[k].Frames++
			continue
		}
		at[fr.System] = len(out)
		out = append(out, systemWritten(fr.System, frames[i:i+1]))
	}
	return out
}
