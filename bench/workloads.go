package bench

import (
	"math"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
)

// MLP is the MLP-step workload: a perceptron with SiLU between its layers, a batch of
// inputs, a fixed regression target and an Adam optimizer.
type MLP struct {
	Model  *nn.MLP
	X, Y   *ad.Var // inputs (batch, width) and targets (batch, width), constants
	Params []*ad.Var
	Opt    *optim.Adam
}

// NewMLP returns the MLP-step workload with layer sizes width → width → width →
// width (three Linear layers) on batch rows; inputs and targets are N(0, 1).
// The benchmark uses NewMLP(seed, 1024, 256).
func NewMLP(seed uint64, batch, width int) *MLP {
	rng := nn.NewRand(seed)
	m := nn.NewMLP("mlp", []int{width, width, width, width}, nn.ActSiLU, rng)
	return &MLP{
		Model:  m,
		X:      ad.Constant(nn.Normal(rng, 1, batch, width)),
		Y:      ad.Constant(nn.Normal(rng, 1, batch, width)),
		Params: nn.Vars(m.Params()),
		Opt:    optim.NewAdam(&optim.AdamOptions{LR: 1e-3}),
	}
}

// Loss returns the mean squared error of the model's outputs against the targets.
func (w *MLP) Loss() *ad.Var {
	return ad.Mean(ad.Square(ad.Sub(w.Model.Forward(nil, w.X), w.Y)))
}

// Step runs forward, backward and one Adam step, and returns the loss before the
// step.
func (w *MLP) Step() float64 {
	loss := w.Loss()
	w.Opt.Step(w.Params, values(ad.Grad(loss, w.Params...)))
	return loss.Item()
}

func values(vs []*ad.Var) []*ad.Tensor {
	ts := make([]*ad.Tensor, len(vs))
	for i, v := range vs {
		ts[i] = v.Value()
	}
	return ts
}

// Descriptor constants of the potential workload: NumRBF Gaussian centres evenly
// spaced on [RBFMin, RBFMax] Å, of width parameter RBFGamma Å⁻².
const (
	NumRBF   = 32
	RBFMin   = 0.5
	RBFMax   = 5.5
	RBFGamma = 4.0
)

// MoleculeSizes returns the number of atoms of each of n molecules: 20 + 2, −2, −1,
// 1, 0, 0, −2, 2 in turn (18 to 22 atoms, 20 on average when n is a multiple of 8).
// The Python script uses the same rule.
func MoleculeSizes(n int) []int {
	d := [8]int{-2, 2, -1, 1, 0, 0, -2, 2}
	s := make([]int, n)
	for m := range s {
		s[m] = 20 + d[m%8]
	}
	return s
}

// Potential is the per-atom potential workload: positions of a batch of molecules,
// the pair and molecule index lists, the per-atom MLP, targets and an optimizer.
type Potential struct {
	Sizes     []int     // atoms per molecule
	R         *ad.Var   // positions (atoms, 3) in Å, a Variable
	Mol       []int     // molecule of each atom
	I, J      []int     // ordered pairs i ≠ j within each molecule
	Mu        *ad.Var   // RBF centres (1, NumRBF) in Å, a constant
	Model     *nn.MLP   // NumRBF → 64 → 64 → 1, SiLU
	Params    []*ad.Var // the model's parameters, in order
	ERef      *ad.Var   // target energies (molecules, 1) in eV, a constant
	FRef      *ad.Var   // target forces (atoms, 3) in eV/Å, a constant
	Opt       *optim.Adam
	NumAtoms  int
	NumPairs  int
	Molecules int
}

// NewPotential returns the potential workload on the given number of molecules
// (sizes from MoleculeSizes). Each molecule's atoms sit on distinct sites of a
// 3×3×3 grid of spacing 1.5 Å, jittered by U(−0.2, 0.2) Å per coordinate, so no two
// atoms are closer than 1.1 Å. Targets are N(0, 1) (energies) and N(0, 0.5²)
// (forces). The benchmark uses NewPotential(seed, 32).
func NewPotential(seed uint64, molecules int) *Potential {
	rng := nn.NewRand(seed)
	p := &Potential{Sizes: MoleculeSizes(molecules), Molecules: molecules}
	var pos []float64
	base := 0
	for m, n := range p.Sizes {
		sites := rng.Perm(27)[:n]
		for _, s := range sites {
			for _, c := range [3]int{s / 9, (s / 3) % 3, s % 3} {
				pos = append(pos, 1.5*float64(c)+0.4*(rng.Float64()-0.5))
			}
			p.Mol = append(p.Mol, m)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if i != j {
					p.I = append(p.I, base+i)
					p.J = append(p.J, base+j)
				}
			}
		}
		base += n
	}
	p.NumAtoms, p.NumPairs = base, len(p.I)
	p.R = ad.Variable(ad.New(pos, base, 3))
	p.Mu = ad.Constant(RBFCentres())
	p.Model = nn.NewMLP("atom", []int{NumRBF, 64, 64, 1}, nn.ActSiLU, rng)
	p.Params = nn.Vars(p.Model.Params())
	p.ERef = ad.Constant(nn.Normal(rng, 1, molecules, 1))
	p.FRef = ad.Constant(nn.Normal(rng, 0.5, base, 3))
	p.Opt = optim.NewAdam(&optim.AdamOptions{LR: 1e-3})
	return p
}

// RBFCentres returns the (1, NumRBF) Gaussian centres μₖ in Å.
func RBFCentres() *ad.Tensor {
	mu := ad.Zeros(1, NumRBF)
	for k := range mu.Data {
		mu.Data[k] = RBFMin + (RBFMax-RBFMin)*float64(k)/float64(NumRBF-1)
	}
	return mu
}

// Descriptors returns the (atoms, NumRBF) features Gᵢₖ = Σⱼ exp(−γ(rᵢⱼ − μₖ)²)
// of positions r (atoms, 3).
func (p *Potential) Descriptors(r *ad.Var) *ad.Var {
	d := ad.Sub(ad.GatherRows(r, p.I), ad.GatherRows(r, p.J))       // (pairs, 3)
	dist := ad.Sqrt(ad.SumAxis(ad.Square(d), 1, true))              // (pairs, 1)
	g := ad.Exp(ad.Scale(ad.Square(ad.Sub(dist, p.Mu)), -RBFGamma)) // (pairs, NumRBF)
	return ad.ScatterAddRows(g, p.I, p.NumAtoms)                    // (atoms, NumRBF)
}

// Energy returns the molecular energies (molecules, 1) in eV.
func (p *Potential) Energy() *ad.Var {
	e := p.Model.Forward(nil, p.Descriptors(p.R)) // (atoms, 1)
	return ad.ScatterAddRows(e, p.Mol, p.Molecules)
}

// EnergyForces returns the energies (molecules, 1) in eV and forces −∂E/∂R
// (atoms, 3) in eV/Å; with createGraph the forces are graph values that can be
// differentiated with respect to the weights.
func (p *Potential) EnergyForces(createGraph bool) (e, f *ad.Var) {
	e = p.Energy()
	g := ad.Gradients([]*ad.Var{ad.Sum(e)}, []*ad.Var{p.R}, &ad.GradOptions{CreateGraph: createGraph})[0]
	return e, ad.Neg(g)
}

// Loss returns mean((E − E*)²) + mean((F − F*)²), with the forces recorded as a
// graph so that the loss can be differentiated with respect to the weights.
func (p *Potential) Loss() *ad.Var {
	e, f := p.EnergyForces(true)
	return ad.Add(ad.Mean(ad.Square(ad.Sub(e, p.ERef))), ad.Mean(ad.Square(ad.Sub(f, p.FRef))))
}

// TrainStep computes the loss, its gradient with respect to the weights (a double
// backward through the forces) and one Adam step, and returns the loss before the
// step.
func (p *Potential) TrainStep() float64 {
	loss := p.Loss()
	p.Opt.Step(p.Params, values(ad.Grad(loss, p.Params...)))
	return loss.Item()
}

// randomMatrix returns an n×n tensor of N(0, 1) values.
func randomMatrix(rng *rand.Rand, n int) *ad.Tensor {
	t := ad.Zeros(n, n)
	for i := range t.Data {
		t.Data[i] = rng.NormFloat64()
	}
	return t
}

// Gemm is the GEMM workload: two n×n matrices and a preallocated result for Dgemm.
type Gemm struct {
	N    int
	A, B *ad.Var
	C    []float64
}

// NewGemm returns the GEMM workload of size n with N(0, 1) entries.
func NewGemm(seed uint64, n int) *Gemm {
	rng := nn.NewRand(seed)
	return &Gemm{N: n, A: ad.Constant(randomMatrix(rng, n)), B: ad.Constant(randomMatrix(rng, n)), C: make([]float64, n*n)}
}

// Engine computes A·B through autodiff.MatMul.
func (g *Gemm) Engine() *ad.Var { return ad.MatMul(g.A, g.B) }

// Raw computes A·B into C with cblas_dgemm.
func (g *Gemm) Raw() { Dgemm(g.N, g.N, g.N, g.A.Value().Data, g.B.Value().Data, g.C) }

// Flops returns the floating-point operations of one product, 2n³.
func (g *Gemm) Flops() float64 { return 2 * math.Pow(float64(g.N), 3) }
