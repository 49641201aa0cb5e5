package capitest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// checkLocal compiles testdata/local.c against the library in dir and checks the
// domain functions (sciadapt_potential_info, sciadapt_potential_compute_local) on
// methanol against the Go API: energy (without the shift E_0), forces, the virial
// −Σ F⊗R, particle energies and virials that sum to the totals, an empty domain,
// and error codes and messages.
func checkLocal(t *testing.T, dir, gcc, pot, potAd string) {
	exe := filepath.Join(dir, "local")
	cc := exec.Command(gcc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", capiDir, "-o", exe,
		filepath.Join("testdata", "local.c"), "-L", dir, "-lsciadapt", "-Wl,-rpath,"+dir)
	if b, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("gcc local.c: %v\n%s", err, b)
	}
	b, err := exec.Command(exe, pot, potAd).CombinedOutput()
	if err != nil {
		t.Fatalf("local: %v\n%s", err, b)
	}
	o := parse(t, b)
	close1e12(t, "info", o.nums["info"], []float64{4, 8, 4, 1, 6, 7, 8})

	m, err := potentials.Load(pot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.LoadElementAdapter(potAd, m); err != nil {
		t.Fatal(err)
	}
	r, err := m.Compute(&potentials.Structure{Numbers: numbers, Positions: positions})
	if err != nil {
		t.Fatal(err)
	}
	close1e12(t, "local energy", o.nums["local energy"], []float64{r.Energy - m.Shift.Value().Data[0]})
	close1e12(t, "local forces", o.nums["local forces"], r.Forces)
	var v [6]float64
	idx := [6][2]int{{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}}
	for i := range numbers {
		for k, ab := range idx {
			v[k] -= r.Forces[3*i+ab[0]] * positions[3*i+ab[1]]
		}
	}
	close1e12(t, "local virial", o.nums["local virial"], v[:])
	e, pv := 0.0, make([]float64, 6)
	for i, x := range o.nums["local particle energies"] {
		e += x
		for k := range pv {
			pv[k] += o.nums["local particle virials"][6*i+k]
		}
	}
	close1e12(t, "sum of particle energies", []float64{e}, o.nums["local energy"])
	close1e12(t, "sum of particle virials", pv, o.nums["local virial"])
	if got := o.nums["empty energy"]; len(got) != 1 || got[0] != 0 {
		t.Errorf("empty domain: energy %v, want 0", got)
	}
	codes := headerCodes(t)
	for _, tc := range []struct{ name, code, msg string }{
		{"neighbor-range", "SCIADAPT_ERR_ARGUMENT", "sciadapt_potential_compute_local: neighbour entry 3 is particle 99"},
		{"negative-n", "SCIADAPT_ERR_ARGUMENT", "n = -1 particles"},
		{"null-start", "SCIADAPT_ERR_ARGUMENT", "neighbor_start must not be NULL"},
		{"null-positions", "SCIADAPT_ERR_ARGUMENT", "positions, numbers and contributing must not be NULL"},
		{"negative-max-species", "SCIADAPT_ERR_ARGUMENT", "sciadapt_potential_info: max_species = -1"},
		{"info-closed", "SCIADAPT_ERR_HANDLE", "is not open"},
	} {
		e, ok := o.errors[tc.name]
		if !ok || e.code != codes[tc.code] || !strings.Contains(e.msg, tc.msg) {
			t.Errorf("%s: %+v; want %s and %q", tc.name, e, tc.code, tc.msg)
		}
	}
}
