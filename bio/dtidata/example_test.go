package dtidata_test

import (
	"fmt"
	"log"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

func ExampleFrameworkKey() {
	for _, smi := range []string{
		"Cc1ccccc1",           // toluene
		"C1=CC=CC=C1",         // benzene, Kekulé form
		"c1ccc(cc1)Cc1ccccc1", // diphenylmethane
		"CCO",                 // ethanol
	} {
		key, err := dtidata.FrameworkKey(smi)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(key)
	}
	// Output:
	// R1:C6
	// R1:C6
	// R1:C6+R1:C6|L1
	// acyclic
}

func ExampleImportDavis() {
	d, err := dtidata.ImportDavis("../../testdata/dti/davis", nil)
	if err != nil {
		log.Fatal(err)
	}
	p := d.Pairs[13]
	fmt.Printf("%d drugs × %d proteins; pair 13: %s on %s, pKd %.3f, split %s fold %d\n",
		len(d.Drugs), len(d.Proteins), d.Drugs[p.Drug].ID, d.Proteins[p.Protein].ID, p.Value, p.Split, p.Fold)
	fmt.Printf("Kd 10000 nM is pKd %g\n", dtidata.KdToPKd(10000))
	// Output:
	// 5 drugs × 6 proteins; pair 13: 11409972 on CDC2L5, pKd 9.027, split train fold 0
	// Kd 10000 nM is pKd 5
}

func ExampleDataset_SplitByProtein() {
	d, err := dtidata.ImportGPCR([]dtidata.PairFile{
		{Path: "../../testdata/dti/gpcr/GPCR_train_subset.txt", Split: "train"},
	}, &dtidata.GPCROptions{OtherSpecies: "rat"})
	if err != nil {
		log.Fatal(err)
	}
	pairs := d.PairsBySpecies("rat")
	train, test := d.SplitByProtein(pairs, 0.25, 1)
	fmt.Printf("%d pairs on %d proteins: %d train pairs on %d proteins, %d test pairs on %d proteins\n",
		len(pairs), len(d.ProteinsOf(pairs)), len(train), len(d.ProteinsOf(train)), len(test), len(d.ProteinsOf(test)))
	// Output:
	// 36 pairs on 8 proteins: 29 train pairs on 6 proteins, 7 test pairs on 2 proteins
}
