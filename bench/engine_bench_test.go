package bench

import (
	"os"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/nn"
)

// TestMain runs matrix products on OpenBLAS, as the programs do.
func TestMain(m *testing.M) {
	openblas.Use()
	os.Exit(m.Run())
}

// sink keeps results alive so the compiler cannot drop the work.
var sink float64

func BenchmarkMLPStep(b *testing.B) {
	w := NewMLP(1, 1024, 256)
	w.Step()
	b.ResetTimer()
	for range b.N {
		sink = w.Step()
	}
}

func BenchmarkPotentialForces(b *testing.B) {
	p := NewPotential(2, 32)
	b.ResetTimer()
	for range b.N {
		_, f := p.EnergyForces(false)
		sink = f.Value().Data[0]
	}
}

func BenchmarkPotentialForcesCreateGraph(b *testing.B) {
	p := NewPotential(2, 32)
	b.ResetTimer()
	for range b.N {
		_, f := p.EnergyForces(true)
		sink = f.Value().Data[0]
	}
}

func BenchmarkPotentialForcesOneMolecule(b *testing.B) {
	p := NewPotential(2, 1)
	b.ResetTimer()
	for range b.N {
		_, f := p.EnergyForces(false)
		sink = f.Value().Data[0]
	}
}

func BenchmarkPotentialTrainStep(b *testing.B) {
	p := NewPotential(2, 32)
	p.TrainStep()
	b.ResetTimer()
	for range b.N {
		sink = p.TrainStep()
	}
}

func benchGemm(b *testing.B, n int, raw bool) {
	g := NewGemm(3, n)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if raw {
			g.Raw()
			sink = g.C[0]
		} else {
			sink = g.Engine().Value().Data[0]
		}
	}
	b.ReportMetric(g.Flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkGemm1024PureGo is the engine's product on gonum's pure-Go BLAS, the
// default without openblas.Use.
func BenchmarkGemm1024PureGo(b *testing.B) {
	blas64.Use(gonum.Implementation{})
	defer openblas.Use()
	benchGemm(b, 1024, false)
}

func BenchmarkGemm256(b *testing.B)   { benchGemm(b, 256, false) }
func BenchmarkGemm1024(b *testing.B)  { benchGemm(b, 1024, false) }
func BenchmarkDgemm256(b *testing.B)  { benchGemm(b, 256, true) }
func BenchmarkDgemm1024(b *testing.B) { benchGemm(b, 1024, true) }

func randomVar(rows, cols int) *ad.Var { return ad.Constant(nn.Normal(nn.NewRand(1), 1, rows, cols)) }

// BenchmarkOps times single engine ops on the potential workload's pair-sized
// tensors (12 232 pairs × 32 Gaussians), where its elementwise work lies.
func BenchmarkOps(b *testing.B) {
	p := NewPotential(1, 32)
	a := randomVar(12232, 32)
	c := randomVar(12232, 32)
	d1 := randomVar(12232, 1)
	mu := ad.Constant(RBFCentres())
	h := randomVar(640, 64)
	for _, o := range []struct {
		name string
		f    func()
	}{
		{"Exp", func() { ad.Exp(a) }},
		{"SiLU", func() { ad.SiLU(a) }},
		{"Mul", func() { ad.Mul(a, c) }},
		{"Scale", func() { ad.Scale(a, 2) }},
		{"SubBroadcast", func() { ad.Sub(d1, mu) }},
		{"Square", func() { ad.Square(a) }},
		{"ScatterAddRows", func() { ad.ScatterAddRows(a, p.I, 640) }},
		{"GatherRows", func() { ad.GatherRows(h, p.I) }},
		{"Zeros", func() { ad.Zeros(12232, 32) }},
	} {
		b.Run(o.name, func(b *testing.B) {
			for range b.N {
				o.f()
			}
		})
	}
}
