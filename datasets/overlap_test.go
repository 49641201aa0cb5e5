package datasets

import (
	"strings"
	"testing"
)

func TestCheckOverlap(t *testing.T) {
	cube := &[9]float64{10, 0, 0, 0, 10, 0, 0, 0, 10}
	tests := []struct {
		name string
		fr   Frame
		want string // "" for no error
	}{
		{"water", Frame{Numbers: []int{8, 1, 1}, Positions: []float64{0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0}}, ""},
		{"H on H", Frame{Numbers: []int{8, 1, 1}, Positions: []float64{0, 0, 0, 0.96, 0, 0, 0.96, 0.05, 0}},
			"atoms 1 (H) and 2 (H) are 0.05 Å apart"},
		{"same x, far in y", Frame{Numbers: []int{1, 1}, Positions: []float64{0, 0, 0, 0, 0.11, 0}}, ""},
		{"across a periodic face", Frame{Numbers: []int{29, 29}, Positions: []float64{0.02, 5, 5, 9.97, 5, 5}, Cell: cube, PBC: [3]bool{true, true, true}},
			"atoms 0 (Cu) and 1 (Cu) are 0.05 Å apart"},
		{"across a non-periodic face", Frame{Numbers: []int{29, 29}, Positions: []float64{0.02, 5, 5, 9.97, 5, 5}, Cell: cube, PBC: [3]bool{false, true, true}}, ""},
		{"skewed cell, fine", Frame{Numbers: []int{29, 29}, Positions: []float64{0, 0, 0, 0.9, 0.9, 0}, Cell: &[9]float64{0, 1.8, 1.8, 1.8, 0, 1.8, 1.8, 1.8, 0}, PBC: [3]bool{true, true, true}}, ""},
	}
	for _, tc := range tests {
		err := checkOverlap(&tc.fr)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
