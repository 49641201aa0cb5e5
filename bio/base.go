package bio

import (
	"encoding/json"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/nn"
)

// MetaTrainData is the metadata key of base model files (SaveBase) that names
// the training file; the held-out proteins are under MetaTestProteins.
const MetaTrainData = "dti.train_data"

// ConfigError is the error of NewBase for an invalid configuration, apart from
// errors of the data.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// NewBase builds a base model of cfg for the training pairs train of d, with the
// SMILES vocabulary of the training drugs (for the CNN drug encoder; the SMILES
// must tokenise for either encoder) and the output bias at their base rate
// (BaseRate), and tokenises d for it. An invalid cfg is a *ConfigError.
func NewBase(d *dtidata.Dataset, train []int, cfg Config) (*Model, *Data, error) {
	vocab, err := DrugVocabulary(d, train)
	if err != nil {
		return nil, nil, err
	}
	if cfg.DrugEncoder != DrugEncoderGIN {
		cfg.DrugVocabulary = vocab
	}
	m, err := New(cfg)
	if err != nil {
		return nil, nil, &ConfigError{err}
	}
	data, err := m.Tokenize(d)
	if err != nil {
		return nil, nil, err
	}
	m.SetOutputBias(BaseRate(d, train))
	return m, data, nil
}

// SaveBase writes m to path with the ids of its held-out test proteins
// (MetaTestProteins, read by HeldOutHumanPairs) and the training file
// (MetaTrainData) in its metadata.
func SaveBase(m *Model, path string, testProteins []string, trainData string) error {
	ids, _ := json.Marshal(testProteins)
	return m.Save(path, map[string]string{MetaTestProteins: string(ids), MetaTrainData: trainData})
}

// BaseReport is the report of "train dti": the parameters, the command's
// seconds, whether the model is the drug-only control, the species trained on
// and the metrics on the training and the test pairs.
type BaseReport struct {
	TrainableParameters int      `json:"trainable_parameters"`
	TotalParameters     int      `json:"total_parameters"`
	Seconds             float64  `json:"seconds"` // set by the caller
	DrugOnly            bool     `json:"drug_only"`
	Species             []string `json:"species"`
	Train               Metrics  `json:"train"`
	Test                Metrics  `json:"test"`
}

// NewBaseReport scores m on the training and test pairs of data.
func NewBaseReport(m *Model, data *Data, train, test []int, species []string) BaseReport {
	r := BaseReport{DrugOnly: m.Config.DrugOnly, Species: species, Train: Evaluate(m, nil, data, train), Test: Evaluate(m, nil, data, test)}
	r.TotalParameters, r.TrainableParameters = nn.Counts(m)
	return r
}
