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
			norm = math.Hypot(norm, floats.Norm(g.Float64s(), 2))
		}
	}
	if norm <= maxNorm || math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	scale := maxNorm / norm
	done := make(map[any]bool, len(grads))
	for _, g := range grads {
		switch {
		case g == nil || g.Size() == 0:
		case g.Data32 != nil && !done[&g.Data32[0]]:
			done[&g.Data32[0]] = true
			for j, v := range g.Data32 {
				g.Data32[j] = float32(scale * float64(v))
			}
		case g.Data != nil && !done[&g.Data[0]]:
			done[&g.Data[0]] = true
			floats.Scale(scale, g.Data)
		}
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
		clampValues(g.Data, maxValue)
		clampValues(g.Data32, maxValue)
	}
}

func clampValues[T float32 | float64](g []T, maxValue float64) {
	for j, v := range g {
		switch {
		case float64(v) > maxValue:
			g[j] = T(maxValue)
		case float64(v) < -maxValue:
			g[j] = T(-maxValue)
		}
	}
}
