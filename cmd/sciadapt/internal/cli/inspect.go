package cli

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
)

// NewCmdInspect returns the "inspect" command, the parent of one subcommand per kind
// of file (data now; models and adapters later).
func NewCmdInspect() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "inspect <kind> FILE",
		Short: "Describe a sciadapt file: what it holds, in what units, over what ranges",
		Long: `Describe a sciadapt file without changing it. "inspect data" reads an atoms HDF5
file written by "sciadapt import" (or by hand in the same layout) and prints its
systems, frames, elements, units, energy and force ranges and whether it is
periodic.`,
		Example: `  sciadapt inspect data aspirin.h5
  sciadapt inspect data o_train.h5 --systems`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("name what to inspect: sciadapt inspect data FILE.h5 (see \"sciadapt inspect --help\")")
		},
	}
	cmd.AddCommand(newCmdInspectData())
	return cmd
}

// InspectDataOptions are the inputs of "sciadapt inspect data".
type InspectDataOptions struct {
	Path        string // the atoms HDF5 file
	ListSystems bool   // list every system, not only the first 20
	Stdout      io.Writer
}

func newCmdInspectData() *cobra.Command {
	opts := &InspectDataOptions{}
	cmd := &cobra.Command{
		Use:   "data FILE.h5",
		Short: "Describe an atoms HDF5 file: systems, frames, elements, units and value ranges",
		Long: `Describe an atoms HDF5 file (the sciadapt atoms layout): its provenance, the units
it is stored in, its systems with their atoms and frame counts, the elements, whether
it is periodic, and the range of energies, energies per atom, forces and stresses,
all shown in eV and Å whatever the stored units.

Every frame is read, a block at a time (memory stays small for large files), so a
NaN or Inf anywhere, a shape that does not match, an unknown element, unknown units
or a damaged file is reported with the group and frame. Up to 20 systems are listed;
--systems lists all.`,
		Example: `  sciadapt inspect data aspirin.h5
  sciadapt inspect data ../shared/data/rmd17/o_train.h5
  sciadapt inspect data cuagau_train.h5 --systems`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			opts.Stdout = cmd.OutOrStdout()
			return runInspectData(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.ListSystems, "systems", false, "list every system (default: the first 20)")
	return cmd
}

func runInspectData(opts *InspectDataOptions) error {
	w := opts.Stdout
	if w == nil {
		w = io.Discard
	}
	f, err := datasets.Open(opts.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := f.Summary()
	if err != nil {
		return err
	}
	if err := printFileInfo(w, opts.Path, f, &s); err != nil {
		return err
	}
	if len(s.Systems) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return printSystems(w, &s, opts.ListSystems)
}

// printFileInfo prints what a file holds: its metadata, units, systems, frames,
// elements and value ranges.
func printFileInfo(w io.Writer, path string, f *datasets.File, s *datasets.Summary) error {
	meta, units := f.Meta(), f.Units()
	minN, maxN := math.MaxInt, 0
	nForces, nCell, nStress := 0, 0, 0
	for _, sys := range s.Systems {
		minN, maxN = min(minN, sys.Atoms()), max(maxN, sys.Atoms())
		if sys.HasForces {
			nForces++
		}
		if sys.HasCell {
			nCell++
		}
		if sys.HasStress {
			nStress++
		}
	}
	syms := make([]string, len(s.Elements))
	for i, z := range s.Elements {
		syms[i] = elements.Symbol(z)
	}
	some := func(n int) string {
		switch {
		case len(s.Systems) == 0 || n == 0:
			return "no"
		case n == len(s.Systems):
			return "yes"
		}
		return fmt.Sprintf("in %d of %d systems", n, len(s.Systems))
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s (%s, version %d)\n", path, datasets.Format, datasets.Version)
	fmt.Fprintf(tw, "level of theory\t%s\n", orUnknown(meta.LevelOfTheory))
	fmt.Fprintf(tw, "source\t%s\n", orUnknown(meta.Source))
	if units == datasets.EVAngstrom {
		fmt.Fprintf(tw, "stored units\teV and angstrom\n")
	} else {
		fmt.Fprintf(tw, "stored units\t%s (shown below converted to eV and Å)\n", units)
	}
	fmt.Fprintf(tw, "systems\t%d\n", len(s.Systems))
	fmt.Fprintf(tw, "frames\t%d\n", s.All.Frames)
	if len(s.Systems) > 0 {
		if minN == maxN {
			fmt.Fprintf(tw, "atoms per frame\t%d\n", minN)
		} else {
			fmt.Fprintf(tw, "atoms per frame\t%d to %d\n", minN, maxN)
		}
	}
	fmt.Fprintf(tw, "elements\t%s\n", strings.Join(syms, " "))
	fmt.Fprintf(tw, "periodic\t%s\n", some(nCell))
	fmt.Fprintf(tw, "forces\t%s\n", some(nForces))
	fmt.Fprintf(tw, "stress\t%s\n", some(nStress))
	if s.All.Frames > 0 {
		fmt.Fprintf(tw, "energy\t%.4f to %.4f eV\n", s.All.Energy.Min, s.All.Energy.Max)
		fmt.Fprintf(tw, "energy per atom\t%.6f to %.6f eV/atom\n", s.All.EnergyPerAtom.Min, s.All.EnergyPerAtom.Max)
	}
	if !math.IsNaN(s.All.ForceMaxAbs) {
		fmt.Fprintf(tw, "force components\tmax |F| %.4g eV/Å, RMS %.4g eV/Å\n", s.All.ForceMaxAbs, s.All.ForceRMS)
	}
	if !math.IsNaN(s.All.Stress.Min) {
		fmt.Fprintf(tw, "stress components\t%s eV/Å³ (%s GPa, + = tensile)\n", rangeString(s.All.Stress),
			rangeString(datasets.Range{Min: s.All.Stress.Min * evPerA3InGPa, Max: s.All.Stress.Max * evPerA3InGPa}))
	}
	return tw.Flush()
}

// printSystems prints one line per system, the first 20 unless all.
func printSystems(w io.Writer, s *datasets.Summary, all bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "system\tformula\tatoms\tframes\tforces\tcell\tstress\tenergy/atom (eV)\n")
	for i, sys := range s.Systems {
		if i == 20 && !all {
			tw.Flush()
			fmt.Fprintf(w, "… and %d more systems (--systems lists them all)\n", len(s.Systems)-20)
			return nil
		}
		e := "-"
		if sys.Frames > 0 {
			e = fmt.Sprintf("%.6f to %.6f", sys.Stats.EnergyPerAtom.Min, sys.Stats.EnergyPerAtom.Max)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", sys.Name, datasets.Formula(sys.Numbers), sys.Atoms(), sys.Frames,
			yesNo(sys.HasForces), yesNo(sys.HasCell), yesNo(sys.HasStress), e)
	}
	return tw.Flush()
}

// evPerA3InGPa is 1 eV/Å³ in GPa: 1.602176634e-19 J / 1e-30 m³ = 160.2176634 GPa.
const evPerA3InGPa = 160.2176634

func rangeString(r datasets.Range) string {
	return fmt.Sprintf("%.6g to %.6g", r.Min, r.Max)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orUnknown(s string) string {
	if s == "" {
		return "(not recorded)"
	}
	return s
}
