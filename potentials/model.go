package potentials

import (
	"fmt"
	"math"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Config describes a potential; it is stored in the model file.
type Config struct {
	// Model names the architecture (ArchSchNet …); empty means ArchSchNet, the
	// architecture of model files written before there was a choice.
	Model        string  `json:"model,omitempty"`
	Species      []int   `json:"species"`      // atomic numbers the model knows, in embedding order
	Cutoff       float64 `json:"cutoff"`       // Å
	Features     int     `json:"features"`     // width F of atom features
	RBF          int     `json:"rbf"`          // number K of radial basis functions
	Interactions int     `json:"interactions"` // number of interaction blocks
	Seed         uint64  `json:"seed"`         // initialisation seed
	// Precision the network computes in: "float64" (or "", files written before
	// there was a choice) or "float32" (see Model.SetPrecision).
	Precision string `json:"precision,omitempty"`
}

// DefaultConfig returns a small SchNet-like model for the given species: 64
// features, 3 interactions, 32 radial functions, 5 Å cutoff.
func DefaultConfig(species []int) Config {
	return Config{Model: ArchSchNet, Species: species, Cutoff: 5, Features: 64, RBF: 32, Interactions: 3, Seed: 1}
}

// arch returns the architecture's name, ArchSchNet for an empty Model.
func (c Config) arch() string {
	if c.Model == "" {
		return ArchSchNet
	}
	return c.Model
}

// Validate returns an error for an unusable configuration.
func (c Config) Validate() error {
	switch {
	case !knownArch(c.arch()):
		return fmt.Errorf("model configuration: unknown architecture %q (known: %v)", c.Model, architectures)
	case len(c.Species) == 0:
		return fmt.Errorf("model configuration: no species")
	case c.Cutoff <= 0 || math.IsNaN(c.Cutoff) || math.IsInf(c.Cutoff, 0):
		return fmt.Errorf("model configuration: cutoff %g Å must be positive", c.Cutoff)
	case c.Features < 1 || c.RBF < 1 || c.Interactions < 0:
		return fmt.Errorf("model configuration: features %d, rbf %d, interactions %d must be positive", c.Features, c.RBF, c.Interactions)
	}
	_, err := c.dtype()
	return err
}

// dtype returns the precision Config.Precision names.
func (c Config) dtype() (ad.DType, error) {
	switch c.Precision {
	case "", "float64":
		return ad.Float64, nil
	case "float32":
		return ad.Float32, nil
	}
	return 0, fmt.Errorf("model configuration: unknown precision %q (float64, float32)", c.Precision)
}

// Model is an interatomic potential: a learned embedding of each element, a Network
// that turns embeddings and neighbour geometry into one output per atom, and fitted
// reference energies (see the package documentation).
type Model struct {
	Config Config
	Embed  *nn.Embedding // species → F features
	Net    Network
	// Scale (1) multiplies the network's atomwise output (eV); Ref (species) holds
	// per-element reference energies (eV) and Shift (1) a per-structure constant,
	// all fitted by least squares on composition before training and frozen.
	Scale, Ref, Shift *nn.Param
	// RefTable looks the reference energies up per atom: an embedding site
	// "energy.reference" whose table is Ref, so that adapters can add the rows of
	// new elements to it as to Embed.
	RefTable *nn.Embedding

	adapter *adapters.Adapter // the attached add-element adapter, if any
	added   []int             // atomic numbers of its new rows, after Config.Species
}

// New returns an untrained model.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rng := nn.NewRand(cfg.Seed)
	F := cfg.Features
	m := &Model{
		Config: cfg,
		Embed:  nn.NewEmbedding("embedding", len(cfg.Species), F, 1/math.Sqrt(float64(F)), rng),
		Scale:  nn.NewParam("energy.scale", ad.Full(1, 1)),
		Ref:    nn.NewParam("energy.reference", ad.Zeros(len(cfg.Species))),
		Shift:  nn.NewParam("energy.shift", ad.Zeros(1)),
	}
	for _, p := range []*nn.Param{m.Scale, m.Ref, m.Shift} {
		p.SetTrainable(false)
	}
	m.RefTable = &nn.Embedding{Table: m.Ref,
		Site: &nn.Site{Name: "energy.reference", Kind: "embedding", In: len(cfg.Species), Out: 1, Rows: "atom"}}
	m.Embed.Site.Rows = "atom"
	net, err := newNetwork(cfg, rng)
	if err != nil {
		return nil, err
	}
	m.Net = net
	dt, _ := cfg.dtype()
	return m, m.SetPrecision(dt)
}

// Species returns the atomic numbers the model knows, including added ones.
func (m *Model) Species() []int {
	return append(append([]int(nil), m.Config.Species...), m.added...)
}

// Params lists the base parameters in a fixed order (adapter parameters excluded):
// the embedding, the network's, then the energy scale, references and shift.
func (m *Model) Params() []*nn.Param {
	ps := append(m.Embed.Params(), m.Net.Params()...)
	return append(ps, m.Scale, m.Ref, m.Shift)
}

// Sites lists the hook sites in a fixed order: the embedding's, the reference
// energies', then the network's.
func (m *Model) Sites() []*nn.Site {
	return append(append(m.Embed.Sites(), m.RefTable.Sites()...), m.Net.Sites()...)
}

var _ nn.Module = (*Model)(nil)

// Energies returns the energy of each structure of the batch (structures, 1) in eV,
// as a function of the positions R (atoms, 3) and a per-structure strain ε
// (structures, 9) applied to every pair vector: r_ij ← r_ij·(I + ε). Pass Variables
// for R and ε to get forces and stress by differentiation; ε may be nil.
func (m *Model) Energies(ctx *nn.Context, b *Batch, R, strain *ad.Var) *ad.Var {
	e := ad.ScatterAddRows(m.AtomEnergies(ctx, b, R, strain), b.Mol, b.Len())
	return ad.Add(e, m.Shift.V)
}

// AtomEnergies returns each atom's energy (atoms, 1) in eV, s·O(x_i) + E_ref(Z_i),
// with R and strain as in Energies. A structure's energy is the sum of its atoms'
// energies plus the shift E_0 (Model.Shift). Simulation codes that split a system
// over processes (LAMMPS, KIM) sum the energies of the atoms they own.
func (m *Model) AtomEnergies(ctx *nn.Context, b *Batch, R, strain *ad.Var) *ad.Var {
	g := m.geometry(b, R, strain)
	out := m.Net.AtomOutputs(ctx, g, m.Embed.Forward(ctx, b.Species))
	atomE := ad.Mul(out, m.Scale.V) // (atoms, 1)
	return ad.Add(atomE, ad.Reshape(m.RefTable.Forward(ctx, b.Species), -1, 1))
}

// geometry returns the pair vectors r_ij = R_j − R_i + S, strained by
// r_ij ← r_ij·(I + ε) when strain is given, and their lengths.
func (m *Model) geometry(b *Batch, R, strain *ad.Var) *Geometry {
	// Results from here on are allocated in b.Arena, if set, through the offsets.
	r := ad.Add(ad.Sub(ad.GatherRows(R, b.J), ad.GatherRows(R, b.I)), constant(b.Arena, b.Offsets))
	if strain != nil {
		eps := ad.Reshape(ad.GatherRows(strain, b.PairMol), -1, 3, 3)
		r = ad.Add(r, ad.SumAxis(ad.Mul(ad.Reshape(r, -1, 3, 1), eps), 1, false))
	}
	d := ad.Sqrt(ad.SumAxis(ad.Square(r), 1, true)) // (pairs, 1)
	return &Geometry{Vectors: r, Distances: d, I: b.I, J: b.J, Atoms: len(b.Species), Cutoff: m.Config.Cutoff, Pairs: b.PairIndex()}
}
