package datasets

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadAspirin(t *testing.T) {
	r, err := os.Open(fixXYZ)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	frames, err := ReadExtXYZ(r, "aspirin_3.xyz", &ExtXYZOptions{Units: Units{Energy: KcalPerMol}})
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3 {
		t.Fatalf("%d frames, want 3", len(frames))
	}
	fr := frames[0]
	if fr.Len() != 21 || Formula(fr.Numbers) != "C9H8O4" || fr.System != "" || fr.Index != 0 || frames[2].Index != 2 {
		t.Errorf("frame 0: %d atoms, %s, system %q", fr.Len(), Formula(fr.Numbers), fr.System)
	}
	// Line 2: energy=-405681.6 (kcal/mol); line 3: the first carbon at
	// (2.13448882, -0.98436105, -0.19521789) Å with force (-38.77897263, …) kcal/mol/Å.
	k := KcalPerMol.EV
	if fr.Energy != -405681.6*k || frames[1].Energy != -405691.06*k {
		t.Errorf("energies %v %v", fr.Energy, frames[1].Energy)
	}
	// About −17 592 eV: the PBE total energy of aspirin (≈ −646.5 hartree).
	if !near(fr.Energy, -17592.02, 1e-6) {
		t.Errorf("energy %v eV, want ≈ −17592.02", fr.Energy)
	}
	if fr.Numbers[0] != 6 || fr.Positions[0] != 2.13448882 || fr.Positions[2] != -0.19521789 || fr.Forces[0] != -38.77897263*k {
		t.Errorf("atom 0: Z %d pos %v force %v", fr.Numbers[0], fr.Positions[:3], fr.Forces[:3])
	}
	if fr.Cell != nil || fr.PBC != [3]bool{} || fr.Stress != nil {
		t.Errorf("aspirin is not periodic: %v %v", fr.Cell, fr.PBC)
	}
	// In eV (the default) the same file reads 1/k times larger.
	r.Seek(0, 0)
	ev, err := ReadExtXYZ(r, "aspirin_3.xyz", nil)
	if err != nil || ev[0].Energy != -405681.6 {
		t.Errorf("default units: %v, %v", ev[0].Energy, err)
	}
}

func TestParseComment(t *testing.T) {
	tests := []struct {
		in   string
		want []kv
		err  string
	}{
		{`Properties=species:S:1:pos:R:3 energy=-1.5 pbc="F F F"`,
			[]kv{{"Properties", "species:S:1:pos:R:3"}, {"energy", "-1.5"}, {"pbc", "F F F"}}, ""},
		{`Lattice="1 0 0 0 1 0 0 0 1"  flag  name='a b' tag={1 2} list=[3, 4] q="say \"hi\""`,
			[]kv{{"Lattice", "1 0 0 0 1 0 0 0 1"}, {"flag", "T"}, {"name", "a b"}, {"tag", "1 2"}, {"list", "3, 4"}, {"q", `say "hi"`}}, ""},
		{`energy = -2.0 config_type=md`, []kv{{"energy", "-2.0"}, {"config_type", "md"}}, ""},
		{``, nil, ""},
		{`energy="-1`, nil, `comment line: key "energy": " opened at column 8 is never closed`},
		{`=3`, nil, `comment line: "=" without a key at column 1`},
		{`energy=1 energy=2`, nil, `comment line: key "energy" is given twice`},
	}
	for _, tt := range tests {
		got, err := parseComment(tt.in)
		if errString(err) != tt.err || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseComment(%q) = %v, %v; want %v, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseProperties(t *testing.T) {
	got, err := parseProperties("species:S:1:pos:R:3:forces:R:3:tags:I:1")
	want := []property{{"species", 'S', 1}, {"pos", 'R', 3}, {"forces", 'R', 3}, {"tags", 'I', 1}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v", got, err)
	}
	for in, msg := range map[string]string{
		"species:S:1:pos:R":    `Properties="species:S:1:pos:R" is not a list of name:type:count triples`,
		"species:X:1":          `Properties="species:X:1": property "species" has type "X", want S, R, I or L`,
		"pos:R:0":              `Properties="pos:R:0": property "pos" has "0" columns, want a positive number`,
		"pos:R:3:pos:R:3":      `Properties="pos:R:3:pos:R:3": property "pos" is given twice`,
		":R:3":                 `Properties=":R:3": property 0 has an empty name`,
		"pos:R:99999999999999": `Properties="pos:R:99999999999999": property "pos" has "99999999999999" columns, want a positive number`,
	} {
		if _, err := parseProperties(in); errString(err) != msg {
			t.Errorf("parseProperties(%q): %v, want %s", in, err, msg)
		}
	}
}

// TestReadPeriodic checks Lattice, pbc defaults, stress orders and virial.
func TestReadPeriodic(t *testing.T) {
	const xyz = `2
Lattice="4 0 0 0.5 5 0 0 0 6" Properties=species:S:1:pos:R:3:forces:R:3 energy=-7.5 stress="1 2 3 4 5 6 7 8 9"
Cu 0 0 0 0.1 0.2 0.3
Au 2 2.5 3 -0.1 -0.2 -0.3
2
Lattice="4 0 0 0 5 0 0 0 6" pbc="T F T" Properties=species:S:1:pos:R:3 energy=-7 stress="-1 -2 -3 -0.4 -0.5 -0.6"
Cu 0 0 0
Au 2 2.5 3
2
Lattice="2 0 0 0 2 0 0 0 2" Properties=species:S:1:pos:R:3 energy=-1 virial="8 0 0 0 16 0 0 0 -8"
Cu 0 0 0
Au 1 1 1
`
	frames, err := ReadExtXYZ(strings.NewReader(xyz), "cell.xyz", nil)
	if err != nil {
		t.Fatal(err)
	}
	f0, f1, f2 := frames[0], frames[1], frames[2]
	if *f0.Cell != [9]float64{4, 0, 0, 0.5, 5, 0, 0, 0, 6} || f0.PBC != [3]bool{true, true, true} {
		t.Errorf("frame 0 cell %v pbc %v (Lattice without pbc is periodic)", *f0.Cell, f0.PBC)
	}
	// Nine values are column-major (as ASE writes): element (i, j) is value i+3j.
	if *f0.Stress != [9]float64{1, 4, 7, 2, 5, 8, 3, 6, 9} {
		t.Errorf("frame 0 stress %v", *f0.Stress)
	}
	if f1.PBC != [3]bool{true, false, true} {
		t.Errorf("frame 1 pbc %v", f1.PBC)
	}
	// Voigt order xx yy zz yz xz xy.
	if *f1.Stress != [9]float64{-1, -0.6, -0.5, -0.6, -2, -0.4, -0.5, -0.4, -3} {
		t.Errorf("frame 1 stress %v", *f1.Stress)
	}
	// Virial W gives σ = −W/V with V = 8 Å³.
	if *f2.Stress != [9]float64{-1, 0, 0, 0, -2, 0, 0, 0, 1} {
		t.Errorf("frame 2 stress from virial %v", *f2.Stress)
	}
	if f0.Forces[5] != -0.3 || f1.Forces != nil {
		t.Errorf("forces %v %v", f0.Forces, f1.Forces)
	}
	// Units: bohr and hartree scale positions, cell, forces and stress.
	fb, err := ReadExtXYZ(strings.NewReader(xyz), "cell.xyz", &ExtXYZOptions{Units: Units{Hartree, Bohr}})
	if err != nil {
		t.Fatal(err)
	}
	b, h := Bohr.Angstrom, Hartree.EV
	if fb[0].Cell[4] != 5*b || fb[0].Positions[4] != 2.5*b || fb[0].Energy != -7.5*h || !near(fb[0].Forces[1], 0.2*h/b, 1e-15) || !near(fb[0].Stress[0], h/(b*b*b), 1e-15) {
		t.Errorf("hartree/bohr: cell %v pos %v E %v F %v σ %v", fb[0].Cell[4], fb[0].Positions[4], fb[0].Energy, fb[0].Forces[1], fb[0].Stress[0])
	}
	// Virial in hartree over a volume in bohr³.
	if !near(fb[2].Stress[0], -1*h/(b*b*b), 1e-14) {
		t.Errorf("virial in hartree/bohr: %v, want %v", fb[2].Stress[0], -h/(b*b*b))
	}
}

func TestReadExtXYZErrors(t *testing.T) {
	const head = "Properties=species:S:1:pos:R:3 energy=-1.0"
	tests := []struct {
		name, in string
		opts     *ExtXYZOptions
		want     string
	}{
		{"count", "two\n" + head + "\nH 0 0 0\n", nil, `x.xyz: line 1: want the number of atoms of frame 0, got "two"`},
		{"zero atoms", "0\n" + head + "\n", nil, `x.xyz: line 1: frame 0 has 0 atoms, want 1 to 10000000`},
		{"truncated", "2\n" + head + "\nH 0 0 0\n", nil, `x.xyz: line 4: file ends after 1 of the 2 atoms of frame 0`},
		{"no comment", "2\n", nil, `x.xyz: line 2: file ends after the atom count of frame 0 (no comment line)`},
		{"columns", "1\n" + head + "\nH 0 0\n", nil, `x.xyz: line 3: atom 0 has 3 columns, want 4 (from Properties)`},
		{"element", "1\n" + head + "\nXx 0 0 0\n", nil, `x.xyz: line 3: atom 0: "Xx" is not an element symbol`},
		{"nan position", "1\n" + head + "\nH 0 nan 0\n", nil, `x.xyz: line 3: atom 0: position: value is NaN`},
		{"bad number", "1\n" + head + "\nH 0 1.2.3 0\n", nil, `x.xyz: line 3: atom 0: position: "1.2.3" is not a number`},
		{"no energy", "1\nProperties=species:S:1:pos:R:3 REF_energy=-1 pbc=\"F F F\"\nH 0 0 0\n", nil,
			`x.xyz: line 2: no "energy" key (the energy) in the comment line; its keys are Properties, REF_energy, pbc`},
		{"inf energy", "1\nProperties=species:S:1:pos:R:3 energy=inf\nH 0 0 0\n", nil, `x.xyz: line 2: energy energy="inf": value is +Inf`},
		{"overflow", "1\nProperties=species:S:1:pos:R:3:forces:R:3 energy=1\nH 0 0 0 0 1e308 0\n", &ExtXYZOptions{Units: Units{Hartree, Bohr}},
			`x.xyz: line 2: frame 0: after conversion to eV and Å: forces of atom 0 is +Inf`},
		{"lattice", "1\nLattice=\"1 0 0 0 1 0\" " + head + "\nH 0 0 0\n", nil, `x.xyz: line 2: Lattice="1 0 0 0 1 0": want 9 numbers, got 6`},
		{"pbc no lattice", "1\n" + head + " pbc=\"T T T\"\nH 0 0 0\n", nil, `x.xyz: line 2: pbc="T T T" says periodic but there is no Lattice (the cell)`},
		{"no positions", "1\nProperties=species:S:1 energy=1\nH\n", nil, `x.xyz: line 2: Properties has no pos:R:3: the positions are unknown`},
		{"forces key", "1\n" + head + "\nH 0 0 0\n", &ExtXYZOptions{ForcesKey: "REF_forces"}, `x.xyz: line 2: Properties has no "REF_forces" column (the forces key asked for)`},
		{"empty", "\n\n", nil, `x.xyz: no frames (empty file?)`},
		{"stress", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" " + head + " stress=\"1 2\"\nH 0 0 0\n", nil, `x.xyz: line 2: stress="1 2": want 9 (3×3) or 6 (Voigt) numbers, got 2`},
	}
	for _, tt := range tests {
		_, err := ReadExtXYZ(strings.NewReader(tt.in), "x.xyz", tt.opts)
		if got := errString(err); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	// Keys and Z columns: REF_energy / REF_forces and atomic numbers instead of symbols.
	in := "2\nProperties=Z:I:1:pos:R:3:REF_forces:R:3 REF_energy=-3.25\n8 0 0 0 1 2 3\n1 0 0 1 4 5 6\n"
	frames, err := ReadExtXYZ(strings.NewReader(in), "x.xyz", &ExtXYZOptions{EnergyKey: "REF_energy", ForcesKey: "REF_forces", System: "OH"})
	if err != nil || frames[0].Energy != -3.25 || !reflect.DeepEqual(frames[0].Numbers, []int{8, 1}) || frames[0].Forces[5] != 6 || frames[0].System != "OH" {
		t.Errorf("keys: %+v, %v", frames, err)
	}
}

// TestExtXYZRoundTrip writes frames and reads them back bit for bit.
func TestExtXYZRoundTrip(t *testing.T) {
	var frames []Frame
	for _, p := range []string{fixRMD17, fixEMT} {
		f := mustOpen(t, p)
		fr, err := f.Frames(f.Refs())
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, fr...)
	}
	var buf bytes.Buffer
	if err := WriteExtXYZ(&buf, frames); err != nil {
		t.Fatal(err)
	}
	back, err := ReadExtXYZ(&buf, "round.xyz", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range frames {
		want := frames[i]
		want.System, want.Index = "", i
		if !reflect.DeepEqual(back[i], want) {
			t.Fatalf("frame %d differs after a round trip:\n%+v\n%+v", i, back[i], want)
		}
	}
}

// TestASE checks both directions against ASE (Debian's python3-ase): ASE reads
// what WriteExtXYZ writes, and ReadExtXYZ reads what ASE writes.
func TestASE(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skip("skipped: /usr/bin/python3 not found (install python3-ase to run this test)")
	}
	if err := exec.Command(python, "-c", "import ase.io").Run(); err != nil {
		t.Skip("skipped: ASE is not installed for /usr/bin/python3 (apt-get install python3-ase)")
	}
	dir := t.TempDir()
	e := mustOpen(t, fixEMT)
	frames, err := e.Frames(e.Refs())
	if err != nil {
		t.Fatal(err)
	}
	r := mustOpen(t, fixRMD17)
	mol, err := r.Frame("ethanol", 1)
	if err != nil {
		t.Fatal(err)
	}
	frames = append(frames, mol)
	ours := filepath.Join(dir, "ours.xyz")
	var buf bytes.Buffer
	if err := WriteExtXYZ(&buf, frames); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ours, buf.Bytes(), 0o644)

	// ASE reads our file and writes its own copy, with energies, forces, stress.
	script := `
import json, sys
import ase.io
frames = ase.io.read(sys.argv[1], ":")
out = []
for a in frames:
    d = {"numbers": a.numbers.tolist(), "positions": a.positions.ravel().tolist(),
         "energy": a.get_potential_energy(), "forces": a.get_forces().ravel().tolist(),
         "pbc": a.pbc.tolist(), "cell": a.cell.array.ravel().tolist()}
    try:
        d["stress"] = a.get_stress(voigt=False).ravel().tolist()
    except Exception:
        d["stress"] = None
    out.append(d)
ase.io.write(sys.argv[2], frames, format="extxyz")
print(json.dumps(out))
`
	theirs := filepath.Join(dir, "ase.xyz")
	cmd := exec.Command(python, "-c", script, ours, theirs)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ASE failed: %v\n%s", err, stderr.String())
	}
	var got []struct {
		Numbers                 []int
		Positions, Forces, Cell []float64
		Energy                  float64
		PBC                     []bool `json:"pbc"`
		Stress                  []float64
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(frames) {
		t.Fatalf("ASE read %d frames, want %d", len(got), len(frames))
	}
	for i, fr := range frames {
		g := got[i]
		if !reflect.DeepEqual(g.Numbers, fr.Numbers) || !reflect.DeepEqual(g.Positions, fr.Positions) ||
			!reflect.DeepEqual(g.Forces, fr.Forces) || g.Energy != fr.Energy || !reflect.DeepEqual(g.PBC, fr.PBC[:]) {
			t.Errorf("frame %d: ASE read different atoms, positions, forces, energy or pbc", i)
		}
		if fr.Cell != nil && !reflect.DeepEqual(g.Cell, fr.Cell[:]) {
			t.Errorf("frame %d: ASE cell %v, want %v", i, g.Cell, fr.Cell[:])
		}
		if fr.Stress != nil && !reflect.DeepEqual(g.Stress, fr.Stress[:]) {
			t.Errorf("frame %d: ASE stress %v, want %v", i, g.Stress, fr.Stress[:])
		}
		if fr.Stress == nil && g.Stress != nil {
			t.Errorf("frame %d: ASE found a stress", i)
		}
	}

	// ASE's own output (its number formatting, Voigt stress handling, column order).
	fh, err := os.Open(theirs)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	back, err := ReadExtXYZ(fh, "ase.xyz", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, fr := range frames {
		b := back[i]
		ok := reflect.DeepEqual(b.Numbers, fr.Numbers) && b.Energy == fr.Energy && b.PBC == fr.PBC
		// ASE writes positions and forces with 8 decimals.
		for k := range fr.Positions {
			ok = ok && math.Abs(b.Positions[k]-fr.Positions[k]) <= 5e-9 && math.Abs(b.Forces[k]-fr.Forces[k]) <= 5e-9
		}
		if fr.Cell != nil {
			for k := range fr.Cell {
				ok = ok && near(b.Cell[k], fr.Cell[k], 1e-15) && near(b.Stress[k], fr.Stress[k], 1e-15)
			}
		} else {
			ok = ok && b.Cell == nil && b.Stress == nil
		}
		if !ok {
			t.Errorf("frame %d read from ASE's file differs:\n got %+v\nwant %+v", i, b, fr)
		}
	}
}

func FuzzParseComment(f *testing.F) {
	for _, s := range []string{
		`Properties=species:S:1:pos:R:3:forces:R:3 energy=-405681.6 pbc="F F F"`,
		`Lattice="4 0 0 0 5 0 0 0 6" Properties=species:S:1:pos:R:3 energy=-7 stress="1 2 3 4 5 6" pbc="T T T"`,
		`a={1 2} b=[3,4] c='x y' d="e\"f" flag`,
		`energy = 1`, `"quoted key"=1`, `=`, `"`, `\`, `a=\`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pairs, err := parseComment(s)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range pairs {
			if p.key == "" || seen[p.key] {
				t.Fatalf("parseComment(%q): empty or repeated key in %v", s, pairs)
			}
			seen[p.key] = true
		}
	})
}

func FuzzParseProperties(f *testing.F) {
	for _, s := range []string{"species:S:1:pos:R:3:forces:R:3", "Z:I:1:pos:R:3", "a:L:2", "x:R:-1", "::", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		props, err := parseProperties(s)
		if err != nil {
			return
		}
		for _, p := range props {
			if p.name == "" || p.cols < 1 || !strings.ContainsRune("SRIL", rune(p.typ)) {
				t.Fatalf("parseProperties(%q) = %v", s, props)
			}
		}
	})
}

// FuzzReadExtXYZ feeds whole files: the reader must return frames that pass the
// writer's checks or an error, never panic.
func FuzzReadExtXYZ(f *testing.F) {
	seed, _ := os.ReadFile(fixXYZ)
	f.Add(string(seed[:2000]))
	f.Add("2\nLattice=\"4 0 0 0 5 0 0 0 6\" Properties=species:S:1:pos:R:3 energy=-7 virial=\"1 2 3 4 5 6 7 8 9\"\nCu 0 0 0\nAu 2 2.5 3\n")
	f.Add("1\nProperties=Z:I:1:pos:R:3 energy=1\n1 0 0 0\n")
	f.Add("1\n\nH 0 0 0\n")
	f.Fuzz(func(t *testing.T, s string) {
		frames, err := ReadExtXYZ(strings.NewReader(s), "fuzz.xyz", &ExtXYZOptions{Units: Units{Hartree, Bohr}})
		if err != nil {
			return
		}
		for i := range frames {
			if err := frames[i].validate(); err != nil {
				t.Fatalf("frame %d passes the reader but not the writer: %v", i, err)
			}
		}
	})
}
