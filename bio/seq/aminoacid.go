package seq

import (
	"fmt"
	"unicode/utf8"
)

// StandardAminoAcids are the one-letter codes of the 20 standard residues in
// alphabetical order.
const StandardAminoAcids = "ACDEFGHIKLMNPQRSTVWY"

// ExtraAminoAcids are the six further one-letter codes that protein sequences may
// hold: U (selenocysteine), O (pyrrolysine) and the ambiguity codes B (D or N),
// Z (E or Q), J (L or I) and X (any), in alphabetical order.
const ExtraAminoAcids = "BJOUXZ"

// AminoAcid describes one one-letter residue code.
type AminoAcid struct {
	Code     byte   // one-letter IUPAC code, upper case
	Abbrev   string // three-letter code, e.g. "Ala"
	Name     string // e.g. "alanine"
	Standard bool   // one of the 20 standard residues
	// Means lists the standard residues an ambiguity code stands for ("DN" for B,
	// "EQ" for Z, "IL" for J, all 20 for X); it is empty for other codes.
	Means string
}

var aminoAcids = [26]AminoAcid{
	{'A', "Ala", "alanine", true, ""},
	{'B', "Asx", "aspartate or asparagine", false, "DN"},
	{'C', "Cys", "cysteine", true, ""},
	{'D', "Asp", "aspartate", true, ""},
	{'E', "Glu", "glutamate", true, ""},
	{'F', "Phe", "phenylalanine", true, ""},
	{'G', "Gly", "glycine", true, ""},
	{'H', "His", "histidine", true, ""},
	{'I', "Ile", "isoleucine", true, ""},
	{'J', "Xle", "leucine or isoleucine", false, "IL"},
	{'K', "Lys", "lysine", true, ""},
	{'L', "Leu", "leucine", true, ""},
	{'M', "Met", "methionine", true, ""},
	{'N', "Asn", "asparagine", true, ""},
	{'O', "Pyl", "pyrrolysine", false, ""},
	{'P', "Pro", "proline", true, ""},
	{'Q', "Gln", "glutamine", true, ""},
	{'R', "Arg", "arginine", true, ""},
	{'S', "Ser", "serine", true, ""},
	{'T', "Thr", "threonine", true, ""},
	{'U', "Sec", "selenocysteine", false, ""},
	{'V', "Val", "valine", true, ""},
	{'W', "Trp", "tryptophan", true, ""},
	{'X', "Xaa", "any or unknown residue", false, StandardAminoAcids},
	{'Y', "Tyr", "tyrosine", true, ""},
	{'Z', "Glx", "glutamate or glutamine", false, "EQ"},
}

// AminoAcids returns the 26 accepted one-letter codes in alphabetical order. The
// returned slice is a copy.
func AminoAcids() []AminoAcid {
	out := make([]AminoAcid, len(aminoAcids))
	copy(out, aminoAcids[:])
	return out
}

// LookupAminoAcid returns the residue with one-letter code c (upper or lower case)
// and whether c is an accepted code.
func LookupAminoAcid(c byte) (AminoAcid, bool) {
	if 'a' <= c && c <= 'z' {
		c -= 'a' - 'A'
	}
	if c < 'A' || c > 'Z' {
		return AminoAcid{}, false
	}
	return aminoAcids[c-'A'], true
}

// ResidueError reports a character that is not an accepted residue code.
type ResidueError struct {
	Pos  int  // 1-based byte position in the sequence string
	Char rune // the offending character
}

func (e *ResidueError) Error() string {
	return fmt.Sprintf("invalid residue %s at position %d%s", quoteRune(e.Char), e.Pos, residueHint(e.Char))
}

func residueHint(c rune) string {
	switch {
	case c == '-' || c == '.':
		return " (an alignment gap: remove gaps before use)"
	case c == '*':
		return " (a stop codon inside the sequence: is this a translated reading frame?)"
	case c >= '0' && c <= '9':
		return " (digits are not residues: is this a numbered GenBank-style sequence?)"
	case c == ' ' || c == '\t':
		return " (white space inside a sequence)"
	}
	return " (accepted: the 20 standard one-letter codes and B J O U X Z)"
}

func quoteRune(c rune) string {
	if c == utf8.RuneError {
		return "(invalid UTF-8 byte)"
	}
	return fmt.Sprintf("%q", c)
}

// NormalizeProtein checks that s is a protein sequence of accepted one-letter codes
// (see the package documentation) and returns it in upper case. It returns a
// *ResidueError naming the first offending character and its position, and an
// error for an empty sequence.
func NormalizeProtein(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty protein sequence")
	}
	var b []byte // allocated only if a lower-case letter needs rewriting
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			if b != nil {
				b[i] = c
			}
		case 'a' <= c && c <= 'z':
			if b == nil {
				b = []byte(s)
			}
			b[i] = c - ('a' - 'A')
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return "", &ResidueError{Pos: i + 1, Char: r}
		}
	}
	if b != nil {
		return string(b), nil
	}
	return s, nil
}

// CountNonStandard returns how many residues of the upper-case sequence s are not
// among the 20 standard ones (U, O and the ambiguity codes).
func CountNonStandard(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		aa, ok := LookupAminoAcid(s[i])
		if !ok || !aa.Standard {
			n++
		}
	}
	return n
}
