package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// ImportGPCROptions are the inputs of "sciadapt import gpcr".
type ImportGPCROptions struct {
	Inputs       []string // pair lists, each "PATH" or "SPLIT=PATH"
	Out          string   // output HDF5 file
	SpeciesTable string   // protein_species.tsv, "" for none
	Species      string   // species of proteins not in the table
	Stdout       io.Writer
}

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

func runImportGPCR(opts *ImportGPCROptions) error {
	if opts.Out == "" {
		return usagef("--out is required: the HDF5 file to write")
	}
	if len(opts.Inputs) == 0 {
		return usagef("give at least one pair list, e.g. GPCR_train.txt")
	}
	var files []dtidata.PairFile
	for _, a := range opts.Inputs {
		name, path, err := splitPrefixed(a)
		if err != nil {
			return err
		}
		if name == "" {
			name = dtidata.SplitFromName(path)
		}
		files = append(files, dtidata.PairFile{Path: path, Split: name})
	}
	gopts := &dtidata.GPCROptions{OtherSpecies: opts.Species}
	if opts.SpeciesTable != "" {
		f, err := os.Open(opts.SpeciesTable)
		if err != nil {
			return err
		}
		gopts.Species, err = dtidata.ReadSpeciesTable(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", opts.SpeciesTable, err)
		}
	}
	d, err := dtidata.ImportGPCR(files, gopts)
	if err != nil {
		return err
	}
	if err := dtidata.Write(opts.Out, d); err != nil {
		return err
	}
	w := opts.Stdout
	if w == nil {
		w = io.Discard
	}
	fmt.Fprintf(w, "%d pairs, %d drugs, %d proteins\n", len(d.Pairs), len(d.Drugs), len(d.Proteins))
	for _, s := range d.Splits() {
		idx := d.PairsInSplit(s)
		fmt.Fprintf(w, "  split %-6s %6d pairs, %d positive\n", s, len(idx), countPositive(d, idx))
	}
	if n := len(d.PairsInSplit("")); n > 0 && len(d.Splits()) > 0 {
		fmt.Fprintf(w, "  no split     %6d pairs\n", n)
	}
	printSpeciesCounts(w, d)
	fmt.Fprintf(w, "wrote %s (sciadapt-dti, binary labels)\n", opts.Out)
	return nil
}

// splitPrefixed parses "NAME=PATH" (NAME without '/' or path separators) or "PATH".
// An argument that names an existing file is always a plain path.
func splitPrefixed(arg string) (name, path string, err error) {
	if _, err := os.Stat(arg); err == nil {
		return "", arg, nil
	}
	if i := strings.IndexByte(arg, '='); i >= 0 && !strings.ContainsAny(arg[:i], `/\`) {
		name, path = arg[:i], arg[i+1:]
		if name == "" || path == "" {
			return "", "", usagef("%q: want NAME=FILE with both parts", arg)
		}
	} else {
		path = arg
	}
	if _, err := os.Stat(path); err != nil {
		return "", "", fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	return name, path, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func countPositive(d *dtidata.Dataset, idx []int) int {
	n := 0
	for _, i := range idx {
		if d.Pairs[i].Value == 1 {
			n++
		}
	}
	return n
}

// printSpeciesCounts prints proteins and pairs per species.
func printSpeciesCounts(w io.Writer, d *dtidata.Dataset) {
	species, pairs := d.SpeciesCounts()
	for i, s := range species {
		nProt := 0
		for _, p := range d.Proteins {
			if p.Species == s {
				nProt++
			}
		}
		if len(d.Pairs) == 0 {
			fmt.Fprintf(w, "  species %-10s %4d proteins\n", s, nProt)
			continue
		}
		fmt.Fprintf(w, "  species %-10s %4d proteins %6d pairs\n", s, nProt, pairs[i])
	}
}
