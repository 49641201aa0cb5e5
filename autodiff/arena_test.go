package autodiff_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// chain is a force-like computation: 20 elementwise ops on x, some broadcast (their
// backward rules make temporaries), summed.
func chain(x, row *ad.Var) *ad.Var {
	y := x
	for range 10 {
		y = ad.Tanh(ad.Mul(y, row))
	}
	return ad.Sum(y)
}

// TestArenaReusesAcrossSteps checks that an arena stops growing once it holds one
// step's buffers, for steps of slightly different sizes.
func TestArenaReusesAcrossSteps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	arena := ad.NewArena()
	var after []int
	for _, n := range []int{1000, 990, 1000, 960, 1000} {
		x, row := arena.Variable(randT(rng, n, 8)), ad.Variable(randT(rng, 8))
		ad.Gradients([]*ad.Var{chain(x, row)}, []*ad.Var{x, row}, nil)
		arena.Release()
		after = append(after, arena.Bytes())
	}
	for k := 1; k < len(after); k++ {
		if after[k] != after[0] {
			t.Fatalf("arena grew over steps: %v bytes", after)
		}
	}
	// 20 forward results of 8000 values and a few cotangents: not 40.
	if one := 8 * 8000; after[0] > 26*one*5/4 {
		t.Fatalf("arena holds %d bytes, more than 26 buffers of %d", after[0], one)
	}
}

// TestGradientsRecyclesCotangents checks that a backward pass without a graph hands
// its used cotangents back: through an arena, the 20-op chain's backward takes a
// few buffers, not one per op.
func TestGradientsRecyclesCotangents(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	arena := ad.NewArena()
	x, row := arena.Variable(randT(rng, 1000, 8)), ad.Variable(randT(rng, 8))
	y := chain(x, row)
	forward := arena.Bytes()
	ad.Gradients([]*ad.Var{y}, []*ad.Var{x, row}, nil)
	backward := arena.Bytes() - forward
	if one := 8 * 8000 * 5 / 4; backward > 3*one {
		t.Fatalf("backward of 20 ops took %d bytes from the arena, more than 3 buffers of %d", backward, one)
	}
}

// TestFreeGraph checks that FreeGraph gives the same gradients, keeps the values the
// caller holds, and refuses a second differentiation.
func TestFreeGraph(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := randT(rng, 30, 4)
	xv, row := ad.Variable(x), ad.Variable(randT(rng, 4))
	want := ad.Gradients([]*ad.Var{chain(ad.Tanh(xv), row)}, []*ad.Var{xv}, nil)[0].Value()
	mid := ad.Tanh(xv)
	y := chain(mid, row)
	midValue, yValue := mid.Value().Clone(), y.Item()
	got := ad.Gradients([]*ad.Var{y}, []*ad.Var{xv}, &ad.GradOptions{FreeGraph: true})[0].Value()
	sameBits(t, "gradient with FreeGraph", got, want)
	sameBits(t, "intermediate value after FreeGraph", mid.Value(), midValue)
	if y.Item() != yValue {
		t.Fatal("output value changed")
	}
	for _, f := range []func(){
		func() { ad.Gradients([]*ad.Var{y}, []*ad.Var{xv}, nil) },
		func() { ad.Gradients([]*ad.Var{y}, []*ad.Var{xv}, &ad.GradOptions{CreateGraph: true, FreeGraph: true}) },
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "autodiff: ") {
					t.Fatalf("no autodiff panic, got %q", msg)
				}
			}()
			f()
		}()
	}
}
