package autodiff_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/gradcheck"
)

// derivatives returns, for s = Σ w∘f(x), the value f(x), ∇s (reverse mode), the
// Hessian–vector product H·v (reverse over reverse) and f′·v (forward mode).
func derivatives(f gradcheck.Func, xs []*ad.Tensor, w *ad.Tensor, dir []*ad.Tensor) [][]float64 {
	vs := make([]*ad.Var, len(xs))
	seeds := make([]*ad.Var, len(xs))
	for i, x := range xs {
		vs[i] = ad.Variable(x)
		seeds[i] = ad.Constant(dir[i])
	}
	y := f(vs)
	s := ad.Sum(ad.Mul(y, ad.Constant(w)))
	g := ad.Gradients([]*ad.Var{s}, vs, &ad.GradOptions{CreateGraph: true})
	hv := ad.Gradients(g, vs, &ad.GradOptions{Seeds: seeds})
	jv := ad.JVP([]*ad.Var{y}, vs, seeds, nil)[0]
	out := [][]float64{y.Value().Float64s(), jv.Value().Float64s()}
	for i := range xs {
		out = append(out, g[i].Value().Float64s(), hv[i].Value().Float64s())
	}
	return out
}

// inFloat32 runs f on its inputs rounded to float32 and widens the result, so that
// every op of f computes in float32 and every derivative crosses ToFloat32 and
// ToFloat64.
func inFloat32(f gradcheck.Func) gradcheck.Func {
	return func(xs []*ad.Var) *ad.Var {
		ys := make([]*ad.Var, len(xs))
		for i, x := range xs {
			ys[i] = ad.ToFloat32(x)
		}
		return ad.ToFloat64(f(ys))
	}
}

// float64Only are op cases that build float64 constants of their own.
var float64Only = map[string]bool{"Permute": true}

// TestOpsFloat32MatchFloat64 runs every op of the table in float32 and compares its
// value, gradient, Hessian–vector product and forward derivative with the float64
// ones (which the finite-difference tests check), to float32 rounding: relative
// 1e-4 of the largest magnitude of each result.
func TestOpsFloat32MatchFloat64(t *testing.T) {
	for i, c := range opCases {
		if float64Only[c.name] {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 13))
			xs := c.inputs(rng)
			w := randT(rng, c.f(constants(xs)).Value().Shape...)
			dir := make([]*ad.Tensor, len(xs))
			for k, x := range xs {
				dir[k] = randT(rng, x.Shape...)
			}
			want := derivatives(c.f, xs, w, dir)
			got := derivatives(inFloat32(c.f), xs, w, dir)
			for k := range want {
				if err := close32(got[k], want[k], 1e-4); err != nil {
					t.Fatalf("result %d (value, f′·v, then ∇s and H·v per input): %v", k, err)
				}
			}
		})
	}
}

func constants(xs []*ad.Tensor) []*ad.Var {
	vs := make([]*ad.Var, len(xs))
	for i, x := range xs {
		vs[i] = ad.Constant(x)
	}
	return vs
}

func close32(got, want []float64, rel float64) error {
	scale := 1.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for k := range want {
		if !(math.Abs(got[k]-want[k]) <= rel*scale) {
			return fmt.Errorf("element %d: float32 %.9g, float64 %.9g (scale %.3g)", k, got[k], want[k], scale)
		}
	}
	return nil
}

// TestFloat32Precision checks that float32 inputs give float32 results and
// gradients, that conversions round and widen, and that mixing precisions panics.
func TestFloat32Precision(t *testing.T) {
	x := ad.Variable(ad.New32([]float32{0.1, 2, -3}, 3))
	y := ad.Sum(ad.Mul(ad.Tanh(x), x))
	g := ad.Grad(y, x)[0]
	if y.Value().DType() != ad.Float32 || g.Value().DType() != ad.Float32 {
		t.Fatalf("float32 input gave %v value and %v gradient", y.Value().DType(), g.Value().DType())
	}
	x64 := ad.Variable(ad.New([]float64{0.1, 2, -3}, 3))
	r := ad.ToFloat32(x64).Value()
	if r.Data32[0] != float32(0.1) || ad.ToFloat64(ad.Constant(r)).Value().Data[0] != float64(float32(0.1)) {
		t.Fatalf("conversion: %v", r)
	}
	for name, f := range map[string]func(){
		"Add":    func() { ad.Add(x, x64) },
		"MatMul": func() { ad.MatMul(ad.Reshape(x, 1, 3), ad.Reshape(x64, 3, 1)) },
		"Concat": func() { ad.Concat(0, x, x64) },
		"MessagePass": func() {
			ad.MessagePass(ad.Reshape(x, 3, 1), ad.Constant(ad.Zeros(1, 1)), ad.NewPairs([]int{0}, []int{0}, 3, 3))
		},
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "autodiff: "+name+" of a float32") || !strings.Contains(msg, "float64") {
					t.Errorf("%s of mixed precisions: panic %q", name, msg)
				}
			}()
			f()
		}()
	}
}
