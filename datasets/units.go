package datasets

import (
	"fmt"
	"strings"
)

// EnergyUnit is a unit of energy: its canonical name, as written in files, and its
// size in eV.
type EnergyUnit struct {
	Name string  // "eV", "kcal/mol" or "hartree"
	EV   float64 // one unit in eV
}

// LengthUnit is a unit of length: its canonical name, as written in files, and its
// size in Å.
type LengthUnit struct {
	Name     string  // "angstrom" or "bohr"
	Angstrom float64 // one unit in Å
}

// Exact SI constants (SI brochure, 9th edition, 2019) from which the kcal/mol
// conversion follows.
const (
	avogadro        = 6.02214076e23   // N_A, 1/mol
	elementaryCharg = 1.602176634e-19 // e, C; 1 eV = e·(1 V) J
)

// Energy units. 1 kcal/mol = 4184 J/mol / (N_A·e) = 0.0433641043 eV (thermochemical
// calorie, 4.184 J, and the exact 2019 SI values of N_A and e); 1 hartree =
// 27.211386245988 eV (CODATA 2018).
var (
	ElectronVolt = EnergyUnit{"eV", 1}
	KcalPerMol   = EnergyUnit{"kcal/mol", 4184 / (avogadro * elementaryCharg)}
	Hartree      = EnergyUnit{"hartree", 27.211386245988}
)

// Length units. 1 bohr = 0.529177210903 Å (CODATA 2018).
var (
	Angstrom = LengthUnit{"angstrom", 1}
	Bohr     = LengthUnit{"bohr", 0.529177210903}
)

// Units are the energy and length units of some data. Derived units follow:
// forces are Energy/Length, stress is Energy/Length³.
type Units struct {
	Energy EnergyUnit
	Length LengthUnit
}

// EVAngstrom is eV and Å, the units of every Frame and of every file sciadapt writes.
var EVAngstrom = Units{ElectronVolt, Angstrom}

// Names of the atoms formats that ReadExtXYZ, ImportANI1x and ImportDeePMD read.
const (
	FormatExtXYZ = "extxyz"
	FormatANI1x  = "ani1x"
	FormatDeePMD = "deepmd"
)

// DefaultUnits returns the units that files of an atoms format are read in
// unless the caller says otherwise: eV and Å for extended XYZ (as ASE writes it)
// and DeePMD-kit, hartree and Å for ANI-1x. ok is false for an unknown format.
func DefaultUnits(format string) (u Units, ok bool) {
	switch format {
	case FormatExtXYZ, FormatDeePMD:
		return EVAngstrom, true
	case FormatANI1x:
		return Units{Hartree, Angstrom}, true
	}
	return Units{}, false
}

// mustDefaultUnits is DefaultUnits for the importers' own formats.
func mustDefaultUnits(format string) Units {
	u, ok := DefaultUnits(format)
	if !ok {
		panic("datasets: no default units for " + format)
	}
	return u
}

// String returns e.g. "kcal/mol and angstrom".
func (u Units) String() string { return u.Energy.Name + " and " + u.Length.Name }

// orDefault returns u with zero parts replaced by those of d.
func (u Units) orDefault(d Units) Units {
	if u.Energy.EV == 0 {
		u.Energy = d.Energy
	}
	if u.Length.Angstrom == 0 {
		u.Length = d.Length
	}
	return u
}

// factors returns the multipliers that take energies, lengths, forces and stresses
// in u to eV, Å, eV/Å and eV/Å³.
func (u Units) factors() (energy, length, force, stress float64) {
	e, l := u.Energy.EV, u.Length.Angstrom
	return e, l, e / l, e / (l * l * l)
}

var energyUnits = []struct {
	u       EnergyUnit
	aliases []string
}{
	{ElectronVolt, []string{"ev"}},
	{KcalPerMol, []string{"kcal/mol"}},
	{Hartree, []string{"hartree", "ha"}},
}

var lengthUnits = []struct {
	u       LengthUnit
	aliases []string
}{
	{Angstrom, []string{"angstrom", "å", "ang"}},
	{Bohr, []string{"bohr"}},
}

// ParseEnergyUnit returns the energy unit named s: "eV", "kcal/mol" or "hartree"
// (case does not matter; "Ha" is accepted for hartree).
func ParseEnergyUnit(s string) (EnergyUnit, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, e := range energyUnits {
		for _, a := range e.aliases {
			if k == a {
				return e.u, nil
			}
		}
	}
	return EnergyUnit{}, fmt.Errorf("unknown energy unit %q (known: eV, kcal/mol, hartree)", s)
}

// ParseLengthUnit returns the length unit named s: "angstrom" (or "Å", "ang") or
// "bohr" (case does not matter).
func ParseLengthUnit(s string) (LengthUnit, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, l := range lengthUnits {
		for _, a := range l.aliases {
			if k == a {
				return l.u, nil
			}
		}
	}
	return LengthUnit{}, fmt.Errorf("unknown length unit %q (known: angstrom, bohr)", s)
}
