package progress

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by one second at each call.
func fakeClock() func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func run(r Reporter) {
	r.Notef("training on %d frames", 12)
	r.Start(3, "epochs")
	r.Step(Fields{Epoch: 1, Loss: 0.5, Seconds: 1.5})
	r.Step(Fields{Epoch: 2, Loss: math.NaN(), Seconds: 3, Extra: map[string]float64{"lr": 0.01, "align": 0.25}})
	r.Step(Fields{Epoch: 3, Loss: 0.125, Seconds: 4.5})
	r.Done()
}

func TestJSONLines(t *testing.T) {
	var b bytes.Buffer
	run(New(&b, Options{Command: "train potential", JSON: true, Terminal: true, Now: fakeClock()}))
	want := []string{
		`{"event":"note","command":"train potential","message":"training on 12 frames"}`,
		`{"event":"start","command":"train potential","label":"epochs","total":3}`,
		`{"event":"epoch","command":"train potential","label":"epochs","epoch":1,"loss":0.5,"seconds":1.5}`,
		`{"event":"epoch","command":"train potential","label":"epochs","epoch":2,"loss":null,"seconds":3,"align":0.25,"lr":0.01}`,
		`{"event":"epoch","command":"train potential","label":"epochs","epoch":3,"loss":0.125,"seconds":4.5}`,
		// The fake clock moves one second per call: Start at 1 s, Done at 2 s.
		`{"event":"done","command":"train potential","label":"epochs","steps":3,"seconds":1}`,
	}
	got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("JSON lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range got {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("line %q is not JSON: %v", l, err)
		}
	}
}

func TestQuiet(t *testing.T) {
	var b bytes.Buffer
	run(New(&b, Options{Command: "x", Quiet: true, Terminal: true}))
	if b.Len() != 0 {
		t.Errorf("quiet reporter wrote %q", b.String())
	}
	// Quiet with JSON keeps the events (asked for explicitly) but drops notes.
	b.Reset()
	run(New(&b, Options{Command: "x", Quiet: true, JSON: true, Now: fakeClock()}))
	if n := strings.Count(b.String(), "\n"); n != 5 || strings.Contains(b.String(), `"note"`) {
		t.Errorf("quiet JSON reporter wrote %d lines:\n%s", n, b.String())
	}
}

func TestNonTerminalGetsNoBar(t *testing.T) {
	var b bytes.Buffer
	o := ForWriter(&b, Options{Command: "x"})
	if o.Terminal {
		t.Fatal("a bytes.Buffer is taken for a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file is taken for a terminal")
	}
	run(New(&b, o))
	want := "training on 12 frames\nepoch 1/3  loss 0.5  2s\nepoch 3/3  loss 0.125  4s\n"
	if b.String() != want {
		t.Errorf("plain output %q, want %q", b.String(), want)
	}
	// A step count that ends away from its total (L-BFGS) still shows its last step.
	b.Reset()
	r := New(&b, o)
	r.Start(5, "evaluations")
	for i := 1; i <= 12; i++ {
		r.Step(Fields{Epoch: i, Loss: 1 / float64(i), Seconds: 0})
	}
	r.Done()
	want = "evaluation 1/5  loss 1  0s\nevaluation 5/5  loss 0.2  0s\nevaluation 10  loss 0.1  0s\nevaluation 12  loss 0.083333  0s\n"
	if b.String() != want {
		t.Errorf("plain output %q, want %q", b.String(), want)
	}
	if strings.ContainsAny(b.String(), "\r\x1b█") {
		t.Errorf("plain output holds bar control characters: %q", b.String())
	}
}

func TestTerminalDrawsBar(t *testing.T) {
	var b bytes.Buffer
	r := New(&b, Options{Command: "x", Terminal: true})
	r.Start(3, "epochs")
	for i := 1; i <= 3; i++ {
		r.Step(Fields{Epoch: i, Loss: 1, Seconds: float64(i)})
		time.Sleep(110 * time.Millisecond) // the bar redraws at most every 100 ms
	}
	r.Done()
	if !strings.Contains(b.String(), "\r") || !strings.Contains(b.String(), "epochs") {
		t.Errorf("terminal output does not look like a bar: %q", b.String())
	}
}

// TestStepBarOffTerminal checks that a step bar on a file or a buffer writes
// nothing (only terminals get a bar).
func TestStepBarOffTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "bar")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b bytes.Buffer
	for _, w := range []io.Writer{f, &b} {
		bar := NewStepBar(w, 10, "md")
		bar.Add(3)
		bar.Finish()
	}
	if st, _ := f.Stat(); st.Size() != 0 || b.Len() != 0 {
		t.Fatalf("%d bytes in the file, %d in the buffer", st.Size(), b.Len())
	}
}
