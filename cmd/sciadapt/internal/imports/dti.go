package imports

import (
	"fmt"
	"io"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/paths"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
)

// GPCR are the inputs of an import of TransformerCPI pair lists.
type GPCR struct {
	Inputs       []string // pair lists, each "PATH" or "SPLIT=PATH"
	Out          string   // output HDF5 file
	SpeciesTable string   // protein_species.tsv, "" for none
	Species      string   // species of proteins not in the table
	Stdout       io.Writer
}

// Run imports the pair lists, each one split (named, or from the file name:
// dtidata.SplitFromName), with the species of the table (dtidata.ImportGPCR),
// writes them to Out and prints the pairs per split and species.
func (opts *GPCR) Run() error {
	if opts.Out == "" {
		return usage.Errorf("--out is required: the HDF5 file to write")
	}
	if len(opts.Inputs) == 0 {
		return usage.Errorf("give at least one pair list, e.g. GPCR_train.txt")
	}
	var files []dtidata.PairFile
	for _, a := range opts.Inputs {
		name, path, err := paths.SplitPrefixed(a)
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
		var err error
		if gopts.Species, err = dtidata.ReadSpeciesTableFile(opts.SpeciesTable); err != nil {
			return err
		}
	}
	d, err := dtidata.ImportGPCR(files, gopts)
	if err != nil {
		return err
	}
	if err := dtidata.Write(opts.Out, d); err != nil {
		return err
	}
	w := orDiscardWriter(opts.Stdout)
	dtidata.WritePairSummary(w, d)
	fmt.Fprintf(w, "wrote %s (sciadapt-dti, binary labels)\n", opts.Out)
	return nil
}

// Davis are the inputs of an import of DeepDTA's Davis directory.
type Davis struct {
	Dir     string // DeepDTA data directory
	Out     string // output HDF5 file
	Setting int    // DeepDTA fold setting
	Species string // species of the proteins
	Stdout  io.Writer
}

// Run imports the directory (dtidata.ImportDavis), writes it to Out and prints
// its size, pKd range and folds.
func (opts *Davis) Run() error {
	if opts.Out == "" {
		return usage.Errorf("--out is required: the HDF5 file to write")
	}
	if opts.Setting < 1 {
		return usage.Errorf("--setting must be 1 or more, got %d", opts.Setting)
	}
	d, err := dtidata.ImportDavis(opts.Dir, &dtidata.DavisOptions{Setting: opts.Setting, Species: opts.Species})
	if err != nil {
		return err
	}
	if err := dtidata.Write(opts.Out, d); err != nil {
		return err
	}
	w := orDiscardWriter(opts.Stdout)
	dtidata.WriteDavisSummary(w, d, opts.Setting)
	fmt.Fprintf(w, "wrote %s (sciadapt-dti, affinity in pKd)\n", opts.Out)
	return nil
}

// FASTA are the inputs of an import of protein FASTA files.
type FASTA struct {
	Inputs    []string // FASTA files, each "PATH" or "SPECIES=PATH"
	Out       string   // output HDF5 file
	Species   string   // species of files without a SPECIES= prefix
	Orthologs string   // ortholog table (TSV), "" for none
	Stdout    io.Writer
}

// Run imports the proteins of the files, each of a species (dtidata.ImportFASTA),
// joins the ortholog table if given (dtidata.AddOrthologs), writes them to Out
// and prints the proteins per species and the ortholog pairs.
func (opts *FASTA) Run() error {
	if opts.Out == "" {
		return usage.Errorf("--out is required: the HDF5 file to write")
	}
	if len(opts.Inputs) == 0 {
		return usage.Errorf("give at least one FASTA file")
	}
	var files []dtidata.FASTAFile
	for _, a := range opts.Inputs {
		species, path, err := paths.SplitPrefixed(a)
		if err != nil {
			return err
		}
		if species == "" {
			species = opts.Species
		}
		if species == "" {
			return usage.Errorf("%s: no species: give --species (e.g. --species rat) or write SPECIES=%s", path, path)
		}
		files = append(files, dtidata.FASTAFile{Path: path, Species: species})
	}
	d, err := dtidata.ImportFASTA(files)
	if err != nil {
		return err
	}
	var missing []string
	if opts.Orthologs != "" {
		if missing, err = dtidata.AddOrthologs(d, opts.Orthologs); err != nil {
			return err
		}
	}
	if err := dtidata.Write(opts.Out, d); err != nil {
		return err
	}
	w := orDiscardWriter(opts.Stdout)
	fmt.Fprintf(w, "%d proteins\n", len(d.Proteins))
	dtidata.WriteSpeciesCounts(w, d)
	if opts.Orthologs != "" {
		dtidata.WriteOrthologSummary(w, d, missing)
	}
	fmt.Fprintf(w, "wrote %s (sciadapt-dti, proteins only)\n", opts.Out)
	return nil
}
