package bio

import (
	"fmt"
	"strings"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// Layers are layer sizes that replace a configuration's (SetLayers); nil keeps
// the configuration's.
type Layers struct {
	ProteinFilters, ProteinWidths, DrugFilters, DrugWidths, Hidden []int
}

// LayerError is the error of SetLayers when a branch gets as many filter counts
// as widths in neither the given nor the kept lists.
type LayerError struct {
	Branch          string // "protein" or "drug"
	Filters, Widths int    // the numbers of layers of the two lists
}

func (e *LayerError) Error() string {
	return fmt.Sprintf("%s filters for %d layers but widths for %d", e.Branch, e.Filters, e.Widths)
}

// SetLayers copies the layer sizes of l into c. Filter counts without widths
// keep the branch's widths, the last one repeated for layers beyond them, so
// that ProteinFilters 32, 64, 96 alone widens DefaultConfig's two layers of
// width 8 to three. It returns a *LayerError when a branch's lists differ in
// length.
func (c *Config) SetLayers(l Layers) error {
	branch := func(name string, filters, widths []int, cf, cw *[]int) error {
		if filters != nil {
			def := *cw
			*cf = filters
			if widths == nil {
				widths = make([]int, len(filters))
				for i := range widths {
					widths[i] = def[min(i, len(def)-1)]
				}
			}
		}
		if widths != nil {
			*cw = widths
		}
		if len(*cf) != len(*cw) {
			return &LayerError{Branch: name, Filters: len(*cf), Widths: len(*cw)}
		}
		return nil
	}
	if err := branch("protein", l.ProteinFilters, l.ProteinWidths, &c.ProteinFilters, &c.ProteinWidths); err != nil {
		return err
	}
	if err := branch("drug", l.DrugFilters, l.DrugWidths, &c.DrugFilters, &c.DrugWidths); err != nil {
		return err
	}
	if l.Hidden != nil {
		c.Hidden = l.Hidden
	}
	return nil
}

// SpeciesList returns the species of a comma-separated list, normalised
// (dtidata.NormalizeSpecies), without empty entries.
func SpeciesList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, dtidata.NormalizeSpecies(f))
		}
	}
	return out
}
