package constitutive

import (
	"errors"
	"fmt"
	"math"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Kind is the model kind written into model files.
const Kind = "constitutive/j2-film"

// Site names of the temperature-modulated hidden layers (the FiLM targets).
const (
	SiteProps     = "props.0"
	SiteHardening = "hardening.0"
)

// Config describes a model. Zero fields take the defaults given with them.
type Config struct {
	// BaseTemperatureK is the temperature T₀ the base is fitted at, in K.
	// Default 296.15 (23 °C).
	BaseTemperatureK float64 `json:"base_temperature_K"`
	// TemperatureScaleK is ΔT of the conditioning input c = (T − T₀)/ΔT, in K.
	// Default 100.
	TemperatureScaleK float64 `json:"temperature_scale_K"`
	// Poisson is ν, fixed: uniaxial tension data do not determine it. Default 0.33
	// (handbook value for Al 6061-T6, ASM Handbook vol. 2).
	Poisson float64 `json:"poisson"`
	// ModulusRefMPa, YieldRefMPa and HardeningRefMPa scale the three outputs of the
	// property network: E = E_ref·exp(o₀), σ_y0 = Y_ref·exp(o₁), H = H_ref·exp(o₂).
	// Defaults 70000, 250, 100 MPa.
	ModulusRefMPa   float64 `json:"modulus_ref_MPa"`
	YieldRefMPa     float64 `json:"yield_ref_MPa"`
	HardeningRefMPa float64 `json:"hardening_ref_MPa"`
	// AlphaRef scales the equivalent plastic strain fed to the hardening network,
	// α̂ = α/AlphaRef. Default 0.01.
	AlphaRef float64 `json:"alpha_ref"`
	// PropsHidden is the width of the property network's hidden layer. Default 8.
	PropsHidden int `json:"props_hidden"`
	// HardeningUnits is the number of convex units of ψᵖ. Default 8.
	HardeningUnits int `json:"hardening_units"`
	// HeatCapacity is c₀ of the thermal free energy, in MPa/K (= MJ/(m³·K)).
	// Default 2.43: ρ·c_p of aluminium, 2700 kg/m³ × 896 J/(kg·K) (ASM Handbook vol. 2).
	HeatCapacity float64 `json:"heat_capacity_MPa_per_K"`
	// Seed seeds the initial weights.
	Seed uint64 `json:"seed"`
}

func (c Config) withDefaults() Config {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.BaseTemperatureK, 296.15)
	def(&c.TemperatureScaleK, 100)
	def(&c.Poisson, 0.33)
	def(&c.ModulusRefMPa, 70000)
	def(&c.YieldRefMPa, 250)
	def(&c.HardeningRefMPa, 100)
	def(&c.AlphaRef, 0.01)
	def(&c.HeatCapacity, 2.43)
	if c.PropsHidden == 0 {
		c.PropsHidden = 8
	}
	if c.HardeningUnits == 0 {
		c.HardeningUnits = 8
	}
	return c
}

// Validate reports a configuration that cannot make a model.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case !(c.BaseTemperatureK > 0) || math.IsInf(c.BaseTemperatureK, 0):
		return fmt.Errorf("constitutive: base temperature %g K is not positive", c.BaseTemperatureK)
	case !(c.TemperatureScaleK > 0):
		return fmt.Errorf("constitutive: temperature scale %g K is not positive", c.TemperatureScaleK)
	case !(c.Poisson > -1 && c.Poisson < 0.5):
		return fmt.Errorf("constitutive: Poisson ratio %g outside (−1, 0.5)", c.Poisson)
	case !(c.ModulusRefMPa > 0 && c.YieldRefMPa > 0 && c.HardeningRefMPa > 0 && c.AlphaRef > 0):
		return errors.New("constitutive: reference modulus, yield, hardening and α must be positive")
	case c.PropsHidden < 1 || c.HardeningUnits < 1:
		return errors.New("constitutive: network widths must be at least 1")
	case !(c.HeatCapacity > 0):
		return fmt.Errorf("constitutive: heat capacity %g MPa/K is not positive", c.HeatCapacity)
	}
	return nil
}

// Model is a small-strain J2 thermo-elasto-plastic material with free energy
// ψ(εᵉ, α, T) = ψᵉ(εᵉ, T) + ψᵖ(α, T) + ψθ(T); see the package documentation.
//
// Model is an nn.Module: its parameters are those of the property network
// ("props.0", "props.1"), of the hardening units ("hardening.0") and the hardening
// weights ("hardening.weight"); its hook sites are SiteProps, "props.1" and
// SiteHardening. Temperature adapters (FiLM) attach to SiteProps and SiteHardening.
type Model struct {
	cfg   Config
	Props *nn.MLP    // 1 → PropsHidden → 3, softplus
	Hard  *nn.Linear // α̂ → HardeningUnits
	HardC *nn.Param  // raw weights of the units, c = softplus(raw) ≥ 0
}

var _ nn.Module = (*Model)(nil)

// New returns a model with initial weights: at the start E = E_ref, σ_y0 = Y_ref,
// H = H_ref at every temperature.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	rng := nn.NewRand(cfg.Seed)
	m := &Model{cfg: cfg}
	m.Props = nn.NewMLP("props", []int{1, cfg.PropsHidden, 3}, nn.ActSoftplus, rng)
	// Input weights spread over ±1 so that the hidden units differ; the output bias
	// is chosen so that o = 0 at the start.
	w0 := m.Props.Layers[0].W.Value().Data
	for i := range w0 {
		w0[i] = -1 + 2*float64(i)/math.Max(1, float64(len(w0)-1))
	}
	h := m.Props.Layers[0].Base(ad.Constant(ad.Full(1, 1, 1)))
	h = nn.ActSoftplus.Apply(h)
	o := m.Props.Layers[1].Base(h).Value().Data
	b1 := m.Props.Layers[1].B.Value().Data
	for i := range b1 {
		b1[i] -= o[i]
	}
	u := cfg.HardeningUnits
	m.Hard = nn.NewLinear("hardening.0", 1, u, true, rng)
	w := m.Hard.W.Value().Data
	for j := 0; j < u; j++ {
		// Rates from 0.1 to 30 per α̂ (Voce-like saturation at α from 0.3 % to 100 %).
		w[j] = 0.1 * math.Pow(300, float64(j)/math.Max(1, float64(u-1)))
	}
	// Weights cⱼ = 1/(u·wⱼ): each unit saturates at H/(2u), all together at H/2.
	raw := make([]float64, u)
	for j := range raw {
		c := 1 / (float64(u) * w[j])
		raw[j] = math.Log(math.Expm1(c)) // softplus⁻¹
	}
	m.HardC = nn.NewParam("hardening.weight", ad.New(raw, u))
	return m, nil
}

// Config returns the model's configuration with defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// Params lists the parameters in a fixed order.
func (m *Model) Params() []*nn.Param {
	ps := append([]*nn.Param{}, m.Props.Params()...)
	ps = append(ps, m.Hard.Params()...)
	return append(ps, m.HardC)
}

// Sites lists the hook sites in a fixed order.
func (m *Model) Sites() []*nn.Site {
	ss := append([]*nn.Site{}, m.Props.Sites()...)
	return append(ss, m.Hard.Sites()...)
}

// Save writes the model to path (a safetensors model file, atomically).
func (m *Model) Save(path string) error {
	return nn.SaveModel(path, Kind, m.cfg, m, nil)
}

// Load reads a model written by Save.
func Load(path string) (*Model, error) {
	mf, err := nn.ReadModelFile(path)
	if err != nil {
		return nil, err
	}
	if mf.Kind != Kind {
		return nil, fmt.Errorf("%s: model kind %q, not a constitutive model (%q)", path, mf.Kind, Kind)
	}
	var cfg Config
	if err := mf.DecodeConfig(&cfg); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	// Property network 1×H and H×3 weights, hardening 1×U and U weights.
	if err := mf.CheckSize(4*float64(cfg.PropsHidden) + 2*float64(cfg.HardeningUnits)); err != nil {
		return nil, err
	}
	m, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := mf.LoadInto(m); err != nil {
		return nil, err
	}
	return m, nil
}

// cond returns the conditioning input c = (T − T₀)/ΔT, shape (1, 1), as a graph
// value of tK (shape (1, 1)).
func (m *Model) cond(tK *ad.Var) *ad.Var {
	return ad.Scale(ad.AddScalar(tK, -m.cfg.BaseTemperatureK), 1/m.cfg.TemperatureScaleK)
}

// props is the graph of the material properties at the temperature tK (1, 1):
// E, σ_y0 and H in MPa, each (1, 1).
type props struct {
	ctx          *nn.Context
	E, Y, H      *ad.Var
	K, G         *ad.Var
	nu, alphaRef float64
}

func (m *Model) props(tK *ad.Var) *props {
	ctx := &nn.Context{Cond: m.cond(tK)}
	o := m.Props.Forward(ctx, ad.Constant(ad.Full(1, 1, 1))) // (1, 3)
	c := m.cfg
	p := &props{ctx: ctx, nu: c.Poisson, alphaRef: c.AlphaRef}
	p.E = ad.Scale(ad.Exp(ad.Slice(o, 1, 0, 1)), c.ModulusRefMPa)
	p.Y = ad.Scale(ad.Exp(ad.Slice(o, 1, 1, 2)), c.YieldRefMPa)
	p.H = ad.Scale(ad.Exp(ad.Slice(o, 1, 2, 3)), c.HardeningRefMPa)
	p.K = ad.Scale(p.E, 1/(3*(1-2*c.Poisson)))
	p.G = ad.Scale(p.E, 1/(2*(1+c.Poisson)))
	return p
}

// identity9 is δᵢⱼ as a (1, 9) row.
var identity9 = []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}

// trace returns tr ε for rows of 9 components (n, 9) as (n, 1).
func trace(e *ad.Var) *ad.Var {
	return ad.SumAxis(ad.Mul(e, ad.Constant(ad.New(append([]float64{}, identity9...), 1, 9))), 1, true)
}

// dev returns the deviator of rows of 9 components (n, 9).
func dev(e *ad.Var) *ad.Var {
	return ad.Sub(e, ad.Mul(ad.Scale(trace(e), 1.0/3), ad.Constant(ad.New(append([]float64{}, identity9...), 1, 9))))
}

// psiE is ψᵉ = ½K(tr εᵉ)² + G|dev εᵉ|² for rows (n, 9), as (n, 1), in MPa.
func (p *props) psiE(e *ad.Var) *ad.Var {
	tr := trace(e)
	d := dev(e)
	return ad.Add(ad.Mul(ad.Scale(p.K, 0.5), ad.Square(tr)), ad.Mul(p.G, ad.SumAxis(ad.Square(d), 1, true)))
}

// psiP is ψᵖ(α) for α of shape (n, 1), as (n, 1), in MPa:
//
//	ψᵖ = H·α_ref·Σⱼ cⱼ [sp(zⱼ(α̂)) − sp(zⱼ(0)) − α̂·σ(zⱼ(0))·(zⱼ(1) − zⱼ(0))]
//
// with z(α̂) the (temperature-modulated) affine units.
func (m *Model) psiP(p *props, alpha *ad.Var) *ad.Var {
	ah := ad.Scale(alpha, 1/m.cfg.AlphaRef)
	// The units are affine in α̂, z(α̂) = z(0) + α̂·d with d = z(1) − z(0); written so,
	// ∂ψᵖ/∂α vanishes at α = 0 exactly, also in floating point.
	z := m.Hard.Forward(p.ctx, ad.Constant(ad.New([]float64{0, 1}, 2, 1))) // (2, u)
	z0 := ad.Slice(z, 0, 0, 1)
	d := ad.Sub(ad.Slice(z, 0, 1, 2), z0)
	za := ad.Add(z0, ad.Mul(ah, d)) // (n, u)
	slope := ad.Mul(ad.Sigmoid(z0), d)
	term := ad.Sub(ad.Sub(ad.Softplus(za), ad.Softplus(z0)), ad.Mul(ah, slope)) // (n, u)
	c := ad.Reshape(ad.Softplus(m.HardC.V), 1, m.cfg.HardeningUnits)
	s := ad.SumAxis(ad.Mul(term, c), 1, true)
	return ad.Mul(ad.Scale(p.H, m.cfg.AlphaRef), s)
}

// kappa returns κ = ∂ψᵖ/∂α for α (n, 1) as (n, 1), a graph value (create-graph).
func (m *Model) kappa(p *props, alpha *ad.Var) *ad.Var {
	a := alpha
	if !a.RequiresGrad() {
		a = ad.Variable(alpha.Value())
	}
	psi := ad.Sum(m.psiP(p, a))
	return ad.Gradients([]*ad.Var{psi}, []*ad.Var{a}, &ad.GradOptions{CreateGraph: true})[0]
}

// kappaAndSlope returns κ(α) and κ'(α) as numbers for α (n).
func (m *Model) kappaAndSlope(p *props, alpha []float64) (k, dk []float64) {
	a := ad.Variable(ad.New(append([]float64{}, alpha...), len(alpha), 1))
	kv := m.kappa(p, a)
	d := ad.Gradients([]*ad.Var{ad.Sum(kv)}, []*ad.Var{a}, nil)[0]
	return append([]float64{}, kv.Value().Data...), append([]float64{}, d.Value().Data...)
}

// psiTheta is the thermal free energy ψθ = c₀[(T − T₀) − T ln(T/T₀)] (1, 1), MPa.
func (m *Model) psiTheta(tK *ad.Var) *ad.Var {
	t0 := m.cfg.BaseTemperatureK
	a := ad.AddScalar(tK, -t0)
	b := ad.Mul(tK, ad.Log(ad.Scale(tK, 1/t0)))
	return ad.Scale(ad.Sub(a, b), m.cfg.HeatCapacity)
}

// Properties are the material properties at one temperature.
type Properties struct {
	// ModulusMPa is Young's modulus E, YieldMPa the initial yield stress σ_y0,
	// BulkMPa and ShearMPa K and G, all in MPa; Poisson is ν.
	ModulusMPa, YieldMPa, BulkMPa, ShearMPa, Poisson float64
}

// Properties returns E, σ_y0, K, G and ν at the temperature tK in K, with the
// adapters attached to the model.
func (m *Model) Properties(tK float64) Properties {
	p := m.props(ad.Constant(ad.Full(tK, 1, 1)))
	return Properties{ModulusMPa: p.E.Item(), YieldMPa: p.Y.Item(), BulkMPa: p.K.Item(), ShearMPa: p.G.Item(), Poisson: p.nu}
}

// Hardening returns κ(α, T) = ∂ψᵖ/∂α in MPa for equivalent plastic strains α ≥ 0.
func (m *Model) Hardening(alpha []float64, tK float64) []float64 {
	p := m.props(ad.Constant(ad.Full(tK, 1, 1)))
	k, _ := m.kappaAndSlope(p, alpha)
	return k
}
