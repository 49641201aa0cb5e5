package cli

import (
	"bytes"
	"fmt"
	"github.com/sciadapt/sciadapt/internal/progress"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTrainPotentialDivergesWithoutModel trains with a learning rate that makes the
// loss NaN and checks that the command fails with exit code 1, naming the step and
// the last checkpoint, and writes no model.
func TestTrainPotentialDivergesWithoutModel(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "nan.model")
	ckpt := filepath.Join(dir, "nan.ckpt")
	fixture := filepath.Join("..", "..", "..", "..", "testdata", "atoms", "rmd17_o_subset.h5")
	code, _, stderr := run(t, "train", "potential", "--data", fixture, "--out", out, "--epochs", "5",
		"--batch-size", "4", "--features", "8", "--rbf", "8", "--interactions", "1", "--lr", "1e200",
		"--checkpoint", ckpt, "--checkpoint-every", "1")
	if code != ExitBadInput {
		t.Fatalf("exit %d, want %d: %s", code, ExitBadInput, stderr)
	}
	for _, want := range []string{"training diverged at epoch ", ", step ", "last good checkpoint " + ckpt} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message %q lacks %q", stderr, want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written", out)
	}
	// A negative interval is a usage error.
	code, _, stderr = run(t, "train", "potential", "--data", fixture, "--out", out, "--checkpoint-every", "-1")
	if code != ExitUsage || !strings.Contains(stderr, "--checkpoint-every -1") {
		t.Errorf("--checkpoint-every -1: exit %d: %s", code, stderr)
	}
}

// interruptingLog sends SIGINT to this process when the first epoch line is
// written, and waits until the signal has arrived, as a user pressing Ctrl-C.
type interruptingLog struct {
	t    *testing.T
	sent bool
	log  bytes.Buffer
}

// Start, Step, Done and Notef make interruptingLog a progress.Reporter: the first
// finished epoch is written as an "epoch" line, which sends the signal.
func (w *interruptingLog) Start(int, string) {}
func (w *interruptingLog) Done()             {}
func (w *interruptingLog) Notef(format string, args ...any) {
	fmt.Fprintf(w, format+"\n", args...)
}
func (w *interruptingLog) Step(f progress.Fields) { fmt.Fprintf(w, "epoch %d\n", f.Epoch) }

func (w *interruptingLog) Write(p []byte) (int, error) {
	if !w.sent && bytes.HasPrefix(p, []byte("epoch ")) {
		w.sent = true
		got := make(chan os.Signal, 1)
		signal.Notify(got, os.Interrupt)
		defer signal.Stop(got)
		if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
			w.t.Fatal(err)
		}
		select {
		case <-got:
		case <-time.After(10 * time.Second):
			w.t.Fatal("SIGINT did not arrive")
		}
		time.Sleep(100 * time.Millisecond) // let the command's context see it too
	}
	return w.log.Write(p)
}

// TestTransferSIGINTResume interrupts "transfer" with SIGINT after its first epoch,
// checks the message and exit code, resumes with --resume, and checks that the
// adapter file is byte-identical to an uninterrupted run's; resuming with another
// learning rate is refused.
func TestTransferSIGINTResume(t *testing.T) {
	dir, gpcr, orth := dtiFixtures(t)
	base := filepath.Join(dir, "human.model")
	var log bytes.Buffer
	if err := runTrainDTI(&TrainDTIOptions{Data: gpcr, Out: base, Species: "human,unknown", TestFraction: 0.25,
		Epochs: 1, BatchProteins: 8, PairsPerProtein: 8, LR: 1e-3, Embed: 8, MaxProteinLength: 200, Seed: 1, Log: &log}); err != nil {
		t.Fatal(err)
	}
	opts := func(out string, w io.Writer) *TransferOptions {
		return &TransferOptions{Base: base, Species: "rat", Data: gpcr, Orthologs: orth, Out: out,
			Method: "lora", PerTarget: 2, Epochs: 3, Rank: 2, Align: 1, LR: 3e-3, Seed: 1, Log: w}
	}
	want := filepath.Join(dir, "want.adapter")
	if err := runTransfer(opts(want, &log)); err != nil {
		t.Fatal(err)
	}
	got, ckpt := filepath.Join(dir, "got.adapter"), filepath.Join(dir, "rat.ckpt")
	w := &interruptingLog{t: t}
	o := opts(got, w)
	o.Progress = w
	o.Checkpoint = CheckpointFlags{Path: ckpt}
	err := runTransfer(o)
	if err == nil || exitCode(err) != ExitBadInput || !strings.Contains(err.Error(), "checkpoint written to "+ckpt+" (continue with --resume "+ckpt+")") {
		t.Fatalf("interrupted transfer: exit %d, %v\n%s", exitCode(err), err, w.log.String())
	}
	if _, err := os.Stat(got); err == nil {
		t.Fatalf("%s written by the interrupted run", got)
	}
	o = opts(got, &log)
	o.LR = 1e-3
	o.Checkpoint = CheckpointFlags{Resume: ckpt}
	if err := runTransfer(o); err == nil || !strings.Contains(err.Error(), "other data or settings") {
		t.Fatalf("resume with another learning rate: %v", err)
	}
	o = opts(got, &log)
	o.Checkpoint = CheckpointFlags{Resume: ckpt}
	if err := runTransfer(o); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(want)
	b, _ := os.ReadFile(got)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("resumed adapter (%d bytes) differs from the uninterrupted one (%d bytes)", len(b), len(a))
	}
}
