package curves

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportMatCal(t *testing.T) {
	files := []string{filepath.Join(testdata, "cleaned_CA-LT-01.csv"), filepath.Join(testdata, "cleaned_6061-02-06-200C-LT_first120.csv")}
	var seen []int
	cs, err := ImportMatCal(files, nil, func(i int) { seen = append(seen, i) })
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ReadMatCalCSV(files[1])
	want, _ = Prepare(want, nil)
	if len(cs) != 2 || fmt.Sprint(seen) != "[1 2]" || cs[1].Len() != want.Len() || cs[1].ElasticModulus != want.ElasticModulus {
		t.Fatalf("%d curves, files seen %v; curve 2 has %d points, E %v (Prepare: %d, %v)", len(cs), seen, cs[1].Len(), cs[1].ElasticModulus, want.Len(), want.ElasticModulus)
	}
	if got := Points(cs); got != cs[0].Len()+cs[1].Len() {
		t.Errorf("Points %d", got)
	}
	dir := t.TempDir()
	var bad []string
	for i := range 12 {
		bad = append(bad, filepath.Join(dir, fmt.Sprintf("bad%02d.csv", i)))
		os.WriteFile(bad[i], []byte("engineering_stress,engineering_strain\n"), 0o644)
	}
	if _, err := ImportMatCal(bad[:1], nil, nil); err == nil || !strings.HasPrefix(err.Error(), bad[0]+":") {
		t.Errorf("one bad file: %v", err)
	}
	_, err = ImportMatCal(append(files, bad...), nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "12 of 14 files could not be read, nothing written: "+bad[0]) ||
		!strings.Contains(err.Error(), bad[9]) || strings.Contains(err.Error(), bad[10]) || !strings.HasSuffix(err.Error(), "; and 2 more") {
		t.Errorf("twelve bad files: %v", err)
	}
}

func TestImportGleeble(t *testing.T) {
	path := filepath.Join(testdata, "gleeble_subset.h5")
	cs, err := ImportGleeble([]string{path, path}, "all")
	if err != nil {
		t.Fatal(err)
	}
	one, _ := ReadGleeble(path)
	if len(cs) != 2*len(one) {
		t.Fatalf("%d curves from the file twice, %d from it once", len(cs), len(one))
	}
	if _, err := ImportGleeble([]string{path}, "nope"); err == nil || !strings.Contains(err.Error(), `dataset "nope"`) {
		t.Errorf("missing dataset: %v", err)
	}
}

func TestWriteSummaries(t *testing.T) {
	cs, err := ImportMatCal([]string{filepath.Join(testdata, "cleaned_CA-LT-01.csv")}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	uts, _ := UTS(cs[0])
	var b bytes.Buffer
	WriteTensionSummary(&b, cs)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "specimen") || !strings.Contains(lines[1], fmt.Sprintf("%.1f", uts)) ||
		!strings.Contains(lines[1], fmt.Sprintf("%.1f", cs[0].ElasticModulus/1000)) {
		t.Errorf("tension summary (UTS %.1f MPa, E %.1f GPa):\n%s", uts, cs[0].ElasticModulus/1000, b.String())
	}
	// A curve that ends before its maximum load, without an elastic fit: its UTS is
	// at least the engineering stress 150·exp(−0.02) = 147.0 MPa of its last point.
	c := NewCurve("rising", 296.15, []float64{0, 0.01, 0.02}, []float64{0, 100, 150})
	c.ElasticModulus, c.NeckingStrain = math.NaN(), math.NaN()
	b.Reset()
	WriteTensionSummary(&b, []Curve{c})
	for _, want := range []string{"≥147.0", "not reached", "note: E and Rp0.2 n/a for rising"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary of a rising curve lacks %q:\n%s", want, b.String())
		}
	}
	g := NewCurve("T1100_r0.1", 1373.15, []float64{0, -0.1, -0.2, -0.3}, []float64{0, -80, -95, -90})
	b.Reset()
	WriteFlowSummary(&b, []Curve{g})
	if !strings.Contains(b.String(), "T1100_r0.1   1100.0") || !strings.HasSuffix(b.String(), "95.0  0.200\n") {
		t.Errorf("flow summary (peak 95 MPa at strain 0.2):\n%s", b.String())
	}
}

func TestReadAt(t *testing.T) {
	cs, err := ImportMatCal([]string{filepath.Join(testdata, "cleaned_CA-LT-01.csv"), filepath.Join(testdata, "cleaned_6061-02-06-200C-LT_first120.csv")}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "al.h5")
	if err := Write(path, cs); err != nil {
		t.Fatal(err)
	}
	hot, err := ReadAt(path, CelsiusToKelvin(200))
	if err != nil || len(hot) != 1 || hot[0].Specimen != cs[1].Specimen {
		t.Fatalf("curves at 200 °C: %d (%v)", len(hot), err)
	}
	if _, err := ReadAt(path, CelsiusToKelvin(100)); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("at 100 °C: %v", err)
	}
}
