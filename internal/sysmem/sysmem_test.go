package sysmem

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	n := Need{What: "training on 1000 frames of big.h5", Data: 3 << 30, Activations: 1 << 30, Hint: "use --frames to train on fewer frames"}
	for _, c := range []struct {
		m    Machine
		fail bool
	}{
		{Machine{Total: 8 << 30}, false},
		{Machine{Total: 4 << 30}, false}, // exactly enough
		{Machine{Total: 2 << 30}, true},
		{Machine{}, false}, // unknown memory never refuses
	} {
		err := c.m.Check(n)
		if (err != nil) != c.fail {
			t.Errorf("Total %d: error %v, want failure %v", c.m.Total, err, c.fail)
		}
		if err != nil {
			msg := err.Error()
			for _, want := range []string{"big.h5", "4.0 GiB", "2.0 GiB", "--frames"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message %q is not one line", msg)
			}
		}
	}
}

func TestBatchSize(t *testing.T) {
	for _, c := range []struct {
		free, per uint64
		def, want int
	}{
		{free: 1 << 30, per: 1 << 20, def: 32, want: 32}, // 512 fit
		{free: 40 << 20, per: 1 << 20, def: 32, want: 20},
		{free: 1 << 20, per: 1 << 20, def: 32, want: 1}, // never below 1
		{free: 0, per: 1 << 20, def: 32, want: 32},      // unknown
	} {
		if got := (Machine{Free: c.free}).BatchSize(c.def, c.per); got != c.want {
			t.Errorf("BatchSize(free %d, per %d, def %d) = %d, want %d", c.free, c.per, c.def, got, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for b, want := range map[uint64]string{512: "512 B", 3 << 10: "3.0 KiB", 5 << 20: "5.0 MiB", 12 << 30: "12.0 GiB"} {
		if got := Format(b); got != want {
			t.Errorf("Format(%d) = %q, want %q", b, got, want)
		}
	}
}
