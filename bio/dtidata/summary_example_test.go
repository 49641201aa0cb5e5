package dtidata_test

import (
	"fmt"
	"log"
	"os"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

func ExampleWriteDavisSummary() {
	d, err := dtidata.ImportDavis("../../testdata/dti/davis", &dtidata.DavisOptions{Setting: 1})
	if err != nil {
		log.Fatal(err)
	}
	dtidata.WriteDavisSummary(os.Stdout, d, 1)
	// Output:
	// 5 drugs × 6 proteins, 30 measured pairs, pKd 5.000 to 9.027, 8 at the 10000 nM ceiling (pKd 5)
	//   DeepDTA setting 1: test fold 8 pairs; training folds 7 2 5 5 3
}

func ExampleWritePairSummary() {
	species, err := dtidata.ReadSpeciesTableFile("../../testdata/dti/gpcr/protein_species_subset.tsv")
	if err != nil {
		log.Fatal(err)
	}
	d, err := dtidata.ImportGPCR([]dtidata.PairFile{
		{Path: "../../testdata/dti/gpcr/GPCR_train_subset.txt", Split: "train"},
		{Path: "../../testdata/dti/gpcr/GPCR_test_subset.txt", Split: "test"},
	}, &dtidata.GPCROptions{Species: species, OtherSpecies: dtidata.UnknownSpecies})
	if err != nil {
		log.Fatal(err)
	}
	dtidata.WritePairSummary(os.Stdout, d)
	// Output:
	// 45 pairs, 44 drugs, 8 proteins
	//   split train      36 pairs, 18 positive
	//   split test        9 pairs, 7 positive
	//   species human         2 proteins     10 pairs
	//   species rat           4 proteins     27 pairs
	//   species unknown       2 proteins      8 pairs
}

func ExampleAddOrthologs() {
	d, err := dtidata.ImportFASTA([]dtidata.FASTAFile{
		{Path: "../../testdata/dti/orthologs/human_subset.fasta", Species: "human"},
		{Path: "../../testdata/dti/orthologs/rat_subset.fasta", Species: "rat"},
	})
	if err != nil {
		log.Fatal(err)
	}
	missing, err := dtidata.AddOrthologs(d, "../../testdata/dti/orthologs/ortholog_pairs_subset.tsv")
	if err != nil {
		log.Fatal(err)
	}
	dtidata.WriteSpeciesCounts(os.Stdout, d)
	dtidata.WriteOrthologSummary(os.Stdout, d, missing)
	_, err = dtidata.AddOrthologs(d, "../../testdata/dti/orthologs/rat_subset.fasta")
	fmt.Println(err)
	// Output:
	// species human         5 proteins
	//   species rat           4 proteins
	// 4 ortholog pairs: human–rat 4 human–mouse 0
	// 8 ortholog pairs left out (sequence not in the FASTA files):
	//   ADRA1A rat P23944: sequence not given
	//   ADRA1A mouse P97718: sequence not given
	//   ADRB2 mouse P18762: sequence not given
	//   CHRM1 mouse P12657: sequence not given
	//   CHRM3 mouse Q9ERZ3: sequence not given
	//   CNR2 mouse P47936: sequence not given
	//   MAOA human P21397 and rat P21396: neither sequence given
	//   MAOA human P21397 and mouse Q64133: neither sequence given
	// ../../testdata/dti/orthologs/rat_subset.fasta: line 1: header has no "gene_symbol_in_source" column (want tab-separated gene_symbol_in_source, source_target_label, human_acc, rat_acc, mouse_acc, id_human_rat, id_human_mouse, note)
}
