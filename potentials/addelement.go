package potentials

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/internal/safetensors"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
)

// Methods of teaching a model a new element.
const (
	MethodAdapter   = "adapter"   // new embedding + reference + element-gated LoRA (default)
	MethodEmbedding = "embedding" // new embedding + reference only
	MethodZeroShot  = "zero-shot" // initial embedding and fitted reference, no training
	MethodFull      = "full"      // new embedding + reference, and every base parameter trains
)

// ElementConfig configures an element adapter; it is stored in the adapter file.
type ElementConfig struct {
	Method  string   `json:"method"`
	Element int      `json:"element"` // atomic number
	Rank    int      `json:"rank"`    // LoRA rank (method adapter)
	Alpha   float64  `json:"alpha"`   // LoRA scale α; ΔW = (α/r)·A·B
	Targets []string `json:"targets"` // site patterns for LoRA (see nn.Match)
	// Sites, if set, replaces Targets and Rank: LoRA of the given rank at each named
	// site, as chosen by a placement plan (sciadapt plan).
	Sites []SiteRank `json:"sites,omitempty"`
	// Precision is the precision the adapter's values are kept and saved in:
	// "float64" (or "", the default) or "float32", which halves the file. With
	// float32 the trained values are rounded to float32 before the new reference is
	// refitted, so the adapter evaluated in memory and the one read back from its
	// file predict the same, bit for bit.
	Precision string `json:"precision,omitempty"`
}

// SiteRank is a LoRA placement: a Linear site by name and a rank.
type SiteRank struct {
	Site string `json:"site"`
	Rank int    `json:"rank"`
}

// DefaultElementConfig returns the default adapter for element z: LoRA of rank 2,
// α = 4, on the filter and update networks of every interaction block, kept in
// float32. On rMD17 (adding O to an H/C/N base, bench/potentials/RESULTS.md) it
// matched rank 4 in float64 over three seeds at a quarter of the file.
func DefaultElementConfig(z int) ElementConfig {
	return ElementConfig{Method: MethodAdapter, Element: z, Rank: 2, Alpha: 4,
		Targets: []string{"interaction.*.filter.*", "interaction.*.update.*"}, Precision: "float32"}
}

// Validate returns an error for an unusable configuration.
func (c ElementConfig) Validate() error {
	if _, err := elements.ByZ(c.Element); err != nil {
		return err
	}
	switch c.Method {
	case MethodAdapter:
		for _, sr := range c.Sites {
			if sr.Rank < 1 {
				return fmt.Errorf("LoRA rank %d at %s must be at least 1", sr.Rank, sr.Site)
			}
		}
		if len(c.Sites) > 0 {
			return nil
		}
		if c.Rank < 1 {
			return fmt.Errorf("LoRA rank %d must be at least 1", c.Rank)
		}
		if len(c.Targets) == 0 {
			return fmt.Errorf("LoRA needs target sites")
		}
	case MethodEmbedding, MethodZeroShot, MethodFull:
	default:
		return fmt.Errorf("unknown method %q (adapter, embedding, zero-shot, full)", c.Method)
	}
	switch c.Precision {
	case "", "float64", "float32":
	default:
		return fmt.Errorf("unknown precision %q (float64, float32)", c.Precision)
	}
	return nil
}

// float32Values reports whether the adapter keeps its values in float32.
func (c ElementConfig) float32Values() bool { return c.Precision == "float32" }

// roundToFloat32 rounds every value of the adapter's parameters to float32.
func (a *ElementAdapter) roundToFloat32() {
	for _, p := range a.Params() {
		for i, v := range p.Value().Data {
			p.Value().Data[i] = float64(float32(v))
		}
	}
}

// ElementAdapter teaches a base model one new element: an embedding row and a
// reference energy for it and, for the adapter method, low-rank updates
// ΔW = (α/r)·A·B of chosen layers that act only on rows involving the new element
// (atoms of that element, pairs with such an atom at either end). Structures
// without the element are therefore predicted bit-identically to the base.
type ElementAdapter struct {
	Config          ElementConfig
	Species         *ExtraSpecies
	LoRA            []*GatedLoRA
	BaseFingerprint string
}

// GatedLoRA is a low-rank update of one Linear site applied only to the rows its
// mask selects: out + mask∘((α/r)·in·A·B), with A (in, r) and B (r, out), B = 0 at
// the start.
type GatedLoRA struct {
	Site  string
	Rows  string
	A, B  *nn.Param
	Scale float64
}

// Apply implements nn.Hook.
func (g *GatedLoRA) Apply(ctx *nn.Context, in, out *ad.Var) *ad.Var {
	mask := ctx.Mask(g.Rows)
	if mask == nil || !anyNonzero(mask.Value()) {
		return out
	}
	delta := ad.Scale(ad.MatMul(ad.MatMul(in, g.A.V), g.B.V), g.Scale)
	return ad.Add(out, ad.Mul(delta, mask))
}

func anyNonzero(t *ad.Tensor) bool {
	for _, v := range t.Data {
		if v != 0 {
			return true
		}
	}
	return false
}

// NewElementAdapter prepares an adapter for base: the new element's embedding starts
// from its chemical neighbours (InitialEmbedding) and its reference energy at 0 until
// FitNewReference. It panics if base is nil; it returns an error for a bad
// configuration or an element the base already knows.
func NewElementAdapter(base *Model, cfg ElementConfig) (*ElementAdapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	for _, z := range base.Species() {
		if z == cfg.Element {
			return nil, fmt.Errorf("the base model already knows %s", elements.Symbol(cfg.Element))
		}
	}
	emb, err := base.InitialEmbedding(cfg.Element)
	if err != nil {
		return nil, err
	}
	sym := elements.Symbol(cfg.Element)
	a := &ElementAdapter{
		Config: cfg,
		Species: &ExtraSpecies{Z: cfg.Element,
			Embedding: nn.NewParam("element."+sym+".embedding", ad.New(emb, len(emb))),
			Ref:       nn.NewParam("element."+sym+".reference", ad.Zeros(1))},
		BaseFingerprint: nn.Fingerprint(base),
	}
	if cfg.Method == MethodAdapter {
		rng := nn.NewRand(uint64(cfg.Element) * 7919)
		placements, err := loraPlacements(base, cfg)
		if err != nil {
			return nil, err
		}
		for _, pl := range placements {
			s, r := pl.site, pl.rank
			a.LoRA = append(a.LoRA, &GatedLoRA{
				Site: s.Name, Rows: s.Rows,
				// A ~ N(0, 1/in) as in LoRA's Kaiming-style init; B = 0 so ΔW = 0 at start.
				A:     nn.NewParam(s.Name+".lora_A.weight", nn.Normal(rng, 1/math.Sqrt(float64(s.In)), s.In, r)),
				B:     nn.NewParam(s.Name+".lora_B.weight", ad.Zeros(r, s.Out)),
				Scale: cfg.Alpha / float64(r),
			})
		}
	}
	return a, nil
}

type placement struct {
	site *nn.Site
	rank int
}

// loraPlacements resolves the configuration's sites (by exact name, from a plan) or
// targets (by pattern, at the common rank) to Linear sites of base.
func loraPlacements(base *Model, cfg ElementConfig) ([]placement, error) {
	var out []placement
	if len(cfg.Sites) > 0 {
		byName := map[string]*nn.Site{}
		for _, s := range base.Sites() {
			byName[s.Name] = s
		}
		for _, sr := range cfg.Sites {
			s := byName[sr.Site]
			if s == nil || s.Kind != "linear" {
				return nil, fmt.Errorf("the plan places LoRA at %q, which is not a Linear layer of this model", sr.Site)
			}
			out = append(out, placement{s, sr.Rank})
		}
		return out, nil
	}
	for _, s := range nn.SitesMatching(base, cfg.Targets...) {
		if s.Kind == "linear" {
			out = append(out, placement{s, cfg.Rank})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no Linear site of the model matches %v", cfg.Targets)
	}
	return out, nil
}

func (a *ElementAdapter) hookName() string { return "add-" + elements.Symbol(a.Config.Element) }

// Attach adds the element and the LoRA hooks to m, which must be the base the adapter
// was made for. A model carries at most one add-element adapter; Model.Compute (and
// so every Calculator built on m) applies it.
func (a *ElementAdapter) Attach(m *Model) error {
	if fp := nn.Fingerprint(m); fp != a.BaseFingerprint {
		return fmt.Errorf("this adapter was trained for another base model (base %s…, adapter expects %s…)", short(fp), short(a.BaseFingerprint))
	}
	if m.element != nil {
		return fmt.Errorf("the model already carries the add-element adapter for %s; one add-element adapter per model", elements.Symbol(m.element.Config.Element))
	}
	m.element = a
	m.Extra = append(m.Extra, a.Species)
	sites := map[string]*nn.Site{}
	for _, s := range m.Sites() {
		sites[s.Name] = s
	}
	for _, l := range a.LoRA {
		s := sites[l.Site]
		if s == nil {
			return fmt.Errorf("the base model has no layer %q", l.Site)
		}
		s.Attach(a.hookName(), l)
	}
	return nil
}

func short(fp string) string {
	fp = strings.TrimPrefix(fp, "sha256:")
	if len(fp) > 12 {
		return fp[:12]
	}
	return fp
}

// Params lists the adapter's parameters: embedding, reference, then A and B of each
// LoRA site.
func (a *ElementAdapter) Params() []*nn.Param {
	ps := []*nn.Param{a.Species.Embedding, a.Species.Ref}
	for _, l := range a.LoRA {
		ps = append(ps, l.A, l.B)
	}
	return ps
}

// Context returns the row masks for a batch: atoms of the new element, and pairs
// with such an atom at either end.
func (a *ElementAdapter) Context(b *Batch) *nn.Context {
	atom := ad.Zeros(len(b.Numbers), 1)
	for i, z := range b.Numbers {
		if z == a.Config.Element {
			atom.Data[i] = 1
		}
	}
	pair := ad.Zeros(len(b.I), 1)
	for p := range b.I {
		if atom.Data[b.I[p]] == 1 || atom.Data[b.J[p]] == 1 {
			pair.Data[p] = 1
		}
	}
	return &nn.Context{Masks: map[string]*ad.Var{"atom": ad.Constant(atom), "pair": ad.Constant(pair)}}
}

// metadata keys of element adapter files.
const (
	formatAdapter = "sciadapt-adapter"
	kindElement   = "potential/add-element"
)

// Save writes the adapter (its tensors, configuration and base fingerprint) to path
// atomically. LoRA tensors are stored in PEFT's layout: lora_A (r, in), lora_B (out, r).
func (a *ElementAdapter) Save(path string) error {
	cfg, _ := json.Marshal(a.Config)
	var ts []safetensors.Tensor
	for _, p := range []*nn.Param{a.Species.Embedding, a.Species.Ref} {
		ts = append(ts, safetensors.Tensor{Name: p.Name, Shape: p.Value().Shape, Data: p.Value().Data})
	}
	for _, l := range a.LoRA {
		ts = append(ts, transposed(l.A), transposed(l.B))
	}
	for i := range ts {
		ts[i].Float32 = a.Config.float32Values()
	}
	return nn.WriteTensors(path, ts, map[string]string{
		"format": formatAdapter, "sciadapt.kind": kindElement,
		"adapter_config": string(cfg), "base_fingerprint": a.BaseFingerprint,
	})
}

func transposed(p *nn.Param) safetensors.Tensor {
	t := ad.Transpose(ad.Constant(p.Value())).Value()
	return safetensors.Tensor{Name: p.Name, Shape: t.Shape, Data: t.Data}
}

// LoadElementAdapter reads an adapter written by Save and attaches it to base. It
// refuses a file made for another base, naming both fingerprints.
func LoadElementAdapter(path string, base *Model) (*ElementAdapter, error) {
	f, err := nn.ReadTensors(path)
	if err != nil {
		return nil, err
	}
	if f.Metadata["format"] != formatAdapter || f.Metadata["sciadapt.kind"] != kindElement {
		return nil, fmt.Errorf("%s: not an add-element adapter file (format %q, kind %q)", path, f.Metadata["format"], f.Metadata["sciadapt.kind"])
	}
	var cfg ElementConfig
	if err := json.Unmarshal([]byte(f.Metadata["adapter_config"]), &cfg); err != nil {
		return nil, fmt.Errorf("%s: adapter configuration: %v", path, err)
	}
	// Every LoRA site holds at least 2·rank values (A is r×in, B out×r); refuse a
	// rank the file cannot hold before allocating (an edited rank of 4e8 would
	// otherwise run out of memory).
	have, need := 0, 0.0
	for _, t := range f.Tensors {
		have += len(t.Data)
	}
	if len(cfg.Sites) > 0 {
		for _, s := range cfg.Sites {
			need += 2 * float64(s.Rank)
		}
	} else if cfg.Method == MethodAdapter {
		need = 2 * float64(cfg.Rank)
	}
	if !(need <= float64(have)) {
		return nil, fmt.Errorf("%s: the adapter configuration needs at least %.4g values but the file holds %d (damaged or edited configuration?)", path, need, have)
	}
	if fp := nn.Fingerprint(base); fp != f.Metadata["base_fingerprint"] {
		return nil, fmt.Errorf("%s: this adapter belongs to another base model (adapter's base %s…, given base %s…)", path, short(f.Metadata["base_fingerprint"]), short(fp))
	}
	a, err := NewElementAdapter(base, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	byName := map[string]safetensors.Tensor{}
	for _, t := range f.Tensors {
		if strings.Contains(t.Name, ".lora_") { // stored transposed (PEFT layout)
			tt := ad.Transpose(ad.Constant(ad.New(t.Data, t.Shape...))).Value()
			t = safetensors.Tensor{Name: t.Name, Shape: tt.Shape, Data: tt.Data}
		}
		byName[t.Name] = t
	}
	if err := nn.CopyTensors(path, byName, a.Params(), true); err != nil {
		return nil, err
	}
	if err := a.Attach(base); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return a, nil
}

// AddElementOptions configure AddElement.
type AddElementOptions struct {
	Config ElementConfig
	Train  TrainOptions // Params and Context are set by AddElement
}

// AddElement teaches base the element of opt.Config from frames that contain it and
// returns the trained adapter, attached to base. For every method but full, the base
// parameters stay frozen and bit-identical.
func AddElement(base *Model, frames []datasets.Frame, opt AddElementOptions) (*ElementAdapter, []train.EpochStats, error) {
	a, err := NewElementAdapter(base, opt.Config)
	if err != nil {
		return nil, nil, err
	}
	if err := a.Attach(base); err != nil {
		return nil, nil, err
	}
	ref, err := base.FitNewReference(a.Config.Element, frames, a.Context)
	if err != nil {
		return nil, nil, err
	}
	a.Species.Ref.Value().Data[0] = ref
	if a.Config.Method == MethodZeroShot {
		if a.Config.float32Values() {
			a.roundToFloat32()
			if ref, err = base.FitNewReference(a.Config.Element, frames, a.Context); err != nil {
				return nil, nil, err
			}
			a.Species.Ref.Value().Data[0] = float64(float32(ref))
		}
		return a, nil, nil
	}
	nn.Freeze(base)
	params := a.Params()
	if a.Config.Method == MethodFull {
		nn.Unfreeze(base)
		for _, p := range []*nn.Param{base.Scale, base.Ref, base.Shift} {
			p.SetTrainable(false)
		}
		params = append(params, nn.Trainable(base)...)
	}
	t := opt.Train
	t.Params = params
	t.Context = a.Context
	hist, err := Train(base, frames, t)
	if err != nil {
		return a, hist, err
	}
	if a.Config.float32Values() {
		a.roundToFloat32()
	}
	// Training on forces leaves the energy free up to a constant per new-element atom
	// that the forces cannot see: refit the new reference by least squares, as
	// before training.
	if ref, err = base.FitNewReference(a.Config.Element, frames, a.Context); err != nil {
		return a, hist, err
	}
	if a.Config.float32Values() {
		ref = float64(float32(ref))
	}
	a.Species.Ref.Value().Data[0] = ref
	return a, hist, nil
}
