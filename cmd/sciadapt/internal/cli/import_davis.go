package cli

import (
	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/imports"
)

// ImportDavisOptions are the inputs of "sciadapt import davis": imports.Davis, run by its Run method.
type ImportDavisOptions = imports.Davis

// NewCmdImportDavis returns the "import davis" command.
func NewCmdImportDavis() *cobra.Command {
	opts := &ImportDavisOptions{}
	cmd := &cobra.Command{
		Use:   "davis DIR --out OUT.h5",
		Short: "Import the Davis kinase set as distributed with DeepDTA as affinity data in pKd",
		Long: `Import a DeepDTA data directory (the Davis et al. 2011 kinase set) into one HDF5 file
in the sciadapt-dti layout with affinities in pKd.

DIR holds ligands_can.txt and proteins.txt (JSON objects id → SMILES and id →
sequence, whose order is kept), the text affinity matrix
drug-target_interaction_affinities_Kd__Davis_et_al.2011v1.txt (one line per ligand,
one column per protein, Kd in nM) and optionally folds/. The pickle Y is never
read. Kd becomes pKd = -log10(Kd/1e9), so the 10000 nM inactive ceiling is pKd 5;
a nan cell is not measured and gives no pair.

Pairs are stored in DeepDTA's order (ligand-major over measured cells), so pair k
is index k of DeepDTA's fold files: the test fold becomes split "test", training
fold f split "train" with fold f.`,
		Example: `  sciadapt import davis data/dti/davis --out DAVIS.h5
  sciadapt import davis DeepDTA/data/davis --setting 1 --out DAVIS.h5`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			opts.Stdout = cmd.OutOrStdout()
			return runImportDavis(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	cmd.Flags().IntVar(&opts.Setting, "setting", 1, "DeepDTA fold setting: reads folds/{train,test}_fold_setting<N>.txt")
	cmd.Flags().StringVar(&opts.Species, "species", "human", "species of the proteins")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runImportDavis(opts *ImportDavisOptions) error { return opts.Run() }
