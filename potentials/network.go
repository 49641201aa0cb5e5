package potentials

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Network is the architecture inside a Model: it maps each atom's embedding row and
// the geometry of the pairs around it to one output per atom. The Model turns the
// outputs into energies (scale, reference energies, shift) and differentiates them
// for forces and stress, so a Network must be a smooth function of Geometry.Vectors
// and invariant under rotations of them.
type Network interface {
	nn.Module
	// AtomOutputs returns one dimensionless output per atom (atoms, 1) from the
	// atoms' embedding rows x (atoms, F) and the pairs of g.
	AtomOutputs(ctx *nn.Context, g *Geometry, x *ad.Var) *ad.Var
}

// Geometry is what a Network sees of a batch: the directed pairs within the cutoff.
type Geometry struct {
	// Vectors are r_ij = R_j − R_i + S_ij (pairs, 3) in Å, strained when a strain
	// is given: graph values of the positions and the strain.
	Vectors *ad.Var
	// Distances are |r_ij| (pairs, 1) in Å.
	Distances *ad.Var
	// I and J are the receiving and sending atom of each pair (batch atom indices).
	I, J []int
	// Atoms is the number of atoms of the batch; Cutoff the model's cutoff in Å.
	Atoms  int
	Cutoff float64
	// Pairs indexes I and J for autodiff.MessagePass (the batch's, built once);
	// nil means a network builds its own.
	Pairs *ad.Pairs
}

// Architectures a Config may name.
const (
	ArchSchNet = "schnet" // SchNet-like, invariant, two-body messages (the default of old files)
	ArchPaiNN  = "painn"  // PaiNN, equivariant (scalar and vector features), many-body
)

// architectures lists the known architectures in a fixed order.
var architectures = []string{ArchSchNet, ArchPaiNN}

// newNetwork builds the untrained network that cfg names, drawing its weights from
// rng after the embedding.
func newNetwork(cfg Config, rng *rand.Rand) (Network, error) {
	switch cfg.arch() {
	case ArchSchNet:
		return newSchNet(cfg, rng), nil
	case ArchPaiNN:
		return newPaiNN(cfg, rng), nil
	}
	return nil, fmt.Errorf("model configuration: unknown architecture %q (known: %v)", cfg.Model, architectures)
}

// knownArch reports whether name is a known architecture.
func knownArch(name string) bool { return slices.Contains(architectures, name) }

// cosineCutoff returns f_c(d) = ½(cos(πd/r_c) + 1) for distances d (pairs, 1).
func cosineCutoff(d *ad.Var, cutoff float64) *ad.Var {
	return ad.Scale(ad.AddScalar(ad.Cos(ad.Scale(d, math.Pi/cutoff)), 1), 0.5)
}

// gaussianBasis returns K Gaussians exp(−γ(d − μ_k)²) of the distances d (pairs, 1),
// centres μ_k = k·r_c/(K−1), γ = 1/(2·spacing²), as (pairs, K), in d's precision.
func gaussianBasis(d *ad.Var, k int, cutoff float64) *ad.Var {
	width := cutoff / float64(max(k-1, 1))
	mu := ad.Zeros(k)
	for i := range mu.Data {
		mu.Data[i] = width * float64(i)
	}
	gamma := 0.5 / (width * width)
	diff := ad.Sub(d, ad.Constant(mu.Convert(d.Value().DType())))
	return ad.Exp(ad.Scale(ad.Square(diff), -gamma))
}

// Architectures returns the names of the known architectures.
func Architectures() []string { return slices.Clone(architectures) }
