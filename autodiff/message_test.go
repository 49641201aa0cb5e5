package autodiff_test

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Pairs from 5 sending rows to 4 receiving rows, with a receiving row that gets no
// pair (row 2), a sending row that sends none (row 4 in the sorted list) and repeated
// pairs (periodic images).
var (
	testPairsSorted   = ad.NewPairs([]int{0, 0, 1, 1, 1, 3, 3}, []int{1, 3, 0, 2, 2, 0, 1}, 4, 5)
	testPairsUnsorted = ad.NewPairs([]int{3, 0, 1, 3, 0, 1, 1, 3}, []int{4, 1, 0, 0, 3, 2, 2, 4}, 4, 5)
)

func randomPairs(rng *rand.Rand, nI, nJ, n int, sorted bool) *ad.Pairs {
	I, J := make([]int, n), make([]int, n)
	for p := range I {
		I[p], J[p] = rng.IntN(nI), rng.IntN(nJ)
	}
	if sorted {
		count := make([]int, nI+1)
		for _, i := range I {
			count[i+1]++
		}
		for k := range I {
			I[k] = 0
		}
		p := 0
		for i := 0; i < nI; i++ {
			for range count[i+1] {
				I[p] = i
				p++
			}
		}
	}
	return ad.NewPairs(I, J, nI, nJ)
}

// TestMessagePassMatchesUnfused checks the fused ops against the gather, multiply and
// scatter they replace, bit for bit (the sums run in the same order), on sorted and
// unsorted pairs.
func TestMessagePassMatchesUnfused(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	for _, sorted := range []bool{true, false} {
		P := randomPairs(rng, 30, 40, 500, sorted)
		if P.SortedByI() != sorted {
			t.Fatalf("SortedByI %v for sorted %v", P.SortedByI(), sorted)
		}
		nI, nJ := P.Rows()
		x := ad.Constant(randT(rng, nJ, 6))
		w := ad.Constant(randT(rng, P.Len(), 6))
		a := ad.Constant(randT(rng, nI, 6))
		got := ad.MessagePass(x, w, P).Value()
		want := ad.ScatterAddRows(ad.Mul(ad.GatherRows(x, P.J()), w), P.I(), nI).Value()
		sameBits(t, "MessagePass", got, want)
		got = ad.PairProduct(a, x, P).Value()
		want = ad.Mul(ad.GatherRows(a, P.I()), ad.GatherRows(x, P.J())).Value()
		sameBits(t, "PairProduct", got, want)
	}
}

func sameBits(t *testing.T, what string, got, want *ad.Tensor) {
	t.Helper()
	if len(got.Data) != len(want.Data) {
		t.Fatalf("%s: %d values, want %d", what, len(got.Data), len(want.Data))
	}
	for k := range got.Data {
		if got.Data[k] != want.Data[k] {
			t.Fatalf("%s: element %d is %.17g, want %.17g", what, k, got.Data[k], want.Data[k])
		}
	}
}

// TestMessagePassDeterministic checks bit-identical results, gradients included,
// for 1 and 4 goroutines on inputs large enough to be split.
func TestMessagePassDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	P := randomPairs(rng, 600, 600, 20000, false)
	x := randT(rng, 600, 16)
	w := randT(rng, P.Len(), 16)
	run := func() []*ad.Tensor {
		xv, wv := ad.Variable(x), ad.Variable(w)
		y := ad.Sum(ad.Square(ad.MessagePass(ad.Tanh(xv), wv, P)))
		gs := ad.Gradients([]*ad.Var{y}, []*ad.Var{xv, wv}, nil)
		return []*ad.Tensor{y.Value(), gs[0].Value(), gs[1].Value()}
	}
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	one := run()
	runtime.GOMAXPROCS(4)
	four := run()
	for k := range one {
		sameBits(t, "GOMAXPROCS 4 vs 1", four[k], one[k])
	}
}

// TestPairsTranspose checks that the transpose exchanges I and J and is an involution.
func TestPairsTranspose(t *testing.T) {
	P := testPairsUnsorted
	T := P.Transpose()
	if T.Transpose() != P {
		t.Fatal("Transpose of the transpose is not the original")
	}
	nI, nJ := T.Rows()
	if nI != 5 || nJ != 4 || &T.I()[0] != &P.J()[0] || &T.J()[0] != &P.I()[0] {
		t.Fatalf("transpose has rows %d, %d and does not exchange I and J", nI, nJ)
	}
}

// TestMessagePassPanics checks the programmer-error messages.
func TestMessagePassPanics(t *testing.T) {
	P := testPairsSorted
	cases := []struct {
		name, want string
		f          func()
	}{
		{"I out of range", "receiving index 4 of pair 1 out of range", func() { ad.NewPairs([]int{0, 4}, []int{0, 0}, 4, 1) }},
		{"J negative", "sending index -1 of pair 0", func() { ad.NewPairs([]int{0}, []int{-1}, 1, 1) }},
		{"lengths", "2 receiving and 1 sending", func() { ad.NewPairs([]int{0, 0}, []int{0}, 1, 1) }},
		{"x rows", "MessagePass of x [4 2]", func() { ad.MessagePass(ad.Constant(ad.Zeros(4, 2)), ad.Constant(ad.Zeros(7, 2)), P) }},
		{"w width", "MessagePass of x [5 2] and w [7 3]", func() { ad.MessagePass(ad.Constant(ad.Zeros(5, 2)), ad.Constant(ad.Zeros(7, 3)), P) }},
		{"b rows", "PairProduct of a [4 2] and b [4 2]", func() { ad.PairProduct(ad.Constant(ad.Zeros(4, 2)), ad.Constant(ad.Zeros(4, 2)), P) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.HasPrefix(msg, "autodiff: ") || !strings.Contains(msg, c.want) {
					t.Fatalf("panic %v, want one containing %q", r, c.want)
				}
			}()
			c.f()
		})
	}
}
