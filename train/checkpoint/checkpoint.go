package checkpoint

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/internal/safetensors"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
)

// Metadata keys and the format name of checkpoint files.
const (
	format      = "sciadapt-checkpoint"
	metaFormat  = "format"
	metaVersion = "sciadapt.checkpoint_version"
	metaKind    = "sciadapt.kind"
	metaFP      = "sciadapt.fingerprint"
	metaPos     = "sciadapt.position"
	metaOptim   = "sciadapt.optimizer"
	metaParams  = "sciadapt.params"
)

// Position is where a training loop stands: the next step is batch Batch of epoch
// Epoch (both from 0), after Step steps in all. Sums are the loop's own running
// values (such as the epoch's summed loss), restored exactly.
type Position struct {
	Epoch int       `json:"epoch"`
	Batch int       `json:"batch"`
	Step  int       `json:"step"`
	Sums  []float64 `json:"-"`
}

// Optimizer is an optimizer whose state can be saved and restored (optim.Adam and
// optim.SGD).
type Optimizer interface {
	State() optim.State
	SetState(params []*ad.Var, s optim.State) error
}

var (
	_ Optimizer = (*optim.Adam)(nil)
	_ Optimizer = (*optim.SGD)(nil)
)

// Saver writes checkpoints of one training run and resumes from one. A nil *Saver
// is valid: it never writes, never resumes and is never interrupted.
type Saver struct {
	// Path is the checkpoint file to write; "" writes none (an interruption then
	// stops training with no checkpoint).
	Path string
	// Every is the number of steps between checkpoints; 0 means at the end of every
	// epoch.
	Every int
	// ResumeFrom is a checkpoint to continue from; "" starts afresh.
	ResumeFrom string
	// Context, when cancelled, makes After write a checkpoint and return an
	// *Interrupted error. Nil means never.
	Context context.Context
	// Log, if set, gets one line per checkpoint written.
	Log io.Writer
	// Config, if set, describes settings of the caller that the loop cannot see
	// (such as a cutoff radius or an alignment file); it enters the fingerprint, so
	// resuming with other settings is refused.
	Config string

	kind, fp string
	last     string  // last checkpoint written or resumed from
	stats    []Write // one per checkpoint written
}

// Write records one checkpoint written: its size in bytes and the seconds it took.
type Write struct {
	Bytes   int64
	Seconds float64
}

// Interrupted is returned by Saver.After when the context was cancelled.
type Interrupted struct {
	Position Position // for a Replay, Step counts the evaluations
	Path     string   // the checkpoint written, or "" when the Saver has no Path
	replay   bool
}

func (e *Interrupted) Error() string {
	at := fmt.Sprintf("after step %d (epoch %d)", e.Position.Step, e.epoch())
	if e.replay {
		at = fmt.Sprintf("after %d evaluations of the objective", e.Position.Step)
	}
	if e.Path == "" {
		return fmt.Sprintf("interrupted %s; no checkpoint written (use --checkpoint FILE to keep progress)", at)
	}
	return fmt.Sprintf("interrupted %s; checkpoint written to %s (continue with --resume %s)", at, e.Path, e.Path)
}

// epoch is the epoch (from 1) of the last step done.
func (e *Interrupted) epoch() int {
	if e.Position.Batch == 0 {
		return e.Position.Epoch
	}
	return e.Position.Epoch + 1
}

// Writes returns the size and duration of every checkpoint written so far.
func (s *Saver) Writes() []Write {
	if s == nil {
		return nil
	}
	return slices.Clone(s.stats)
}

// Last returns the last checkpoint written or resumed from, or "".
func (s *Saver) Last() string {
	if s == nil {
		return ""
	}
	return s.last
}

// Resume records the loop's kind and fingerprint for later checkpoints and, when
// ResumeFrom is set, restores params and opt from it and returns its Position. It
// returns an error naming the file when the checkpoint is of another kind, was made
// with other data or settings (another fingerprint), or does not fit params.
func (s *Saver) Resume(kind, fingerprint string, params []*nn.Param, opt Optimizer) (Position, error) {
	if s == nil {
		return Position{}, nil
	}
	if s.Config != "" {
		h := NewHash()
		h.String(fingerprint)
		h.String(s.Config)
		fingerprint = h.Sum()
	}
	s.kind, s.fp = kind, fingerprint
	if s.ResumeFrom == "" {
		return Position{}, nil
	}
	path := s.ResumeFrom
	c, err := Read(path)
	if err != nil {
		return Position{}, err
	}
	if c.Kind != kind {
		return Position{}, fmt.Errorf("%s: a checkpoint of %q training, not %q", path, c.Kind, kind)
	}
	if c.Fingerprint != fingerprint {
		return Position{}, fmt.Errorf("%s: checkpoint was made with other data or settings (its fingerprint %s…, this run's %s…); resume with the same data, seed and training flags", path, short(c.Fingerprint), short(fingerprint))
	}
	if err := c.Restore(params, opt); err != nil {
		return Position{}, err
	}
	s.last = path
	return c.Position, nil
}

// After is called by the loop after every step, with the position of the next step
// (Batch 0 of the next epoch after an epoch's last step). It writes a checkpoint
// when due and, if the context is cancelled, writes one and returns *Interrupted.
func (s *Saver) After(pos Position, params []*nn.Param, opt Optimizer) error {
	if s == nil {
		return nil
	}
	interrupted := s.Context != nil && s.Context.Err() != nil
	due := s.Path != "" && (interrupted || (s.Every > 0 && pos.Step%s.Every == 0) || (s.Every <= 0 && pos.Batch == 0))
	if due {
		start := time.Now()
		c := &Checkpoint{Kind: s.kind, Fingerprint: s.fp, Position: pos}
		n, err := c.write(s.Path, params, opt)
		if err != nil {
			return fmt.Errorf("cannot write checkpoint: %w", err)
		}
		s.last = s.Path
		w := Write{Bytes: n, Seconds: time.Since(start).Seconds()}
		s.stats = append(s.stats, w)
		if s.Log != nil {
			fmt.Fprintf(s.Log, "checkpoint %s: epoch %d, step %d (%d bytes, %.3f s)\n", s.Path, pos.Epoch+1, pos.Step, w.Bytes, w.Seconds)
		}
	}
	if interrupted {
		return &Interrupted{Position: pos, Path: s.Path}
	}
	return nil
}

// Check returns an error if loss or any gradient value is NaN or infinite, naming
// the epoch and step (from 1) and the last good checkpoint, if any. It is valid
// on a nil *Saver. grads may hold nil tensors.
func (s *Saver) Check(epoch, step int, loss float64, grads []*ad.Tensor) error {
	what := ""
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		what = fmt.Sprintf("loss is %v", loss)
	} else {
	scan:
		for i, g := range grads {
			if g == nil {
				continue
			}
			for _, v := range g.Data {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					what = fmt.Sprintf("gradient %d holds %v", i, v)
					break scan
				}
			}
		}
	}
	if what == "" {
		return nil
	}
	msg := fmt.Sprintf("training diverged at epoch %d, step %d: %s", epoch, step, what)
	if last := s.Last(); last != "" {
		msg += fmt.Sprintf("; last good checkpoint %s", last)
	}
	return fmt.Errorf("%s (lower the learning rate or check the data for NaN/Inf)", msg)
}

// Checkpoint is the content of a checkpoint file.
type Checkpoint struct {
	Kind        string
	Fingerprint string
	Position    Position
	Optimizer   optim.State
	// Params are the parameter names, in order, and Values their tensors.
	Params []string
	Values []safetensors.Tensor

	// replayF and replayG are a Replay's log, if any.
	replayF []float64
	replayG *safetensors.Tensor
}

type posJSON struct {
	Position
	Sums []string `json:"sums"`
}

type optJSON struct {
	Kind   string `json:"kind"`
	LR     string `json:"lr"`
	Steps  int    `json:"steps"`
	Counts []int  `json:"counts"`
}

// fmtFloat writes v in shortest round-trip form (also NaN and ±Inf).
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// write saves the checkpoint of params and opt at path atomically and returns the
// file size.
func (c *Checkpoint) write(path string, params []*nn.Param, opt Optimizer) (int64, error) {
	st := opt.State()
	names := make([]string, len(params))
	var ts []safetensors.Tensor
	for i, p := range params {
		names[i] = p.Name
		ts = append(ts, safetensors.Tensor{Name: "param/" + p.Name, Shape: p.Value().Shape, Data: p.Value().Data})
	}
	slotNames := make([]string, 0, len(st.Slots))
	for k := range st.Slots {
		slotNames = append(slotNames, k)
	}
	slices.Sort(slotNames)
	for _, k := range slotNames {
		for i, v := range st.Slots[k] {
			if v != nil {
				ts = append(ts, safetensors.Tensor{Name: fmt.Sprintf("optim/%s/%d", k, i), Shape: []int{len(v)}, Data: v})
			}
		}
	}
	pj := posJSON{Position: c.Position}
	for _, v := range c.Position.Sums {
		pj.Sums = append(pj.Sums, fmtFloat(v))
	}
	pb, _ := json.Marshal(pj)
	ob, _ := json.Marshal(optJSON{Kind: st.Kind, LR: fmtFloat(st.LR), Steps: st.Steps, Counts: st.Counts})
	nb, _ := json.Marshal(names)
	meta := map[string]string{
		metaFormat: format, metaVersion: "1", metaKind: c.Kind, metaFP: c.Fingerprint,
		metaPos: string(pb), metaOptim: string(ob), metaParams: string(nb),
	}
	if err := nn.WriteTensors(path, ts, meta); err != nil {
		return 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Read reads a checkpoint file, with errors that name it.
func Read(path string) (*Checkpoint, error) {
	f, err := nn.ReadTensors(path)
	if err != nil {
		return nil, err
	}
	m := f.Metadata
	if m[metaFormat] != format {
		return nil, fmt.Errorf("%s: not a sciadapt checkpoint (format %q)", path, m[metaFormat])
	}
	if v := m[metaVersion]; v != "1" {
		return nil, fmt.Errorf("%s: checkpoint version %q, this sciadapt reads version 1", path, v)
	}
	c := &Checkpoint{Kind: m[metaKind], Fingerprint: m[metaFP]}
	var pj posJSON
	if err := json.Unmarshal([]byte(m[metaPos]), &pj); err != nil {
		return nil, fmt.Errorf("%s: checkpoint position: %v", path, err)
	}
	c.Position = pj.Position
	for _, s := range pj.Sums {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: checkpoint position: %v", path, err)
		}
		c.Position.Sums = append(c.Position.Sums, v)
	}
	if c.Position.Epoch < 0 || c.Position.Batch < 0 || c.Position.Step < 0 {
		return nil, fmt.Errorf("%s: checkpoint position epoch %d, batch %d, step %d", path, c.Position.Epoch, c.Position.Batch, c.Position.Step)
	}
	var oj optJSON
	if err := json.Unmarshal([]byte(m[metaOptim]), &oj); err != nil {
		return nil, fmt.Errorf("%s: checkpoint optimizer state: %v", path, err)
	}
	lr, err := strconv.ParseFloat(oj.LR, 64)
	if err != nil {
		return nil, fmt.Errorf("%s: checkpoint optimizer learning rate: %v", path, err)
	}
	if err := json.Unmarshal([]byte(m[metaParams]), &c.Params); err != nil {
		return nil, fmt.Errorf("%s: checkpoint parameter list: %v", path, err)
	}
	c.Optimizer = optim.State{Kind: oj.Kind, LR: lr, Steps: oj.Steps, Counts: oj.Counts, Slots: map[string][][]float64{}}
	byName := map[string]safetensors.Tensor{}
	for _, t := range f.Tensors {
		byName[t.Name] = t
	}
	for _, n := range c.Params {
		t, ok := byName["param/"+n]
		if !ok {
			return nil, fmt.Errorf("%s: checkpoint lacks the values of parameter %q", path, n)
		}
		c.Values = append(c.Values, t)
	}
	for _, t := range f.Tensors {
		switch t.Name {
		case "replay/f":
			c.replayF = t.Data
		case "replay/g":
			c.replayG = &t
		}
		rest, ok := strings.CutPrefix(t.Name, "optim/")
		if !ok {
			continue
		}
		slot, idx, ok := strings.Cut(rest, "/")
		i, err := strconv.Atoi(idx)
		if !ok || err != nil || i < 0 || i >= len(c.Params) {
			return nil, fmt.Errorf("%s: checkpoint tensor %q is not an optimizer slot of a listed parameter", path, t.Name)
		}
		vs := c.Optimizer.Slots[slot]
		if vs == nil {
			vs = make([][]float64, len(c.Params))
			c.Optimizer.Slots[slot] = vs
		}
		vs[i] = t.Data
	}
	if c.Optimizer.Counts != nil {
		// Slots whose parameters were never updated are absent but expected.
		for k, vs := range c.Optimizer.Slots {
			if len(vs) != len(c.Params) {
				return nil, fmt.Errorf("%s: checkpoint slot %q is for %d parameters, not %d", path, k, len(vs), len(c.Params))
			}
		}
	}
	return c, nil
}

// Restore copies the checkpoint's parameter values into params (which must have the
// same names and shapes, in the same order) and its optimizer state into opt. It
// changes nothing and returns an error naming the mismatch otherwise.
func (c *Checkpoint) Restore(params []*nn.Param, opt Optimizer) error {
	if len(params) != len(c.Params) {
		return fmt.Errorf("checkpoint holds %d parameters, this run trains %d", len(c.Params), len(params))
	}
	for i, p := range params {
		if p.Name != c.Params[i] {
			return fmt.Errorf("checkpoint parameter %d is %q, this run's is %q", i, c.Params[i], p.Name)
		}
		if !slices.Equal(p.Value().Shape, c.Values[i].Shape) {
			return fmt.Errorf("checkpoint parameter %q has shape %v, this run's %v", p.Name, c.Values[i].Shape, p.Value().Shape)
		}
	}
	st := c.Optimizer
	if len(st.Slots) == 0 && st.Counts == nil {
		st.Slots = nil
	} else if st.Counts != nil {
		// Adam's state lists slot "m" and "v" even before the first update.
		for _, k := range expectedSlots(st.Kind) {
			if st.Slots[k] == nil {
				st.Slots[k] = make([][]float64, len(params))
			}
		}
	}
	if err := opt.SetState(nn.Vars(params), st); err != nil {
		return fmt.Errorf("checkpoint optimizer state: %v", err)
	}
	for i, p := range params {
		copy(p.Value().Data, c.Values[i].Data)
	}
	return nil
}

func expectedSlots(kind string) []string {
	if kind == "adam" {
		return []string{"m", "v"}
	}
	return nil
}

func short(fp string) string {
	fp = strings.TrimPrefix(fp, "sha256:")
	if len(fp) > 12 {
		return fp[:12]
	}
	return fp
}

// EpochRand returns the random generator of epoch (or step) ep of a run seeded
// with seed: it depends on (seed, stream, ep) only, so a resumed run regenerates the
// order of any epoch. stream separates the uses of one seed.
func EpochRand(seed, stream uint64, ep int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream^(uint64(ep)*0x9e3779b97f4a7c15)))
}

// Hash accumulates a fingerprint of training data and settings: a SHA-256 over
// the exact bits of the values added, in order.
type Hash struct {
	h   hash.Hash
	buf [8]byte
}

// NewHash returns an empty Hash.
func NewHash() *Hash { return &Hash{h: sha256.New()} }

// Floats adds the length and exact bits of vs.
func (h *Hash) Floats(vs ...float64) {
	h.Int(len(vs))
	for _, v := range vs {
		binary.LittleEndian.PutUint64(h.buf[:], math.Float64bits(v))
		h.h.Write(h.buf[:])
	}
}

// Ints adds the length and values of vs.
func (h *Hash) Ints(vs ...int) {
	h.Int(len(vs))
	for _, v := range vs {
		h.Int(v)
	}
}

// Int adds v.
func (h *Hash) Int(v int) {
	binary.LittleEndian.PutUint64(h.buf[:], uint64(v))
	h.h.Write(h.buf[:])
}

// String adds s (with its length).
func (h *Hash) String(s string) {
	h.Int(len(s))
	io.WriteString(h.h, s)
}

// Params adds the names and shapes (not the values) of ps.
func (h *Hash) Params(ps []*nn.Param) {
	h.Int(len(ps))
	for _, p := range ps {
		h.String(p.Name)
		h.Ints(p.Value().Shape...)
	}
}

// Sum returns the fingerprint, "sha256:" and 64 hex digits.
func (h *Hash) Sum() string { return "sha256:" + hex.EncodeToString(h.h.Sum(nil)) }
