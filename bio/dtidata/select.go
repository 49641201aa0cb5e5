package dtidata

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// PairsBySpecies returns the indices of the pairs whose protein has the given
// species (compared in canonical form), in increasing order.
func (d *Dataset) PairsBySpecies(species string) []int {
	species = NormalizeSpecies(species)
	return d.pairsWhere(func(p Pair) bool { return d.Proteins[p.Protein].Species == species })
}

// PairsOfProtein returns the indices of the pairs on protein p, in increasing order.
func (d *Dataset) PairsOfProtein(p int) []int {
	return d.pairsWhere(func(pr Pair) bool { return pr.Protein == p })
}

// PairsInSplit returns the indices of the pairs in the given split ("" for pairs
// without a split), in increasing order.
func (d *Dataset) PairsInSplit(split string) []int {
	return d.pairsWhere(func(p Pair) bool { return p.Split == split })
}

func (d *Dataset) pairsWhere(keep func(Pair) bool) []int {
	var idx []int
	for i, p := range d.Pairs {
		if keep(p) {
			idx = append(idx, i)
		}
	}
	return idx
}

// ProteinsOf returns the distinct proteins of the given pairs in increasing order.
func (d *Dataset) ProteinsOf(pairs []int) []int {
	return distinct(pairs, func(i int) int { return d.Pairs[i].Protein })
}

// PairsByProtein groups the given pairs by protein: the proteins in the order of
// their first pair, and each protein's pairs in their given order.
func (d *Dataset) PairsByProtein(pairs []int) (proteins []int, byProtein map[int][]int) {
	byProtein = map[int][]int{}
	for _, k := range pairs {
		p := d.Pairs[k].Protein
		if _, ok := byProtein[p]; !ok {
			proteins = append(proteins, p)
		}
		byProtein[p] = append(byProtein[p], k)
	}
	return proteins, byProtein
}

// DrugsOf returns the distinct drugs of the given pairs in increasing order.
func (d *Dataset) DrugsOf(pairs []int) []int {
	return distinct(pairs, func(i int) int { return d.Pairs[i].Drug })
}

func distinct(pairs []int, key func(int) int) []int {
	seen := map[int]bool{}
	var out []int
	for _, i := range pairs {
		k := key(i)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Ints(out)
	return out
}

// SplitByGroup splits pairs so that all pairs of one group fall on the same side:
// the distinct groups (group(pair) for each pair) are shuffled with a generator
// seeded by seed, and the first round(testFraction × groups) of them go to test.
// If there are at least two groups and 0 < testFraction < 1, each side gets at
// least one group. Both results are in increasing order. The same pairs, groups
// and seed give the same split. It panics if testFraction is outside [0, 1].
func SplitByGroup(pairs []int, group func(pair int) int, testFraction float64, seed uint64) (train, test []int) {
	if !(testFraction >= 0 && testFraction <= 1) {
		panic(fmt.Sprintf("dtidata: SplitByGroup: test fraction %v outside [0, 1]", testFraction))
	}
	groups := distinct(pairs, group)
	rng := rand.New(rand.NewPCG(seed, 0x5c1ada9d))
	rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
	nTest := int(testFraction*float64(len(groups)) + 0.5)
	if len(groups) >= 2 && testFraction > 0 && testFraction < 1 {
		nTest = max(1, min(nTest, len(groups)-1))
	}
	inTest := map[int]bool{}
	for _, g := range groups[:nTest] {
		inTest[g] = true
	}
	for _, i := range pairs {
		if inTest[group(i)] {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	sort.Ints(train)
	sort.Ints(test)
	return train, test
}

// SplitByProtein splits pairs by protein (SplitByGroup with the protein as the
// group): no protein has pairs on both sides, so a model is tested on receptors it
// never saw.
func (d *Dataset) SplitByProtein(pairs []int, testFraction float64, seed uint64) (train, test []int) {
	return SplitByGroup(pairs, func(i int) int { return d.Pairs[i].Protein }, testFraction, seed)
}

// Subset returns a new dataset holding the given pairs (in the order given) and
// only the drugs and proteins they use, renumbered in order of first use; ids,
// splits and folds are kept. Orthologs are kept when both of their proteins are
// kept. A Subset of no pairs keeps no drug or protein. It panics if an index is
// out of range.
func (d *Dataset) Subset(pairs []int) *Dataset {
	s := &Dataset{Source: d.Source, Task: d.Task, AffinityUnit: d.AffinityUnit}
	drugMap := map[int]int{}
	protMap := map[int]int{}
	for _, i := range pairs {
		p := d.Pairs[i]
		di, ok := drugMap[p.Drug]
		if !ok {
			di = len(s.Drugs)
			drugMap[p.Drug] = di
			s.Drugs = append(s.Drugs, d.Drugs[p.Drug])
		}
		pi, ok := protMap[p.Protein]
		if !ok {
			pi = len(s.Proteins)
			protMap[p.Protein] = pi
			s.Proteins = append(s.Proteins, d.Proteins[p.Protein])
		}
		p.Drug, p.Protein = di, pi
		s.Pairs = append(s.Pairs, p)
	}
	for _, o := range d.Orthologs {
		h, hok := protMap[o.Human]
		x, xok := protMap[o.Other]
		if hok && xok {
			o.Human, o.Other = h, x
			s.Orthologs = append(s.Orthologs, o)
		}
	}
	if len(pairs) == 0 && s.Task != NoPairs {
		s.Task, s.AffinityUnit = NoPairs, ""
	}
	return s
}
