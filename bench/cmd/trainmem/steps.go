package main

import (
	"fmt"

	"github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/potentials"
)

// steps trains one epoch over frames in batches, in order, with the loss of
// potentials.Train (energy per atom, forces and stress, weights 1, 10 and
// o.stressWeight), an Adam step per batch, optionally from one arena.
func steps(m *potentials.Model, frames []datasets.Frame, o options) error {
	vars := nn.Vars(nn.Trainable(m))
	adam := optim.NewAdam(&optim.AdamOptions{LR: 1e-3})
	var arena *autodiff.Arena
	if o.arena {
		arena = autodiff.NewArena()
	}
	if o.probe {
		if err := probe(m, frames[:min(o.batch, len(frames))]); err != nil {
			return err
		}
	}
	for s := 0; s < len(frames); s += o.batch {
		batch := frames[s:min(s+o.batch, len(frames))]
		loss, err := batchLoss(m, batch, o.stressWeight, arena)
		if err != nil {
			return err
		}
		predicted := 0
		if arena != nil {
			predicted = arena.Bytes()
		}
		gs := autodiff.Gradients([]*autodiff.Var{loss}, vars, &autodiff.GradOptions{FreeGraph: o.freeGraph})
		if arena != nil {
			fmt.Printf("step %d: arena %.1f MB after forward and forces, %.1f MB after the parameter gradient\n", s/o.batch+1, float64(predicted)/1e6, float64(arena.Bytes())/1e6)
		}
		gt := make([]*autodiff.Tensor, len(gs))
		for i, g := range gs {
			gt[i] = g.Value()
		}
		adam.Step(vars, gt)
		if arena != nil {
			arena.Release()
		}
	}
	return nil
}

// batchLoss is potentials.Train's loss of one batch.
func batchLoss(m *potentials.Model, frames []datasets.Frame, stressWeight float64, arena *autodiff.Arena) (*autodiff.Var, error) {
	structs := make([]*potentials.Structure, len(frames))
	eRef, invN := autodiff.Zeros(len(frames), 1), autodiff.Zeros(len(frames), 1)
	var fRef, sRef []float64
	withStress := stressWeight > 0
	for i := range frames {
		structs[i] = potentials.StructureOf(&frames[i])
		eRef.Data[i] = frames[i].Energy
		invN.Data[i] = 1 / float64(frames[i].Len())
		fRef = append(fRef, frames[i].Forces...)
		withStress = withStress && frames[i].Stress != nil
		if frames[i].Stress != nil {
			sRef = append(sRef, frames[i].Stress[:]...)
		}
	}
	b, err := potentials.NewBatch(structs, m.Species(), m.Config.Cutoff)
	if err != nil {
		return nil, err
	}
	b.Arena = arena
	p := m.Predict(nil, b, withStress, true)
	c := autodiff.Constant
	de := autodiff.Mul(autodiff.Sub(p.Energy, c(eRef)), c(invN))
	loss := autodiff.Scale(autodiff.Sum(autodiff.Square(de)), 1/float64(len(frames)))
	df := autodiff.Sub(p.Forces, c(autodiff.New(fRef, len(fRef)/3, 3)))
	loss = autodiff.Add(loss, autodiff.Scale(autodiff.Sum(autodiff.Square(df)), 10/float64(len(fRef))))
	if withStress {
		ds := autodiff.Sub(p.Stress, c(autodiff.New(sRef, len(frames), 9)))
		loss = autodiff.Add(loss, autodiff.Scale(autodiff.Sum(autodiff.Square(ds)), stressWeight/float64(9*len(frames))))
	}
	return loss, nil
}

// probe prints the arena's size after the forward pass alone on one batch.
func probe(m *potentials.Model, frames []datasets.Frame) error {
	structs := make([]*potentials.Structure, len(frames))
	for i := range frames {
		structs[i] = potentials.StructureOf(&frames[i])
	}
	b, err := potentials.NewBatch(structs, m.Species(), m.Config.Cutoff)
	if err != nil {
		return err
	}
	b.Arena = autodiff.NewArena()
	m.Energies(nil, b, autodiff.Variable(b.Positions), autodiff.Variable(autodiff.Zeros(b.Len(), 9)))
	fmt.Printf("first batch: %d pairs, arena %.1f MB after the forward pass\n", len(b.I), float64(b.Arena.Bytes())/1e6)
	return nil
}
