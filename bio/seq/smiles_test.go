package seq

import (
	"errors"
	"strings"
	"testing"
)

func TestTokenizeSMILES(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"C", []string{"C"}},
		{"CCl", []string{"C", "Cl"}},
		{"BrCCBr", []string{"Br", "C", "C", "Br"}},
		{"ClC(Cl)Cl", []string{"Cl", "C", "(", "Cl", ")", "Cl"}},
		// Sc outside brackets is S then aromatic c (scandium needs [Sc]).
		{"Sc1ccccc1", []string{"S", "c", "1", "c", "c", "c", "c", "c", "1"}},
		{"[Sc+3]", []string{"[Sc+3]"}},
		{"c1cc[nH]c1", []string{"c", "1", "c", "c", "[nH]", "c", "1"}},
		{"C[C@@H](N)C(=O)O", []string{"C", "[C@@H]", "(", "N", ")", "C", "(", "=", "O", ")", "O"}},
		{"[NH4+].[Cl-]", []string{"[NH4+]", ".", "[Cl-]"}},
		{"[13CH3]C", []string{"[13CH3]", "C"}},
		{"[Fe++]", []string{"[Fe++]"}},
		{"[O-:12]", []string{"[O-:12]"}},
		{"[C@TH1H](F)(Cl)Br", []string{"[C@TH1H]", "(", "F", ")", "(", "Cl", ")", "Br"}},
		{"C#N", []string{"C", "#", "N"}},
		{"C$C", []string{"C", "$", "C"}},
		{"F/C=C/F", []string{"F", "/", "C", "=", "C", "/", "F"}},
		{`F/C=C\F`, []string{"F", "/", "C", "=", "C", `\`, "F"}},
		{"c1:c:c:c:c:c1", []string{"c", "1", ":", "c", ":", "c", ":", "c", ":", "c", ":", "c", "1"}},
		{"C%10CCCC%10", []string{"C", "%10", "C", "C", "C", "C", "%10"}},
		{"C%99C%99", []string{"C", "%99", "C", "%99"}},
		{"C12CC1C2", []string{"C", "1", "2", "C", "C", "1", "C", "2"}},
		{"C=1CCC=1", []string{"C", "=", "1", "C", "C", "C", "=", "1"}},
		{"C0CC0", []string{"C", "0", "C", "C", "0"}},
		{"*C", []string{"*", "C"}},
		{"[*]C", []string{"[*]", "C"}},
		{"C(C)(C)C", []string{"C", "(", "C", ")", "(", "C", ")", "C"}},
		{"C(=O)O", []string{"C", "(", "=", "O", ")", "O"}},
		{"[se]1cccc1", []string{"[se]", "1", "c", "c", "c", "c", "1"}},
		// A ring number may be reused after it closed.
		{"C1CC1C1CC1", []string{"C", "1", "C", "C", "1", "C", "1", "C", "C", "1"}},
		// OpenSMILES allows a dot at the start of a branch.
		{"C(.C)C", []string{"C", "(", ".", "C", ")", "C"}},
	} {
		got, err := TokenizeSMILES(tc.in)
		if err != nil {
			t.Errorf("TokenizeSMILES(%q): %v", tc.in, err)
			continue
		}
		if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
			t.Errorf("TokenizeSMILES(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTokenizeSMILESErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		pos  int
		frag string // must occur in the message
	}{
		{"", 1, "empty"},
		{"CC[NH", 3, "unclosed '['"},
		{"C[N[H]", 2, "unclosed '['"},
		{"CC]", 3, "unmatched ']'"},
		{"CC(C", 3, "unclosed '('"},
		{"C(C(C)C", 2, "unclosed '('"},
		{"CC)C", 3, "unmatched ')'"},
		{"C()C", 3, "empty branch"},
		{"(C)C", 1, "must follow an atom"},
		{"=CC", 1, "must follow an atom"},
		{"1CC1", 1, "must follow an atom"},
		{"C1CC", 2, "ring bond 1 is opened and never closed"},
		{"CC%12CC", 3, "ring bond %12 is opened"},
		{"C%1C", 2, "two digits"},
		{"C%", 2, "two digits"},
		{"CC=", 3, "ends with"},
		{"CC.", 3, "ends with"},
		{"C..C", 3, "'.' must follow an atom"},
		{"C(.)C", 4, "branch ends after a bond or dot"},
		{"CKC", 2, "invalid character 'K'"},
		{"CHC", 2, "invalid character 'H'"},
		{"Cl+", 3, "invalid character '+'"},
		{"C C", 2, "invalid character ' '"},
		{"CCé", 3, "invalid character 'é'"},
		{"C[]C", 3, "empty brackets"},
		{"C[Xx]", 3, "unknown element"},
		{"C[q]", 3, "unknown aromatic"},
		{"C[C+a]", 5, "unexpected 'a'"},
		{"[C:]", 4, "atom class"},
		{"[1234C]", 2, "isotope"},
		{"[+]", 2, "missing element symbol"},
	} {
		_, err := TokenizeSMILES(tc.in)
		var se *SMILESError
		if !errors.As(err, &se) {
			t.Errorf("TokenizeSMILES(%q): error %v, want a *SMILESError", tc.in, err)
			continue
		}
		if se.Pos != tc.pos || !strings.Contains(se.Msg, tc.frag) {
			t.Errorf("TokenizeSMILES(%q): position %d %q, want position %d with %q", tc.in, se.Pos, se.Msg, tc.pos, tc.frag)
		}
		if !strings.Contains(err.Error(), "position") {
			t.Errorf("error %q does not name the position", err)
		}
	}
}

// Real SMILES from the fixtures (GPCR: TransformerCPI, aromatic form; Davis:
// DeepDTA ligands_can.txt, Kekulé form) must all tokenise.
func TestTokenizeSMILESRealFixtures(t *testing.T) {
	for _, s := range []string{
		"CC(=O)Nc1cc(Cl)cc2cc(C(=O)N3CCN(Cc4ccc(F)cc4)CC3C)oc12",
		"CN(C)CCCC1(c2ccc(F)cc2)OCc2cc(C#N)ccc21",
		"CC1=C2C=C(C=CC2=NN1)C3=CC(=CN=C3)OCC(CC4=CC=CC=C4)N",
		"C1CNCCC1NC(=O)C2=C(C=NN2)NC(=O)C3=C(C=CC=C3Cl)Cl",
		"CC[C@H](C)[C@@H]1NC(=O)[C@@H](N)CSSC[C@@H](C(=O)O)NC1=O",
	} {
		toks, err := TokenizeSMILES(s)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if strings.Join(toks, "") != s {
			t.Errorf("tokens of %q do not join back", s)
		}
	}
}

func FuzzTokenizeSMILES(f *testing.F) {
	for _, s := range []string{"C", "c1ccccc1", "C[C@@H](N)C(=O)O", "[NH4+].[Cl-]", "C%10CC%10",
		"CC(", "C1CC", "[Na+", "F/C=C\\F", "Br[13CH2]Cl", "C%1", "[se]1cccc1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, err := TokenizeSMILES(s)
		if err != nil {
			var se *SMILESError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error %v is not a *SMILESError", s, err)
			}
			if se.Pos < 1 || se.Pos > len(s)+1 {
				t.Fatalf("%q: position %d out of range", s, se.Pos)
			}
			return
		}
		if strings.Join(toks, "") != s {
			t.Fatalf("%q: tokens %q do not join back", s, toks)
		}
		depth := 0
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("%q: empty token", s)
			}
			switch tok {
			case "(":
				depth++
			case ")":
				depth--
			}
			if depth < 0 {
				t.Fatalf("%q: unbalanced branches accepted", s)
			}
			if len(tok) > 1 && tok[0] != '[' && tok[0] != '%' && tok != "Cl" && tok != "Br" {
				t.Fatalf("%q: unexpected multi-character token %q", s, tok)
			}
		}
		if depth != 0 {
			t.Fatalf("%q: unclosed branch accepted", s)
		}
		again, err := TokenizeSMILES(strings.Join(toks, ""))
		if err != nil || len(again) != len(toks) {
			t.Fatalf("%q: re-tokenising changed the result", s)
		}
	})
}
