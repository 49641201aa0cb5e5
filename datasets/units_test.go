package datasets

import "testing"

func TestUnitConstants(t *testing.T) {
	// 1 kcal/mol = 0.0433641043 eV (NIST, rounded); 1 hartree = 627.5094740631
	// kcal/mol (CODATA 2018 hartree with the thermochemical calorie);
	// 1 bohr = 0.529177210903 Å (CODATA 2018).
	if !near(KcalPerMol.EV, 0.0433641043, 1e-9) {
		t.Errorf("kcal/mol = %.12g eV", KcalPerMol.EV)
	}
	if !near(Hartree.EV/KcalPerMol.EV, 627.5094740631, 1e-12) {
		t.Errorf("hartree = %.13g kcal/mol", Hartree.EV/KcalPerMol.EV)
	}
	if Bohr.Angstrom != 0.529177210903 || Hartree.EV != 27.211386245988 {
		t.Error("CODATA 2018 values changed")
	}
	e, l, f, s := Units{Hartree, Bohr}.factors()
	// CODATA 2018 atomic units: force E_h/a_0 = 8.2387235038e-8 N = 51.4220674763 eV/Å;
	// pressure E_h/a_0³ = 2.9421015697e13 Pa = 183.63153645 eV/Å³ (1 eV/Å³ = 160.2176634 GPa).
	if e != Hartree.EV || l != Bohr.Angstrom || !near(f, 51.4220674763, 1e-11) || !near(s, 183.63153645, 1e-10) {
		t.Errorf("factors %v %v %v %v", e, l, f, s)
	}
}

func TestParseUnits(t *testing.T) {
	for in, want := range map[string]EnergyUnit{"eV": ElectronVolt, " ev ": ElectronVolt, "kcal/mol": KcalPerMol, "KCAL/MOL": KcalPerMol, "hartree": Hartree, "Ha": Hartree} {
		if got, err := ParseEnergyUnit(in); err != nil || got != want {
			t.Errorf("ParseEnergyUnit(%q) = %v, %v", in, got, err)
		}
	}
	for in, want := range map[string]LengthUnit{"angstrom": Angstrom, "Å": Angstrom, "Ang": Angstrom, "bohr": Bohr, "Bohr": Bohr} {
		if got, err := ParseLengthUnit(in); err != nil || got != want {
			t.Errorf("ParseLengthUnit(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseEnergyUnit("kJ/mol"); errString(err) != `unknown energy unit "kJ/mol" (known: eV, kcal/mol, hartree)` {
		t.Errorf("kJ/mol: %v", err)
	}
	if _, err := ParseLengthUnit("nm"); errString(err) != `unknown length unit "nm" (known: angstrom, bohr)` {
		t.Errorf("nm: %v", err)
	}
}

// TestDefaultUnits checks each format's default units (the files of MD17-derived
// extended XYZ are the exception users must flag, not the default) and that an
// unknown format has none.
func TestDefaultUnits(t *testing.T) {
	for _, c := range []struct {
		format string
		want   Units
	}{{FormatExtXYZ, EVAngstrom}, {FormatDeePMD, EVAngstrom}, {FormatANI1x, Units{Hartree, Angstrom}}} {
		if got, ok := DefaultUnits(c.format); !ok || got != c.want {
			t.Errorf("DefaultUnits(%q) = %v, %v; want %v", c.format, got, ok, c.want)
		}
	}
	if _, ok := DefaultUnits("xyz"); ok {
		t.Error(`DefaultUnits("xyz") is ok`)
	}
}
