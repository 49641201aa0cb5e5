package cli

import (
	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/imports"
)

// ImportGPCROptions are the inputs of "sciadapt import gpcr": imports.GPCR, run by its Run method.
type ImportGPCROptions = imports.GPCR

// NewCmdImportGPCR returns the "import gpcr" command.
func NewCmdImportGPCR() *cobra.Command {
	opts := &ImportGPCROptions{}
	cmd := &cobra.Command{
		Use:   "gpcr [SPLIT=]PAIRS.txt... --out OUT.h5",
		Short: "Import TransformerCPI compound–protein pair lists as binary drug–target data",
		Long: `Import TransformerCPI pair lists (one pair per line: SMILES SEQUENCE LABEL, label 0
or 1) into one HDF5 file in the sciadapt-dti layout. Drugs are the distinct SMILES,
proteins the distinct sequences; every SMILES must tokenise and every sequence be a
protein sequence, or the import stops naming the file and line.

Each input file is one split. Write SPLIT=FILE to name it; otherwise the split is
taken from a file name ending in _train, _test, _val or _dev (GPCR_train.txt is
"train"), and a file with neither has no split.

The files do not say the species of a protein. --species-table names a
tab-separated table with columns species, accession and sequence (such as
protein_species.tsv); proteins are matched by sequence and get the species and
UniProt accession it gives. Proteins not in the table get --species (default
"unknown"); for a file of one species without a table, give just --species.

The GPCR set was built for a label-reversal test: a compound usually appears on
other proteins with the opposite label. Split by protein, not by pair, and compare
with a drug-only control.`,
		Example: `  sciadapt import gpcr GPCR_train.txt GPCR_test.txt --species-table protein_species.tsv --out GPCR.h5
  sciadapt import gpcr train=my_rat_pairs.txt --species rat --out RAT.h5`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			return runImportGPCR(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	cmd.Flags().StringVar(&opts.SpeciesTable, "species-table", "", "tab-separated table of species, accession, sequence (e.g. protein_species.tsv)")
	cmd.Flags().StringVar(&opts.Species, "species", dtidata.UnknownSpecies, "species of the proteins the table does not name")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runImportGPCR(opts *ImportGPCROptions) error { return opts.Run() }
