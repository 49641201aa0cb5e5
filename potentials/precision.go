package potentials

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Precision returns the precision the model's network computes in: that of its
// embedding table (float64 unless SetPrecision changed it).
func (m *Model) Precision() ad.DType { return m.Embed.Table.DType() }

// SetPrecision converts the embedding and the network's parameters to dt, so that
// the network computes in dt (float32 halves the memory of training and uses
// sgemm); the energy scale, reference energies and shift stay float64, and so do
// positions, distances before rounding, per-atom and per-structure energies, forces
// and stress. Call it on a new or freshly built model, before training or attaching
// adapters. It returns an error for a precision other than float64 and float32.
func (m *Model) SetPrecision(dt ad.DType) error {
	if dt != ad.Float64 && dt != ad.Float32 {
		return fmt.Errorf("model configuration: unknown precision %v", dt)
	}
	nn.SetPrecision(nn.Join(m.Embed, m.Net), dt)
	m.Config.Precision = dt.String()
	return nil
}

// constant returns t as a constant of the graph, in arena a if it is set.
func constant(a *ad.Arena, t *ad.Tensor) *ad.Var {
	if a == nil {
		return ad.Constant(t)
	}
	return a.Constant(t)
}
