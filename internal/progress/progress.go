package progress

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Reporter receives the progress of a command. Start begins a step of total units
// (epochs, evaluations, files; total ≤ 0 when not known in advance) named by label;
// Step reports one unit done; Done ends the step. Notef reports a line of chatter
// (what is being done), which quiet reporters drop.
type Reporter interface {
	Start(total int, label string)
	Step(f Fields)
	Done()
	Notef(format string, args ...any)
}

// Fields describe one finished unit of a step.
type Fields struct {
	// Epoch is the 1-based count of units done (epoch, evaluation, file).
	Epoch int
	// Loss is the training loss after the unit, in the step's own units; NaN when
	// there is none.
	Loss float64
	// Seconds is the wall time since the step started.
	Seconds float64
	// Extra holds further numbers (learning rate, alignment term …) by name.
	Extra map[string]float64
}

// Options say how a Reporter reports.
type Options struct {
	// Command names the command in JSON events, e.g. "train potential".
	Command string
	// Quiet drops everything but JSON events (see the package documentation).
	Quiet bool
	// JSON writes one JSON object per event and line.
	JSON bool
	// Terminal draws a progress bar; New leaves it as given, see ForWriter.
	Terminal bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// IsTerminal reports whether w is a terminal (an *os.File on a TTY).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// ForWriter returns o with Terminal set to whether w is a terminal.
func ForWriter(w io.Writer, o Options) Options {
	o.Terminal = IsTerminal(w)
	return o
}

// Discard returns a Reporter that reports nothing.
func Discard() Reporter { return discard{} }

type discard struct{}

func (discard) Start(int, string)    {}
func (discard) Step(Fields)          {}
func (discard) Done()                {}
func (discard) Notef(string, ...any) {}

// New returns a Reporter writing to w as o says.
func New(w io.Writer, o Options) Reporter {
	if o.Now == nil {
		o.Now = time.Now
	}
	switch {
	case o.JSON:
		return &jsonReporter{w: w, o: o}
	case o.Quiet:
		return discard{}
	case o.Terminal:
		return &barReporter{w: w}
	default:
		return &textReporter{w: w}
	}
}

// jsonReporter writes one JSON object per event.
type jsonReporter struct {
	w     io.Writer
	o     Options
	label string
	steps int
	start time.Time
}

type kv struct {
	k string
	v any
}

func (r *jsonReporter) emit(event string, kvs ...kv) {
	var b strings.Builder
	b.WriteString(`{"event":`)
	b.Write(mustJSON(event))
	all := append([]kv{{"command", r.o.Command}}, kvs...)
	for _, p := range all {
		b.WriteByte(',')
		b.Write(mustJSON(p.k))
		b.WriteByte(':')
		b.Write(mustJSON(p.v))
	}
	b.WriteString("}\n")
	io.WriteString(r.w, b.String())
}

func mustJSON(v any) []byte {
	if x, ok := v.(float64); ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return []byte("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("progress: " + err.Error()) // only strings, ints and finite floats reach here
	}
	return b
}

func (r *jsonReporter) Start(total int, label string) {
	r.label, r.steps, r.start = label, 0, r.o.Now()
	r.emit("start", kv{"label", label}, kv{"total", total})
}

func (r *jsonReporter) Step(f Fields) {
	r.steps++
	kvs := []kv{{"label", r.label}, {"epoch", f.Epoch}, {"loss", f.Loss}, {"seconds", f.Seconds}}
	names := make([]string, 0, len(f.Extra))
	for k := range f.Extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		kvs = append(kvs, kv{k, f.Extra[k]})
	}
	r.emit("epoch", kvs...)
}

func (r *jsonReporter) Done() {
	r.emit("done", kv{"label", r.label}, kv{"steps", r.steps}, kv{"seconds", r.o.Now().Sub(r.start).Seconds()})
}

func (r *jsonReporter) Notef(format string, args ...any) {
	if r.o.Quiet {
		return
	}
	r.emit("note", kv{"message", fmt.Sprintf(format, args...)})
}

// textReporter writes plain lines, for files and pipes.
type textReporter struct {
	w       io.Writer
	label   string
	total   int
	last    Fields
	printed bool // last was printed
}

func (r *textReporter) Start(total int, label string) {
	r.label, r.total, r.last, r.printed = label, total, Fields{}, true
}

func (r *textReporter) Step(f Fields) {
	r.last, r.printed = f, false
	if f.Epoch == 1 || f.Epoch%10 == 0 || f.Epoch == r.total {
		r.print(f)
	}
}

func (r *textReporter) print(f Fields) {
	r.printed = true
	fmt.Fprintf(r.w, "%s %d", singular(r.label), f.Epoch)
	if r.total > 0 && f.Epoch <= r.total {
		fmt.Fprintf(r.w, "/%d", r.total)
	}
	if !math.IsNaN(f.Loss) {
		fmt.Fprintf(r.w, "  loss %.5g", f.Loss)
	}
	fmt.Fprintf(r.w, "  %.0fs\n", f.Seconds)
}

// Done prints the last step if it was not printed (a step that ended before or
// after its announced total, as L-BFGS does).
func (r *textReporter) Done() {
	if !r.printed {
		r.print(r.last)
	}
}

func (r *textReporter) Notef(format string, args ...any) {
	fmt.Fprintf(r.w, strings.TrimSuffix(format, "\n")+"\n", args...)
}

// singular turns a label such as "epochs" into "epoch" for per-step lines.
func singular(label string) string {
	if label == "" {
		return "step"
	}
	return strings.TrimSuffix(label, "s")
}

// barReporter draws a progress bar on a terminal.
type barReporter struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	total int
	label string
}

func (r *barReporter) Start(total int, label string) {
	r.total, r.label = total, label
	max := total
	if max <= 0 {
		max = -1 // a spinner
	}
	r.bar = progressbar.NewOptions(max,
		progressbar.OptionSetWriter(r.w),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func (r *barReporter) Step(f Fields) {
	if r.bar == nil {
		return
	}
	if r.total > 0 && f.Epoch > r.total {
		r.total = f.Epoch
		r.bar.ChangeMax(r.total)
	}
	if !math.IsNaN(f.Loss) {
		r.bar.Describe(fmt.Sprintf("%s (loss %.4g)", r.label, f.Loss))
	}
	r.bar.Set(f.Epoch)
}

func (r *barReporter) Done() {
	if r.bar != nil {
		r.bar.Finish()
		r.bar = nil
	}
}

func (r *barReporter) Notef(format string, args ...any) {
	if r.bar != nil {
		r.bar.Clear()
	}
	fmt.Fprintf(r.w, strings.TrimSuffix(format, "\n")+"\n", args...)
}
