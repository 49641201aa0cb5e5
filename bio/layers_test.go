package bio

import (
	"errors"
	"slices"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

func TestSetLayers(t *testing.T) {
	c := DefaultConfig(dtidata.Binary)
	if err := c.SetLayers(Layers{ProteinFilters: []int{4, 6, 10}, DrugFilters: []int{5, 7}, DrugWidths: []int{3, 5}, Hidden: []int{12, 9}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.ProteinFilters, []int{4, 6, 10}) || !slices.Equal(c.ProteinWidths, []int{8, 8, 8}) ||
		!slices.Equal(c.DrugFilters, []int{5, 7}) || !slices.Equal(c.DrugWidths, []int{3, 5}) || !slices.Equal(c.Hidden, []int{12, 9}) {
		t.Fatalf("config %+v", c)
	}
	c = DefaultConfig(dtidata.Binary)
	if err := c.SetLayers(Layers{}); err != nil || !slices.Equal(c.DrugWidths, []int{4, 6}) || !slices.Equal(c.Hidden, []int{64}) {
		t.Fatalf("no sizes changed the config: %+v (%v)", c, err)
	}
	for _, l := range []Layers{{ProteinFilters: []int{4, 6}, ProteinWidths: []int{8}}, {DrugWidths: []int{3, 5, 7}}} {
		c := DefaultConfig(dtidata.Binary)
		var le *LayerError
		if err := c.SetLayers(l); !errors.As(err, &le) || (le.Filters == le.Widths) {
			t.Errorf("%+v: %v, want a LayerError", l, err)
		}
	}
	if got := SpeciesList(" Human, ,rat,Mus musculus"); !slices.Equal(got, []string{"human", "rat", dtidata.NormalizeSpecies("Mus musculus")}) {
		t.Errorf("species list %q", got)
	}
}
