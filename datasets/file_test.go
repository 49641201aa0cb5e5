package datasets

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestOpenRMD17(t *testing.T) {
	f := mustOpen(t, fixRMD17)
	if got := f.Units(); got.Energy != KcalPerMol || got.Length != Angstrom {
		t.Errorf("Units = %v, want kcal/mol and angstrom", got)
	}
	if m := f.Meta(); m.LevelOfTheory != "PBE/def2-SVP" || !strings.HasPrefix(m.Source, "rMD17") {
		t.Errorf("Meta = %+v", m)
	}
	sys := f.Systems()
	if len(sys) != 2 || sys[0].Name != "ethanol" || sys[1].Name != "malonaldehyde" {
		t.Fatalf("Systems = %+v", sys)
	}
	eth := sys[0]
	if eth.Frames != 4 || eth.Atoms() != 9 || !eth.HasForces || eth.HasCell || eth.HasStress || eth.PBC != [3]bool{} {
		t.Errorf("ethanol = %+v", eth)
	}
	if !reflect.DeepEqual(eth.Numbers, []int{6, 6, 8, 1, 1, 1, 1, 1, 1}) || Formula(eth.Numbers) != "C2H6O" {
		t.Errorf("ethanol numbers %v (%s)", eth.Numbers, Formula(eth.Numbers))
	}
	if f.Len() != 7 {
		t.Errorf("Len = %d, want 7", f.Len())
	}

	fr, err := f.Frame("ethanol", 2)
	if err != nil {
		t.Fatal(err)
	}
	// Values in the file (read with h5py): energies[2] = -97074.75547467025 kcal/mol,
	// forces[2,0] = (-31.90907592514916, …) kcal/mol/Å, coordinates[2,0] = (0.28678675, …) Å.
	k := KcalPerMol.EV
	if want := -97074.75547467025 * k; fr.Energy != want {
		t.Errorf("energy = %v eV, want %v", fr.Energy, want)
	}
	if want := -31.90907592514916 * k; fr.Forces[0] != want {
		t.Errorf("force[0] = %v eV/Å, want %v", fr.Forces[0], want)
	}
	if !near(fr.Positions[0], 0.28678675, 1e-8) || len(fr.Positions) != 27 || len(fr.Forces) != 27 {
		t.Errorf("positions %v…, %d values", fr.Positions[:3], len(fr.Positions))
	}
	// Aspirin-sized sanity: a C2H6O molecule's PBE total energy is about −4210 eV.
	if fr.Energy > -4200 || fr.Energy < -4220 {
		t.Errorf("ethanol energy %v eV is not near −4210 eV", fr.Energy)
	}
	if fr.System != "ethanol" || fr.Index != 2 || fr.Cell != nil || fr.Stress != nil {
		t.Errorf("frame fields %q %d %v %v", fr.System, fr.Index, fr.Cell, fr.Stress)
	}

	// Frames in any order equal the frames read one by one.
	refs := []FrameRef{{"malonaldehyde", 2, 9}, {"ethanol", 0, 9}, {"ethanol", 1, 9}, {"ethanol", 3, 9}, {"malonaldehyde", 0, 9}}
	got, err := f.Frames(refs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range refs {
		one, err := f.Frame(r.System, r.Index)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], one) {
			t.Errorf("Frames[%d] (%v) differs from Frame", i, r)
		}
	}
	rows, err := f.Rows("ethanol", 1, 3)
	if err != nil || len(rows) != 3 || rows[1].Index != 2 || rows[1].Energy != fr.Energy {
		t.Errorf("Rows(ethanol, 1, 3) = %d frames, %v", len(rows), err)
	}
	wantRefs := []FrameRef{{"ethanol", 0, 9}, {"ethanol", 1, 9}, {"ethanol", 2, 9}, {"ethanol", 3, 9},
		{"malonaldehyde", 0, 9}, {"malonaldehyde", 1, 9}, {"malonaldehyde", 2, 9}}
	if !reflect.DeepEqual(f.Refs(), wantRefs) {
		t.Errorf("Refs = %v", f.Refs())
	}
}

func TestOpenEMT(t *testing.T) {
	f := mustOpen(t, fixEMT)
	info, ok := f.System("Ag11Au2Cu19_32")
	if !ok || info.Frames != 3 || info.Atoms() != 32 || !info.HasCell || !info.HasStress || !info.HasForces || info.PBC != [3]bool{true, true, true} {
		t.Fatalf("system = %+v, %v", info, ok)
	}
	if Formula(info.Numbers) != "Ag11Au2Cu19" {
		t.Errorf("formula %s", Formula(info.Numbers))
	}
	fr, err := f.Frame("Ag11Au2Cu19_32", 1)
	if err != nil {
		t.Fatal(err)
	}
	// From the file (h5py): energies[1] = 5.206189618407169 eV; cell[1] row 0 =
	// (7.3916420529195284, 0.0074797384430449728, -0.018217672158705227) Å;
	// stress[1][0][0] = -0.07546279593929879 eV/Å³; coordinates[1,5] =
	// (1.8828230570880005, 1.831200049253, 3.8494879851341803) Å.
	if fr.Energy != 5.206189618407169 {
		t.Errorf("energy %v", fr.Energy)
	}
	if fr.Cell == nil || fr.Cell[0] != 7.3916420529195284 || fr.Cell[1] != 0.0074797384430449728 || fr.Cell[8] != 7.5498115949200608 {
		t.Errorf("cell %v", fr.Cell)
	}
	if fr.Stress == nil || fr.Stress[0] != -0.07546279593929879 || fr.Stress[1] != fr.Stress[3] {
		t.Errorf("stress %v (must be symmetric)", fr.Stress)
	}
	if fr.Positions[15] != 1.8828230570880005 || fr.Positions[17] != 3.8494879851341803 {
		t.Errorf("positions of atom 5: %v", fr.Positions[15:18])
	}
	// A 32-atom fcc cell of Cu/Ag/Au at ±3 % strain: about 7.4³ Å³ ≈ 413 Å³.
	if v := volume(fr.Cell); v < 380 || v > 450 {
		t.Errorf("cell volume %v Å³", v)
	}
}

// TestOpenBad checks that each kind of bad file gets a clear error naming the
// file, the group and the problem.
func TestOpenBad(t *testing.T) {
	eth := ethanolRaw
	tests := []struct {
		name  string
		attrs map[string]any
		sys   func() rawSystem
		want  string // after "<path>: "
	}{
		{"no format", map[string]any{"format": nil}, eth, `not a sciadapt atoms file (it has no readable "format" attribute; other layouts are converted with "sciadapt import")`},
		{"wrong format", map[string]any{"format": "ani1x"}, eth, `not a sciadapt atoms file: attribute "format" is "ani1x", want "sciadapt-atoms"`},
		{"version 2", map[string]any{"version": int64(2)}, eth, `attribute "version" is 2; this sciadapt reads version 1`},
		{"version string", map[string]any{"version": "1"}, eth, `attribute "version": is a string, want an integer`},
		{"unknown energy unit", map[string]any{"energy_unit": "kJ/mol"}, eth, `attribute "energy_unit" is "kJ/mol", which sciadapt does not know (known: eV, kcal/mol, hartree)`},
		{"no energy unit", map[string]any{"energy_unit": nil}, eth, `attribute "energy_unit": is missing`},
		{"unknown length unit", map[string]any{"length_unit": "nm"}, eth, `attribute "length_unit" is "nm", which sciadapt does not know (known: angstrom, bohr)`},
		{"forces convention", map[string]any{"forces": "gradient of energy"}, eth, `attribute "forces" is "gradient of energy"; sciadapt reads only forces that are the negative gradient of energy`},
		{"no forces attr", map[string]any{"forces": nil}, eth, `attribute "forces" is missing; it must say "negative gradient of energy" for the forces to be used`},
		{"forces shape", nil, func() rawSystem {
			s := eth()
			s.forces = s.forces[:2*8*3]
			s.forceShape = []int{2, 8, 3}
			return s
		}, `group "ethanol": forces has shape (2,8,3) but coordinates (2,9,3)`},
		{"coordinates shape", nil, func() rawSystem {
			s := eth()
			s.coords = s.coords[:2*8*3]
			s.coordShape = []int{2, 8, 3}
			s.forces = nil
			return s
		}, `group "ethanol": coordinates has shape (2,8,3) but atomic_numbers has 9 atoms (want (M,9,3))`},
		{"energies shape", nil, func() rawSystem {
			s := eth()
			s.energies = s.energies[:1]
			s.coordShape = []int{2, 9, 3}
			s.forceShape = []int{2, 9, 3}
			return s
		},
			`group "ethanol": energies has shape (1,) but coordinates (2,9,3) (want (2,))`},
		{"no energies", nil, func() rawSystem {
			s := eth()
			s.energies = nil
			s.coordShape = []int{2, 9, 3}
			s.forceShape = []int{2, 9, 3}
			return s
		},
			`group "ethanol": dataset "energies" is missing`},
		{"no coordinates", nil, func() rawSystem { s := eth(); s.coords = nil; return s }, `group "ethanol": dataset "coordinates" is missing`},
		{"unknown Z", nil, func() rawSystem { s := eth(); s.numbers[4] = 0; return s },
			`group "ethanol": atomic_numbers: atom 4: atomic number 0 is not an element (1–118)`},
		{"Z 119", nil, func() rawSystem { s := eth(); s.numbers[0] = 119; return s },
			`group "ethanol": atomic_numbers: atom 0: atomic number 119 is not an element (1–118)`},
		{"pbc without cell", nil, func() rawSystem { s := eth(); s.pbc = []uint8{1, 1, 1}; return s },
			`group "ethanol": pbc says periodic but there is no cell dataset`},
		{"pbc value", nil, func() rawSystem { s := eth(); s.pbc = []uint8{0, 2, 0}; return s }, `group "ethanol": pbc[1] is 2, want 0 or 1`},
		{"cell shape", nil, func() rawSystem { s := eth(); s.cell = make([]float64, 9); return s },
			`group "ethanol": cell has shape (1,3,3), want (2,3,3) for 2 frames`},
	}
	for _, tt := range tests {
		path := writeRaw(t, tt.attrs, tt.sys())
		_, err := Open(path)
		if got, want := errString(err), path+": "+tt.want; got != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
		}
	}
}

// TestBadValues checks that NaN and Inf are reported when the frame is read,
// naming the group, frame and value, while other frames stay readable.
func TestBadValues(t *testing.T) {
	s := ethanolRaw()
	s.energies[1] = math.NaN()
	w := ethanolRaw()
	w.name = "water"
	w.numbers = []int32{8, 1, 1}
	w.coords = w.coords[:2*3*3]
	w.forces = w.forces[:2*3*3]
	w.forces[3*3+4] = math.Inf(1) // frame 1, atom 1, y
	path := writeRaw(t, nil, s, w)
	f := mustOpen(t, path)
	if _, err := f.Frame("ethanol", 0); err != nil {
		t.Errorf("frame 0 is fine, got %v", err)
	}
	tests := []struct {
		sys  string
		i    int
		want string
	}{
		{"ethanol", 1, `group "ethanol": frame 1: energies value is NaN`},
		{"water", 1, `group "water": frame 1: forces of atom 1 is +Inf`},
		{"ethanol", 2, `group "ethanol": frame 2 requested, but it has 2 frames`},
		{"ethanol", -1, `group "ethanol": frame -1 requested, but it has 2 frames`},
		{"methane", 0, `no system "methane" (the file has systems "ethanol", "water")`},
	}
	for _, tt := range tests {
		_, err := f.Frame(tt.sys, tt.i)
		if got, want := errString(err), path+": "+tt.want; got != want {
			t.Errorf("Frame(%s, %d):\n got %s\nwant %s", tt.sys, tt.i, got, want)
		}
	}
	if _, err := f.Summary(); errString(err) != path+`: group "ethanol": frame 1: energies value is NaN` {
		t.Errorf("Summary: %v", err)
	}
}

// TestOpenDamaged checks truncated and non-HDF5 files.
func TestOpenDamaged(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(fixEMT)
	if err != nil {
		t.Fatal(err)
	}
	trunc := filepath.Join(dir, "emt.h5")
	os.WriteFile(trunc, data[:len(data)*2/3], 0o644)
	_, err = Open(trunc)
	if want := trunc + ": file is truncated: it has 12714 bytes but its HDF5 superblock says 19072 (an interrupted copy or download?)"; len(data) != 19072 || errString(err) != want {
		t.Errorf("truncated:\n got %v\nwant %s", err, want)
	}
	_, err = Open(fixXYZ)
	if want := fixXYZ + ": not an HDF5 file (no HDF5 signature)"; errString(err) != want {
		t.Errorf("xyz: got %v", err)
	}
	// Damage inside the file (the superblock is intact): HDF5 fails, sciadapt
	// reports a clean error and does not crash or print.
	bad := append([]byte(nil), data...)
	for i := 200; i < len(bad); i += 97 {
		bad[i] ^= 0xff
	}
	mangled := filepath.Join(dir, "mangled.h5")
	os.WriteFile(mangled, bad, 0o644)
	f, err := Open(mangled)
	if err == nil {
		_, err = f.Summary()
		f.Close()
	}
	if err == nil || !strings.HasPrefix(err.Error(), mangled+": ") {
		t.Errorf("mangled file: got %v, want an error naming the file", err)
	}
}

func TestSummary(t *testing.T) {
	f := mustOpen(t, fixRMD17)
	s, err := f.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Elements, []int{1, 6, 8}) || s.Periodic || s.All.Frames != 7 || len(s.Systems) != 2 {
		t.Fatalf("summary %+v", s)
	}
	// Recompute from the frames themselves.
	frames, err := f.Frames(f.Refs())
	if err != nil {
		t.Fatal(err)
	}
	lo, hi, fmax, sq, n := math.Inf(1), math.Inf(-1), 0.0, 0.0, 0
	for _, fr := range frames {
		lo, hi = math.Min(lo, fr.Energy), math.Max(hi, fr.Energy)
		for _, v := range fr.Forces {
			fmax = math.Max(fmax, math.Abs(v))
			sq += v * v
			n++
		}
	}
	if s.All.Energy.Min != lo || s.All.Energy.Max != hi || s.All.ForceMaxAbs != fmax || !near(s.All.ForceRMS, math.Sqrt(sq/float64(n)), 1e-12) {
		t.Errorf("summary energy %v force max %v rms %v; recomputed %v %v %v %v", s.All.Energy, s.All.ForceMaxAbs, s.All.ForceRMS, lo, hi, fmax, math.Sqrt(sq/float64(n)))
	}
	if !math.IsNaN(s.All.Stress.Min) {
		t.Errorf("stress range %v without stress", s.All.Stress)
	}
	e := mustOpen(t, fixEMT)
	es, err := e.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if !es.Periodic || !reflect.DeepEqual(es.Elements, []int{29, 47, 79}) || es.All.Frames != 4 || math.IsNaN(es.All.Stress.Min) || es.All.Stress.Min > -0.07546279593929879 {
		t.Errorf("emt summary %+v", es.All)
	}
}

// TestConcurrentReads reads the same file from several goroutines, as a data
// loader would, and compares with a serial read.
func TestConcurrentReads(t *testing.T) {
	f := mustOpen(t, fixEMT)
	want, err := f.Frames(f.Refs())
	if err != nil {
		t.Fatal(err)
	}
	refs := f.Refs()
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for k := 0; k < 20; k++ {
				i := (g + k) % len(refs)
				fr, err := f.Frame(refs[i].System, refs[i].Index)
				if err == nil && !reflect.DeepEqual(fr, want[i]) {
					err = fmt.Errorf("goroutine %d: frame %d differs", g, i)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
