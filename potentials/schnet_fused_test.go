package potentials

import (
	"math"
	"math/rand/v2"

	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// unfusedSchNet is the SchNet network as it was before the fused message-passing
// op (gather, multiply, scatter as three ops), kept as the reference for the fused
// one.
type unfusedSchNet struct{ *SchNet }

func (n unfusedSchNet) AtomOutputs(ctx *nn.Context, g *Geometry, x *ad.Var) *ad.Var {
	rbf := gaussianBasis(g.Distances, n.RBF, g.Cutoff)
	fc := cosineCutoff(g.Distances, g.Cutoff)
	for _, blk := range n.Blocks {
		w := ad.Mul(blk.Filter.Forward(ctx, rbf), fc)
		xj := ad.GatherRows(blk.In.Forward(ctx, x), g.J)
		x = ad.Add(x, blk.Update.Forward(ctx, ad.ScatterAddRows(ad.Mul(xj, w), g.I, g.Atoms)))
	}
	return n.Out.Forward(ctx, x)
}

// fusedTestBatch is two molecules and a periodic fcc cell smaller than twice the
// cutoff (so pairs include images of the same atom).
func fusedTestBatch(t *testing.T, species []int) *Batch {
	rng := rand.New(rand.NewPCG(2, 3))
	mol := func(n int) *Structure {
		s := &Structure{}
		for k := 0; k < n; k++ {
			s.Numbers = append(s.Numbers, species[k%len(species)])
			s.Positions = append(s.Positions, 1.1*float64(k%3)+0.1*rng.NormFloat64(), 1.2*float64(k/3)+0.1*rng.NormFloat64(), 0.2*rng.NormFloat64())
		}
		return s
	}
	a := 3.6
	cell := [9]float64{a, 0, 0, 0.2, a, 0, 0.1, -0.15, a}
	xtal := &Structure{Numbers: []int{species[0], species[1], species[0], species[1]},
		Positions: []float64{0, 0, 0, 0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0}, Cell: &cell, PBC: [3]bool{true, true, true}}
	for i := range xtal.Positions {
		xtal.Positions[i] += 0.1 * rng.NormFloat64()
	}
	b, err := NewBatch([]*Structure{mol(7), xtal, mol(5)}, species, 4)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFusedMessagePassMatchesUnfused checks that the model with the fused op gives
// the energies, forces, stress and the gradient of a force-and-stress loss with
// respect to every parameter (the double backward of training) of the unfused model,
// to rounding.
func TestFusedMessagePassMatchesUnfused(t *testing.T) {
	species := []int{1, 6}
	m, err := New(Config{Species: species, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	copy(m.Ref.Value().Data, []float64{-13.6, -1029.8})
	b := fusedTestBatch(t, species)
	if !b.PairIndex().SortedByI() {
		t.Fatal("batch pairs are not sorted by receiving atom")
	}
	params := nn.Vars(nn.Trainable(m))
	run := func(energies func(*nn.Context, *Batch, *ad.Var, *ad.Var) *ad.Var) []float64 {
		R := ad.Variable(b.Positions)
		eps := ad.Variable(ad.Zeros(b.Len(), 9))
		e := energies(nil, b, R, eps)
		gs := ad.Gradients([]*ad.Var{ad.Sum(e)}, []*ad.Var{R, eps}, &ad.GradOptions{CreateGraph: true})
		loss := ad.Add(ad.Sum(ad.Square(gs[0])), ad.Sum(ad.Square(gs[1])))
		out := append([]float64(nil), e.Value().Data...)
		out = append(out, gs[0].Value().Data...)
		out = append(out, gs[1].Value().Data...)
		for _, g := range ad.Gradients([]*ad.Var{loss}, params, nil) {
			out = append(out, g.Value().Data...)
		}
		return out
	}
	unfused := *m
	unfused.Net = unfusedSchNet{m.Net.(*SchNet)}
	got, want := run(m.Energies), run(unfused.Energies)
	worst := 0.0
	for k := range want {
		d := math.Abs(got[k]-want[k]) / math.Max(1, math.Abs(want[k]))
		worst = math.Max(worst, d)
	}
	if !(worst <= 1e-13) {
		t.Fatalf("fused and unfused models differ by %.3g (relative)", worst)
	}
	t.Logf("%d values, max relative difference %.3g", len(want), worst)
}
