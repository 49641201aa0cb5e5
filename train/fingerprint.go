package train

import "github.com/sciadapt/sciadapt/train/checkpoint"

// fingerprint identifies the settings of o that change the course of training, the
// trained parameters (names and shapes) and what the task adds (its data).
func fingerprint(task Task, o Options) string {
	h := checkpoint.NewHash()
	h.String(task.Kind)
	h.Ints(o.Epochs, int(o.Schedule), int(o.Seed), int(o.Stream))
	h.Floats(o.LR, o.WeightDecay)
	h.Params(task.Params)
	if task.Fingerprint != nil {
		task.Fingerprint(h)
	}
	return h.Sum()
}
