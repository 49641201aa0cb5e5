package train

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// gradients returns the loss of one batch, its parts and the gradient of the loss
// with respect to the trained parameters, summed over processes with Reduce. The
// gradients are nil when the batch gives no loss and there is no Reduce.
func (l *loop) gradients(batch []int, step int) (float64, []float64, []*ad.Tensor, error) {
	loss, err := l.task.Loss(batch, step)
	if err != nil {
		return 0, nil, nil, err
	}
	grads := make([]*ad.Tensor, len(l.vars))
	value := 0.0
	if loss.Value != nil {
		if n := loss.Value.Value().Size(); n != 1 {
			panic(fmt.Sprintf("train: a batch loss of %d values", n))
		}
		value = loss.Value.Item()
		for i, g := range ad.Gradients([]*ad.Var{loss.Value}, l.vars, &ad.GradOptions{FreeGraph: l.task.Arena != nil}) {
			grads[i] = g.Value()
		}
	}
	if l.o.Reduce == nil {
		if loss.Value == nil {
			return 0, loss.Parts, nil, nil
		}
		return value, loss.Parts, grads, nil
	}
	return l.reduce(value, loss.Parts, grads)
}

// reduce sums the loss, the parts and the gradients over the processes of a
// data-parallel run; a process without a loss contributes zeros. Every process
// must report the same number of parts.
func (l *loop) reduce(value float64, parts []float64, grads []*ad.Tensor) (float64, []float64, []*ad.Tensor, error) {
	size := 0
	for _, v := range l.vars {
		size += v.Value().Size()
	}
	buf := make([]float64, 0, size+1+len(parts))
	for i, v := range l.vars {
		if grads[i] == nil {
			buf = append(buf, make([]float64, v.Value().Size())...)
		} else {
			buf = append(buf, grads[i].Data...)
		}
	}
	buf = append(buf, value)
	buf = append(buf, parts...)
	l.o.Reduce(buf)
	off := 0
	for i, v := range l.vars {
		n := v.Value().Size()
		grads[i] = ad.New(buf[off:off+n:off+n], v.Value().Shape...)
		off += n
	}
	return buf[size], buf[size+1:], grads, nil
}
