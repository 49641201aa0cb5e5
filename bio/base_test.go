package bio

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// TestNewBaseAndSaveBase builds a base model on the human pairs of synthetic
// data and checks its vocabulary (the training drugs' tokens only), its output
// bias (the base rate), the metadata written with it and the human test pairs
// read back from it; an invalid configuration is a *ConfigError.
func TestNewBaseAndSaveBase(t *testing.T) {
	d := synthetic(4, 2, 6, 4, 1)
	human := pairsOf(d, "human")
	train, test := d.SplitByProtein(human, 0.25, 1)
	train = slices.DeleteFunc(train, func(k int) bool { return d.Pairs[k].Value == 0 && k%3 != 0 }) // a base rate ≠ ½
	cfg := tinyConfig(d, 1)
	cfg.DrugVocabulary = nil
	m, data, err := NewBase(d, train, cfg)
	if err != nil {
		t.Fatal(err)
	}
	vocab, _ := DrugVocabulary(d, train)
	if m.Config.DrugVocabulary.Len() != vocab.Len() || data.Set != d || len(data.Drugs) != len(d.Drugs) {
		t.Fatalf("vocabulary of %d tokens (training drugs: %d), data of %d drugs", m.Config.DrugVocabulary.Len(), vocab.Len(), len(data.Drugs))
	}
	if b := m.Head.Layers[len(m.Head.Layers)-1].B.Value().Data[0]; b != BaseRate(d, train) || b == 0 {
		t.Fatalf("output bias %v, base rate %v", b, BaseRate(d, train))
	}
	var ids []string
	for _, p := range d.ProteinsOf(test) {
		ids = append(ids, d.Proteins[p].ID)
	}
	path := filepath.Join(t.TempDir(), "base.model")
	if err := SaveBase(m, path, ids, "train.h5"); err != nil {
		t.Fatal(err)
	}
	_, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := HeldOutHumanPairs(d, meta, "rat")
	if meta[MetaTrainData] != "train.h5" || !slices.Equal(back, test) {
		t.Fatalf("metadata %v: human test pairs %v, want %v", meta, back, test)
	}
	r := NewBaseReport(m, data, train, test, []string{"human"})
	if r.Train.Pairs != len(train) || r.Test.Pairs != len(test) || r.TotalParameters == 0 || r.TrainableParameters != r.TotalParameters || r.DrugOnly {
		t.Fatalf("report %+v", r)
	}
	cfg.Embed = 0
	var ce *ConfigError
	if _, _, err := NewBase(d, train, cfg); !errors.As(err, &ce) || !strings.Contains(err.Error(), "embed 0") {
		t.Fatalf("embed 0: %v, want a ConfigError", err)
	}
	good := tinyConfig(d, 1)
	d.Drugs[0].SMILES = ""
	if _, _, err := NewBase(d, train, good); err == nil || errors.As(err, &ce) {
		t.Fatalf("an empty SMILES: %v, want an error of the data", err)
	}
}

// TestOpenProtocolErrors checks that the files of a transfer are refused with
// the file named: a drug-only base, a control that is not drug-only, a missing
// data file, ortholog links of another species.
func TestOpenProtocolErrors(t *testing.T) {
	d := synthetic(4, 2, 6, 4, 1)
	dir := t.TempDir()
	data := filepath.Join(dir, "pairs.h5")
	if err := dtidata.Write(data, d); err != nil {
		t.Fatal(err)
	}
	save := func(name string, drugOnly bool) string {
		cfg := tinyConfig(d, 1)
		cfg.DrugOnly = drugOnly
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := SaveBase(m, path, nil, data); err != nil {
			t.Fatal(err)
		}
		return path
	}
	base, drug := save("base.model", false), save("drug.model", true)
	noLinks := filepath.Join(dir, "nolinks.h5")
	d.Orthologs = nil
	if err := dtidata.Write(noLinks, d); err != nil {
		t.Fatal(err)
	}
	po := ProtocolOptions{Species: "Rat", Method: MethodPrompt, PerTarget: 2, PromptLength: 2, Epochs: 1, LR: 1e-3}
	p, err := OpenProtocol(ProtocolFiles{Base: base, Data: data, Control: drug}, po)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Pairs) != len(pairsOf(d, "rat")) || p.ScaffoldSplits() > len(p.Splits) || p.opt.Control == nil {
		t.Fatalf("%d rat pairs (want %d), %d of %d proteins split by scaffold", len(p.Pairs), len(pairsOf(d, "rat")), p.ScaffoldSplits(), len(p.Splits))
	}
	var b bytes.Buffer
	p.WriteSplit(&b, "pairs.h5")
	want := fmt.Sprintf("pairs.h5: %d rat pairs on %d proteins: %d adapt (K = 2 per protein), %d test; %d proteins split by scaffold\n",
		len(p.Pairs), len(p.Splits), len(p.Adapt), len(p.Test), p.ScaffoldSplits())
	if b.String() != want {
		t.Errorf("split line %q, want %q", b.String(), want)
	}
	b.Reset()
	m := Metrics{Task: dtidata.Binary, Pairs: 3, AUROC: 0.5}
	(&TransferReport{Species: "rat", Test: m, FrozenTest: m, ControlDrugOnlyTest: &m}).WriteSummary(&b)
	if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], `rat test: {"n_pairs":3`) ||
		!strings.HasPrefix(lines[1], "drug-only control on the same test pairs: ") {
		t.Errorf("summary without human test pairs:\n%s", b.String())
	}
	for _, c := range []struct {
		f    ProtocolFiles
		want string
	}{
		{ProtocolFiles{Base: drug, Data: data}, drug + ": a drug-only model has no protein branch"},
		{ProtocolFiles{Base: base, Data: data, Control: base}, base + ": --control must be a drug-only model"},
		{ProtocolFiles{Base: base, Data: filepath.Join(dir, "none.h5")}, "none.h5"},
		{ProtocolFiles{Base: base, Data: data, Orthologs: noLinks}, noLinks + ": no human–rat ortholog links"},
	} {
		if _, err := OpenProtocol(c.f, po); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.f, err, c.want)
		}
	}
}

func TestEvaluateFile(t *testing.T) {
	d := synthetic(4, 2, 6, 4, 1)
	dir := t.TempDir()
	data, model := filepath.Join(dir, "pairs.h5"), filepath.Join(dir, "base.model")
	if err := dtidata.Write(data, d); err != nil {
		t.Fatal(err)
	}
	m, tok := newTiny(t, d, 1)
	if err := SaveBase(m, model, nil, data); err != nil {
		t.Fatal(err)
	}
	e, err := EvaluateFile(model, "", data, "Rat", "")
	if err != nil {
		t.Fatal(err)
	}
	rat := pairsOf(d, "rat")
	want := Evaluate(m, nil, tok, rat)
	if !slices.Equal(e.Pairs, rat) || e.Metrics.AUROC != want.AUROC || e.Report.Metrics.Pairs != len(rat) || e.Report.TrainableParameters != 0 {
		t.Fatalf("scored %d pairs (AUROC %v), want the %d rat pairs (AUROC %v)", len(e.Pairs), e.Metrics.AUROC, len(rat), want.AUROC)
	}
	csv := filepath.Join(dir, "pred.csv")
	if err := e.WritePredictions(csv); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(csv); strings.Count(string(b), "\n") != len(rat)+1 {
		t.Fatalf("predictions file of %d lines for %d pairs", strings.Count(string(b), "\n"), len(rat))
	}
	for _, c := range []struct{ species, want string }{{"cow", `no pairs with species "cow"`}} {
		if _, err := EvaluateFile(model, "", data, c.species, ""); err == nil || !strings.Contains(err.Error(), data+": "+c.want) {
			t.Errorf("species %s: %v", c.species, err)
		}
	}
	d.Task = dtidata.Affinity
	for i := range d.Pairs {
		d.Pairs[i].Value = 5
	}
	d.AffinityUnit = dtidata.PKd
	aff := filepath.Join(dir, "affinity.h5")
	if err := dtidata.Write(aff, d); err != nil {
		t.Fatal(err)
	}
	if _, err := EvaluateFile(model, "", aff, "", ""); err == nil || !strings.Contains(err.Error(), "affinity pairs, but "+model+" is a binary model") {
		t.Errorf("affinity data for a binary model: %v", err)
	}
}
