package bio_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/seq"
	"github.com/sciadapt/sciadapt/nn"
)

// A DeepDTA-like model scores drug–protein pairs; each protein and drug is
// encoded once per call.
func ExampleModel_Outputs() {
	d := &dtidata.Dataset{Task: dtidata.Binary,
		Drugs: []dtidata.Drug{{ID: "caffeine", SMILES: "Cn1c(=O)c2c(ncn2C)n(C)c1=O"}, {ID: "ethanol", SMILES: "CCO"}},
		Proteins: []dtidata.Protein{{ID: "P1", Species: "human", Sequence: "MKTAYIAKQRQISFVKSHFSRQ"},
			{ID: "P2", Species: "rat", Sequence: "MSEQKLISEEDLWAAAW"}},
		Pairs: []dtidata.Pair{{Drug: 0, Protein: 0, Value: 1}, {Drug: 1, Protein: 0}, {Drug: 1, Protein: 1, Value: 1}},
	}
	var corpus [][]string
	for _, dr := range d.Drugs {
		toks, _ := seq.TokenizeSMILES(dr.SMILES)
		corpus = append(corpus, toks)
	}
	cfg := bio.DefaultConfig(dtidata.Binary)
	cfg.DrugVocabulary = seq.BuildVocabulary(corpus, 1)
	m, err := bio.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := m.Tokenize(d)
	if err != nil {
		fmt.Println(err)
		return
	}
	y := m.Outputs(nil, data, []int{0, 1, 2})
	// 28×32 + (8·32·32 + 32) + (8·32·64 + 64) protein, 11×32 + (4·32·32 + 32) +
	// (6·32·64 + 64) drug (9 SMILES tokens + pad + unknown), 128·64 + 64 + 64 + 1 head.
	total, trainable := nn.Counts(m)
	fmt.Println("outputs:", y.Shape(), "(logits)")
	fmt.Println("protein and drug widths:", m.ProteinWidth(), m.DrugWidth())
	fmt.Println("parameters:", total, "trainable:", trainable)
	// Output:
	// outputs: [3] (logits)
	// protein and drug widths: 64 64
	// parameters: 50721 trainable: 50721
}

// Transfer methods and the adapters they attach to the protein branch.
func ExampleAdapterConfig() {
	for _, m := range bio.Methods[1:] {
		c, err := bio.AdapterConfig(m, bio.AdapterOptions{})
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-8s %-10s %v%v\n", m, c.Method, c.Targets, c.Patterns)
	}
	// Output:
	// head     select     [][head.**]
	// full     full       [][]
	// adapter  bottleneck [protein.conv*][]
	// lora     lora       [protein.conv*][]
	// prompt   prompt     [protein.embed][]
}

// The receptor base-rate control scores each test pair with the fraction of
// positives among its protein's adaptation pairs: here protein 0 adapts on
// labels 1, 1, 0 and protein 1 on 0, 0.
func ExampleReceptorRate() {
	d := &dtidata.Dataset{Task: dtidata.Binary, Pairs: []dtidata.Pair{
		{Protein: 0, Value: 1}, {Protein: 0, Value: 1}, {Protein: 0, Value: 0}, // adapt
		{Protein: 1, Value: 0}, {Protein: 1, Value: 0}, // adapt
		{Protein: 0, Value: 1}, {Protein: 1, Value: 1}, // test
	}}
	fmt.Printf("%.3f\n", bio.ReceptorRate(d, []int{0, 1, 2, 3, 4}, []int{5, 6}))
	// Output:
	// [0.667 0.000]
}
