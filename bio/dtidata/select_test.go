package dtidata

import (
	"slices"
	"testing"
)

func TestSelections(t *testing.T) {
	d := gpcrFixture(t)
	rat := d.PairsBySpecies("Rat")
	if len(rat) != 27 {
		t.Fatalf("%d rat pairs, want 27", len(rat))
	}
	prots := d.ProteinsOf(rat)
	if len(prots) != 4 {
		t.Errorf("rat pairs on %d proteins, want 4 (P08482, P08483, Q9QZN9, P10608)", len(prots))
	}
	total := 0
	for _, p := range prots {
		total += len(d.PairsOfProtein(p))
	}
	if total != 27 {
		t.Errorf("pairs of the rat proteins add up to %d", total)
	}
	if n := len(d.DrugsOf(rat)); n < 1 || n > 27 {
		t.Errorf("%d drugs", n)
	}
}

func TestSplitByProtein(t *testing.T) {
	d := gpcrFixture(t)
	all := make([]int, len(d.Pairs))
	for i := range all {
		all[i] = i
	}
	train, test := d.SplitByProtein(all, 0.25, 7)
	if len(train)+len(test) != len(all) || len(test) == 0 || len(train) == 0 {
		t.Fatalf("train %d test %d of %d", len(train), len(test), len(all))
	}
	// 8 proteins × 0.25 = 2 proteins on the test side, none shared.
	trainP, testP := d.ProteinsOf(train), d.ProteinsOf(test)
	if len(testP) != 2 || len(trainP) != 6 {
		t.Errorf("proteins train %v test %v", trainP, testP)
	}
	for _, p := range testP {
		if slices.Contains(trainP, p) {
			t.Errorf("protein %d on both sides", p)
		}
	}
	// Deterministic for a seed, different for another.
	train2, test2 := d.SplitByProtein(all, 0.25, 7)
	if !slices.Equal(train, train2) || !slices.Equal(test, test2) {
		t.Error("same seed, different split")
	}
	differs := false
	for seed := uint64(8); seed < 20 && !differs; seed++ {
		_, t3 := d.SplitByProtein(all, 0.25, seed)
		differs = !slices.Equal(test, t3)
	}
	if !differs {
		t.Error("the seed has no effect")
	}
	// Extreme fractions.
	if tr, te := d.SplitByProtein(all, 0, 1); len(te) != 0 || len(tr) != len(all) {
		t.Error("fraction 0 moved pairs to test")
	}
	if tr, te := d.SplitByProtein(all, 0.01, 1); len(te) == 0 || len(tr) == 0 {
		t.Error("a small fraction should still give one test protein")
	}
	defer func() {
		if recover() == nil {
			t.Error("fraction 1.5 did not panic")
		}
	}()
	d.SplitByProtein(all, 1.5, 1)
}

func TestSubset(t *testing.T) {
	d := gpcrFixture(t)
	d.Orthologs = []Ortholog{{Human: 0, Other: 1, Identity: 0.9}}
	rat := d.PairsBySpecies("rat")
	s := d.Subset(rat)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(s.Pairs) != len(rat) || len(s.Proteins) != 4 {
		t.Fatalf("%d pairs on %d proteins", len(s.Pairs), len(s.Proteins))
	}
	for i, k := range rat {
		a, b := d.Pairs[k], s.Pairs[i]
		if d.Drugs[a.Drug] != s.Drugs[b.Drug] || d.Proteins[a.Protein] != s.Proteins[b.Protein] || a.Value != b.Value || a.Split != b.Split {
			t.Fatalf("pair %d changed in the subset", k)
		}
	}
	if e := d.Subset(nil); e.Task != NoPairs || len(e.Drugs) != 0 || e.Validate() != nil {
		t.Errorf("empty subset: %+v", e)
	}
}

func TestPairsByProtein(t *testing.T) {
	d := &Dataset{Pairs: []Pair{{Protein: 2}, {Protein: 0}, {Protein: 2}, {Protein: 1}, {Protein: 0}}}
	for _, tc := range []struct {
		pairs []int
		prots []int
		by    map[int][]int
	}{
		{[]int{0, 1, 2, 3, 4}, []int{2, 0, 1}, map[int][]int{2: {0, 2}, 0: {1, 4}, 1: {3}}},
		{[]int{4, 2, 1}, []int{0, 2}, map[int][]int{0: {4, 1}, 2: {2}}},
		{nil, nil, map[int][]int{}},
	} {
		prots, by := d.PairsByProtein(tc.pairs)
		if !slices.Equal(prots, tc.prots) || len(by) != len(tc.by) {
			t.Errorf("%v: proteins %v, groups %v; want %v, %v", tc.pairs, prots, by, tc.prots, tc.by)
			continue
		}
		for p, ks := range tc.by {
			if !slices.Equal(by[p], ks) {
				t.Errorf("%v: protein %d has pairs %v, want %v", tc.pairs, p, by[p], ks)
			}
		}
	}
}
