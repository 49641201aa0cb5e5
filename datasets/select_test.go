package datasets_test

import (
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
)

const fixture = "../testdata/atoms/rmd17_o_subset.h5" // 4 ethanol + 3 malonaldehyde frames

func TestReadSelected(t *testing.T) {
	for _, c := range []struct {
		sel  datasets.Selection
		want int
		err  string
	}{
		{datasets.Selection{}, 7, ""},
		{datasets.Selection{PerSystem: 2, Seed: 1}, 4, ""},
		{datasets.Selection{PerSystem: 9}, 7, ""},
		{datasets.Selection{Total: 5, Seed: 3}, 5, ""},
		{datasets.Selection{PerSystem: -1}, 0, "≥ 0"},
		{datasets.Selection{PerSystem: 1, Total: 1}, 0, "not both"},
	} {
		var seen []int
		fs, err := datasets.ReadSelected(fixture, c.sel, func(atoms []int) error { seen = atoms; return nil })
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), fixture) {
				t.Errorf("%+v: error %v, want one naming the file and %q", c.sel, err, c.err)
			}
			continue
		}
		if err != nil || len(fs) != c.want || len(seen) != c.want {
			t.Errorf("%+v: %d frames (check saw %d), %v; want %d", c.sel, len(fs), len(seen), err, c.want)
		}
		for i, f := range fs {
			if seen[i] != len(f.Numbers) {
				t.Errorf("%+v: check saw %d atoms for frame %d of %d", c.sel, seen[i], i, len(f.Numbers))
			}
		}
	}
	// A check's error stops the read.
	if _, err := datasets.ReadSelected(fixture, datasets.Selection{}, func([]int) error { return errTooBig }); err != errTooBig {
		t.Errorf("check error: got %v", err)
	}
}

type sentinel string

func (s sentinel) Error() string { return string(s) }

const errTooBig = sentinel("too big")

// TestReadBlock: the blocks of 3 processes tile the frames in order, and every
// process knows both systems.
func TestReadBlock(t *testing.T) {
	all, err := datasets.ReadSelected(fixture, datasets.Selection{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	next := 0
	for rank := 0; rank < 3; rank++ {
		b, err := datasets.ReadBlock(fixture, datasets.Selection{}, func(n int) (int, int) {
			lo := rank * n / 3
			return lo, (rank + 1) * n / 3
		})
		if err != nil {
			t.Fatal(err)
		}
		if b.Lo != next || b.Total != 7 || len(b.Systems) != 2 {
			t.Fatalf("rank %d: lo %d (want %d), total %d, %d systems", rank, b.Lo, next, b.Total, len(b.Systems))
		}
		for i, f := range b.Frames {
			if f.Energy != all[b.Lo+i].Energy {
				t.Fatalf("rank %d: frame %d is not frame %d of the file", rank, i, b.Lo+i)
			}
		}
		next += len(b.Frames)
	}
	if next != 7 {
		t.Fatalf("the blocks hold %d frames, want 7", next)
	}
}
