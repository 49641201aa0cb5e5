package dtidata

import (
	"slices"
	"strings"
	"testing"
)

func TestPairsWhere(t *testing.T) {
	d := gpcrFixture(t)
	d.Pairs[0].Split, d.Pairs[1].Split = "zzz", "zzz"
	all, err := d.PairsWhere("", "")
	if err != nil || len(all) != len(d.Pairs) {
		t.Fatalf("every pair: %d of %d (%v)", len(all), len(d.Pairs), err)
	}
	rat, err := d.PairsWhere("Rat", "")
	if err != nil || !slices.Equal(rat, d.PairsBySpecies("rat")) {
		t.Fatalf("rat: %v (%v), want %v", rat, err, d.PairsBySpecies("rat"))
	}
	test, err := d.PairsWhere("", "zzz")
	if err != nil || !slices.Equal(test, []int{0, 1}) {
		t.Fatalf("split zzz: %v (%v)", test, err)
	}
	for _, c := range [][2]string{{"cow", ""}, {"rat", "val"}} {
		_, err := d.PairsWhere(c[0], c[1])
		if err == nil || !strings.Contains(err.Error(), "species present: [") || !strings.Contains(err.Error(), "splits: [zzz train test]") {
			t.Errorf("species %q split %q: error %v", c[0], c[1], err)
		}
	}
}
