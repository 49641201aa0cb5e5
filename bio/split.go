package bio

import (
	"math/rand/v2"
	"sort"

	"github.com/sciadapt/sciadapt/bio/dtidata"
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
