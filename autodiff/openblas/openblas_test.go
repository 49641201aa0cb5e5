package openblas_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/netlib/blas/netlib"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
)

// TestMatMulMatchesPureGo checks that MatMul on OpenBLAS agrees with gonum's pure-Go
// BLAS to rounding, for all four transpose combinations.
func TestMatMulMatchesPureGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rnd := func(r, c int) *ad.Var {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = rng.NormFloat64()
		}
		return ad.Constant(ad.New(d, r, c))
	}
	a, b := rnd(37, 53), rnd(53, 29)
	at, bt := ad.Transpose(a), ad.Transpose(b)
	blas64.Use(gonum.Implementation{})
	want := ad.MatMul(a, b).Value()
	openblas.Use()
	defer blas64.Use(gonum.Implementation{})
	for _, got := range []*ad.Tensor{
		ad.MatMul(a, b).Value(),
		ad.MatMulT(at, b, true, false).Value(),
		ad.MatMulT(a, bt, false, true).Value(),
		ad.MatMulT(at, bt, true, true).Value(),
	} {
		for i := range want.Data {
			if math.Abs(got.Data[i]-want.Data[i]) > 1e-12*(1+math.Abs(want.Data[i])) {
				t.Fatalf("element %d: OpenBLAS %.17g, gonum %.17g", i, got.Data[i], want.Data[i])
			}
		}
	}
}

// TestMatMulFloat32MatchesPureGo checks float32 products (sgemm) on OpenBLAS against
// gonum's pure-Go BLAS, to float32 rounding.
func TestMatMulFloat32MatchesPureGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rnd := func(r, c int) *ad.Var {
		d := make([]float32, r*c)
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
		return ad.Constant(ad.New32(d, r, c))
	}
	a, b := rnd(37, 53), rnd(53, 29)
	blas32.Use(gonum.Implementation{})
	want := ad.MatMul(a, b).Value()
	openblas.Use()
	defer blas32.Use(gonum.Implementation{})
	if _, ok := blas32.Implementation().(netlib.Implementation); !ok {
		t.Fatalf("after Use, blas32 runs on %T, not OpenBLAS", blas32.Implementation())
	}
	got := ad.MatMul(a, b).Value()
	if got.DType() != ad.Float32 {
		t.Fatalf("float32 product is %v", got.DType())
	}
	for i := range want.Data32 {
		if d := math.Abs(float64(got.Data32[i] - want.Data32[i])); d > 1e-5*(1+math.Abs(float64(want.Data32[i]))) {
			t.Fatalf("element %d: OpenBLAS %g, gonum %g", i, got.Data32[i], want.Data32[i])
		}
	}
}

// TestUseThreads checks that UseThreads overrides OPENBLAS_NUM_THREADS (the Makefile
// and users may set it) with the count asked for.
func TestUseThreads(t *testing.T) {
	defer blas64.Use(gonum.Implementation{})
	openblas.UseThreads(1)
	if n := openblas.Threads(); n != 1 {
		t.Fatalf("after UseThreads(1): %d threads", n)
	}
	// OpenBLAS caps the count at the number of cores.
	openblas.UseThreads(2)
	if n := openblas.Threads(); n != 2 && n != 1 {
		t.Fatalf("after UseThreads(2): %d threads", n)
	}
	openblas.UseThreads(1)
}
