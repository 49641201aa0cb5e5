package checkpoint

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"time"

	"github.com/sciadapt/sciadapt/internal/safetensors"
	"github.com/sciadapt/sciadapt/nn"
)

// replayEvery is the number of evaluations between checkpoints of a Replay when
// Saver.Every is 0.
const replayEvery = 10

// Replay makes a deterministic minimiser that keeps its state to itself (gonum's
// L-BFGS) resumable exactly. It logs every evaluation of the objective, its value
// and gradient; a checkpoint holds the log. A resumed run starts again from the
// same point, and Replay answers the minimiser's first evaluations from the log
// without computing them, so that the minimiser retraces its steps bit for bit and
// goes on from where the interrupted run stopped. Replaying costs only the
// minimiser's own arithmetic.
//
// A nil *Replay is valid: Wrap returns f unchanged and Err returns nil.
type Replay struct {
	s    *Saver
	dim  int
	f    []float64
	g    [][]float64
	next int
	err  error
}

// NewReplay returns a Replay for minimisations of kind with the given fingerprint
// (which must cover the starting point), loading the log of Saver.ResumeFrom if
// set. It returns nil for a nil Saver.
func (s *Saver) NewReplay(kind, fingerprint string, dim int) (*Replay, error) {
	if s == nil {
		return nil, nil
	}
	if s.Config != "" {
		h := NewHash()
		h.String(fingerprint)
		h.String(s.Config)
		fingerprint = h.Sum()
	}
	s.kind, s.fp = kind, fingerprint
	r := &Replay{s: s, dim: dim}
	if s.ResumeFrom == "" {
		return r, nil
	}
	path := s.ResumeFrom
	c, err := Read(path)
	if err != nil {
		return nil, err
	}
	if c.Kind != kind {
		return nil, fmt.Errorf("%s: a checkpoint of %q training, not %q", path, c.Kind, kind)
	}
	if c.Fingerprint != fingerprint {
		return nil, fmt.Errorf("%s: checkpoint was made with other data or settings (its fingerprint %s…, this run's %s…); resume with the same data, seed and training flags", path, short(c.Fingerprint), short(fingerprint))
	}
	if c.replayG != nil && (len(c.replayG.Shape) != 2 || c.replayG.Shape[1] != dim || c.replayG.Shape[0] != len(c.replayF)) {
		return nil, fmt.Errorf("%s: checkpoint holds gradients of shape %v, not (%d, %d)", path, c.replayG.Shape, len(c.replayF), dim)
	}
	r.f = c.replayF
	for i := range r.f {
		r.g = append(r.g, c.replayG.Data[i*dim:(i+1)*dim])
	}
	s.last = path
	return r, nil
}

// Wrap returns f logged and replayed. After an interruption or a failed write the
// wrapped function returns NaN (and a NaN gradient) so that the minimiser stops;
// Err then says why.
func (r *Replay) Wrap(f func(x, grad []float64) float64) func(x, grad []float64) float64 {
	if r == nil {
		return f
	}
	return func(x, grad []float64) float64 {
		if r.err != nil {
			for i := range grad {
				grad[i] = math.NaN()
			}
			return math.NaN()
		}
		if r.next < len(r.f) {
			copy(grad, r.g[r.next])
			r.next++
			return r.f[r.next-1]
		}
		v := f(x, grad)
		r.f = append(r.f, v)
		r.g = append(r.g, slices.Clone(grad))
		r.next++
		s := r.s
		interrupted := s.Context != nil && s.Context.Err() != nil
		every := s.Every
		if every <= 0 {
			every = replayEvery
		}
		if s.Path != "" && (interrupted || r.next%every == 0) {
			if err := r.write(); err != nil {
				r.err = fmt.Errorf("cannot write checkpoint: %w", err)
				return math.NaN()
			}
		}
		if interrupted {
			r.err = &Interrupted{Position: Position{Step: r.next}, Path: s.Path, replay: true}
		}
		return v
	}
}

// Err returns the interruption (*Interrupted) or the write error that stopped
// the minimisation, or nil.
func (r *Replay) Err() error {
	if r == nil {
		return nil
	}
	return r.err
}

// Evaluations returns the number of evaluations so far, replayed or computed.
func (r *Replay) Evaluations() int {
	if r == nil {
		return 0
	}
	return r.next
}

func (r *Replay) write() error {
	start := time.Now()
	s := r.s
	g := make([]float64, 0, len(r.g)*r.dim)
	for _, v := range r.g {
		g = append(g, v...)
	}
	pb, _ := json.Marshal(posJSON{Position: Position{Step: r.next}})
	ob, _ := json.Marshal(optJSON{Kind: "replay", LR: "0"})
	meta := map[string]string{
		metaFormat: format, metaVersion: "1", metaKind: s.kind, metaFP: s.fp,
		metaPos: string(pb), metaOptim: string(ob), metaParams: "[]",
	}
	ts := []safetensors.Tensor{
		{Name: "replay/f", Shape: []int{len(r.f)}, Data: r.f},
		{Name: "replay/g", Shape: []int{len(r.f), r.dim}, Data: g},
	}
	if err := nn.WriteTensors(s.Path, ts, meta); err != nil {
		return err
	}
	fi, err := os.Stat(s.Path)
	if err != nil {
		return err
	}
	s.last = s.Path
	s.stats = append(s.stats, Write{Bytes: fi.Size(), Seconds: time.Since(start).Seconds()})
	return nil
}
