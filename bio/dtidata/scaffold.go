package dtidata

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/sciadapt/sciadapt/bio/mol"
	"github.com/sciadapt/sciadapt/bio/seq"
)

// CheckSMILES returns an error if smiles does not tokenise (seq.TokenizeSMILES) or
// does not read as a molecule (mol.Parse); the error names the column.
func CheckSMILES(smiles string) error {
	if _, err := seq.TokenizeSMILES(smiles); err != nil {
		return err
	}
	_, err := mol.Parse(smiles)
	return err
}

// DrugScaffolds returns the Bemis–Murcko scaffold key of every drug of d
// (mol.Mol.ScaffoldKey: the canonical SMILES of the scaffold, "" for a compound
// without rings) and a group number per drug: drugs with equal keys share a group,
// numbered 0, 1, … in order of first appearance. Unlike FrameworkKey, equal keys
// mean equal scaffolds. The error names the first drug whose SMILES does not parse.
func (d *Dataset) DrugScaffolds() (keys []string, groups []int, err error) {
	keys = make([]string, len(d.Drugs))
	groups = make([]int, len(d.Drugs))
	num := map[string]int{}
	for i, dr := range d.Drugs {
		m, err := mol.Parse(dr.SMILES)
		if err != nil {
			return nil, nil, fmt.Errorf("drug %d (%s): %v", i, dr.ID, err)
		}
		k := m.ScaffoldKey()
		g, ok := num[k]
		if !ok {
			g = len(num)
			num[k] = g
		}
		keys[i], groups[i] = k, g
	}
	return keys, groups, nil
}

// SplitByScaffold splits pairs into training and validation pairs so that no
// compound of a validation pair shares its Bemis–Murcko scaffold with a compound
// of a training pair (compounds without rings form one scaffold group). Scaffold
// groups are shuffled with seed; a group holding more than half of the wanted
// validation pairs goes to training (so one large group, such as benzene or the
// acyclic compounds, cannot fill validation alone), and the others fill
// validation in shuffled order until it holds at least valFraction of the pairs.
// Both results are in increasing order; the same pairs, data and seed give the
// same split. It returns an error if a SMILES does not parse or if the pairs hold
// fewer than two scaffold groups, and panics if valFraction is outside (0, 1).
func (d *Dataset) SplitByScaffold(pairs []int, valFraction float64, seed uint64) (train, val []int, err error) {
	if !(valFraction > 0 && valFraction < 1) {
		panic(fmt.Sprintf("dtidata: SplitByScaffold: validation fraction %v outside (0, 1)", valFraction))
	}
	_, groups, err := d.DrugScaffolds()
	if err != nil {
		return nil, nil, err
	}
	byGroup := map[int][]int{}
	var order []int
	for _, k := range pairs {
		g := groups[d.Pairs[k].Drug]
		if _, ok := byGroup[g]; !ok {
			order = append(order, g)
		}
		byGroup[g] = append(byGroup[g], k)
	}
	if len(order) < 2 {
		return nil, nil, errors.New("the pairs' compounds have fewer than two scaffolds: no scaffold split is possible")
	}
	sort.Ints(order)
	rng := rand.New(rand.NewPCG(seed, 0x5caff01d))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	want := valFraction * float64(len(pairs))
	inVal := map[int]bool{}
	n := 0
	for _, g := range order {
		if float64(n) >= want {
			break
		}
		if size := len(byGroup[g]); float64(size) <= want/2 {
			inVal[g] = true
			n += size
		}
	}
	for _, k := range pairs {
		if inVal[groups[d.Pairs[k].Drug]] {
			val = append(val, k)
		} else {
			train = append(train, k)
		}
	}
	if len(val) == 0 {
		return nil, nil, fmt.Errorf("every scaffold group holds more than half of the %.0f validation pairs wanted: no scaffold split near %.2f is possible", want, valFraction)
	}
	sort.Ints(train)
	sort.Ints(val)
	return train, val, nil
}
