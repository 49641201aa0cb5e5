package cli

import (
	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/imports"
)

// ImportMatCalOptions are the inputs of "sciadapt import matcal": imports.MatCal, run by its Run method.
type ImportMatCalOptions = imports.MatCal

// NewCmdImportMatCal returns the "import matcal" command.
func NewCmdImportMatCal() *cobra.Command {
	opts := &ImportMatCalOptions{}
	cmd := &cobra.Command{
		Use:   "matcal FILE.csv... --out OUT.h5",
		Short: "Import Sandia MatCal tension-test CSV files as true stress–strain curves",
		Long: `Import uniaxial tension curves from Sandia MatCal CSV files into one HDF5 file in
the sciadapt-curves layout, one group per specimen.

Each file starts with MatCal's state line, a Python dict such as
{'temperature': 533.07, 'direction': 'R11'} with the temperature in Rankine; stresses
are in ksi. Curves are stored as true strain and true stress in MPa at temperatures
in kelvin, with the source units kept as attributes. Each curve is processed as
follows: preload cycles before the final loading are dropped; the data after the
ultimate tensile strength (necking) are dropped unless --keep-after-uts; the elastic
part is fitted by least squares (longest initial segment with R² ≥ 0.999) and the
strains are toe-compensated so the elastic line passes through the origin.

One line per specimen is printed: temperature, direction, points kept, apparent
elastic modulus, 0.2 % offset yield (true stress), ultimate tensile strength
(engineering) and where necking began. Arguments may be glob patterns.`,
		Example: `  sciadapt import matcal al6061_sandia/processed_data/cleaned_*.csv --out AL6061.h5
  sciadapt import matcal cleaned_CA-LT-01.csv cleaned_6061-02-06-200C-LT.csv --out two.h5
  sciadapt import matcal 'processed_data/*200C*.csv' --out AL6061_200C.h5 --keep-after-uts`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			opts.Progress = importProgressFor(cmd, "import matcal")
			return runImportMatCal(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	cmd.Flags().BoolVar(&opts.KeepAfterUTS, "keep-after-uts", false, "keep the points after the ultimate tensile strength (necking); they are marked, not dropped")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runImportMatCal(opts *ImportMatCalOptions) error { return opts.Run() }
