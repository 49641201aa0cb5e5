package cli

import (
	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/imports"
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

// ImportAtomsOptions are the inputs of "sciadapt import extxyz|ani1x|deepmd": imports.Atoms, run by its Run method.
type ImportAtomsOptions = imports.Atoms

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
		RunE: importAtomsE(opts),
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
		RunE: importAtomsE(opts),
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
		RunE: importAtomsE(opts),
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

// importAtomsE returns the RunE of an atoms import: the arguments are the inputs.
func importAtomsE(opts *ImportAtomsOptions) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		opts.Inputs, opts.Stdout = args, cmd.OutOrStdout()
		opts.Progress = importProgressFor(cmd, "import "+opts.Format)
		return runImportAtoms(opts)
	}
}

// runImportAtoms imports with the program recorded as this sciadapt's version.
func runImportAtoms(opts *ImportAtomsOptions) error {
	if opts.Program == "" {
		opts.Program = "sciadapt " + Version
	}
	return opts.Run()
}
