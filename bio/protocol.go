package bio

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// MetaTestProteins is the metadata key of a model file under which the base's
// training stored the JSON list of the ids of its held-out proteins.
const MetaTestProteins = "dti.test_proteins"

// ErrNoValidationPairs is returned by the protocol when the prompt length is to be
// chosen by the saturation rule but no protein has two adaptation pairs.
var ErrNoValidationPairs = errors.New("choosing the prompt length needs at least two labelled pairs per protein")

// ProtocolOptions are the settings of the species-transfer protocol (NewProtocol).
// Zero fields take the defaults of AdapterOptions and TrainOptions.
type ProtocolOptions struct {
	Species   string // the species to adapt to (normalised by dtidata.NormalizeSpecies)
	Method    string // one of Methods
	PerTarget int    // K, the labelled pairs per protein to adapt on
	// PromptLength is the prompt's length in soft residues for MethodPrompt; 0
	// chooses it by the saturation rule (ChoosePromptLength).
	PromptLength    int
	Rank, Reduction int // of MethodLoRA and MethodAdapter (AdapterOptions)
	Epochs          int
	LR              float64
	Schedule        train.Schedule
	Seed            uint64 // the split, the adapter's initialisation and the order of the pairs
	// Alignment, if set, adds the ortholog alignment term; with ShuffleOrthologs
	// its pairs are first deranged (Alignment.Shuffled): the control.
	Alignment        *Alignment
	ShuffleOrthologs bool
	// HumanTest are pairs of Human (nil: the species' data) scored before and
	// after adaptation, with the adapter disabled: the human model must not move.
	Human     *Data
	HumanTest []int
	// Control, if set, is a drug-only model fine-tuned on the same K pairs and
	// scored on the same test pairs.
	Control *Model
	// Checkpoint and Progress are passed to the adapter's training.
	Checkpoint *checkpoint.Saver
	Progress   func(EpochStats)
}

// Protocol is the evaluation protocol of moving a human model to another species:
// K labelled pairs per protein of that species adapt (SplitPerTarget), the rest
// are the test pairs; the report holds the adapted model's metrics beside the
// frozen human model, the receptor base rate (ReceptorRate), an optional drug-only
// control trained on the same K pairs, and the human test metrics before and after
// (which must not change: the adapter is disabled for them).
type Protocol struct {
	Model  *Model
	Data   *Data
	Pairs  []int         // the pairs of the species
	Splits []TargetSplit // per protein
	Adapt  []int         // the K pairs of every protein
	Test   []int         // the held-out pairs
	// After Run: the trained adapter (nil for MethodFrozen) and the epochs of its
	// training.
	Adapter *adapters.Adapter
	History []EpochStats

	opt ProtocolOptions
}

// TargetReport is one protein's split in a TransferReport.
type TargetReport struct {
	Protein    string `json:"protein"`
	Adapt      int    `json:"adapt"`
	Test       int    `json:"test"`
	Dropped    int    `json:"dropped"`
	ByScaffold bool   `json:"by_scaffold"`
}

// TransferReport is the result of Protocol.Run, with the JSON keys of the
// transfer report (DESIGN.md); optional parts are absent when they do not apply.
type TransferReport struct {
	Method     string         `json:"method"`
	Species    string         `json:"species"`
	PerTarget  int            `json:"per_target"`
	AdaptPairs int            `json:"adapt_pairs"`
	Targets    []TargetReport `json:"targets"`
	Seed       uint64         `json:"seed"`

	Test                    Metrics  `json:"test"`        // the adapted model on the test pairs
	FrozenTest              Metrics  `json:"frozen_test"` // the human model as it is
	ControlReceptorRateTest Metrics  `json:"control_receptor_rate_test"`
	ControlDrugOnlyTest     *Metrics `json:"control_drug_only_test,omitempty"`

	HumanTestBefore           *Metrics `json:"human_test_before,omitempty"`
	HumanTestWithAdapter      *Metrics `json:"human_test_with_adapter,omitempty"`
	HumanTestAfter            *Metrics `json:"human_test_after,omitempty"` // the adapter disabled
	HumanPredictionsUnchanged *bool    `json:"human_predictions_unchanged,omitempty"`

	OrthologPairs         *int     `json:"ortholog_pairs,omitempty"`
	AlignWeight           *float64 `json:"align_weight,omitempty"`
	ShuffledOrthologs     *bool    `json:"shuffled_orthologs,omitempty"`
	AlignmentCosineBefore *float64 `json:"alignment_cosine_before,omitempty"`
	AlignmentCosineAfter  *float64 `json:"alignment_cosine_after,omitempty"`

	PromptLength       *int                   `json:"prompt_length,omitempty"`
	PromptLengthSearch *adapters.LengthChoice `json:"prompt_length_search,omitempty"`

	TrainableParameters int     `json:"trainable_parameters"` // values the adapter trains
	TotalParameters     int     `json:"total_parameters"`     // of the human model and the adapter
	Seconds             float64 `json:"seconds"`              // set by the caller: the whole command
}

// NewProtocol splits the pairs of o.Species in data per protein (K = o.PerTarget
// adapt, scaffolds not shared with the test pairs) for the human model m. It
// returns an error when m is drug-only, the data's task is not m's, the species
// has no pairs, or o.Method is unknown.
func NewProtocol(m *Model, data *Data, o ProtocolOptions) (*Protocol, error) {
	d := data.Set
	o.Species = dtidata.NormalizeSpecies(o.Species)
	switch {
	case !slices.Contains(Methods, o.Method):
		return nil, fmt.Errorf("transfer method %q: want one of %v", o.Method, Methods)
	case m.Config.DrugOnly:
		return nil, fmt.Errorf("a drug-only model has no protein branch to adapt")
	case d.Task != m.Config.Task:
		return nil, fmt.Errorf("task %q, but the model predicts %q", d.Task, m.Config.Task)
	}
	p := &Protocol{Model: m, Data: data, Pairs: d.PairsBySpecies(o.Species), opt: o}
	if len(p.Pairs) == 0 {
		sp, _ := d.SpeciesCounts()
		return nil, fmt.Errorf("no pairs of species %q (species: %v)", o.Species, sp)
	}
	_, groups, err := d.DrugFrameworks()
	if err != nil {
		return nil, err
	}
	p.Splits = SplitPerTarget(d, p.Pairs, groups, o.PerTarget, o.Seed)
	for _, s := range p.Splits {
		p.Adapt = append(p.Adapt, s.Adapt...)
		p.Test = append(p.Test, s.Test...)
	}
	return p, nil
}

// Run adapts the model as the options say and scores it and the controls. The
// human model's own parameters are unchanged on return (except by the selection
// methods head and full, whose adapter, when disabled, restores them); the
// adapter stays attached and enabled.
func (p *Protocol) Run() (*TransferReport, error) {
	o, m, data := p.opt, p.Model, p.Data
	r := p.newReport()
	r.FrozenTest = Evaluate(m, nil, data, p.Test)
	human, humanBefore := p.humanData(), []float64(nil)
	if len(o.HumanTest) > 0 {
		humanBefore = Predict(m, nil, human, o.HumanTest)
		r.HumanTestBefore = ptr(Score(human.Set, o.HumanTest, humanBefore))
	}
	total, _ := nn.Counts(m)
	r.Test, r.TotalParameters = r.FrozenTest, total
	al := p.alignment(r)
	if o.Method != MethodFrozen {
		if err := p.adapt(r, al); err != nil {
			return nil, err
		}
		r.Test = Evaluate(m, nil, data, p.Test)
		if len(o.HumanTest) > 0 {
			r.HumanTestWithAdapter = ptr(Evaluate(m, nil, human, o.HumanTest))
			p.Adapter.Enable(false)
			y := Predict(m, nil, human, o.HumanTest)
			p.Adapter.Enable(true)
			r.HumanTestAfter = ptr(Score(human.Set, o.HumanTest, y))
			r.HumanPredictionsUnchanged = ptr(slices.Equal(y, humanBefore))
		}
	} else if len(o.HumanTest) > 0 {
		r.HumanTestAfter, r.HumanPredictionsUnchanged = r.HumanTestBefore, ptr(true)
	}
	d := data.Set
	r.ControlReceptorRateTest = Score(d, p.Test, ReceptorRate(d, p.Adapt, p.Test))
	if o.Control != nil {
		c, err := p.drugOnlyControl()
		if err != nil {
			return nil, err
		}
		r.ControlDrugOnlyTest = &c
	}
	return r, nil
}

// newReport returns the report's description of the run and the split.
func (p *Protocol) newReport() *TransferReport {
	o := p.opt
	r := &TransferReport{Method: o.Method, Species: o.Species, PerTarget: o.PerTarget, AdaptPairs: len(p.Adapt),
		Seed: o.Seed, Targets: make([]TargetReport, 0, len(p.Splits))}
	for _, s := range p.Splits {
		r.Targets = append(r.Targets, TargetReport{Protein: p.Data.Set.Proteins[s.Protein].ID,
			Adapt: len(s.Adapt), Test: len(s.Test), Dropped: s.Dropped, ByScaffold: s.ByScaffold})
	}
	return r
}

// humanData is the data of the human test pairs.
func (p *Protocol) humanData() *Data {
	if p.opt.Human != nil {
		return p.opt.Human
	}
	return p.Data
}

// alignment returns the alignment term of the run (shuffled for the control), or
// nil, and records it in r.
func (p *Protocol) alignment(r *TransferReport) *Alignment {
	al := p.opt.Alignment
	if al == nil || p.opt.Method == MethodFrozen {
		return nil
	}
	if p.opt.ShuffleOrthologs {
		al = al.Shuffled(p.opt.Seed)
	}
	r.OrthologPairs, r.AlignWeight, r.ShuffledOrthologs = ptr(len(al.Other)), ptr(al.Weight), ptr(p.opt.ShuffleOrthologs)
	return al
}

// adapt chooses the prompt length if asked, attaches a new adapter and trains it.
func (p *Protocol) adapt(r *TransferReport, al *Alignment) error {
	o, m := p.opt, p.Model
	if o.Method == MethodPrompt && o.PromptLength == 0 {
		choice, err := ChoosePromptLength(m, p.Data, p.Adapt, al, PromptSearchOptions{Species: o.Species,
			Epochs: o.Epochs, LR: o.LR, Schedule: o.Schedule, Seed: o.Seed})
		if err != nil {
			return err
		}
		o.PromptLength, r.PromptLengthSearch = choice.Length, choice
	}
	if o.Method == MethodPrompt {
		r.PromptLength = ptr(o.PromptLength)
	}
	cfg, err := AdapterConfig(o.Method, AdapterOptions{PromptLength: o.PromptLength, Rank: o.Rank, Reduction: o.Reduction, Seed: o.Seed})
	if err != nil {
		return err
	}
	a, err := adapters.New(o.Species, cfg)
	if err != nil {
		return err
	}
	if err := a.Attach(m); err != nil {
		return err
	}
	p.Adapter = a
	if al != nil {
		r.AlignmentCosineBefore = ptr(AlignmentCosine(m, a, nil, al))
	}
	p.History, err = Transfer(m, a, p.Data, p.Adapt, al, TrainOptions{Epochs: o.Epochs, LR: o.LR, Schedule: o.Schedule,
		Seed: o.Seed, Progress: o.Progress, Checkpoint: o.Checkpoint})
	if err != nil {
		return err
	}
	if al != nil {
		r.AlignmentCosineAfter = ptr(AlignmentCosine(m, a, nil, al))
	}
	for _, q := range a.Params() {
		r.TrainableParameters += q.Size()
	}
	if o.Method != MethodHead && o.Method != MethodFull {
		r.TotalParameters += r.TrainableParameters
	}
	return nil
}

// drugOnlyControl fine-tunes the drug-only control on the adaptation pairs (not
// for MethodFrozen) and scores it on the test pairs.
func (p *Protocol) drugOnlyControl() (Metrics, error) {
	o, c := p.opt, p.opt.Control
	if !c.Config.DrugOnly {
		return Metrics{}, fmt.Errorf("the control must be a drug-only model")
	}
	cdata, err := c.Tokenize(p.Data.Set)
	if err != nil {
		return Metrics{}, err
	}
	if o.Method != MethodFrozen && len(p.Adapt) > 0 {
		if _, err := Train(c, cdata, p.Adapt, TrainOptions{Epochs: o.Epochs, LR: o.LR, Schedule: o.Schedule, Seed: o.Seed}); err != nil {
			return Metrics{}, fmt.Errorf("drug-only control: %v", err)
		}
	}
	return Evaluate(c, nil, cdata, p.Test), nil
}

// ReceptorRate is the receptor base-rate control: it scores each test pair with
// the fraction of positives among the adaptation pairs of its protein, or among
// all adaptation pairs if its protein has none (0.5 if there are none at all).
// Pooled AUROC rewards this alone.
func ReceptorRate(d *dtidata.Dataset, adapt, test []int) []float64 {
	pos, n := map[int]float64{}, map[int]float64{}
	all, alln := 0.0, 0.0
	for _, k := range adapt {
		p := d.Pairs[k].Protein
		pos[p] += d.Pairs[k].Value
		n[p]++
		all += d.Pairs[k].Value
		alln++
	}
	y := make([]float64, len(test))
	for i, k := range test {
		p := d.Pairs[k].Protein
		switch {
		case n[p] > 0:
			y[i] = pos[p] / n[p]
		case alln > 0:
			y[i] = all / alln
		default:
			y[i] = 0.5
		}
	}
	return y
}

// HeldOutHumanPairs returns the pairs of d whose protein is among the held-out
// proteins recorded in a base model's metadata (MetaTestProteins) and is not of
// species: the human test pairs of a transfer. It returns an error if the
// metadata does not parse.
func HeldOutHumanPairs(d *dtidata.Dataset, meta map[string]string, species string) ([]int, error) {
	var ids []string
	if s := meta[MetaTestProteins]; s != "" {
		if err := json.Unmarshal([]byte(s), &ids); err != nil {
			return nil, fmt.Errorf("metadata %s: %v", MetaTestProteins, err)
		}
	}
	var out []int
	for k, p := range d.Pairs {
		if pr := d.Proteins[p.Protein]; slices.Contains(ids, pr.ID) && pr.Species != species {
			out = append(out, k)
		}
	}
	return out, nil
}

// OrthologAlignment returns the alignment term of weight λ over the ortholog links
// of od whose other protein is of species (every link if species is ""), as token
// sequences of m. It returns an error if there is no such link.
func OrthologAlignment(od *dtidata.Dataset, species string, m *Model, weight float64, seed uint64) (*Alignment, error) {
	al := &Alignment{Weight: weight, Seed: seed}
	for _, l := range od.Orthologs {
		if species != "" && od.Proteins[l.Other].Species != species {
			continue
		}
		al.Other = append(al.Other, m.ProteinTokens(od.Proteins[l.Other].Sequence))
		al.Human = append(al.Human, m.ProteinTokens(od.Proteins[l.Human].Sequence))
	}
	if len(al.Other) == 0 {
		return nil, fmt.Errorf("no human–%s ortholog links (%d links in all)", species, len(od.Orthologs))
	}
	return al, nil
}

func ptr[T any](v T) *T { return &v }
