package checkpoint_test

import (
	"fmt"
	"os"
	"path/filepath"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// A loop minimising (x − 3)² by Adam writes a checkpoint every 4 steps; a second run
// resumes from it and ends where an uninterrupted run would.
func Example() {
	dir, _ := os.MkdirTemp("", "checkpoint-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "fit.ckpt")
	train := func(s *checkpoint.Saver, steps int) float64 {
		x := nn.NewParam("x", ad.New([]float64{0}, 1))
		ps := []*nn.Param{x}
		opt := optim.NewAdam(&optim.AdamOptions{LR: 0.1})
		h := checkpoint.NewHash()
		h.Params(ps)
		pos, err := s.Resume("example", h.Sum(), ps, opt)
		if err != nil {
			panic(err)
		}
		for k := pos.Step; k < steps; k++ {
			g := ad.New([]float64{2 * (x.Value().Data[0] - 3)}, 1)
			opt.Step(nn.Vars(ps), []*ad.Tensor{g})
			if err := s.After(checkpoint.Position{Step: k + 1}, ps, opt); err != nil {
				panic(err)
			}
		}
		return x.Value().Data[0]
	}
	full := train(nil, 10)
	train(&checkpoint.Saver{Path: path, Every: 4}, 6) // stops after 6 steps; checkpoint at 4
	resumed := train(&checkpoint.Saver{ResumeFrom: path}, 10)
	fmt.Printf("uninterrupted %.6f, resumed %.6f, identical %v\n", full, resumed, full == resumed)
	// Output:
	// uninterrupted 0.985812, resumed 0.985812, identical true
}
