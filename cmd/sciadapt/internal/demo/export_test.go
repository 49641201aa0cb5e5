package demo

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// TestDemoExport checks that Export (demo --export) writes readable data files, the Al
// curves as a curves file at 23 °C and 200 °C, and refuses to overwrite them.
func TestDemoExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	log := func(format string, args ...any) { fmt.Fprintf(&out, format+"\n", args...) }
	if err := Export(dir, log); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "wrote "); n != 8 {
		t.Errorf("%d files reported:\n%s", n, out.String())
	}
	if fr, err := loadFrames(filepath.Join(dir, "o_train.h5"), 0, 0); err != nil || len(fr) != 150 {
		t.Errorf("o_train.h5: %d frames, %v", len(fr), err)
	}
	cs, err := curves.Read(filepath.Join(dir, "al6061.h5"))
	if err != nil {
		t.Fatal(err)
	}
	temps := map[float64]int{}
	for _, c := range cs {
		temps[c.TemperatureK]++
	}
	if temps[296.15] == 0 || temps[473.15] < 2 {
		t.Errorf("curves per temperature: %v", temps)
	}
	if d, err := dtidata.Read(filepath.Join(dir, "gpcr_demo.h5")); err != nil || len(d.Pairs) == 0 {
		t.Errorf("gpcr_demo.h5: %v", err)
	}
	if err := Export(dir, log); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second export into the same directory: %v", err)
	}
}
