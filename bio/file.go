package bio

import (
	"fmt"

	"github.com/sciadapt/sciadapt/nn"
)

// Save writes m to path (nn.SaveModel, kind Kind) atomically with extra metadata
// (may be nil).
func (m *Model) Save(path string, extra map[string]string) error {
	return nn.SaveModel(path, Kind, m.Config, m, extra)
}

// Load reads a model written by Save and returns it with the file's metadata.
// Errors name the file and the problem: not a model file, a model of another kind,
// an invalid configuration, a missing or misshapen tensor.
func Load(path string) (*Model, map[string]string, error) {
	mf, err := nn.ReadModelFile(path)
	if err != nil {
		return nil, nil, err
	}
	if mf.Kind != Kind {
		return nil, nil, fmt.Errorf("%s: a %q model, not a drug–target model (%s)", path, mf.Kind, Kind)
	}
	var cfg Config
	if err := mf.DecodeConfig(&cfg); err != nil {
		return nil, nil, err
	}
	if err := mf.CheckSize(minParams(cfg)); err != nil {
		return nil, nil, err
	}
	m, err := New(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := mf.LoadInto(m); err != nil {
		return nil, nil, err
	}
	return m, mf.Meta, nil
}

// minParams is a lower bound on the parameter count of a model of cfg (the
// embedding and convolution weights, and the head's hidden weights), computed in
// float64 so that a damaged configuration cannot overflow it.
func minParams(cfg Config) float64 {
	e := float64(cfg.Embed)
	n := 0.0
	if cfg.DrugVocabulary != nil {
		n += float64(cfg.DrugVocabulary.Len()) * e
	}
	conv := func(filters, widths []int) {
		in := e
		for i, f := range filters {
			if i < len(widths) {
				n += in * float64(f) * float64(widths[i])
			}
			in = float64(f)
		}
	}
	if !cfg.DrugOnly {
		n += 20 * e // at least the 20 standard residues
		conv(cfg.ProteinFilters, cfg.ProteinWidths)
	}
	conv(cfg.DrugFilters, cfg.DrugWidths)
	for i := 1; i < len(cfg.Hidden); i++ {
		n += float64(cfg.Hidden[i-1]) * float64(cfg.Hidden[i])
	}
	return n
}
