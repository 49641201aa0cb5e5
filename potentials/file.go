package potentials

import (
	"fmt"

	"github.com/sciadapt/sciadapt/nn"
)

// Kind is the model kind recorded in model files of this package.
const Kind = "potential/schnet"

// Save writes the base model (without adapters) to path atomically.
func (m *Model) Save(path string) error {
	return nn.SaveModel(path, Kind, m.Config, m, nil)
}

// Load reads a model written by Save. Errors name the file and the problem (not a
// model file, another kind of model, a missing or misshapen tensor, NaN values).
func Load(path string) (*Model, error) {
	mf, err := nn.ReadModelFile(path)
	if err != nil {
		return nil, err
	}
	if mf.Kind != Kind {
		return nil, fmt.Errorf("%s: a %q model, not an interatomic potential (%s)", path, mf.Kind, Kind)
	}
	var cfg Config
	if err := mf.DecodeConfig(&cfg); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	cfg.Model = cfg.arch() // files of SchNet models before there was a choice leave it empty
	// Embedding S×F, and per block the filter (RBF×F, F×F), in (F×F) and update (2 F×F) weights.
	f, k := float64(cfg.Features), float64(cfg.RBF)
	if err := mf.CheckSize(float64(len(cfg.Species))*f + float64(cfg.Interactions)*(k*f+4*f*f)); err != nil {
		return nil, err
	}
	m, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := mf.LoadInto(m); err != nil {
		return nil, err
	}
	// Reference energies and the scale are fitted, not trained: keep them frozen.
	for _, p := range []*nn.Param{m.Scale, m.Ref, m.Shift} {
		p.SetTrainable(false)
	}
	return m, nil
}
