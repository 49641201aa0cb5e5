package imports

import (
	"io"
	"math"
	"strings"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/paths"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/progress"
)

// Atoms are the inputs of an import of atomic structures (extxyz, ani1x, deepmd).
type Atoms struct {
	Format        string   // "extxyz", "ani1x" or "deepmd"
	Inputs        []string // input files (extxyz, ani1x) or system folders (deepmd)
	Out           string   // output HDF5 file
	EnergyUnit    string   // unit of the input energies; "" for the format's default
	LengthUnit    string   // unit of the input lengths; "" for the format's default
	EnergyKey     string   // extxyz comment key or ANI-1x dataset of the energies
	ForcesKey     string   // extxyz property or ANI-1x dataset of the forces
	System        string   // system name for all frames (extxyz, deepmd); "" names by formula
	LevelOfTheory string   // stored in the file; "" for unknown (ani1x: from the energy key)
	Program       string   // recorded in the file's source, such as "sciadapt v1.2.0"
	Stdout        io.Writer
	Progress      progress.Reporter // one step per input; nil reports nothing
}

// Run imports the inputs into Out (datasets.ImportFiles) and prints what each
// input held and what was written.
func (opts *Atoms) Run() error {
	o, err := opts.importOptions()
	if err != nil {
		return err
	}
	prog := orDiscard(opts.Progress)
	started := time.Now()
	o.Progress = func(i int) {
		prog.Step(progress.Fields{Epoch: i, Loss: math.NaN(), Seconds: time.Since(started).Seconds()})
	}
	prog.Start(len(opts.Inputs), "files")
	r, err := datasets.ImportFiles(opts.Out, opts.Inputs, o)
	prog.Done()
	if err != nil {
		return err
	}
	r.WriteSummary(orDiscardWriter(opts.Stdout), opts.Inputs, opts.Out, o)
	return nil
}

// importOptions checks the inputs of an atoms import and returns the importer's
// options: units from the flags over the format's defaults, and the metadata.
func (opts *Atoms) importOptions() (datasets.ImportOptions, error) {
	o := datasets.ImportOptions{Format: opts.Format, EnergyKey: opts.EnergyKey, ForcesKey: opts.ForcesKey, System: opts.System}
	var ok bool
	if o.Units, ok = datasets.DefaultUnits(opts.Format); !ok {
		return o, usage.Errorf("unknown atoms format %q (known: extxyz, ani1x, deepmd)", opts.Format)
	}
	switch {
	case opts.Out == "":
		return o, usage.Errorf("--out is required: the HDF5 file to write")
	case len(opts.Inputs) == 0:
		return o, usage.Errorf("give at least one input")
	case strings.Contains(opts.System, "/") || opts.System == ".":
		return o, usage.Errorf("--system %q: a system name may not contain \"/\" or be \".\"", opts.System)
	case opts.Format == datasets.FormatANI1x && opts.EnergyKey == "":
		return o, usage.Errorf("--energy-key is required, e.g. --energy-key wb97x_dz.energy")
	}
	var err error
	if opts.EnergyUnit != "" {
		if o.Units.Energy, err = datasets.ParseEnergyUnit(opts.EnergyUnit); err != nil {
			return o, usage.Errorf("--energy-unit: %v", err)
		}
	}
	if opts.LengthUnit != "" {
		if o.Units.Length, err = datasets.ParseLengthUnit(opts.LengthUnit); err != nil {
			return o, usage.Errorf("--length-unit: %v", err)
		}
	}
	if err := paths.CheckOutNotInput(opts.Out, opts.Inputs); err != nil {
		return o, err
	}
	program := opts.Program
	if program == "" {
		program = "sciadapt"
	}
	o.Meta = datasets.ImportMeta(opts.Inputs, o, opts.LevelOfTheory, program)
	return o, nil
}

// orDiscard returns p, or a reporter that reports nothing if p is nil.
func orDiscard(p progress.Reporter) progress.Reporter {
	if p == nil {
		return progress.Discard()
	}
	return p
}

// orDiscardWriter returns w, or a writer that discards everything if w is nil.
func orDiscardWriter(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
