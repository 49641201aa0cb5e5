package mol

import (
	"fmt"

	"github.com/sciadapt/sciadapt/elements"
)

// aromaticBracket maps the aromatic symbols allowed in brackets to atomic numbers.
var aromaticBracket = map[string]int{
	"b": 5, "c": 6, "n": 7, "o": 8, "p": 15, "s": 16, "se": 34, "as": 33, "te": 52, "si": 14,
}

// bracketAtom reads [isotope? symbol chirality? hcount? charge? class?].
// Chirality (@, @@, @TH1, @AL2, @SP3, @TB10, @OH20 …) is checked and dropped.
func (p *parser) bracketAtom() {
	start := p.i
	col := start + 1
	end := start + 1
	for end < len(p.s) && p.s[end] != ']' {
		if p.s[end] == '[' {
			p.fail(col, "'[' is not closed before the next '[' (column %d)", end+1)
			return
		}
		end++
	}
	if end >= len(p.s) {
		p.fail(col, "'[' is never closed")
		return
	}
	body := p.s[start+1 : end]
	a, off, msg := parseBracket(body)
	if msg != "" {
		p.fail(start+2+off, "in bracket atom [%s]: %s", body, msg)
		return
	}
	a.Col, a.Bracket = col, true
	p.i = end + 1
	p.addAtom(a)
}

// parseBracket parses the inside of a bracket atom. On failure it returns the
// offset of the problem within body and a message.
func parseBracket(body string) (a Atom, off int, msg string) {
	i := 0
	digits := func(max int) (int, int) { // value, count
		v, n := 0, 0
		for i < len(body) && isDigit(body[i]) && n < max {
			v = v*10 + int(body[i]-'0')
			i++
			n++
		}
		return v, n
	}
	if iso, n := digits(3); n > 0 {
		if iso == 0 {
			return a, 0, "isotope 0"
		}
		a.Isotope = iso
	}
	if i < len(body) && isDigit(body[i]) {
		return a, i, "isotope with more than three digits"
	}
	z, arom, n := bracketSymbol(body[i:])
	if n == 0 {
		if i >= len(body) {
			return a, i, "no element symbol"
		}
		return a, i, fmt.Sprintf("unknown element symbol at %q", body[i:])
	}
	a.Z, a.Aromatic = z, arom
	i += n
	if m := chirality(body[i:]); m < 0 {
		return a, i, "malformed chirality (want @, @@, @TH1–2, @AL1–2, @SP1–3, @TB1–20 or @OH1–30)"
	} else {
		i += m
	}
	if i < len(body) && body[i] == 'H' {
		i++
		a.explicitHs = 1
		if v, n := digits(1); n > 0 {
			a.explicitHs = v
		}
	}
	if i < len(body) && (body[i] == '+' || body[i] == '-') {
		at := i
		sign := 1
		if body[i] == '-' {
			sign = -1
		}
		c0 := body[i]
		i++
		q := 1
		if v, n := digits(2); n > 0 {
			q = v
		} else {
			for i < len(body) && body[i] == c0 {
				q++
				i++
			}
		}
		if q > 15 {
			return a, at, fmt.Sprintf("charge %d out of range (at most 15)", q)
		}
		a.Charge = sign * q
	}
	if i < len(body) && body[i] == ':' {
		i++
		v, n := digits(9)
		if n == 0 {
			return a, i, "':' must be followed by an atom class number"
		}
		a.Class = v
	}
	if i != len(body) {
		return a, i, fmt.Sprintf("unexpected %q", body[i:])
	}
	return a, 0, ""
}

// bracketSymbol reads an element symbol, an aromatic symbol or '*' at the start of
// s. It returns the atomic number, whether the atom is aromatic, and the number of
// bytes read (0 if none).
func bracketSymbol(s string) (z int, aromatic bool, n int) {
	if s == "" {
		return 0, false, 0
	}
	if s[0] == '*' {
		return 0, false, 1
	}
	if s[0] >= 'a' && s[0] <= 'z' {
		if len(s) >= 2 {
			if z, ok := aromaticBracket[s[:2]]; ok {
				return z, true, 2
			}
		}
		if z, ok := aromaticBracket[s[:1]]; ok {
			return z, true, 1
		}
		return 0, false, 0
	}
	if s[0] < 'A' || s[0] > 'Z' {
		return 0, false, 0
	}
	if len(s) >= 2 && s[1] >= 'a' && s[1] <= 'z' {
		if e, err := elements.BySymbol(s[:2]); err == nil {
			return e.Z, false, 2
		}
	}
	if e, err := elements.BySymbol(s[:1]); err == nil {
		return e.Z, false, 1
	}
	return 0, false, 0
}

// chirality returns the length of a chirality mark at the start of s (0 if none,
// -1 if malformed).
func chirality(s string) int {
	if s == "" || s[0] != '@' {
		return 0
	}
	if len(s) > 1 && s[1] == '@' {
		return 2
	}
	classes := map[string]int{"TH": 2, "AL": 2, "SP": 3, "TB": 20, "OH": 30}
	if len(s) >= 3 {
		if max, ok := classes[s[1:3]]; ok {
			v, n := 0, 0
			for 3+n < len(s) && isDigit(s[3+n]) && n < 2 {
				v = v*10 + int(s[3+n]-'0')
				n++
			}
			if n == 0 || v < 1 || v > max {
				return -1
			}
			return 3 + n
		}
	}
	return 1
}
