package cli

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/internal/progress"
)

// NewCmdImport returns the "import" command, the parent of one subcommand per input
// format. Each format adds itself with one AddCommand line here.
func NewCmdImport() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import <format> IN... --out OUT.h5",
		Short: "Convert data from other formats into a sciadapt HDF5 file",
		Long: `Convert data from other formats into one HDF5 file in a sciadapt layout, the input
of train, add-element, temperature-tune, transfer and eval.

Atomic structures (extxyz, ani1x, deepmd) become the sciadapt atoms layout, always
stored in eV and Å whatever the input units; constitutive and drug–target formats
have layouts of their own. Run "sciadapt import <format> --help" for each format.
The output appears only when the whole import succeeded.`,
		Example: `  sciadapt import extxyz aspirin.xyz --energy-unit kcal/mol --out aspirin.h5
  sciadapt import ani1x ani1x-release.h5 --energy-key wb97x_dz.energy --forces-key wb97x_dz.forces --out ani1x.h5
  sciadapt import deepmd water/data/data_0 --out water.h5`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("name a format: sciadapt import <format> IN... --out OUT.h5 (see \"sciadapt import --help\")")
		},
	}
	cmd.AddCommand(newCmdImportExtXYZ())
	cmd.AddCommand(newCmdImportANI1x())
	cmd.AddCommand(newCmdImportDeePMD())
	cmd.AddCommand(NewCmdImportMatCal())
	cmd.AddCommand(NewCmdImportGleeble())
	cmd.AddCommand(NewCmdImportGPCR())
	cmd.AddCommand(NewCmdImportDavis())
	cmd.AddCommand(NewCmdImportFASTA())
	return cmd
}

// ImportAtomsOptions are the inputs of "sciadapt import extxyz|ani1x|deepmd".
type ImportAtomsOptions struct {
	Format        string   // "extxyz", "ani1x" or "deepmd"
	Inputs        []string // input files (extxyz, ani1x) or system folders (deepmd)
	Out           string   // output HDF5 file
	EnergyUnit    string   // unit of the input energies; "" for the format's default
	LengthUnit    string   // unit of the input lengths; "" for the format's default
	EnergyKey     string   // extxyz comment key or ANI-1x dataset of the energies
	ForcesKey     string   // extxyz property or ANI-1x dataset of the forces
	System        string   // system name for all frames (extxyz, deepmd); "" names by formula
	LevelOfTheory string   // stored in the file; "" for unknown (ani1x: from the energy key)
	Stdout        io.Writer
	Progress      progress.Reporter // one step per input; nil reports nothing
}

func newCmdImportExtXYZ() *cobra.Command {
	opts := &ImportAtomsOptions{Format: "extxyz"}
	cmd := &cobra.Command{
		Use:   "extxyz FILE.xyz... --out OUT.h5",
		Short: "Import extended XYZ files (as ASE writes them) as atoms data",
		Long: `Import extended XYZ files, the format ASE writes: per frame a line with the number
of atoms, a comment line of key=value pairs (Properties=species:S:1:pos:R:3:forces:R:3,
energy=…, optionally Lattice="…", pbc="…", stress="…" or virial="…"), then one line per
atom. Frames with the same atoms in the same order form one system, named by its
formula (C9H8O4) unless --system names it.

Extended XYZ does not state its units. ASE writes eV and Å, which is the default;
files derived from MD17 are in kcal/mol and kcal/mol/Å and need --energy-unit
kcal/mol. Forces are taken as energy/length units and stress as energy/length³,
positive when tensile (the ASE convention). Every frame needs an energy; a NaN or
Inf anywhere stops the import, naming the file and line.`,
		Example: `  sciadapt import extxyz aspirin.xyz --energy-unit kcal/mol --out aspirin.h5
  sciadapt import extxyz train.xyz --energy-key REF_energy --forces-key REF_forces --out train.h5
  sciadapt import extxyz md_300K.xyz md_600K.xyz --system Cu_fcc_108 --level-of-theory "PBE, 520 eV" --out Cu.h5`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			opts.Progress = importProgressFor(cmd, "import "+opts.Format)
			return runImportAtoms(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	f.StringVar(&opts.EnergyUnit, "energy-unit", "", "unit of the energies in the file: eV, kcal/mol or hartree (default eV)")
	f.StringVar(&opts.LengthUnit, "length-unit", "", "unit of the lengths in the file: angstrom or bohr (default angstrom)")
	f.StringVar(&opts.EnergyKey, "energy-key", "", `comment-line key holding the energy (default "energy")`)
	f.StringVar(&opts.ForcesKey, "forces-key", "", `per-atom property holding the forces (default "forces", optional)`)
	f.StringVar(&opts.System, "system", "", "system name for every frame (default: the formula)")
	f.StringVar(&opts.LevelOfTheory, "level-of-theory", "", `level of theory to record, e.g. "PBE/def2-SVP"`)
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func newCmdImportANI1x() *cobra.Command {
	opts := &ImportAtomsOptions{Format: "ani1x"}
	cmd := &cobra.Command{
		Use:   "ani1x FILE.h5... --energy-key KEY --out OUT.h5",
		Short: "Import HDF5 files in the ANI-1x layout as atoms data",
		Long: `Import HDF5 files in the ANI-1x layout: one group per formula holding
atomic_numbers (N), coordinates (M,N,3) and, per level of theory, <method>.energy (M)
and <method>.forces (M,N,3), with NaN where a value was not computed. --energy-key
chooses the energies (required) and --forces-key the forces (optional). Frames whose
chosen energy or any chosen force component is NaN are skipped and counted; Inf, or
NaN in coordinates, stops the import.

ANI-1x energies are in hartree, forces in hartree/Å and coordinates in Å (the
defaults). Groups are read one at a time, so files larger than memory import. The
level of theory recorded is the energy key's method unless --level-of-theory says
otherwise.`,
		Example: `  sciadapt import ani1x ani1x-release.h5 --energy-key wb97x_dz.energy --forces-key wb97x_dz.forces --out ani1x.h5
  sciadapt import ani1x ani1x-release.h5 --energy-key "ccsd(t)_cbs.energy" --out ani1x_cc.h5`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			opts.Progress = importProgressFor(cmd, "import "+opts.Format)
			return runImportAtoms(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	f.StringVar(&opts.EnergyKey, "energy-key", "", "dataset holding the energies, e.g. wb97x_dz.energy (required)")
	f.StringVar(&opts.ForcesKey, "forces-key", "", "dataset holding the forces, e.g. wb97x_dz.forces (default: no forces)")
	f.StringVar(&opts.EnergyUnit, "energy-unit", "", "unit of the energies: eV, kcal/mol or hartree (default hartree)")
	f.StringVar(&opts.LengthUnit, "length-unit", "", "unit of the coordinates: angstrom or bohr (default angstrom)")
	f.StringVar(&opts.LevelOfTheory, "level-of-theory", "", "level of theory to record (default: the energy key's method)")
	_ = cmd.MarkFlagRequired("out")
	_ = cmd.MarkFlagRequired("energy-key")
	return cmd
}

func newCmdImportDeePMD() *cobra.Command {
	opts := &ImportAtomsOptions{Format: "deepmd"}
	cmd := &cobra.Command{
		Use:   "deepmd SYSTEM_DIR... --out OUT.h5",
		Short: "Import DeePMD-kit npy system folders as atoms data",
		Long: `Import DeePMD-kit "npy" system folders: type.raw and type_map.raw name the atoms,
and each set.*/ folder holds coord.npy, energy.npy and optionally force.npy, box.npy
(rows are lattice vectors; periodic unless a nopbc file is present) and virial.npy
(converted to stress = −virial/volume). Values may be float64 or float32.

DeePMD-kit data are in eV and Å (the defaults). Each folder's frames form one system,
named by its formula (H128O64) unless --system names it; folders with the same atoms
in the same order are merged.`,
		Example: `  sciadapt import deepmd water/data/data_0 --out water.h5
  sciadapt import deepmd data/data_0 data/data_1 data/data_2 --out water_all.h5
  sciadapt import deepmd Cu_md --system Cu_fcc_108 --level-of-theory "PBE, 520 eV" --out Cu.h5`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			opts.Progress = importProgressFor(cmd, "import "+opts.Format)
			return runImportAtoms(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	f.StringVar(&opts.EnergyUnit, "energy-unit", "", "unit of the energies: eV, kcal/mol or hartree (default eV)")
	f.StringVar(&opts.LengthUnit, "length-unit", "", "unit of the lengths: angstrom or bohr (default angstrom)")
	f.StringVar(&opts.System, "system", "", "system name for every frame (default: the formula)")
	f.StringVar(&opts.LevelOfTheory, "level-of-theory", "", `level of theory to record, e.g. "SCAN"`)
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runImportAtoms(opts *ImportAtomsOptions) error {
	w := opts.Stdout
	if w == nil {
		w = io.Discard
	}
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
	for i, n := range r.Frames {
		fmt.Fprintf(w, "%s: %d frames\n", opts.Inputs[i], n)
	}
	for i, rep := range r.ANI1x {
		printANI1x(w, opts, opts.Inputs[i], rep)
	}
	printWritten(w, opts.Out, r.Units, r.Systems)
	return nil
}

// importOptions checks the flags of an atoms import and returns the importer's
// options: units from the flags over the format's defaults, and the metadata.
func (opts *ImportAtomsOptions) importOptions() (datasets.ImportOptions, error) {
	o := datasets.ImportOptions{Format: opts.Format, EnergyKey: opts.EnergyKey, ForcesKey: opts.ForcesKey, System: opts.System}
	var ok bool
	if o.Units, ok = datasets.DefaultUnits(opts.Format); !ok {
		return o, usagef("unknown atoms format %q (known: extxyz, ani1x, deepmd)", opts.Format)
	}
	switch {
	case opts.Out == "":
		return o, usagef("--out is required: the HDF5 file to write")
	case len(opts.Inputs) == 0:
		return o, usagef("give at least one input")
	case strings.Contains(opts.System, "/") || opts.System == ".":
		return o, usagef("--system %q: a system name may not contain \"/\" or be \".\"", opts.System)
	case opts.Format == datasets.FormatANI1x && opts.EnergyKey == "":
		return o, usagef("--energy-key is required, e.g. --energy-key wb97x_dz.energy")
	}
	var err error
	if opts.EnergyUnit != "" {
		if o.Units.Energy, err = datasets.ParseEnergyUnit(opts.EnergyUnit); err != nil {
			return o, usagef("--energy-unit: %v", err)
		}
	}
	if opts.LengthUnit != "" {
		if o.Units.Length, err = datasets.ParseLengthUnit(opts.LengthUnit); err != nil {
			return o, usagef("--length-unit: %v", err)
		}
	}
	outAbs, _ := filepath.Abs(opts.Out)
	var names []string
	for _, in := range opts.Inputs {
		if a, _ := filepath.Abs(in); a == outAbs {
			return o, usagef("--out %s is also an input; write to another file", opts.Out)
		}
		names = append(names, filepath.Base(in))
	}
	o.Meta = datasets.Meta{LevelOfTheory: opts.LevelOfTheory,
		Source: fmt.Sprintf("%s import of %s by sciadapt %s (energies read as %s, lengths as %s)",
			opts.Format, strings.Join(names, ", "), Version, o.Units.Energy.Name, o.Units.Length.Name)}
	if o.Meta.LevelOfTheory == "" && opts.Format == datasets.FormatANI1x {
		o.Meta.LevelOfTheory = strings.TrimSuffix(opts.EnergyKey, ".energy")
	}
	return o, nil
}

// printANI1x reports what the ANI-1x importer kept and skipped of one file.
func printANI1x(w io.Writer, opts *ImportAtomsOptions, in string, rep datasets.ANI1xReport) {
	fmt.Fprintf(w, "%s: %d %s, %d %s kept", in, rep.Systems, atomsPlural(rep.Systems, "system", "systems"), rep.Frames, atomsPlural(rep.Frames, "frame", "frames"))
	fmt.Fprintf(w, "; skipped %d %s with no %s", rep.SkippedEnergy, atomsPlural(rep.SkippedEnergy, "frame", "frames"), opts.EnergyKey)
	if opts.ForcesKey != "" {
		fmt.Fprintf(w, " and %d with no %s", rep.SkippedForces, opts.ForcesKey)
	}
	if rep.EmptySystems > 0 {
		fmt.Fprintf(w, " (%d groups had no usable frame)", rep.EmptySystems)
	}
	fmt.Fprintln(w)
	if opts.ForcesKey == "" {
		if f := strings.TrimSuffix(opts.EnergyKey, ".energy") + ".forces"; slices.Contains(rep.Keys, f) {
			fmt.Fprintf(w, "  forces not imported: add --forces-key %s to import them\n", f)
		}
	}
}

// printWritten reports what was written: totals, then up to 20 systems.
func printWritten(w io.Writer, out string, units datasets.Units, systems []datasets.SystemWritten) {
	frames := 0
	seen := map[int]bool{}
	for _, l := range systems {
		frames += l.Frames
		for _, z := range l.Numbers {
			seen[z] = true
		}
	}
	var syms []string
	for z := 1; z <= elements.Count; z++ {
		if seen[z] {
			syms = append(syms, elements.Symbol(z))
		}
	}
	fmt.Fprintf(w, "wrote %s: %d %s, %d frames, elements %s\n", out, len(systems), atomsPlural(len(systems), "system", "systems"), frames, strings.Join(syms, " "))
	fmt.Fprintf(w, "  read as %s, stored as eV and angstrom\n", units)
	sorted := slices.Clone(systems)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for i, l := range sorted {
		if i == 20 {
			fmt.Fprintf(w, "  … and %d more systems (sciadapt inspect data %s --systems lists them)\n", len(sorted)-20, out)
			break
		}
		var parts []string
		for _, p := range []struct {
			on   bool
			name string
		}{{l.Forces, "forces"}, {l.Cell, "cell"}, {l.Stress, "stress"}} {
			if p.on {
				parts = append(parts, p.name)
			}
		}
		extra := ""
		if len(parts) > 0 {
			extra = ", " + strings.Join(parts, ", ")
		}
		fmt.Fprintf(w, "  system %-20s %-12s %4d atoms %7d frames%s\n", l.Name, datasets.Formula(l.Numbers), len(l.Numbers), l.Frames, extra)
	}
}

func atomsPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
