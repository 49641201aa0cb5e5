package cli

import (
	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/imports"
)

// ImportFASTAOptions are the inputs of "sciadapt import fasta": imports.FASTA, run by its Run method.
type ImportFASTAOptions = imports.FASTA

// NewCmdImportFASTA returns the "import fasta" command.
func NewCmdImportFASTA() *cobra.Command {
	opts := &ImportFASTAOptions{}
	cmd := &cobra.Command{
		Use:   "fasta [SPECIES=]FILE.fasta... --species SPECIES --out OUT.h5",
		Short: "Import protein FASTA files, and optionally human–rat/mouse ortholog pairs",
		Long: `Import protein sequences from FASTA files into one HDF5 file in the sciadapt-dti
layout (proteins only, task "none"). Every protein needs a species: --species gives
it for all files, SPECIES=FILE for one file. Record ids are kept; a UniProt header
(sp|P08482|ACM1_RAT) or an id that is a UniProt accession also sets the accession.
Residues are the 20 standard one-letter codes plus U, O, B, Z, J and X; anything
else stops the import naming the file, line and column.

--orthologs names a tab-separated ortholog table with columns
gene_symbol_in_source, human_acc, rat_acc, id_human_rat and optionally
source_target_label, mouse_acc, id_human_mouse, note (such as
ortholog_pairs_checked.tsv). Each human–rat and human–mouse pair whose two
sequences are among the imported proteins is stored, with its identity, gene label
and note; the pairs left out for a missing sequence are listed.`,
		Example: `  sciadapt import fasta human=human_proteins_combined.fasta rat=rat_proteins_combined.fasta \
      --orthologs ortholog_pairs_checked.tsv --out ORTHOLOGS.h5
  sciadapt import fasta uniprot_rat_gpcrs.fasta --species rat --out RAT_PROTEINS.h5`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			return runImportFASTA(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	cmd.Flags().StringVar(&opts.Species, "species", "", "species of the proteins in files without a SPECIES= prefix, e.g. rat")
	cmd.Flags().StringVar(&opts.Orthologs, "orthologs", "", "tab-separated human–rat/mouse ortholog table to join by accession")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runImportFASTA(opts *ImportFASTAOptions) error { return opts.Run() }
