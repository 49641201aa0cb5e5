package mol

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestParseAtomsAndHydrogens(t *testing.T) {
	// Formulas are those of the named compounds; aromatic counts are the atoms
	// RDKit marks aromatic (checked with python3-rdkit 2022.09).
	tests := []struct {
		smiles, formula string
		atoms, bonds    int
		aromatic        int
	}{
		{"C", "CH4", 1, 0, 0},
		{"CCO", "C2H6O", 3, 2, 0},
		{"c1ccccc1", "C6H6", 6, 6, 6},
		{"C1=CC=CC=C1", "C6H6", 6, 6, 6}, // Kekulé benzene is aromatic
		{"c1cc[nH]c1", "C4H5N", 5, 5, 5},
		{"C1=CNC=C1", "C4H5N", 5, 5, 5},
		{"Cn1cccc1", "C5H7N", 6, 6, 5},
		{"O=c1cccc[nH]1", "C5H5NO", 7, 7, 6}, // 2-pyridone
		{"c1ccc2ccccc2c1", "C10H8", 10, 11, 10},
		{"c1ccc2c(c1)-c1ccccc1-2", "C12H8", 12, 14, 12}, // biphenylene
		{"[NH4+]", "H4N", 1, 0, 0},
		{"[O-]C(=O)C", "C2H3O2", 4, 3, 0},
		{"[Na+].[Cl-]", "ClNa", 2, 0, 0},
		{"[2H]C([2H])([2H])O", "CH4O", 5, 4, 0}, // deuterium stays an atom (Formula counts it as H)
		{"[H]C([H])([H])O", "CH4O", 2, 1, 0},    // plain H atoms become counts
		{"C%10CC%10", "C3H6", 3, 3, 0},
		{"C%(100)CC%(100)", "C3H6", 3, 3, 0},
		{"N[C@@H](C)C(=O)O", "C3H7NO2", 6, 5, 0}, // alanine; chirality dropped
		{"F/C=C/F", "C2H2F2", 4, 3, 0},
		{"OS(=O)(=O)O", "H2O4S", 5, 4, 0},
		{"[Fe+2].c1cc[cH-]c1.c1cc[cH-]c1", "C10H10Fe", 11, 10, 10},
		{"[cH+]1cccccc1", "C7H7", 7, 7, 7},      // tropylium
		{"c1ccc2cccc2cc1", "C10H8", 10, 11, 10}, // azulene (fused 5 + 7)
		{"*c1ccccc1", "C6H5*", 7, 7, 6},
	}
	for _, tc := range tests {
		m, err := Parse(tc.smiles)
		if err != nil {
			t.Errorf("%s: %v", tc.smiles, err)
			continue
		}
		arom := 0
		for _, a := range m.Atoms {
			if a.Aromatic {
				arom++
			}
		}
		if got := m.Formula(); got != tc.formula || m.NumAtoms() != tc.atoms || len(m.Bonds) != tc.bonds || arom != tc.aromatic {
			t.Errorf("%s: formula %s, %d atoms, %d bonds, %d aromatic; want %s, %d, %d, %d",
				tc.smiles, m.Formula(), m.NumAtoms(), len(m.Bonds), arom, tc.formula, tc.atoms, tc.bonds, tc.aromatic)
		}
	}
}

func TestParseKeepsIsotopeChargeClassDirection(t *testing.T) {
	m := MustParse("[13CH3:7][NH3+].F/C=C\\F")
	if a := m.Atoms[0]; a.Z != 6 || a.Isotope != 13 || a.Hs != 3 || a.Class != 7 || !a.Bracket {
		t.Errorf("atom 0 = %+v", a)
	}
	if a := m.Atoms[1]; a.Z != 7 || a.Charge != 1 || a.Hs != 3 {
		t.Errorf("atom 1 = %+v", a)
	}
	if d := m.Bonds[m.BondBetween(2, 3)].Dir; d != '/' {
		t.Errorf("F/C bond direction %q, want '/'", d)
	}
	if d := m.Bonds[m.BondBetween(4, 5)].Dir; d != '\\' {
		t.Errorf("C\\F bond direction %q, want '\\'", d)
	}
	if o := m.Bonds[m.BondBetween(3, 4)].Order; o != Double {
		t.Errorf("C=C order %v", o)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		smiles string
		col    int
		msg    string
	}{
		{"", 1, "empty"},
		{"C1CC", 2, "ring bond 1 is opened here and never closed"},
		{"CC(C", 3, "'(' is never closed"},
		{"CC)C", 3, "')' closes no branch"},
		{"C()C", 2, "empty branch"},
		{"C=", 2, "at the end"},
		{"=C", 1, "no atom before it"},
		{"C==C", 3, "two bond symbols"},
		{"C[Xx]", 3, "unknown element symbol"},
		{"C[C", 2, "never closed"},
		{"CXC", 2, "unknown atom"},
		{"CNaC", 3, "unknown atom"},
		{"CMgC", 2, "Mg must be written in brackets"},
		{"C11", 3, "closes on the atom that opened it"},
		{"C12CC12", 7, "already bonded"},
		{"C=1CC-1", 6, "has bond \"=\" at its opening"},
		{"C(C)(C)(C)(C)C", 1, "valence 5"},
		{"[NH4]", 1, "valence 4"},
		{"cc", 1, "aromatic (lower case) but not in a ring"},
		{"c1cccc1", 5, "cannot kekulize"},
		{"n1cccc1", 5, "cannot kekulize"},
		{"C C", 2, "white space"},
		{"[C@X]", 4, "unexpected \"X\""},
		{"[C@TH3]", 3, "malformed chirality"},
		{"[CH+20]", 4, "charge 20 out of range"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.smiles)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: error %v, want *Error", tc.smiles, err)
			continue
		}
		if e.Col != tc.col || !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("%q: column %d %q, want column %d containing %q", tc.smiles, e.Col, e.Msg, tc.col, tc.msg)
		}
		if !strings.Contains(err.Error(), "column") {
			t.Errorf("%q: message %q does not name the column", tc.smiles, err)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "mol: ") {
			t.Errorf("recover() = %v, want a mol: panic", r)
		}
	}()
	MustParse("C(")
}

// shuffledSMILES writes m from a random start with random branch order by
// permuting its atoms and writing canonical SMILES of the permuted graph with
// ties broken by the new order, which yields other valid SMILES of m.
func permuted(m *Mol, rng *rand.Rand) *Mol {
	perm := rng.Perm(len(m.Atoms))
	p := &Mol{SMILES: m.SMILES, Atoms: make([]Atom, len(m.Atoms)), adj: make([][]int, len(m.Atoms))}
	for i, a := range m.Atoms {
		p.Atoms[perm[i]] = a
	}
	order := rng.Perm(len(m.Bonds))
	for _, k := range order {
		b := m.Bonds[k]
		p.addBond(perm[b.A], perm[b.B], b.Order, 0, b.Col)
	}
	p.perceiveRings()
	return p
}

func TestInvariantUnderAtomOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range []string{
		"CC(=O)Oc1ccccc1C(=O)O",
		"CN1CCN(CC1)C(=O)c1cc2ccccc2[nH]1",
		"c1cc2cc3ccc(cc4ccc(cc5ccc(cc1n2)[nH]5)n4)[nH]3",
		"O=C(Nc1ccc(-c2cccc3[nH]ncc23)cc1)Nc1ccccc1",
		"[Na+].[O-]C(=O)c1ccccc1",
	} {
		m := MustParse(s)
		want := m.CanonicalSMILES()
		wantFP := m.MorganCounts(2, 2048)
		for range 5 {
			p := permuted(m, rng)
			text := p.CanonicalSMILES()
			if text != want {
				t.Errorf("%s: permuted atoms give %q, want %q", s, text, want)
			}
			q := MustParse(p.writeInOrder())
			if got := q.MorganCounts(2, 2048); !slices.Equal(got, wantFP) {
				t.Errorf("%s: another SMILES of it (%s) has another fingerprint", s, p.writeInOrder())
			}
		}
	}
}

// writeInOrder writes m with ties and the start broken by atom order only (a
// non-canonical SMILES of m).
func (m *Mol) writeInOrder() string {
	rank := make([]int, len(m.Atoms))
	for i := range rank {
		rank[i] = i
	}
	w := &writer{m: m, rank: rank}
	return w.write()
}

func TestMorganSmallMolecules(t *testing.T) {
	// RDKit 2022.09, AllChem.GetMorganFingerprint(Chem.MolFromSmiles(s), 2):
	// methane {2246733040: 1}; ethanol six codes, one each: three atoms and three
	// radius-1 environments. C2's radius-1 environment already covers both bonds,
	// so every radius-2 environment repeats it and is dropped.
	envs := MustParse("C").Morgan(2)
	if len(envs) != 1 || envs[0].Code != 2246733040 {
		t.Errorf("methane: %v, want one environment with code 2246733040 (RDKit)", envs)
	}
	want := []uint32{864662311, 1535166686, 2245384272, 2246728737, 3542456614, 4018048386}
	var got []uint32
	for _, e := range MustParse("CCO").Morgan(2) {
		got = append(got, e.Code)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("ethanol codes %v, want RDKit's %v", got, want)
	}
	bits := MustParse("CCO").MorganBits(2, 2048)
	if !slices.IsSorted(bits) || len(bits) == 0 {
		t.Errorf("bits %v not sorted", bits)
	}
}

func TestScaffold(t *testing.T) {
	tests := []struct{ smiles, scaffold, generic string }{
		{"CCc1ccccc1", "c1ccccc1", "C1CCCCC1"},
		{"CCCC", "", ""},
		{"Cc1ccc(Cc2ccccc2O)cc1", "c1ccc(Cc2ccccc2)cc1", "C1CCC(CC2CCCCC2)CC1"},
		{"CC(=O)N1CCC(C1)C(=O)c1ccccc1", "O=C(C1CCNC1)c1ccccc1", "CC(C1CCCCC1)C1CCCC1"},
		{"Cn1cccc1", "c1cc[nH]c1", "C1CCCC1"},
	}
	for _, tc := range tests {
		m := MustParse(tc.smiles)
		got := m.Scaffold().CanonicalSMILES()
		want := ""
		if tc.scaffold != "" {
			want = MustParse(tc.scaffold).CanonicalSMILES()
		}
		if got != want {
			t.Errorf("%s: scaffold %q, want %q (%s)", tc.smiles, got, want, tc.scaffold)
		}
		gotG := m.GenericScaffold().CanonicalSMILES()
		wantG := ""
		if tc.generic != "" {
			wantG = MustParse(tc.generic).CanonicalSMILES()
		}
		if gotG != wantG {
			t.Errorf("%s: generic scaffold %q, want %q", tc.smiles, gotG, wantG)
		}
		if k := m.ScaffoldKey(); k != got {
			t.Errorf("%s: ScaffoldKey %q, want %q", tc.smiles, k, got)
		}
	}
}

func TestRings(t *testing.T) {
	// Ring counts and sizes: the smallest set of smallest rings, and for cages the
	// relevant cycles (cubane's six faces, adamantane's four chairs).
	tests := []struct {
		smiles string
		sizes  []int
	}{
		{"CCO", nil},
		{"c1ccccc1", []int{6}},
		{"c1ccc2ccccc2c1", []int{6, 6}},                                           // not the 10-ring envelope
		{"C1CC2CCC1C2", []int{5, 5}},                                              // norbornane: not the 6-ring
		{"C12C3C4C1C5C2C3C45", []int{4, 4, 4, 4, 4, 4}},                           // cubane
		{"C1C2CC3CC1CC(C2)C3", []int{6, 6, 6, 6}},                                 // adamantane
		{"c1ccc2c(c1)-c1ccccc1-2", []int{4, 6, 6}},                                // biphenylene
		{"C1CC1.C1CCC1", []int{3, 4}},                                             // two fragments
		{"c1cc2cc3ccc(cc4ccc(cc5ccc(cc1n2)[nH]5)n4)[nH]3", []int{5, 5, 5, 5, 16}}, // porphine
	}
	for _, tc := range tests {
		m := MustParse(tc.smiles)
		var sizes []int
		for _, r := range m.Rings() {
			sizes = append(sizes, len(r))
			for j, a := range r {
				if m.BondBetween(a, r[(j+1)%len(r)]) < 0 {
					t.Errorf("%s: ring %v is not a cycle", tc.smiles, r)
				}
			}
		}
		slices.Sort(sizes)
		if !slices.Equal(sizes, tc.sizes) {
			t.Errorf("%s: ring sizes %v, want %v", tc.smiles, sizes, tc.sizes)
		}
	}
}
