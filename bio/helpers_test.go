package bio

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/seq"
)

// synthetic returns a binary dataset in which the label is learnable only from
// the protein: class-1 proteins carry the motif "WW" (class-0 proteins have no W
// at all), class-1 drugs an N and class-0 drugs an O, and a pair is positive when
// the classes agree. Every drug is positive on some proteins and negative on
// others, as in the GPCR set, so a drug-only model cannot beat chance. Proteins
// 0 … nHuman−1 are human, the rest rat; protein i and protein nHuman+i (when it
// exists) are "orthologs": the rat one is the human one with 10 % of its residues
// mutated.
func synthetic(nHuman, nRat, nDrugs, perProtein int, seed uint64) *dtidata.Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	const bg = "ACDEFGHIKLMNPQRSTVY" // no W
	d := &dtidata.Dataset{Source: "synthetic", Task: dtidata.Binary}
	class := make([]int, 0, nHuman+nRat)
	mk := func(c int) string {
		n := 30 + rng.IntN(20)
		b := make([]byte, n)
		for i := range b {
			b[i] = bg[rng.IntN(len(bg))]
		}
		if c == 1 {
			for k := 0; k < 2; k++ {
				p := rng.IntN(n - 2)
				b[p], b[p+1] = 'W', 'W'
			}
		}
		return string(b)
	}
	for i := 0; i < nHuman; i++ {
		c := i % 2
		class = append(class, c)
		d.Proteins = append(d.Proteins, dtidata.Protein{ID: fmt.Sprintf("H%d", i), Species: "human", Sequence: mk(c)})
	}
	for i := 0; i < nRat; i++ {
		c := i % 2
		s := []byte(d.Proteins[i%nHuman].Sequence)
		for k := range s {
			if s[k] != 'W' && rng.Float64() < 0.1 {
				s[k] = bg[rng.IntN(len(bg))]
			}
		}
		class = append(class, c)
		d.Proteins = append(d.Proteins, dtidata.Protein{ID: fmt.Sprintf("R%d", i), Species: "rat", Sequence: string(s)})
		d.Orthologs = append(d.Orthologs, dtidata.Ortholog{Human: i % nHuman, Other: nHuman + i, Identity: 0.9})
	}
	dclass := make([]int, nDrugs)
	for j := 0; j < nDrugs; j++ {
		dclass[j] = j % 2
		het := "O"
		if dclass[j] == 1 {
			het = "N"
		}
		ring := []string{"c1ccccc1", "C1CCCC1", ""}[j%3] // three scaffold groups
		smi := ring + strings.Repeat("C", 1+rng.IntN(4)) + het + strings.Repeat("C", 1+j/2%5) + "(" + strings.Repeat("C", 1+j%3) + ")C"
		d.Drugs = append(d.Drugs, dtidata.Drug{ID: fmt.Sprintf("D%d", j), SMILES: smi})
	}
	for p := range d.Proteins {
		for _, j := range rng.Perm(nDrugs)[:perProtein] {
			v := 0.0
			if class[p] == dclass[j] {
				v = 1
			}
			d.Pairs = append(d.Pairs, dtidata.Pair{Drug: j, Protein: p, Value: v, Fold: -1})
		}
	}
	if err := d.Validate(); err != nil {
		panic(err)
	}
	return d
}

// tinyConfig is a small model for the tests.
func tinyConfig(d *dtidata.Dataset, seed uint64) Config {
	var corpus [][]string
	for _, dr := range d.Drugs {
		toks, err := seq.TokenizeSMILES(dr.SMILES)
		if err != nil {
			panic(err)
		}
		corpus = append(corpus, toks)
	}
	return Config{Task: d.Task, Embed: 8, ProteinFilters: []int{8, 8}, ProteinWidths: []int{3, 3},
		DrugFilters: []int{8}, DrugWidths: []int{3}, Hidden: []int{16},
		MaxProteinLength: 100, MaxDrugLength: 40, DrugVocabulary: seq.BuildVocabulary(corpus, 1), Seed: seed}
}

func newTiny(t testing.TB, d *dtidata.Dataset, seed uint64) (*Model, *Data) {
	t.Helper()
	m, err := New(tinyConfig(d, seed))
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	return m, data
}

func pairsOf(d *dtidata.Dataset, species string) []int { return d.PairsBySpecies(species) }
