package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRunFixture trains both architectures for one epoch on two frames per system (one more for validation)
// of the fixture and checks that each prints its errors before and after, and after the refit.
func TestRunFixture(t *testing.T) {
	o := options{data: "../../../../testdata/atoms/rmd17_o_subset.h5", models: "schnet:8,1,4;painn:8,1,4",
		train: 2, val: 1, epochs: 1, batch: 4, evalEvery: 1, lr: 1e-3, cutoff: 5, seed: 1}
	var out bytes.Buffer
	if err := run(o, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| schnet 8,1,4 |", "| painn 8,1,4 |"} {
		if n := strings.Count(out.String(), want); n != 2 || !strings.Contains(out.String(), strings.TrimSuffix(want, " |")+", references refitted |") {
			t.Errorf("%d rows of %q, want 2 (epochs 0 and 1) and a refitted row:\n%s", n, want, out.String())
		}
	}
	o.models = "painn:8,x,4"
	if err := run(o, &out); err == nil || !strings.Contains(err.Error(), "painn:8,x,4") {
		t.Errorf("bad -models accepted: %v", err)
	}
}
