package cli

import (
	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/imports"
)

// ImportGleebleOptions are the inputs of "sciadapt import gleeble": imports.Gleeble, run by its Run method.
type ImportGleebleOptions = imports.Gleeble

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

func runImportGleeble(opts *ImportGleebleOptions) error { return opts.Run() }
