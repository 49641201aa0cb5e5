package dtidata

import "fmt"

// PairsWhere returns the indices of the pairs whose protein is of species (any
// spelling NormalizeSpecies knows; "" for every species) and whose split is
// split ("" for every split). It returns an error listing the species and
// splits present when no pair matches.
func (d *Dataset) PairsWhere(species, split string) ([]int, error) {
	want := ""
	if species != "" {
		want = NormalizeSpecies(species)
	}
	pairs := d.pairsWhere(func(p Pair) bool {
		return (want == "" || d.Proteins[p.Protein].Species == want) && (split == "" || p.Split == split)
	})
	if len(pairs) == 0 {
		present, _ := d.SpeciesCounts()
		return nil, fmt.Errorf("no pairs with species %q and split %q (species present: %v; splits: %v)", species, split, present, d.Splits())
	}
	return pairs, nil
}
