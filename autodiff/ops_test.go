package autodiff_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/num/hyperdual"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/gradcheck"
)

func randT(rng *rand.Rand, shape ...int) *ad.Tensor {
	t := ad.Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = rng.NormFloat64()
	}
	return t
}

func posT(rng *rand.Rand, shape ...int) *ad.Tensor {
	t := ad.Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = 0.5 + rng.Float64()
	}
	return t
}

type opCase struct {
	name   string
	f      gradcheck.Func
	inputs func(rng *rand.Rand) []*ad.Tensor
}

func shapes(shapes ...[]int) func(*rand.Rand) []*ad.Tensor {
	return func(rng *rand.Rand) []*ad.Tensor {
		ts := make([]*ad.Tensor, len(shapes))
		for i, s := range shapes {
			ts[i] = randT(rng, s...)
		}
		return ts
	}
}

func positive(shapes ...[]int) func(*rand.Rand) []*ad.Tensor {
	return func(rng *rand.Rand) []*ad.Tensor {
		ts := make([]*ad.Tensor, len(shapes))
		for i, s := range shapes {
			ts[i] = posT(rng, s...)
		}
		return ts
	}
}

// awayFromZero draws |x| in [0.2, 1.5] with a random sign: inputs for ReLU and Abs,
// whose derivatives jump at 0. Central differences with the default step 1e-5 never
// straddle the kink from there, so first and second derivatives are checked where
// they are defined (ReLU′ = step, ReLU″ = 0; Abs′ = sign, Abs″ = 0).
func awayFromZero(shapes ...[]int) func(*rand.Rand) []*ad.Tensor {
	return func(rng *rand.Rand) []*ad.Tensor {
		ts := make([]*ad.Tensor, len(shapes))
		for i, s := range shapes {
			t := ad.Zeros(s...)
			for k := range t.Data {
				t.Data[k] = 0.2 + 1.3*rng.Float64()
				if rng.IntN(2) == 0 {
					t.Data[k] = -t.Data[k]
				}
			}
			ts[i] = t
		}
		return ts
	}
}

func s(dims ...int) []int { return dims }

func unary(f func(*ad.Var) *ad.Var) gradcheck.Func {
	return func(x []*ad.Var) *ad.Var { return f(x[0]) }
}

func binary(f func(a, b *ad.Var) *ad.Var) gradcheck.Func {
	return func(x []*ad.Var) *ad.Var { return f(x[0], x[1]) }
}

// opCases covers every op. Nonlinear wrappers (a Tanh or a product after a linear op)
// make second derivatives of linear ops non-trivial, so the check exercises their
// backward rules inside a second-order graph.
var opCases = []opCase{
	{"Add", binary(ad.Add), shapes(s(3, 4), s(3, 4))},
	{"Add/broadcast-row", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.Add(a, b)) }), shapes(s(3, 4), s(4))},
	{"Add/broadcast-col", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.Add(a, b)) }), shapes(s(3, 1), s(1, 4))},
	{"Add/scalar", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.Add(a, b)) }), shapes(s(2, 3), s())},
	{"Sub", binary(func(a, b *ad.Var) *ad.Var { return ad.Square(ad.Sub(a, b)) }), shapes(s(2, 3, 2), s(3, 1))},
	{"Mul", binary(ad.Mul), shapes(s(3, 4), s(3, 4))},
	{"Mul/broadcast", binary(ad.Mul), shapes(s(2, 3, 4), s(3, 1))},
	{"Div", binary(ad.Div), []func(*rand.Rand) []*ad.Tensor{func(r *rand.Rand) []*ad.Tensor { return []*ad.Tensor{randT(r, 3, 4), posT(r, 4)} }}[0]},
	{"Neg", unary(func(x *ad.Var) *ad.Var { return ad.Square(ad.Neg(x)) }), shapes(s(5))},
	{"Exp", unary(ad.Exp), shapes(s(2, 3))},
	{"Log", unary(ad.Log), positive(s(2, 3))},
	{"Sqrt", unary(ad.Sqrt), positive(s(2, 3))},
	{"Square", unary(ad.Square), shapes(s(2, 3))},
	{"Reciprocal", unary(ad.Reciprocal), positive(s(4))},
	{"Sin", unary(ad.Sin), shapes(s(4))},
	{"Cos", unary(ad.Cos), shapes(s(4))},
	{"Tanh", unary(ad.Tanh), shapes(s(3, 3))},
	{"Sigmoid", unary(ad.Sigmoid), shapes(s(3, 3))},
	{"Softplus", unary(ad.Softplus), shapes(s(3, 3))},
	{"ShiftedSoftplus", unary(ad.ShiftedSoftplus), shapes(s(3, 3))},
	{"SiLU", unary(ad.SiLU), shapes(s(3, 3))},
	// ReLU and Abs are piecewise linear: evaluated away from their kink at 0. Plain,
	// their second derivative is zero; multiplied by x (x·ReLU(x) = max(x, 0)², x·|x|)
	// or composed with Tanh, the second derivative needs the first-derivative rule
	// (2·step(x), 2·sign(x)) inside a second-order graph.
	{"ReLU", unary(ad.ReLU), awayFromZero(s(3, 4))},
	{"ReLU/times-x", unary(func(x *ad.Var) *ad.Var { return ad.Mul(ad.ReLU(x), x) }), awayFromZero(s(3, 4))},
	{"ReLU/tanh", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.ReLU(x)) }), awayFromZero(s(3, 4))},
	{"Abs", unary(ad.Abs), awayFromZero(s(3, 4))},
	{"Abs/times-x", unary(func(x *ad.Var) *ad.Var { return ad.Mul(ad.Abs(x), x) }), awayFromZero(s(3, 4))},
	{"Abs/tanh", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.Abs(x)) }), awayFromZero(s(3, 4))},
	{"Pow", unary(func(x *ad.Var) *ad.Var { return ad.Pow(x, 2.5) }), positive(s(4))},
	{"Scale", unary(func(x *ad.Var) *ad.Var { return ad.Square(ad.Scale(x, -1.7)) }), shapes(s(4))},
	{"AddScalar", unary(func(x *ad.Var) *ad.Var { return ad.Square(ad.AddScalar(x, 0.3)) }), shapes(s(4))},
	{"Sum", unary(func(x *ad.Var) *ad.Var { return ad.Square(ad.Sum(x)) }), shapes(s(3, 2))},
	{"Mean", unary(func(x *ad.Var) *ad.Var { return ad.Square(ad.Mean(x)) }), shapes(s(3, 2))},
	{"SumAxis/0", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.SumAxis(x, 0, false)) }), shapes(s(3, 4))},
	{"SumAxis/1keep", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.SumAxis(x, 1, true)) }), shapes(s(3, 4, 2))},
	{"SumAxis/-1", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.SumAxis(x, -1, false)) }), shapes(s(3, 4))},
	{"MeanAxis", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.MeanAxis(x, 0, false)) }), shapes(s(3, 3))},
	{"BroadcastTo", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.BroadcastTo(x, 2, 3, 4)) }), shapes(s(3, 1))},
	{"SumTo", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.SumTo(x, 3, 1)) }), shapes(s(2, 3, 4))},
	{"MatMul", binary(ad.MatMul), shapes(s(3, 4), s(4, 2))},
	{"MatMul/tanh", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.MatMul(a, b)) }), shapes(s(3, 4), s(4, 2))},
	{"MatMulT/AB'", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.MatMulT(a, b, false, true)) }), shapes(s(3, 4), s(2, 4))},
	{"MatMulT/A'B", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.MatMulT(a, b, true, false)) }), shapes(s(4, 3), s(4, 2))},
	{"MatMulT/A'B'", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.MatMulT(a, b, true, true)) }), shapes(s(4, 3), s(2, 4))},
	{"Affine", func(x []*ad.Var) *ad.Var { return ad.Tanh(ad.Affine(x[0], x[1], x[2])) }, shapes(s(5, 3), s(3, 4), s(4))},
	{"Affine/bilinear", func(x []*ad.Var) *ad.Var { return ad.Affine(x[0], x[1], x[2]) }, shapes(s(2, 3), s(3, 2), s(2))},
	{"Reshape", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.Reshape(x, 4, -1)) }), shapes(s(2, 3, 2))},
	{"Transpose", binary(func(a, b *ad.Var) *ad.Var { return ad.Mul(ad.Transpose(a), b) }), shapes(s(3, 2), s(2, 3))},
	{"Permute", unary(func(x *ad.Var) *ad.Var { return ad.Mul(ad.Permute(x, 2, 0, 1), ad.Constant(ad.Full(0.7, 4, 2, 3))) }), shapes(s(2, 3, 4))},
	{"Permute/tanh", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.Permute(x, 1, 2, 0)) }), shapes(s(2, 3, 4))},
	{"Concat", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.Concat(1, a, b)) }), shapes(s(2, 3), s(2, 2))},
	{"Concat/0", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.Concat(0, a, b, a)) }), shapes(s(1, 3), s(2, 3))},
	{"Slice", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.Slice(x, 1, 1, 3)) }), shapes(s(2, 4, 2))},
	{"GatherRows", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.GatherRows(x, []int{2, 0, 2, 1})) }), shapes(s(3, 2))},
	{"ScatterAddRows", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.ScatterAddRows(x, []int{1, 0, 1, 3}, 4)) }), shapes(s(4, 2))},
	{"MessagePass/sorted", binary(func(x, w *ad.Var) *ad.Var { return ad.Tanh(ad.MessagePass(x, w, testPairsSorted)) }), shapes(s(5, 3), s(7, 3))},
	{"MessagePass/unsorted", binary(func(x, w *ad.Var) *ad.Var { return ad.Tanh(ad.MessagePass(x, w, testPairsUnsorted)) }), shapes(s(5, 3), s(8, 3))},
	{"MessagePass/bilinear", binary(func(x, w *ad.Var) *ad.Var { return ad.MessagePass(x, w, testPairsUnsorted) }), shapes(s(5, 3), s(8, 3))},
	{"PairProduct/sorted", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.PairProduct(a, b, testPairsSorted)) }), shapes(s(4, 2), s(5, 2))},
	{"PairProduct/unsorted", binary(func(a, b *ad.Var) *ad.Var { return ad.Tanh(ad.PairProduct(a, b, testPairsUnsorted)) }), shapes(s(4, 2), s(5, 2))},
	{"PairProduct/bilinear", binary(func(a, b *ad.Var) *ad.Var { return ad.PairProduct(a, b, testPairsUnsorted) }), shapes(s(4, 2), s(5, 2))},
	{"Take", unary(func(x *ad.Var) *ad.Var { return ad.Tanh(ad.Take(x, []int{5, 0, 5, 3}, 2, 2)) }), shapes(s(2, 3))},
	{"Conv1D", binary(func(x, w *ad.Var) *ad.Var { return ad.Tanh(ad.Conv1D(x, w)) }), shapes(s(2, 6, 3), s(9, 2))},
	{"MaxPool1D", unary(func(x *ad.Var) *ad.Var { return ad.Square(ad.MaxPool1D(x, 2, 2)) }), shapes(s(2, 6, 3))},
	{"MaxOverLength", unary(func(x *ad.Var) *ad.Var { return ad.Square(ad.MaxOverLength(x)) }), shapes(s(2, 5, 3))},
	{"Normalize", unary(func(x *ad.Var) *ad.Var { return ad.Normalize(x, 1e-5) }), shapes(s(3, 5))},
}

func TestOpsFirstDerivatives(t *testing.T) {
	for i, c := range opCases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			if err := gradcheck.First(c.f, c.inputs(rng), nil); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestOpsSecondDerivatives(t *testing.T) {
	for i, c := range opCases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 11))
			if err := gradcheck.Second(c.f, c.inputs(rng), nil); err != nil {
				t.Error(err)
			}
		})
	}
}

func hdSigmoid(x hyperdual.Number) hyperdual.Number {
	return hyperdual.Inv(hyperdual.Add(hyperdual.Number{Real: 1}, hyperdual.Exp(hyperdual.Scale(-1, x))))
}

func hdSoftplus(x hyperdual.Number) hyperdual.Number {
	return hyperdual.Log(hyperdual.Add(hyperdual.Number{Real: 1}, hyperdual.Exp(x)))
}

// TestHyperdualExact checks first and second derivatives of the smooth functions
// against hyperdual arithmetic, which is exact to rounding.
func TestHyperdualExact(t *testing.T) {
	xs := []float64{-3.1, -0.7, -1e-3, 0.2, 1.3, 4.5}
	pos := []float64{0.05, 0.7, 2.2, 9}
	one := hyperdual.Number{Real: 1}
	cases := []struct {
		name string
		g    func(*ad.Var) *ad.Var
		ref  func(hyperdual.Number) hyperdual.Number
		xs   []float64
	}{
		{"Exp", ad.Exp, hyperdual.Exp, xs},
		{"Log", ad.Log, hyperdual.Log, pos},
		{"Sqrt", ad.Sqrt, hyperdual.Sqrt, pos},
		{"Square", ad.Square, func(x hyperdual.Number) hyperdual.Number { return hyperdual.Mul(x, x) }, xs},
		{"Reciprocal", ad.Reciprocal, hyperdual.Inv, pos},
		{"Sin", ad.Sin, hyperdual.Sin, xs},
		{"Cos", ad.Cos, hyperdual.Cos, xs},
		{"Tanh", ad.Tanh, hyperdual.Tanh, xs},
		{"Sigmoid", ad.Sigmoid, hdSigmoid, xs},
		{"Softplus", ad.Softplus, hdSoftplus, xs},
		{"ShiftedSoftplus", ad.ShiftedSoftplus, func(x hyperdual.Number) hyperdual.Number {
			return hyperdual.Sub(hdSoftplus(x), hyperdual.Number{Real: math.Ln2})
		}, xs},
		{"SiLU", ad.SiLU, func(x hyperdual.Number) hyperdual.Number { return hyperdual.Mul(x, hdSigmoid(x)) }, xs},
		{"Pow2.5", func(x *ad.Var) *ad.Var { return ad.Pow(x, 2.5) }, func(x hyperdual.Number) hyperdual.Number { return hyperdual.PowReal(x, 2.5) }, pos},
		{"Div", func(x *ad.Var) *ad.Var { return ad.Div(ad.Constant(ad.Scalar(2)), ad.AddScalar(x, 10)) },
			func(x hyperdual.Number) hyperdual.Number {
				return hyperdual.Scale(2, hyperdual.Inv(hyperdual.Add(x, hyperdual.Scale(10, one))))
			}, xs},
		{"TanhOfSiLU", func(x *ad.Var) *ad.Var { return ad.Tanh(ad.SiLU(x)) },
			func(x hyperdual.Number) hyperdual.Number { return hyperdual.Tanh(hyperdual.Mul(x, hdSigmoid(x))) }, xs},
	}
	for _, c := range cases {
		if err := gradcheck.Hyperdual(c.g, c.ref, c.xs, 1e-12); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
