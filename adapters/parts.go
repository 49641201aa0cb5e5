package adapters

import (
	"fmt"
	"math"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// lora is ΔW = (α/r)·(B·A)ᵀ on a linear or conv1d site whose weight W has shape
// (k·in, out) (k = 1 for linear, the kernel width for conv1d). A is (r, k·in) and
// B is (out, r), PEFT's layouts.
type lora struct {
	s      *nn.Site
	w      *nn.Param
	a, b   *nn.Param
	scale  float64
	width  int       // conv1d kernel width; 0 for linear
	backup []float64 // W before Merge
}

func newLoRA(base nn.Module, s *nn.Site, cfg Config, rng *rand.Rand) (*lora, error) {
	if s.Kind != "linear" && s.Kind != "conv1d" {
		return nil, fmt.Errorf("site %s is a %s layer; LoRA adapts linear and conv1d layers (train an embedding's rows with method select, a norm's γ and β with method norm)", s.Name, s.Kind)
	}
	w, err := nn.ParamByName(base, s.Name+".weight")
	if err != nil {
		return nil, fmt.Errorf("site %s: LoRA needs the layer's weight: %v", s.Name, err)
	}
	ws := w.Value().Shape
	if len(ws) != 2 || ws[1] != s.Out || s.In < 1 || ws[0]%s.In != 0 {
		return nil, fmt.Errorf("site %s: weight %s has shape %v, not (k·%d, %d)", s.Name, w.Name, ws, s.In, s.Out)
	}
	width := 0
	if s.Kind == "conv1d" {
		width = ws[0] / s.In
	} else if ws[0] != s.In {
		return nil, fmt.Errorf("site %s: weight %s has shape %v, not (%d, %d)", s.Name, w.Name, ws, s.In, s.Out)
	}
	r, alpha := cfg.loraRank(s.Name)
	in, out := ws[0], ws[1]
	if r > min(in, out) {
		return nil, fmt.Errorf("site %s: LoRA rank %d exceeds min(in, out) = min(%d, %d), where the update is already of full rank", s.Name, r, in, out)
	}
	// A ~ U(−1/√in, 1/√in): PyTorch's kaiming_uniform(a=√5) as in PEFT; B = 0.
	bound := 1 / math.Sqrt(float64(in))
	return &lora{
		s: s, w: w, width: width, scale: alpha / float64(r),
		a: nn.NewParam(s.Name+".lora_A.weight", nn.Uniform(rng, -bound, bound, r, in)),
		b: nn.NewParam(s.Name+".lora_B.weight", ad.Zeros(out, r)),
	}, nil
}

func (l *lora) site() *nn.Site      { return l.s }
func (l *lora) params() []*nn.Param { return []*nn.Param{l.a, l.b} }

// rank returns r.
func (l *lora) rank() int { return l.a.Value().Shape[0] }

func (l *lora) flopsPerRow() int64 {
	r, in, out := int64(l.rank()), int64(l.a.Value().Shape[1]), int64(l.s.Out)
	f := 2*in*r + 2*r*out + out // x·Aᵀ, ·Bᵀ, the addition
	if l.scale != 1 {
		f += r
	}
	return f
}

// Apply returns out + (α/r)·(x·Aᵀ)·Bᵀ, x the layer input (unfolded for conv1d).
func (l *lora) Apply(ctx *nn.Context, in, out *ad.Var) *ad.Var {
	var x *ad.Var
	if l.width > 0 {
		x = rows2(ad.Unfold(in, l.width))
	} else {
		x = rows2(in)
	}
	h := ad.MatMulT(x, l.a.V, false, true) // (n, r)
	if l.scale != 1 {
		h = ad.Scale(h, l.scale)
	}
	return addShaped(out, ad.MatMulT(h, l.b.V, false, true))
}

// delta returns (α/r)·(B·A)ᵀ in W's layout (k·in, out), row-major.
func (l *lora) delta() []float64 {
	r, in, out := l.rank(), l.a.Value().Shape[1], l.s.Out
	A, B := l.a.Value().Float64s(), l.b.Value().Float64s()
	d := make([]float64, in*out)
	for i := 0; i < in; i++ {
		for j := 0; j < out; j++ {
			var s float64
			for k := 0; k < r; k++ {
				s += B[j*r+k] * A[k*in+i]
			}
			d[i*out+j] = l.scale * s
		}
	}
	return d
}

func (l *lora) merge() {
	l.backup = valuesOf(l.w)
	w := valuesOf(l.w)
	for i, v := range l.delta() {
		w[i] += v
	}
	setValues(l.w, w) // rounded once, for a float32 layer
}

func (l *lora) unmerge() {
	setValues(l.w, l.backup)
	l.backup = nil
}

// bottleneck is h ← h + up(act(down(z))) with z the layer output (sequential) or
// input (parallel); down is (hidden, d_z) and up (d, hidden), PyTorch layouts; up
// starts at zero.
type bottleneck struct {
	s                 *nn.Site
	parallel          bool
	act               nn.Activation
	downW, downB      *nn.Param
	upW, upB          *nn.Param
	dIn, hidden, dOut int
}

func newBottleneck(s *nn.Site, cfg Config, rng *rand.Rand) (*bottleneck, error) {
	if s.Out < 1 {
		return nil, fmt.Errorf("site %s (%s) has no output width", s.Name, s.Kind)
	}
	parallel := cfg.Form == FormParallel
	dIn := s.Out
	if parallel {
		if s.Kind != "linear" && s.Kind != "layernorm" {
			return nil, fmt.Errorf("site %s is a %s layer; a parallel bottleneck needs a layer whose output rows are its input rows (linear, layernorm); use form sequential", s.Name, s.Kind)
		}
		dIn = s.In
	}
	h := max(1, s.Out/cfg.Reduction)
	bound := 1 / math.Sqrt(float64(dIn))
	return &bottleneck{
		s: s, parallel: parallel, act: cfg.Activation, dIn: dIn, hidden: h, dOut: s.Out,
		downW: nn.NewParam(s.Name+".adapter_down.weight", nn.Uniform(rng, -bound, bound, h, dIn)),
		downB: nn.NewParam(s.Name+".adapter_down.bias", ad.Zeros(h)),
		upW:   nn.NewParam(s.Name+".adapter_up.weight", ad.Zeros(s.Out, h)),
		upB:   nn.NewParam(s.Name+".adapter_up.bias", ad.Zeros(s.Out)),
	}, nil
}

func (b *bottleneck) site() *nn.Site { return b.s }
func (b *bottleneck) params() []*nn.Param {
	return []*nn.Param{b.downW, b.downB, b.upW, b.upB}
}

func (b *bottleneck) flopsPerRow() int64 {
	d, h, o := int64(b.dIn), int64(b.hidden), int64(b.dOut)
	return 2*d*h + h + h + 2*h*o + o + o // down, its bias, activation, up, its bias, the addition
}

func (b *bottleneck) Apply(ctx *nn.Context, in, out *ad.Var) *ad.Var {
	z := out
	if b.parallel {
		z = in
	}
	u := b.act.Apply(linearT(rows2(z), b.downW, b.downB))
	return addShaped(out, linearT(u, b.upW, b.upB))
}

// film is h ← γ(c)∘h + β(c), with [z, β] = g(c) ∈ ℝ^{2d} from a small network whose
// output layer starts at zero, and γ = 1 + z, exp(z) or softplus(z)/softplus(0).
type film struct {
	s              *nn.Site
	act            nn.Activation
	gamma          string
	sp0            float64 // softplus(0) as the engine computes it
	hidW, hidB     *nn.Param
	outW, outB     *nn.Param
	cond, hid, dim int
}

func newFiLM(s *nn.Site, cfg Config, rng *rand.Rand) (*film, error) {
	if s.Out < 1 {
		return nil, fmt.Errorf("site %s (%s) has no output width", s.Name, s.Kind)
	}
	f := &film{s: s, act: cfg.Activation, gamma: cfg.Gamma, cond: cfg.CondDim, hid: cfg.FiLMHidden, dim: s.Out}
	f.sp0 = ad.Softplus(ad.Constant(ad.Scalar(0))).Item()
	width := cfg.CondDim
	if cfg.FiLMHidden > 0 {
		bound := 1 / math.Sqrt(float64(cfg.CondDim))
		f.hidW = nn.NewParam(s.Name+".film.hidden.weight", nn.Uniform(rng, -bound, bound, cfg.FiLMHidden, cfg.CondDim))
		f.hidB = nn.NewParam(s.Name+".film.hidden.bias", nn.Uniform(rng, -bound, bound, cfg.FiLMHidden))
		width = cfg.FiLMHidden
	}
	f.outW = nn.NewParam(s.Name+".film.out.weight", ad.Zeros(2*s.Out, width))
	f.outB = nn.NewParam(s.Name+".film.out.bias", ad.Zeros(2*s.Out))
	return f, nil
}

func (f *film) site() *nn.Site { return f.s }
func (f *film) params() []*nn.Param {
	if f.hidW == nil {
		return []*nn.Param{f.outW, f.outB}
	}
	return []*nn.Param{f.hidW, f.hidB, f.outW, f.outB}
}

func (f *film) flopsPerRow() int64 {
	c, h, d := int64(f.cond), int64(f.hid), int64(f.dim)
	var n int64
	w := c
	if h > 0 {
		n += 2*c*h + h + h // hidden layer, bias, activation
		w = h
	}
	n += 2*w*2*d + 2*d // output layer and bias
	switch f.gamma {
	case GammaAffine, GammaExp:
		n += d
	case GammaSoftplus:
		n += 2 * d
	}
	return n + 2*d // γ∘h + β
}

// Apply modulates out with γ(c) and β(c). It panics if ctx carries no conditioning
// input of the configured width, or if its rows match neither out's rows, its
// leading (batch) axis, nor 1.
func (f *film) Apply(ctx *nn.Context, in, out *ad.Var) *ad.Var {
	if ctx == nil || ctx.Cond == nil {
		panic(fmt.Sprintf("adapters: FiLM at site %s needs a conditioning input: call the model with nn.Context{Cond: c}, c of shape (rows, %d)", f.s.Name, f.cond))
	}
	c := ctx.Cond
	cs := c.Shape()
	if len(cs) != 2 || cs[1] != f.cond {
		panic(fmt.Sprintf("adapters: FiLM at site %s: conditioning input has shape %v, needs (rows, %d) or (1, %d)", f.s.Name, cs, f.cond, f.cond))
	}
	h := c
	if f.hidW != nil {
		h = f.act.Apply(linearT(c, f.hidW, f.hidB))
	}
	z := linearT(h, f.outW, f.outB) // (rows, 2d)
	zg, beta := ad.Slice(z, 1, 0, f.dim), ad.Slice(z, 1, f.dim, 2*f.dim)
	var gamma *ad.Var
	switch f.gamma {
	case GammaExp:
		gamma = ad.Exp(zg)
	case GammaSoftplus:
		gamma = ad.Div(ad.Softplus(zg), ad.Constant(ad.Scalar(f.sp0)))
	default:
		gamma = ad.AddScalar(zg, 1)
	}
	os := out.Shape()
	if len(os) > 2 && cs[0] != 1 {
		lead := 1
		for _, n := range os[:len(os)-1] {
			lead *= n
		}
		if cs[0] != lead {
			if cs[0] != os[0] {
				panic(fmt.Sprintf("adapters: FiLM at site %s: %d conditioning rows for an output of shape %v", f.s.Name, cs[0], os))
			}
			shape := make([]int, len(os))
			for i := range shape {
				shape[i] = 1
			}
			shape[0], shape[len(os)-1] = cs[0], f.dim
			gamma, beta = ad.Reshape(gamma, shape...), ad.Reshape(beta, shape...)
		} else {
			gamma, beta = ad.Reshape(gamma, os...), ad.Reshape(beta, os...)
		}
	} else if len(os) == 2 && cs[0] != 1 && cs[0] != os[0] {
		panic(fmt.Sprintf("adapters: FiLM at site %s: %d conditioning rows for %d output rows", f.s.Name, cs[0], os[0]))
	}
	return ad.Add(ad.Mul(out, gamma), beta)
}

// prompt prepends m learned vectors P (m, d) to a sequence: (L, d) → (m+L, d) and
// (batch, L, d) → (batch, m+L, d).
type prompt struct {
	s *nn.Site
	p *nn.Param
}

func newPrompt(base nn.Module, s *nn.Site, cfg Config, rng *rand.Rand) (*prompt, error) {
	d, m := s.Out, cfg.PromptLength
	if d < 1 {
		return nil, fmt.Errorf("site %s (%s) has no output width", s.Name, s.Kind)
	}
	var init *ad.Tensor
	if s.Kind == "embedding" {
		// Lester et al. (2021): start from the embeddings of tokens of the vocabulary.
		table, err := nn.ParamByName(base, s.Name+".weight")
		if err != nil {
			return nil, fmt.Errorf("site %s: %v", s.Name, err)
		}
		ts := table.Value().Shape
		if len(ts) != 2 || ts[1] != d || ts[0] < 1 {
			return nil, fmt.Errorf("site %s: table %s has shape %v, not (n, %d)", s.Name, table.Name, ts, d)
		}
		init = ad.Zeros(m, d)
		for i := 0; i < m; i++ {
			row := rng.IntN(ts[0])
			copy(init.Data[i*d:(i+1)*d], table.Value().Float64s()[row*d:(row+1)*d])
		}
	} else {
		init = nn.Normal(rng, 1/math.Sqrt(float64(d)), m, d)
	}
	return &prompt{s: s, p: nn.NewParam(s.Name+".prompt.weight", init)}, nil
}

func (p *prompt) site() *nn.Site      { return p.s }
func (p *prompt) params() []*nn.Param { return []*nn.Param{p.p} }
func (p *prompt) flopsPerRow() int64  { return 0 }

// length returns m.
func (p *prompt) length() int { return p.p.Value().Shape[0] }

// Apply prepends the prompt to out. It panics if out is not (L, d) or (batch, L, d).
func (p *prompt) Apply(ctx *nn.Context, in, out *ad.Var) *ad.Var { return Prepend(p.p.V, out) }

// Prepend returns the prompt P (m, d) prepended to the sequence x: (L, d) gives
// (m+L, d), (batch, L, d) gives (batch, m+L, d) with the same P before every
// sequence. Sequence models that do not run their hooks on such a tensor call it
// directly with the prompt of Adapter.Prompt. It panics if the widths differ or x
// has another rank.
func Prepend(p, x *ad.Var) *ad.Var {
	ps, xs := p.Shape(), x.Shape()
	if len(ps) != 2 || ps[1] != xs[len(xs)-1] {
		panic(fmt.Sprintf("adapters: prompt of shape %v for a sequence of shape %v", ps, xs))
	}
	switch len(xs) {
	case 2:
		return ad.Concat(0, p, x)
	case 3:
		pb := ad.BroadcastTo(ad.Reshape(p, 1, ps[0], ps[1]), xs[0], ps[0], ps[1])
		return ad.Concat(1, pb, x)
	}
	panic(fmt.Sprintf("adapters: prompt for a sequence of shape %v (needs (length, d) or (batch, length, d))", xs))
}

// Prompt returns the prompt vectors (m, d) of a prompt adapter at a site, or nil.
func (a *Adapter) Prompt(site string) *ad.Var {
	for _, pt := range a.parts {
		if p, ok := pt.(*prompt); ok && p.s.Name == site {
			return p.p.V
		}
	}
	return nil
}
