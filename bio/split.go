package bio

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/seq"
)

// TargetSplit is the adaptation/test split of one protein's pairs.
type TargetSplit struct {
	Protein int   // index into Dataset.Proteins
	Adapt   []int // the K labelled pairs to adapt on
	Test    []int // held-out pairs, on compounds (scaffolds) not in Adapt
	// ByScaffold is true when Adapt and Test hold different scaffold groups
	// (dtidata.FrameworkKey); false when the protein's compounds all share one
	// group and the split is by compound instead.
	ByScaffold bool
	// Dropped counts pairs in neither set: pairs of the scaffold groups drawn for
	// Adapt beyond the first K.
	Dropped int
}

// SplitPerTarget splits the pairs of every protein among pairs into k adaptation
// pairs and held-out test pairs so that no compound scaffold (groups from
// Dataset.DrugFrameworks) is on both sides: scaffold groups are drawn in a seeded
// random order until they hold k pairs, k of their pairs adapt, the rest of those
// groups is dropped, and every other group is test. When a protein's compounds
// all fall in one group, its compounds are split instead (a compound is never on
// both sides). k is capped at half the protein's pairs (rounded down) so that a
// test set remains. Proteins are returned in increasing order. k = 0 puts every
// pair in Test.
func SplitPerTarget(d *dtidata.Dataset, pairs []int, groups []int, k int, seed uint64) []TargetSplit {
	prots, byProt := d.PairsByProtein(pairs)
	sort.Ints(prots)
	var out []TargetSplit
	for _, pr := range prots {
		ps := byProt[pr]
		sort.Ints(ps)
		kk := min(k, len(ps)/2)
		ts := TargetSplit{Protein: pr, ByScaffold: true}
		rng := rand.New(rand.NewPCG(seed, uint64(pr)))
		ok := false
		ts.Adapt, ts.Test, ts.Dropped, ok = splitGroups(ps, func(p int) int { return groups[d.Pairs[p].Drug] }, kk, rng)
		if !ok {
			ts.ByScaffold = false
			rng = rand.New(rand.NewPCG(seed, uint64(pr)))
			ts.Adapt, ts.Test, ts.Dropped, _ = splitGroups(ps, func(p int) int { return d.Pairs[p].Drug }, kk, rng)
		}
		out = append(out, ts)
	}
	return out
}

// splitGroups draws groups (by key) in a random order until they hold k pairs;
// k of those adapt, the rest of the drawn groups is dropped, the other groups are
// test. ok is false when that leaves no test pair (or, for k > 0, only one group).
func splitGroups(ps []int, key func(int) int, k int, rng *rand.Rand) (adapt, test []int, dropped int, ok bool) {
	byKey := map[int][]int{}
	var keys []int
	for _, p := range ps {
		g := key(p)
		if _, seen := byKey[g]; !seen {
			keys = append(keys, g)
		}
		byKey[g] = append(byKey[g], p)
	}
	sort.Ints(keys)
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	var drawn []int
	i := 0
	for ; i < len(keys) && len(drawn) < k; i++ {
		drawn = append(drawn, byKey[keys[i]]...)
	}
	if i == len(keys) && k > 0 {
		return nil, nil, 0, false
	}
	rng.Shuffle(len(drawn), func(a, b int) { drawn[a], drawn[b] = drawn[b], drawn[a] })
	adapt = append([]int(nil), drawn[:k]...)
	for _, g := range keys[i:] {
		test = append(test, byKey[g]...)
	}
	sort.Ints(adapt)
	sort.Ints(test)
	return adapt, test, len(drawn) - k, true
}

// HoldOut chooses the training and test pairs of a base model: the pairs whose
// protein is of one of Species (and in Split, if set), tested on cross-validation
// fold TestFold (UseTestFold), or on the pairs of TestSplit, or else on the pairs
// of a TestFraction of the proteins (dtidata.SplitByProtein with Seed: never the
// same protein on both sides).
type HoldOut struct {
	Species      []string
	Split        string
	TestSplit    string
	UseTestFold  bool
	TestFold     int
	TestFraction float64
	Seed         uint64
}

// Pairs returns the training and test pairs of d and, when the test set is held
// out by protein, the ids of the held-out proteins (for MetaTestProteins). It
// returns an error when a set would be empty or both a fold and a split are given.
func (h HoldOut) Pairs(d *dtidata.Dataset) (train, test []int, testProteins []string, err error) {
	all := pairsOfSpecies(d, h.Species, h.Split)
	if len(all) == 0 {
		where := ""
		if h.Split != "" {
			where = fmt.Sprintf(" in split %q", h.Split)
		}
		return nil, nil, nil, fmt.Errorf("no pairs of species %s%s", strings.Join(h.Species, ", "), where)
	}
	switch {
	case h.UseTestFold && h.TestSplit != "":
		return nil, nil, nil, fmt.Errorf("test on a fold or on a split, not both")
	case h.UseTestFold:
		for _, k := range all {
			if d.Pairs[k].Fold == h.TestFold {
				test = append(test, k)
			} else {
				train = append(train, k)
			}
		}
		if len(test) == 0 || len(train) == 0 {
			return nil, nil, nil, fmt.Errorf("fold %d of split %q leaves %d pairs to test and %d to train", h.TestFold, h.Split, len(test), len(train))
		}
		return train, test, nil, nil
	case h.TestSplit != "":
		test = pairsOfSpecies(d, h.Species, h.TestSplit)
		if len(test) == 0 {
			return nil, nil, nil, fmt.Errorf("no pairs in split %q (splits: %s)", h.TestSplit, strings.Join(d.Splits(), ", "))
		}
		return all, test, nil, nil
	}
	train, test = d.SplitByProtein(all, h.TestFraction, h.Seed)
	for _, p := range d.ProteinsOf(test) {
		testProteins = append(testProteins, d.Proteins[p].ID)
	}
	return train, test, testProteins, nil
}

// pairsOfSpecies returns the pairs of d whose protein is of one of species and,
// if split is not empty, in that split.
func pairsOfSpecies(d *dtidata.Dataset, species []string, split string) []int {
	var out []int
	for k, p := range d.Pairs {
		if slices.Contains(species, d.Proteins[p.Protein].Species) && (split == "" || p.Split == split) {
			out = append(out, k)
		}
	}
	return out
}

// DrugVocabulary returns the SMILES vocabulary of the drugs of the given pairs of
// d (every drug if pairs is nil), or an error naming a drug whose SMILES does not
// tokenise.
func DrugVocabulary(d *dtidata.Dataset, pairs []int) (*seq.Vocabulary, error) {
	drugs := d.DrugsOf(pairs)
	if pairs == nil {
		drugs = make([]int, len(d.Drugs))
		for j := range drugs {
			drugs[j] = j
		}
	}
	var corpus [][]string
	for _, j := range drugs {
		toks, err := seq.TokenizeSMILES(d.Drugs[j].SMILES)
		if err != nil {
			return nil, fmt.Errorf("drug %s: %v", d.Drugs[j].ID, err)
		}
		corpus = append(corpus, toks)
	}
	return seq.BuildVocabulary(corpus, 1), nil
}
