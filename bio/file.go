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
	m, err := New(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := mf.LoadInto(m); err != nil {
		return nil, nil, err
	}
	return m, mf.Meta, nil
}
