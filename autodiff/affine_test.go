package autodiff_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// TestAffineMatchesMatMulAdd checks Affine against MatMul then Add, to rounding, in
// both precisions, and that a bias of the wrong length panics.
func TestAffineMatchesMatMulAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for _, dt := range []ad.DType{ad.Float64, ad.Float32} {
		x := ad.Constant(randT(rng, 70, 33).Convert(dt))
		w := ad.Constant(randT(rng, 33, 20).Convert(dt))
		b := ad.Constant(randT(rng, 20).Convert(dt))
		got := ad.Affine(x, w, b).Value().Float64s()
		want := ad.Add(ad.MatMul(x, w), b).Value().Float64s()
		tol := map[ad.DType]float64{ad.Float64: 1e-13, ad.Float32: 2e-5}[dt] // 33 products of O(1) terms
		for i := range want {
			if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
				t.Fatalf("%v element %d: Affine %.17g, MatMul+Add %.17g", dt, i, got[i], want[i])
			}
		}
	}
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, "autodiff: Affine of x [2 3], w [3 4] and b [3]") {
			t.Fatalf("panic %q", msg)
		}
	}()
	ad.Affine(ad.Constant(ad.Zeros(2, 3)), ad.Constant(ad.Zeros(3, 4)), ad.Constant(ad.Zeros(3)))
}
