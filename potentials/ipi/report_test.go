package ipi

import (
	"testing"
	"time"
)

func TestStatsReport(t *testing.T) {
	for _, c := range []struct {
		st          Stats
		wall, model float64 // ms per step
	}{
		{Stats{Steps: 4, Wall: 10 * time.Millisecond, Compute: 6 * time.Millisecond, Exit: "EXIT"}, 2.5, 1.5},
		{Stats{Exit: "closed"}, 0, 0}, // no step: no division by zero
	} {
		r := c.st.Report(1234)
		if r.MsPerStep != c.wall || r.ModelMsPerStep != c.model || r.Steps != c.st.Steps || r.EndedBy != c.st.Exit || r.Total != 1234 || r.Trainable != 0 {
			t.Errorf("%+v: report %+v; want %g and %g ms per step", c.st, r, c.wall, c.model)
		}
	}
}
