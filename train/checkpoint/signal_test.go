package checkpoint

import (
	"bytes"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestOnSignal checks the saver's settings and that SIGTERM cancels its context.
func TestOnSignal(t *testing.T) {
	s, stop := OnSignal("", 3, "r.ckpt")
	defer stop()
	if s.Path != "r.ckpt" || s.ResumeFrom != "r.ckpt" || s.Every != 3 || s.Context.Err() != nil {
		t.Fatalf("saver %+v, context error %v", s, s.Context.Err())
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Skip(err)
	}
	select {
	case <-s.Context.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not cancel the saver's context")
	}
	s2, stop2 := OnSignal("c.ckpt", 0, "")
	stop2()
	if s2.Path != "c.ckpt" || s2.ResumeFrom != "" || s2.Context.Err() == nil {
		t.Fatalf("second saver %+v; after stop its context error is %v", s2, s2.Context.Err())
	}
}

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	s := &Saver{Path: "c.ckpt"}
	s.WriteSummary(&b)
	if b.Len() != 0 {
		t.Fatalf("no checkpoint written, summary %q", b.String())
	}
	s.stats = []Write{{Bytes: 100, Seconds: 0.5}, {Bytes: 120, Seconds: 0.25}}
	s.WriteSummary(&b)
	if want := "wrote 2 checkpoints to c.ckpt (120 bytes, 0.3750 s each on average)\n"; b.String() != want {
		t.Fatalf("summary %q, want %q", b.String(), want)
	}
}
