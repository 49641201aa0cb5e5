package optim_test

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/optim"
)

// Fit k in y = k·x to three points by Adam with a cosine schedule, training only k
// while the offset c stays frozen.
func ExampleAdam() {
	x := ad.Constant(ad.New([]float64{1, 2, 3}, 3))
	y := ad.Constant(ad.New([]float64{2.1, 3.9, 6.0}, 3))
	k := ad.Variable(ad.Scalar(0))
	c := ad.Variable(ad.Scalar(0))
	c.SetRequiresGrad(false)
	params := []*ad.Var{k, c}

	opt := optim.NewAdam(&optim.AdamOptions{LR: 0.1})
	sched := optim.Cosine{Base: 0.1, Min: 1e-4, Warmup: 10, Total: 500}
	for step := 0; step < 500; step++ {
		loss := ad.Mean(ad.Square(ad.Sub(ad.Add(ad.Mul(k, x), c), y)))
		gs := ad.Grad(loss, params...)
		grads := []*ad.Tensor{gs[0].Value(), gs[1].Value()}
		optim.ClipGradNorm(grads, 10)
		opt.SetLR(sched.LR(step))
		opt.Step(params, grads)
	}
	// Least squares: k = Σxy/Σx² = 27.9/14.
	fmt.Printf("k = %.4f (least squares %.4f), c = %v\n", k.Item(), 27.9/14, c.Item())
	// Output: k = 1.9929 (least squares 1.9929), c = 0
}

// The same fit by L-BFGS over the trainable parameters.
func ExampleMinimizeLBFGS() {
	x := ad.Constant(ad.New([]float64{1, 2, 3}, 3))
	y := ad.Constant(ad.New([]float64{2.1, 3.9, 6.0}, 3))
	k := ad.Variable(ad.Scalar(0))
	params := []*ad.Var{k}
	loss := func() *ad.Var { return ad.Mean(ad.Square(ad.Sub(ad.Mul(k, x), y))) }

	res, err := optim.MinimizeLBFGS(optim.Objective(params, loss), optim.Flatten(params), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	optim.Unflatten(params, res.X)
	// k = 27.9/14; loss = (Σy² − (Σxy)²/Σx²)/3 = (55.62 − 778.41/14)/3 = 0.0064286.
	fmt.Printf("k = %.6f, loss = %.6f, status %v\n", k.Item(), res.F, res.Status)
	// Output: k = 1.992857, loss = 0.006429, status GradientThreshold
}
