package mol

import (
	"os"
	"testing"
)

func TestDebugMol(t *testing.T) {
	s := os.Getenv("SMI")
	if s == "" {
		t.Skip()
	}
	m, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	inv := m.atomInvariants()
	for i, a := range m.Atoms {
		t.Logf("%d %s arom=%v Hs=%d deg=%d ring=%v inv=%d", i, symbolOf(a.Z), a.Aromatic, a.Hs, m.Degree(i), m.InRing(i), inv[i])
	}
	for k, b := range m.Bonds {
		t.Logf("bond %d: %d-%d %v ring=%v", k, b.A, b.B, b.Order, m.BondInRing(k))
	}
	t.Logf("rings %v", m.Rings())
}
