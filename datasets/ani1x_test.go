package datasets

import (
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// collect returns an add function that keeps what it is given.
func collect(got map[string][]Frame, order *[]string) func(string, []Frame) error {
	return func(name string, frames []Frame) error {
		got[name] = frames
		*order = append(*order, name)
		return nil
	}
}

func TestImportANI1x(t *testing.T) {
	got := map[string][]Frame{}
	var order []string
	rep, err := ImportANI1x(fixANI, ANI1xOptions{EnergyKey: "wb97x_dz.energy", ForcesKey: "wb97x_dz.forces"}, collect(got, &order))
	if err != nil {
		t.Fatal(err)
	}
	// C2H6O: 4 frames, frame 1 has a NaN energy and frame 2 a NaN force; C3H4O2: 3.
	want := ANI1xReport{Systems: 2, Frames: 5, SkippedEnergy: 1, SkippedForces: 1,
		Keys: []string{"atomic_numbers", "ccsd(t)_cbs.energy", "coordinates", "wb97x_dz.energy", "wb97x_dz.forces"}}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report %+v, want %+v", rep, want)
	}
	if !reflect.DeepEqual(order, []string{"C2H6O", "C3H4O2"}) {
		t.Errorf("order %v", order)
	}
	var idx []int
	for _, f := range got["C2H6O"] {
		idx = append(idx, f.Index)
	}
	if !reflect.DeepEqual(idx, []int{0, 3}) {
		t.Errorf("C2H6O kept frames %v, want [0 3]", idx)
	}
	// The fixture holds rMD17 ethanol converted to hartree: back in eV it must
	// match the same frames of the rMD17 fixture (float32 coordinates and forces
	// in the ANI file: relative error ≤ 6e-8).
	r := mustOpen(t, fixRMD17)
	for _, k := range []int{0, 3} {
		ref, err := r.Frame("ethanol", k)
		if err != nil {
			t.Fatal(err)
		}
		var a Frame
		for _, f := range got["C2H6O"] {
			if f.Index == k {
				a = f
			}
		}
		if !near(a.Energy, ref.Energy, 1e-14) {
			t.Errorf("frame %d: energy %v eV, rMD17 %v eV", k, a.Energy, ref.Energy)
		}
		if !reflect.DeepEqual(a.Numbers, ref.Numbers) {
			t.Errorf("numbers %v", a.Numbers)
		}
		for i := range ref.Forces {
			if math.Abs(a.Forces[i]-ref.Forces[i]) > 6e-8*math.Max(1, math.Abs(ref.Forces[i])) ||
				math.Abs(a.Positions[i]-ref.Positions[i]) > 6e-8*math.Max(1, math.Abs(ref.Positions[i])) {
				t.Fatalf("frame %d value %d: force %v vs %v, position %v vs %v", k, i, a.Forces[i], ref.Forces[i], a.Positions[i], ref.Positions[i])
			}
		}
	}

	// Without forces only the NaN energy is skipped; with the coupled-cluster key
	// only frame 0 of each group has a value.
	got = map[string][]Frame{}
	order = nil
	rep, err = ImportANI1x(fixANI, ANI1xOptions{EnergyKey: "wb97x_dz.energy"}, collect(got, &order))
	if err != nil || rep.Frames != 6 || rep.SkippedEnergy != 1 || rep.SkippedForces != 0 || got["C2H6O"][0].Forces != nil {
		t.Errorf("no forces: %+v, %v", rep, err)
	}
	rep, err = ImportANI1x(fixANI, ANI1xOptions{EnergyKey: "ccsd(t)_cbs.energy"}, func(string, []Frame) error { return nil })
	if err != nil || rep.Frames != 2 || rep.SkippedEnergy != 5 {
		t.Errorf("ccsd(t): %+v, %v", rep, err)
	}
}

func TestImportANI1xErrors(t *testing.T) {
	nop := func(string, []Frame) error { return nil }
	_, err := ImportANI1x(fixANI, ANI1xOptions{EnergyKey: "b3lyp.energy"}, nop)
	want := fixANI + `: group "C2H6O": dataset "b3lyp.energy" is missing (the group has atomic_numbers, ccsd(t)_cbs.energy, coordinates, wb97x_dz.energy, wb97x_dz.forces); is this the ANI-1x layout?`
	if errString(err) != want {
		t.Errorf("missing key:\n got %v\nwant %s", err, want)
	}
	if _, err := ImportANI1x(fixANI, ANI1xOptions{}, nop); errString(err) != "an energy key is required (e.g. wb97x_dz.energy)" {
		t.Errorf("no key: %v", err)
	}
	// An atoms file is not in the ANI-1x layout.
	_, err = ImportANI1x(fixRMD17, ANI1xOptions{EnergyKey: "wb97x_dz.energy"}, nop)
	if !strings.HasPrefix(errString(err), fixRMD17+`: group "ethanol": dataset "wb97x_dz.energy" is missing (the group has atomic_numbers, coordinates, energies, forces)`) {
		t.Errorf("atoms file: %v", err)
	}
	// Inf is an error, not a skip; shapes must agree.
	path := filepath.Join(t.TempDir(), "ani.h5")
	err = h5io.WriteAtomic(path, func(f *h5io.File) error {
		g, err := f.Root().CreateGroup("H2")
		if err != nil {
			return err
		}
		defer g.Close()
		g.WriteInt32("atomic_numbers", []int32{1, 1})
		g.WriteFloat64("coordinates", []float64{0, 0, 0, 0.74, 0, 0}, 1, 2, 3)
		g.WriteFloat64("e.energy", []float64{math.Inf(-1)})
		g.WriteFloat64("e.forces", []float64{0, 0, 0}, 1, 1, 3)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ImportANI1x(path, ANI1xOptions{EnergyKey: "e.energy"}, nop)
	if want := path + `: group "H2": frame 0: e.energy is -Inf`; errString(err) != want {
		t.Errorf("inf: %v", err)
	}
	_, err = ImportANI1x(path, ANI1xOptions{EnergyKey: "e.energy", ForcesKey: "e.forces"}, nop)
	if want := path + `: group "H2": e.forces has shape (1,1,3) but coordinates (1,2,3)`; errString(err) != want {
		t.Errorf("shape: %v", err)
	}
}
