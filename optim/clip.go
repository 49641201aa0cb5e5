package optim

import (
	"fmt"
	"math"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"gonum.org/v1/gonum/floats"
)

// ClipGradNorm scales grads in place so that their global L2 norm
// √(Σᵢ Σⱼ gᵢⱼ²), taken over all tensors together, is at most maxNorm, as PyTorch's
// clip_grad_norm_ does (but exactly: the scale is maxNorm/norm, with no 1e-6 added
// to the norm). It returns the norm before clipping. Nil gradients are skipped.
//
// If the norm is NaN or ±Inf the gradients are left as they are and the norm is
// returned, so the caller can skip the step. Gradients that share their data (as
// autodiff may return for two inputs of one addition) count once per tensor in the
// norm but are scaled once. ClipGradNorm panics if maxNorm is negative or NaN.
func ClipGradNorm(grads []*ad.Tensor, maxNorm float64) (norm float64) {
	if !(maxNorm >= 0) {
		panic(fmt.Sprintf("optim: ClipGradNorm with maximum norm %v", maxNorm))
	}
	for _, g := range grads {
		if g != nil {
			norm = math.Hypot(norm, floats.Norm(g.Data, 2))
		}
	}
	if norm <= maxNorm || math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	scale := maxNorm / norm
	done := make(map[*float64]bool, len(grads))
	for _, g := range grads {
		if g == nil || len(g.Data) == 0 || done[&g.Data[0]] {
			continue
		}
		done[&g.Data[0]] = true
		floats.Scale(scale, g.Data)
	}
	return norm
}

// ClipGradValue clamps every gradient element to [−maxValue, maxValue] in place.
// NaN elements stay NaN. Nil gradients are skipped. It panics if maxValue is
// negative or NaN.
func ClipGradValue(grads []*ad.Tensor, maxValue float64) {
	if !(maxValue >= 0) {
		panic(fmt.Sprintf("optim: ClipGradValue with maximum %v", maxValue))
	}
	for _, g := range grads {
		if g == nil {
			continue
		}
		for j, v := range g.Data {
			switch {
			case v > maxValue:
				g.Data[j] = maxValue
			case v < -maxValue:
				g.Data[j] = -maxValue
			}
		}
	}
}
