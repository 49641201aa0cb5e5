package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/paths"
	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// ImportGleebleOptions are the inputs of "sciadapt import gleeble".
type ImportGleebleOptions struct {
	Inputs  []string // Gleeble HDF5 files
	Out     string   // output HDF5 file
	Dataset string   // table to read in each input
	Stdout  io.Writer
}

// NewCmdImportGleeble returns the "import gleeble" command.
func NewCmdImportGleeble() *cobra.Command {
	opts := &ImportGleebleOptions{}
	cmd := &cobra.Command{
		Use:   "gleeble FILE.h5... --out OUT.h5",
		Short: "Import Gleeble hot-compression flow curves as true stress–strain curves",
		Long: `Import hot-compression flow curves from a Gleeble HDF5 table into one HDF5 file in
the sciadapt-curves layout, one group per temperature and strain rate.

The input holds a dataset (default "all") of shape (N, 4) with columns strain, strain
rate (1/s), temperature (°C) and flow stress (MPa), strain and stress as positive
magnitudes. Consecutive rows with the same temperature and rate form one curve. The
curves are stored with tension positive (so compression is negative), temperatures
in kelvin, loading="compression" and the source units as attributes; they are not
otherwise processed (no elastic part is resolved and compression does not neck).

One line per curve is printed: temperature, strain rate, points and the peak flow
stress with the strain where it is reached.`,
		Example: `  sciadapt import gleeble gleeble_medium_carbon_steel/GleebleData.h5 --out STEEL.h5
  sciadapt import gleeble GleebleData.h5 --dataset short --out STEEL_short.h5`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			return runImportGleeble(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	cmd.Flags().StringVar(&opts.Dataset, "dataset", "all", "dataset of the (N, 4) table in each input")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runImportGleeble(opts *ImportGleebleOptions) error {
	if opts.Out == "" {
		return usagef("--out is required: the HDF5 file to write")
	}
	if opts.Dataset == "" {
		return usagef("--dataset must name a dataset, such as all")
	}
	files, err := paths.Files(opts.Inputs, ".h5")
	if err != nil {
		return err
	}
	if err := paths.CheckOutNotInput(opts.Out, files); err != nil {
		return err
	}
	out, err := curves.ImportGleeble(files, opts.Dataset)
	if err != nil {
		return err
	}
	if err := curves.Write(opts.Out, out); err != nil {
		return err
	}
	w := orDiscardWriter(opts.Stdout)
	curves.WriteFlowSummary(w, out)
	fmt.Fprintf(w, "wrote %d curves (%d points) to %s: true strain, true stress in MPa (compression negative), temperature in K\n",
		len(out), curves.Points(out), opts.Out)
	return nil
}
