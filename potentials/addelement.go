package potentials

import (
	"fmt"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
)

// The embedding sites that hold one row per element: the element embedding and the
// reference energies. add-element adds a row to each.
var elementTables = []string{"embedding", "energy.reference"}

// ElementConfig configures how AddElement teaches a base model a new element. It
// becomes an adapters.Config (ElementConfig.Adapter): one new row in the embedding
// table and in the reference energies, trained with the method's own parameters.
type ElementConfig struct {
	Element int // atomic number
	// Method is adapters.MethodLoRA (the new rows and a LoRA that acts only on the
	// new element's atoms and on pairs touching one: the default), MethodRows (the
	// new rows only) or MethodFull (the new rows and every weight of the embedding
	// and the network; the fitted energy scale, references and shift stay).
	Method adapters.Method
	// Rank r and α of the LoRA (ΔW = (α/r)·(B·A)ᵀ), its target sites (nn.Match
	// patterns; nil: the architecture's default) and per-site ranks (from a plan).
	Rank      int
	Alpha     float64
	Targets   []string
	Overrides []adapters.Override
	// Precision of the adapter's values: "float64" (or "") or "float32".
	Precision string
}

// DefaultElementConfig returns the default adapter for element z: LoRA of rank 2,
// α = 4, on the architecture's default sites (for SchNet the filter and update
// networks of every block), kept in float32. On rMD17 (adding O to an H/C/N base,
// bench/potentials/RESULTS.md) rank 2 in float32 matched rank 4 in float64 over
// three seeds at a quarter of the file.
func DefaultElementConfig(z int) ElementConfig {
	return ElementConfig{Element: z, Method: adapters.MethodLoRA, Rank: 2, Alpha: 4, Precision: "float32"}
}

// defaultTargeter is a Network that names its default LoRA sites for add-element.
type defaultTargeter interface{ DefaultLoRATargets() []string }

// Validate returns an error for an unusable configuration.
func (c ElementConfig) Validate() error {
	if _, err := elements.ByZ(c.Element); err != nil {
		return err
	}
	switch c.Method {
	case adapters.MethodLoRA, adapters.MethodRows, adapters.MethodFull:
	default:
		return fmt.Errorf("add-element method %q: want %s, %s or %s", c.Method, adapters.MethodLoRA, adapters.MethodRows, adapters.MethodFull)
	}
	switch c.Precision {
	case "", "float64", "float32":
	default:
		return fmt.Errorf("unknown precision %q (float64, float32)", c.Precision)
	}
	return nil
}

// Adapter returns the adapters.Config that teaches base the element.
func (c ElementConfig) Adapter(base *Model) adapters.Config {
	cfg := adapters.Config{Method: c.Method, NewRows: 1, RowTargets: elementTables,
		RowLabels: []string{elements.Symbol(c.Element)}, Precision: c.Precision}
	switch c.Method {
	case adapters.MethodLoRA:
		cfg.Rank, cfg.Alpha, cfg.Targets, cfg.Overrides = c.Rank, c.Alpha, c.Targets, c.Overrides
		if cfg.Targets == nil {
			cfg.Targets = []string{"interaction.*.filter.*", "interaction.*.update.*"}
			if d, ok := base.Net.(defaultTargeter); ok {
				cfg.Targets = d.DefaultLoRATargets()
			}
		}
		cfg.Gate = true
		cfg.Seed = uint64(c.Element) * 7919
	case adapters.MethodFull:
		// Every weight but the fitted energy terms: select them by name.
		cfg.Method = adapters.MethodSelect
		for _, p := range base.Params() {
			if p != base.Scale && p != base.Ref && p != base.Shift {
				cfg.Patterns = append(cfg.Patterns, p.Name)
			}
		}
	}
	return cfg
}

// NewElementAdapter attaches to base an untrained adapter that teaches it
// cfg.Element: the element's embedding row starts from its chemical neighbours
// (InitialEmbedding) and its reference energy at 0 (see FitNewReference); for
// method lora the LoRA starts at zero. Every base parameter is frozen (for method
// full the network's weights then train). It returns an error for a bad
// configuration, an element the base already knows, or a base that already carries
// an add-element adapter.
func NewElementAdapter(base *Model, cfg ElementConfig) (*adapters.Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := base.canAdd(cfg.Element); err != nil {
		return nil, err
	}
	emb, err := base.InitialEmbedding(cfg.Element)
	if err != nil {
		return nil, err
	}
	a, err := adapters.New("add-"+elements.Symbol(cfg.Element), cfg.Adapter(base))
	if err != nil {
		return nil, err
	}
	if err := a.Attach(base); err != nil {
		return nil, err
	}
	a.NewRows("embedding").SetFloat64s(emb)
	base.useElements(a, []int{cfg.Element})
	return a, nil
}

// canAdd returns an error if base cannot take an adapter for element z.
func (m *Model) canAdd(z int) error {
	for _, s := range m.Species() {
		if s == z {
			return fmt.Errorf("the base model already knows %s", elements.Symbol(z))
		}
	}
	if m.adapter != nil {
		return fmt.Errorf("the model already carries the add-element adapter %s; one add-element adapter per model", m.adapter.Name())
	}
	return nil
}

// useElements records the adapter attached to m and the elements its new rows
// stand for; Species, Compute and ElementContext then use them.
func (m *Model) useElements(a *adapters.Adapter, zs []int) {
	m.adapter, m.added = a, zs
}

// ElementAdapter returns the add-element adapter attached to m, or nil.
func (m *Model) ElementAdapter() *adapters.Adapter { return m.adapter }

// ElementContext returns the row masks that an element-gated adapter reads for a
// batch: "atom" selects atoms of added elements (species beyond Config.Species),
// "pair" pairs with such an atom at either end. It returns nil when the batch holds
// no atom of an added element.
func (m *Model) ElementContext(b *Batch) *nn.Context {
	base := len(m.Config.Species)
	atom := ad.Zeros(len(b.Species), 1)
	any := false
	for i, s := range b.Species {
		if s >= base {
			atom.Data[i], any = 1, true
		}
	}
	if !any {
		return nil
	}
	pair := ad.Zeros(len(b.I), 1)
	for p := range b.I {
		if atom.Data[b.I[p]] == 1 || atom.Data[b.J[p]] == 1 {
			pair.Data[p] = 1
		}
	}
	return &nn.Context{Masks: map[string]*ad.Var{"atom": ad.Constant(atom), "pair": ad.Constant(pair)}}
}

// AddElementOptions configure AddElement.
type AddElementOptions struct {
	Config ElementConfig
	Train  TrainOptions // Params and Context are set by AddElement
	// ZeroShot skips training: the element keeps its initial embedding and its
	// fitted reference energy.
	ZeroShot bool
	// Replay are frames of the base's own chemistry (without the new element)
	// trained alongside, each weighted ReplayWeight [1], so that full fine-tuning
	// keeps what the base knew. With methods lora and rows they change nothing: the
	// adapter does not act on them.
	Replay       []datasets.Frame
	ReplayWeight float64
}

// AddElement teaches base the element of opt.Config from frames that contain it and
// returns the trained adapter, attached to base. The new reference energy is fitted
// by least squares before training and refitted after it (forces cannot see a
// constant per atom). For methods lora and rows the base parameters stay frozen and
// bit-identical, and structures without the element are predicted exactly as by the
// base.
func AddElement(base *Model, frames []datasets.Frame, opt AddElementOptions) (*adapters.Adapter, []train.EpochStats, error) {
	a, err := NewElementAdapter(base, opt.Config)
	if err != nil {
		return nil, nil, err
	}
	z := opt.Config.Element
	if err := base.FitNewReference(z, frames); err != nil {
		return nil, nil, err
	}
	var hist []train.EpochStats
	if !opt.ZeroShot {
		t := opt.Train
		t.Params = a.Params()
		t.Context = base.ElementContext
		all := frames
		if len(opt.Replay) > 0 {
			all, t.FrameWeights = withReplay(frames, opt.Replay, opt.ReplayWeight)
		}
		if hist, err = Train(base, all, t); err != nil {
			return a, hist, err
		}
	}
	a.Round()
	if err := base.FitNewReference(z, frames); err != nil {
		return a, hist, err
	}
	a.Round()
	return a, hist, nil
}

// ParseElementMethod returns the add-element method of a command-line name: "lora"
// or "adapter" (new rows and a gated LoRA), "rows" or "embedding" (new rows only),
// "zero-shot" (new rows, untrained: zeroShot is true) and "full".
func ParseElementMethod(name string) (m adapters.Method, zeroShot bool, err error) {
	switch name {
	case "lora", "adapter":
		return adapters.MethodLoRA, false, nil
	case "rows", "embedding":
		return adapters.MethodRows, false, nil
	case "zero-shot":
		return adapters.MethodRows, true, nil
	case "full":
		return adapters.MethodFull, false, nil
	}
	return "", false, fmt.Errorf("unknown add-element method %q (adapter, embedding, zero-shot, full; or lora, rows)", name)
}

// withReplay returns the new-element frames followed by the replay frames, and
// their loss weights: 1 for the new frames, w (1 if 0) for the replay frames.
func withReplay(frames, replay []datasets.Frame, w float64) ([]datasets.Frame, []float64) {
	if w == 0 {
		w = 1
	}
	all := append(append([]datasets.Frame(nil), frames...), replay...)
	weights := make([]float64, len(all))
	for i := range weights {
		weights[i] = 1
		if i >= len(frames) {
			weights[i] = w
		}
	}
	return all, weights
}
