package cli

import (
	"math"
	"strings"
	"testing"
)

// FuzzParseQuantity checks md's parsing of --dt, --temperature and --friction: a
// value or a usage error naming the flag, never a panic.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"0.5fs", "1ps", "300K", "26.85C", "0.01/fs", "0", "", "fs", "1e400fs", "NaNK", "-5K", "5 /fs"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range []struct {
			flag    string
			units   map[string]float64
			offsets map[string]float64
		}{
			{"dt", map[string]float64{"fs": 1, "ps": 1000}, nil},
			{"temperature", map[string]float64{"K": 1, "C": 1}, map[string]float64{"C": 273.15}},
			{"friction", map[string]float64{"/fs": 1}, nil},
		} {
			_, err := parseQuantity(q.flag, s, q.units, q.offsets)
			if err != nil && (exitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--"+q.flag)) {
				t.Fatalf("%q: error %v (exit %d) does not name --%s as a usage error", s, err, exitCode(err), q.flag)
			}
		}
	})
}

// FuzzPlanParseBudget checks that an accepted budget is a positive whole number.
func FuzzPlanParseBudget(f *testing.F) {
	for _, s := range []string{"20000", "2e4", "", "0", "-1", "1.5", "1e30", "NaN", "Inf", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := planParseBudget("max-params", s)
		if err != nil {
			if exitCode(err) != ExitUsage {
				t.Fatalf("%q: %v is not a usage error", s, err)
			}
			return
		}
		if s != "" && (v <= 0 || v > math.MaxInt64/2) {
			t.Fatalf("%q accepted as %d", s, v)
		}
	})
}
