package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/bio"
)

// TestTrainDTIDrugEncoder trains with --drug-encoder gin and checks that the model
// file holds a graph drug branch, and that bad values are usage errors.
func TestTrainDTIDrugEncoder(t *testing.T) {
	dir, gpcr, _ := dtiFixtures(t)
	out := filepath.Join(dir, "gin.model")
	var log bytes.Buffer
	o := &TrainDTIOptions{Data: gpcr, Out: out, Species: "human,unknown", TestFraction: 0.25, Epochs: 1,
		BatchProteins: 4, PairsPerProtein: 4, LR: 1e-3, Embed: 8, MaxProteinLength: 100, Seed: 1, Log: &log,
		DrugEncoder: bio.DrugEncoderGIN}
	if err := runTrainDTI(o); err != nil {
		t.Fatal(err)
	}
	m, _, err := bio.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.DrugEncoder != bio.DrugEncoderGIN || m.DrugEmbed != nil || m.Config.DrugVocabulary != nil {
		t.Errorf("model config %+v is not a graph-encoder model", m.Config)
	}
	if _, ok := m.Drug.(*bio.GraphEncoder); !ok {
		t.Errorf("drug branch %T, want *bio.GraphEncoder", m.Drug)
	}
	for _, bad := range []TrainDTIOptions{
		{DrugEncoder: "rnn"},
		{DrugEncoder: bio.DrugEncoderGIN, DrugFilters: []int{8}},
	} {
		b := *o
		b.Out = filepath.Join(dir, "bad.model")
		b.DrugEncoder, b.DrugFilters = bad.DrugEncoder, bad.DrugFilters
		var ue usageError
		if err := runTrainDTI(&b); !errors.As(err, &ue) {
			t.Errorf("%+v: %v, want a usage error", bad, err)
		}
		if _, err := os.Stat(b.Out); err == nil {
			t.Errorf("%s left behind", b.Out)
		}
	}
}
