package dtidata

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestDrugScaffolds(t *testing.T) {
	d := &Dataset{Task: Binary, Drugs: []Drug{
		{ID: "toluene", SMILES: "Cc1ccccc1"},
		{ID: "ethylbenzene", SMILES: "CCc1ccccc1"},
		{ID: "pyridine", SMILES: "c1ccncc1"},
		{ID: "ethanol", SMILES: "CCO"},
		{ID: "hexane", SMILES: "CCCCCC"},
		{ID: "kekule-toluene", SMILES: "CC1=CC=CC=C1"},
	}}
	keys, groups, err := d.DrugScaffolds()
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 0, 1, 2, 2, 0}
	if !slices.Equal(groups, want) {
		t.Errorf("groups %v (keys %q), want %v", groups, keys, want)
	}
	if keys[3] != "" || keys[0] != "c1ccccc1" {
		t.Errorf("keys %q", keys)
	}
	d.Drugs = append(d.Drugs, Drug{ID: "bad", SMILES: "C1CC"})
	if _, _, err := d.DrugScaffolds(); err == nil || !strings.Contains(err.Error(), "drug 6 (bad)") {
		t.Errorf("error %v does not name the drug", err)
	}
}

func TestSplitByScaffold(t *testing.T) {
	d := gpcrFixture(t)
	all := make([]int, len(d.Pairs))
	for i := range all {
		all[i] = i
	}
	keys, _, err := d.DrugScaffolds()
	if err != nil {
		t.Fatal(err)
	}
	train, val, err := d.SplitByScaffold(all, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(train)+len(val) != len(all) || len(val) == 0 {
		t.Fatalf("%d train + %d validation of %d pairs", len(train), len(val), len(all))
	}
	trainScaf := map[string]bool{}
	for _, k := range train {
		trainScaf[keys[d.Pairs[k].Drug]] = true
	}
	for _, k := range val {
		if s := keys[d.Pairs[k].Drug]; trainScaf[s] {
			t.Fatalf("validation pair %d has scaffold %q, which is also in training", k, s)
		}
	}
	if f := float64(len(val)) / float64(len(all)); f < 0.2 || f > 0.45 {
		t.Errorf("validation fraction %.2f, want about 0.2", f)
	}
	train2, val2, _ := d.SplitByScaffold(all, 0.2, 1)
	if !slices.Equal(train, train2) || !slices.Equal(val, val2) {
		t.Error("same seed, different split")
	}
	differ := false
	for seed := uint64(2); seed < 10 && !differ; seed++ {
		_, v, _ := d.SplitByScaffold(all, 0.2, seed)
		differ = !slices.Equal(v, val)
	}
	if !differ {
		t.Error("nine seeds give the same split")
	}
	one := &Dataset{Task: Binary, Drugs: []Drug{{ID: "a", SMILES: "Cc1ccccc1"}, {ID: "b", SMILES: "Oc1ccccc1"}},
		Proteins: d.Proteins[:1], Pairs: []Pair{{Drug: 0}, {Drug: 1}}}
	if _, _, err := one.SplitByScaffold([]int{0, 1}, 0.5, 1); err == nil || !strings.Contains(err.Error(), "fewer than two scaffolds") {
		t.Errorf("one scaffold: error %v", err)
	}
}

// TestSplitByScaffoldLargeGroup gives one scaffold 60% of the pairs: it never goes
// to validation, which therefore stays near the wanted fraction for every seed.
func TestSplitByScaffoldLargeGroup(t *testing.T) {
	d := &Dataset{Task: Binary, Proteins: []Protein{{ID: "P", Species: "human", Sequence: "MKV"}}}
	rings := []string{"c1ccccc1", "c1ccncc1", "C1CCCCC1", "c1ccoc1", "c1ccsc1", "C1CCNCC1", "C1CCOC1", "c1cn[nH]c1", "C1CC1"}
	for i := range 60 { // 60 benzenes
		d.Drugs = append(d.Drugs, Drug{ID: fmt.Sprintf("b%d", i), SMILES: "c1ccccc1" + strings.Repeat("C", i+1)})
	}
	for i, r := range rings[1:] { // 8 other scaffolds, 5 compounds each
		for j := range 5 {
			d.Drugs = append(d.Drugs, Drug{ID: fmt.Sprintf("r%d_%d", i, j), SMILES: r + strings.Repeat("C", j+1)})
		}
	}
	var pairs []int
	for j := range d.Drugs {
		d.Pairs = append(d.Pairs, Pair{Drug: j, Protein: 0, Value: float64(j % 2), Fold: -1})
		pairs = append(pairs, j)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		_, val, err := d.SplitByScaffold(pairs, 0.2, seed)
		if err != nil {
			t.Fatal(err)
		}
		if f := float64(len(val)) / float64(len(pairs)); f < 0.2 || f > 0.3 {
			t.Errorf("seed %d: validation fraction %.2f, want 0.2–0.3 (groups of 5 of 100 pairs)", seed, f)
		}
	}
}
