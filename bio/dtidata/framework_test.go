package dtidata

import (
	"testing"
)

func TestFrameworkKey(t *testing.T) {
	for _, tc := range []struct{ smiles, want string }{
		{"CCO", AcyclicKey},
		{"c1ccccc1", "R1:C6"},
		{"C1=CC=CC=C1", "R1:C6"},                  // Kekulé benzene: same key
		{"Cc1ccccc1", "R1:C6"},                    // toluene: side chain stripped
		{"OC(=O)c1ccccc1O", "R1:C6"},              // salicylic acid
		{"c1ccncc1", "R1:C5N"},                    // pyridine differs from benzene
		{"c1ccc2ccccc2c1", "R2:C10"},              // naphthalene: one system, two rings
		{"c1ccc(cc1)-c1ccccc1", "R1:C6+R1:C6"},    // biphenyl: two systems, no linker
		{"c1ccc(cc1)Cc1ccccc1", "R1:C6+R1:C6|L1"}, // diphenylmethane
		{"C1CC1CCC1CCCC1", "R1:C3+R1:C5|L2"},
		{"C12CC1C2", "R2:C4"},                // bicyclobutane-like: 4 atoms, 5 bonds
		{"C1CC2CCC1C2", "R2:C7"},             // norbornane, bridged
		{"[nH]1cccc1", "R1:C4N"},             // pyrrole with a bracket atom
		{"c1cc[se]c1", "R1:C4Se"},            // selenophene
		{"[Na+].[O-]C(=O)c1ccccc1", "R1:C6"}, // salt: the counter-ion is pruned
		{"C1CC1.C1CC1", "R1:C3+R1:C3"},
	} {
		got, err := FrameworkKey(tc.smiles)
		if err != nil {
			t.Errorf("FrameworkKey(%q): %v", tc.smiles, err)
			continue
		}
		if got != tc.want {
			t.Errorf("FrameworkKey(%q) = %q, want %q", tc.smiles, got, tc.want)
		}
	}
}

// The key is a graph invariant: other writings of one molecule give the same key.
func TestFrameworkKeyWritingOrder(t *testing.T) {
	for _, group := range [][]string{
		// imatinib-like fragment written from two ends
		{"Cc1ccc(NC(=O)c2ccc(CN3CCNCC3)cc2)cc1", "C1CN(CCN1)Cc1ccc(cc1)C(=O)Nc1ccc(C)cc1"},
		// indole, aromatic and Kekulé, two starting atoms
		{"c1ccc2[nH]ccc2c1", "C1=CC=C2C(=C1)C=CN2", "N1C=CC2=CC=CC=C12"},
		// Davis ligand 11314340 (DeepDTA ligands_can.txt), Kekulé vs an aromatic writing
		{"CC1=C2C=C(C=CC2=NN1)C3=CC(=CN=C3)OCC(CC4=CC=CC=C4)N", "NC(COc1cncc(c1)-c1ccc2n[nH]c(C)c2c1)Cc1ccccc1"},
	} {
		want, err := FrameworkKey(group[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range group[1:] {
			if got, err := FrameworkKey(s); err != nil || got != want {
				t.Errorf("FrameworkKey(%q) = %q, %v; want %q as for %q", s, got, err, want, group[0])
			}
		}
	}
}

func TestFrameworkKeyErrors(t *testing.T) {
	for _, s := range []string{"C1CC", "C(C", "CKC", "C11"} {
		if _, err := FrameworkKey(s); err == nil {
			t.Errorf("FrameworkKey(%q) accepted", s)
		}
	}
}

func TestDrugFrameworks(t *testing.T) {
	d := &Dataset{Drugs: []Drug{
		{"a", "Cc1ccccc1"}, {"b", "CCO"}, {"c", "Oc1ccccc1"}, {"d", "c1ccncc1"}, {"e", "CCN"},
	}}
	keys, groups, err := d.DrugFrameworks()
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 1, 0, 2, 1}
	for i := range want {
		if groups[i] != want[i] {
			t.Fatalf("groups %v (keys %q), want %v", groups, keys, want)
		}
	}
	d.Drugs = append(d.Drugs, Drug{"bad", "C1CC"})
	if _, _, err := d.DrugFrameworks(); err == nil {
		t.Error("bad SMILES accepted")
	}
}

func FuzzFrameworkKey(f *testing.F) {
	for _, s := range []string{"c1ccccc1", "C1CC2CCC1C2", "CC(C)(C)C", "[Na+].[Cl-]", "C%10CC%10", "C1CC1C1CC1", "C11"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := FrameworkKey(s)
		if err != nil {
			return
		}
		if key == "" {
			t.Fatalf("%q: empty key", s)
		}
		// Adding a methyl side chain at the start never changes the framework.
		if s[0] != '.' && s[0] != '[' && s[0] != '*' {
			if k2, err := FrameworkKey("C" + s); err == nil && k2 != key {
				// A leading atom bonds to the first atom: only a side chain, unless
				// s starts with a bond symbol (then "C"+s is a different molecule).
				if s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z' {
					t.Fatalf("%q: key %q, but with a methyl %q", s, key, k2)
				}
			}
		}
	})
}
