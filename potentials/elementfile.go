package potentials

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/nn"
)

// legacyElementKind marks add-element adapter files written before add-element
// used the adapters file format (sciadapt before December 2026).
const legacyElementKind = "potential/add-element"

// LoadElementAdapter reads an add-element adapter file (an adapters file whose new
// rows are elements) and attaches it to base. It refuses a file made for another
// base (naming both fingerprints), a file of another kind of adapter, and a file in
// the format of earlier versions, saying how to redo it.
func LoadElementAdapter(path string, base *Model) (*adapters.Adapter, error) {
	if f, err := nn.ReadTensors(path); err == nil && f.Metadata["sciadapt.kind"] == legacyElementKind {
		return nil, fmt.Errorf("%s: an add-element adapter in the file format of sciadapt before December 2026, which this version cannot read; "+
			"redo it with `sciadapt add-element --base BASE.model --element %s --data NEW.h5 --out NEW.adapter` (same base, data, method and seed)",
			path, legacySymbol(f.Metadata["adapter_config"]))
	}
	f, err := adapters.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zs, err := elementRows(f.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for _, z := range zs {
		if err := base.canAdd(z); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
	}
	a, err := f.Attach(base)
	if err != nil {
		return nil, err
	}
	base.useElements(a, zs)
	return a, nil
}

// elementRows returns the atomic numbers that an adapter's new rows stand for, or
// an error if it adds no element rows.
func elementRows(c adapters.Config) ([]int, error) {
	if c.NewRows == 0 || !slices.Equal(c.RowTargets, elementTables) {
		return nil, fmt.Errorf("not an add-element adapter: it adds no element (new rows %d at %v)", c.NewRows, c.RowTargets)
	}
	if len(c.RowLabels) != c.NewRows {
		return nil, fmt.Errorf("add-element adapter: %d element labels for %d new rows", len(c.RowLabels), c.NewRows)
	}
	zs := make([]int, len(c.RowLabels))
	for i, sym := range c.RowLabels {
		el, err := elements.BySymbol(sym)
		if err != nil {
			return nil, fmt.Errorf("add-element adapter: new row %d: %v", i, err)
		}
		zs[i] = el.Z
	}
	return zs, nil
}

// legacySymbol returns the element symbol in an old add-element configuration, or
// "EL".
func legacySymbol(cfg string) string {
	var c struct {
		Element int `json:"element"`
	}
	if json.Unmarshal([]byte(cfg), &c) == nil {
		if _, err := elements.ByZ(c.Element); err == nil {
			return elements.Symbol(c.Element)
		}
	}
	return "EL"
}
