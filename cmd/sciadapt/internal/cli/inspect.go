package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
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
	f, err := datasets.Open(opts.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := f.Summary()
	if err != nil {
		return err
	}
	return f.WriteSummary(orDiscardWriter(opts.Stdout), &s, opts.ListSystems)
}
