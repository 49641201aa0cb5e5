package autodiff_test

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Forces from an energy, and the derivative of a force with respect to a parameter:
// E(x; k) = k·x²/2, F = −∂E/∂x = −k·x, ∂F/∂k = −x.
func ExampleGradients() {
	x := ad.Variable(ad.Scalar(0.5))
	k := ad.Variable(ad.Scalar(3))
	e := ad.Scale(ad.Mul(k, ad.Square(x)), 0.5)
	g := ad.Gradients([]*ad.Var{e}, []*ad.Var{x}, &ad.GradOptions{CreateGraph: true})[0]
	f := ad.Neg(g)
	dfdk := ad.Grad(f, k)[0]
	fmt.Printf("E = %.3f, F = %.3f, dF/dk = %.3f\n", e.Item(), f.Item(), dfdk.Item())
	// Output: E = 0.375, F = -1.500, dF/dk = -0.500
}

// A Jacobian–vector product in forward mode: d/dt tanh(x + t·v) at t = 0.
func ExampleJVP() {
	x := ad.Variable(ad.New([]float64{0, 1}, 2))
	y := ad.Tanh(x)
	v := ad.Constant(ad.New([]float64{1, 1}, 2))
	jv := ad.JVP([]*ad.Var{y}, []*ad.Var{x}, []*ad.Var{v}, nil)[0]
	fmt.Printf("%.4f\n", jv.Value().Data)
	// Output: [1.0000 0.4200]
}

// Segment sums: per-atom energies summed into per-molecule energies.
func ExampleScatterAddRows() {
	atomE := ad.Constant(ad.New([]float64{1, 2, 3, 4, 5}, 5, 1))
	molecule := []int{0, 0, 1, 1, 1}
	e := ad.ScatterAddRows(atomE, molecule, 2)
	fmt.Println(e.Value().Data)
	// Output: [3 12]
}

// Message passing over a neighbour list of three atoms in a row (0–1–2): each atom
// receives its neighbours' features, each scaled by the filter of its pair.
func ExampleMessagePass() {
	I := []int{0, 1, 1, 2} // receiving atom of each pair, sorted
	J := []int{1, 0, 2, 1} // sending atom
	pairs := ad.NewPairs(I, J, 3, 3)
	x := ad.Constant(ad.New([]float64{1, 10, 100}, 3, 1))   // one feature per atom
	w := ad.Constant(ad.New([]float64{0.5, 1, 2, 3}, 4, 1)) // one filter per pair
	fmt.Println(ad.MessagePass(x, w, pairs).Value().Data)   // 0.5·10, 1·1 + 2·100, 3·10
	fmt.Println(ad.PairProduct(x, x, pairs).Value().Data)   // x_i·x_j per pair
	// Output:
	// [5 201 30]
	// [10 10 1000 1000]
}

// A loop that reuses one step's memory in the next: results computed from the
// arena's leaves live in the arena until Release.
func ExampleArena() {
	arena := ad.NewArena()
	w := ad.Variable(ad.New([]float64{0.5, -1}, 2, 1))
	for step := range 3 {
		x := arena.Constant(ad.New([]float64{1, 2, 3, 4}, 2, 2))
		loss := ad.Sum(ad.Square(ad.MatMul(x, w)))
		g := ad.Grad(loss, w)[0].Value().Data
		fmt.Printf("step %d: loss %.3f, gradient %.3f\n", step, loss.Item(), g)
		w.Value().Data[0] -= 0.01 * g[0] // use results before Release
		w.Value().Data[1] -= 0.01 * g[1]
		arena.Release()
	}
	// Output:
	// step 0: loss 8.500, gradient [-18.000 -26.000]
	// step 1: loss 1.486, gradient [-7.120 -10.560]
	// step 2: loss 0.349, gradient [-2.739 -4.342]
}

// float32 computations, and a float64 result from them.
func ExampleToFloat32() {
	x := ad.Variable(ad.New([]float64{0.1, 0.2}, 2))
	y := ad.Sum(ad.ToFloat64(ad.Square(ad.ToFloat32(x)))) // the square in float32
	g := ad.Grad(y, x)[0].Value()
	fmt.Println(y.Value().DType(), g.DType())
	fmt.Printf("%.9f %.9f\n", y.Item(), g.Data)
	// Output:
	// float64 float64
	// 0.050000004 [0.200000003 0.400000006]
}
