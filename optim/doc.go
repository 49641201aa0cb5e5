// Package optim trains the parameters of sciadapt's autodiff engine: first-order
// optimizers (Adam, AdamW, SGD with momentum), learning-rate schedules, gradient
// clipping, and L-BFGS for small full-batch problems.
//
// # Overview
//
// An Optimizer owns the values of the parameters it is given: Step changes
// p.Value().Data (Data32 for float32 parameters) in place, from gradients such as
// those returned by autodiff.Grad, which have the parameters' precision. Optimiser
// state (moments, momentum) is float64 for either precision; each update is computed
// in float64 and rounded once to a float32 parameter.
// A training step reads
//
//	loss := model(batch)
//	gs := ad.Grad(loss, params...)
//	grads := make([]*ad.Tensor, len(gs))
//	for i, g := range gs {
//		grads[i] = g.Value()
//	}
//	optim.ClipGradNorm(grads, 10)
//	opt.SetLR(schedule.LR(step))
//	opt.Step(params, grads)
//
// # Update rules
//
// For a parameter θ with gradient g at its t-th update, learning rate α and weight
// decay λ, Adam (Kingma & Ba 2015, Algorithm 1) computes, elementwise and in float64,
//
//	g ← g + λθ                     (L2 weight decay, Decoupled false)
//	m ← β₁m + (1−β₁)g
//	v ← β₂v + (1−β₂)g²
//	m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
//	θ ← θ − α·m̂/(√v̂ + ε)
//
// The bias corrections 1−βᵗ are computed as −expm1(t·ln β), which avoids the
// cancellation in 1 − βᵗ for small t. Each parameter has its own t, the number of
// updates it has received, so a parameter unfrozen late starts with t = 1.
//
// With Decoupled set (AdamW, Loshchilov & Hutter 2019) the decay does not enter the
// gradient or the moments; instead θ ← θ·(1 − αλ) just before the Adam update, as in
// PyTorch's AdamW (the paper's λ is this package's α·λ for a fixed α).
//
// SGD with momentum μ follows PyTorch's torch.optim.SGD (dampening 0):
//
//	g ← g + λθ,  b ← μb + g,  d = g + μb (Nesterov) or d = b,  θ ← θ − α·d
//
// with b = 0 before the first step, so the first step is θ ← θ − α·g·(1+μ) with
// Nesterov and θ ← θ − α·g without.
//
// # Units
//
// Adam's step m̂/(√v̂+ε) is dimensionless, so Adam's learning rate is in the units of
// the parameters (a step of α = 1e-3 moves each parameter by about 1e-3). ε is in
// the units of the gradient. SGD's learning rate is in units of θ² per unit of loss.
// L2 weight decay λ is in units of loss per θ²; decoupled decay λ in units of 1/α.
//
// # State and invariants
//
// An optimizer keeps its state (moments, momentum buffers, Adam's per-parameter
// update counts t) per position in the parameter slice: callers pass the same
// parameters in the same order at every step. Step panics if the number of
// parameters or the shape of one changes between steps.
//
// A parameter whose RequiresGrad is false (frozen) is never read or written, even if
// a gradient is passed for it; neither is a parameter whose gradient is nil. Their
// state stays empty, and their values stay bit-identical.
//
// Step never modifies the gradients. ClipGradNorm and ClipGradValue do, in place.
//
// State returns a deep copy of an optimizer's state and SetState restores one, so a
// run restored from a checkpoint continues bit-identically. Hyperparameters other
// than the learning rate are not part of the state: rebuild the optimizer with the
// same options, then call SetState.
//
// # Schedules
//
// A Schedule maps a step number (counted from zero) to a learning rate: Constant and
// Cosine (linear warm-up, then cosine decay to a floor). ReduceOnPlateau instead
// watches a validation metric and cuts the rate when it stops improving; its fields
// are its whole state, so it can be saved as it is.
//
// # L-BFGS
//
// MinimizeLBFGS minimises a smooth function of a flat []float64 with gonum's L-BFGS
// (gonum.org/v1/gonum/optimize) and reports non-convergence as an error. Flatten,
// Unflatten and Objective bridge it to autodiff parameters, so that small full-batch
// fits (a few constitutive parameters, a linear read-out) can use a quasi-Newton
// method instead of thousands of Adam steps.
//
// # Failure
//
// Mismatched lengths and shapes are programmer errors and panic with a message
// starting "optim:"; so do invalid hyperparameters given to a constructor (check
// values that come from users with the options' Validate method first). NaN and Inf
// gradients are not checked: they propagate into the parameters. L-BFGS returns an
// error when it stops without converging.
package optim
