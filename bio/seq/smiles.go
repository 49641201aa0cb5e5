package seq

import (
	"fmt"
	"unicode/utf8"

	"github.com/sciadapt/sciadapt/elements"
)

// SMILESError reports a SMILES string that cannot be tokenised.
type SMILESError struct {
	SMILES string // the input
	Pos    int    // 1-based byte position of the problem (len(SMILES)+1 for "at the end")
	Msg    string
}

func (e *SMILESError) Error() string {
	s := e.SMILES
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("SMILES %q: position %d: %s", s, e.Pos, e.Msg)
}

// token kinds, used to check which token may follow which.
type kind uint8

const (
	kNone kind = iota
	kAtom
	kRing
	kBond
	kOpen
	kClose
	kDot
)

// TokenizeSMILES splits the SMILES string s into tokens: atoms (organic-subset
// symbols including Cl and Br, bracket atoms as one token), bond symbols, branch
// parentheses, ring-bond numbers (one digit, or %nn) and dots; see the package
// documentation. strings.Join(tokens, "") == s for every success.
//
// It returns a *SMILESError naming the 1-based position of the first problem:
// an empty string, a character that starts no token, an unclosed or unmatched
// '[', ']', '(' or ')', a malformed bracket atom, a ring bond opened and never
// closed, or a token in a place the grammar does not allow (a branch or bond
// before any atom, an empty branch, a bond at the end).
func TokenizeSMILES(s string) ([]string, error) {
	fail := func(pos int, format string, args ...any) ([]string, error) {
		return nil, &SMILESError{SMILES: s, Pos: pos, Msg: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return fail(1, "empty SMILES")
	}
	var (
		toks   = make([]string, 0, len(s))
		prev   = kNone
		parens []int    // positions of open '('
		rings  [100]int // position where ring bond n was opened, 0 if closed
	)
	for i := 0; i < len(s); {
		c := s[i]
		pos := i + 1
		var (
			n int
			k kind
		)
		switch {
		case c == '[':
			end := -1
			for j := i + 1; j < len(s); j++ {
				if s[j] == ']' {
					end = j
					break
				}
				if s[j] == '[' {
					return fail(pos, "unclosed '[' (another '[' at position %d)", j+1)
				}
			}
			if end < 0 {
				return fail(pos, "unclosed '['")
			}
			if off, msg := checkBracketAtom(s[i+1 : end]); msg != "" {
				return fail(i+2+off, "bracket atom %s: %s", s[i:end+1], msg)
			}
			n, k = end+1-i, kAtom
		case c == ']':
			return fail(pos, "unmatched ']'")
		case c == 'C' && i+1 < len(s) && s[i+1] == 'l', c == 'B' && i+1 < len(s) && s[i+1] == 'r':
			n, k = 2, kAtom
		case isOrganic(c):
			n, k = 1, kAtom
		case c >= '0' && c <= '9':
			n, k = 1, kRing
		case c == '%':
			if i+2 >= len(s) || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
				return fail(pos, "'%%' must be followed by two digits (ring bonds %%10 to %%99)")
			}
			n, k = 3, kRing
		case c == '-' || c == '=' || c == '#' || c == '$' || c == ':' || c == '/' || c == '\\':
			n, k = 1, kBond
		case c == '.':
			n, k = 1, kDot
		case c == '(':
			n, k = 1, kOpen
		case c == ')':
			n, k = 1, kClose
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' {
				return fail(pos, "invalid character %s: only B C N O P S F Cl Br I (and aromatic b c n o p s) may stand outside brackets; write other elements and charges in brackets, e.g. [Na+], [Si], [nH]", quoteRune(r))
			}
			return fail(pos, "invalid character %s", quoteRune(r))
		}
		// Which token may follow which (OpenSMILES grammar, slightly lenient).
		switch k {
		case kRing:
			if prev != kAtom && prev != kRing && !(prev == kBond && afterBondOK(toks)) {
				return fail(pos, "ring bond %s must follow an atom", s[i:i+n])
			}
			num := int(s[i] - '0')
			if n == 3 {
				num = int(s[i+1]-'0')*10 + int(s[i+2]-'0')
			}
			if rings[num] == 0 {
				rings[num] = pos
			} else {
				rings[num] = 0
			}
		case kBond:
			if prev != kAtom && prev != kRing && prev != kOpen && prev != kClose {
				return fail(pos, "bond %q must follow an atom or a parenthesis", c)
			}
		case kOpen:
			if prev != kAtom && prev != kRing && prev != kClose {
				return fail(pos, "branch '(' must follow an atom")
			}
			parens = append(parens, pos)
		case kClose:
			if len(parens) == 0 {
				return fail(pos, "unmatched ')'")
			}
			if prev == kOpen {
				return fail(pos, "empty branch '()'")
			}
			if prev != kAtom && prev != kRing && prev != kClose {
				return fail(pos, "branch ends after a bond or dot")
			}
			parens = parens[:len(parens)-1]
		case kDot:
			if prev != kAtom && prev != kRing && prev != kClose && prev != kOpen {
				return fail(pos, "'.' must follow an atom")
			}
		}
		toks = append(toks, s[i:i+n])
		prev = k
		i += n
	}
	if len(parens) > 0 {
		return fail(parens[len(parens)-1], "unclosed '('")
	}
	if first := firstOpenRing(&rings); first > 0 {
		return fail(first, "ring bond %s is opened and never closed", ringLabelAt(s, first))
	}
	if prev == kBond || prev == kDot {
		return fail(len(s), "SMILES ends with %q", s[len(s)-1])
	}
	return toks, nil
}

// afterBondOK reports whether the bond that ends toks follows an atom or ring bond,
// so a ring-bond number may come next ("C=1CCC1").
func afterBondOK(toks []string) bool {
	if len(toks) < 2 {
		return false
	}
	p := toks[len(toks)-2]
	return p != "(" && p != ")" && p != "."
}

func firstOpenRing(rings *[100]int) int {
	first := 0
	for _, p := range rings {
		if p > 0 && (first == 0 || p < first) {
			first = p
		}
	}
	return first
}

func ringLabelAt(s string, pos int) string {
	if s[pos-1] == '%' {
		return s[pos-1 : pos+2]
	}
	return s[pos-1 : pos]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isOrganic(c byte) bool {
	switch c {
	case 'B', 'C', 'N', 'O', 'P', 'S', 'F', 'I', 'b', 'c', 'n', 'o', 'p', 's', '*':
		return true
	}
	return false
}

// checkBracketAtom checks the text between '[' and ']' against the OpenSMILES
// bracket-atom grammar: isotope? symbol chirality? hydrogens? charge? class?
// It returns the 0-based offset of a problem and a message, or "" if it is valid.
func checkBracketAtom(b string) (int, string) {
	if b == "" {
		return 0, "empty brackets"
	}
	i := 0
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	if i > 3 {
		return 0, "isotope has more than three digits"
	}
	// Symbol.
	switch {
	case i < len(b) && b[i] == '*':
		i++
	case i < len(b) && 'A' <= b[i] && b[i] <= 'Z':
		if i+1 < len(b) && 'a' <= b[i+1] && b[i+1] <= 'z' && isElement(b[i:i+2]) {
			i += 2
		} else if isElement(b[i : i+1]) {
			i++
		} else {
			return i, fmt.Sprintf("unknown element %q", b[i:min(i+2, len(b))])
		}
	case i < len(b) && 'a' <= b[i] && b[i] <= 'z':
		switch {
		case i+1 < len(b) && (b[i:i+2] == "se" || b[i:i+2] == "as" || b[i:i+2] == "te"):
			i += 2
		case b[i] == 'b' || b[i] == 'c' || b[i] == 'n' || b[i] == 'o' || b[i] == 'p' || b[i] == 's':
			i++
		default:
			return i, fmt.Sprintf("unknown aromatic symbol %q (aromatic: b c n o p s se as te)", b[i:i+1])
		}
	default:
		return i, "missing element symbol"
	}
	// Chirality: @, @@, or @ followed by a class such as TH1, AL2, SP3, TB12, OH30.
	if i < len(b) && b[i] == '@' {
		i++
		if i < len(b) && b[i] == '@' {
			i++
		} else if i+2 < len(b) && isDigit(b[i+2]) {
			switch b[i : i+2] {
			case "TH", "AL", "SP", "TB", "OH":
				i += 2
				for i < len(b) && isDigit(b[i]) {
					i++
				}
			}
		}
	}
	// Hydrogen count.
	if i < len(b) && b[i] == 'H' {
		i++
		if i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	// Charge: + - ++ -- +2 -3 (up to two digits).
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		sign := b[i]
		i++
		switch {
		case i < len(b) && b[i] == sign:
			i++
		case i < len(b) && isDigit(b[i]):
			i++
			if i < len(b) && isDigit(b[i]) {
				i++
			}
		}
	}
	// Atom class.
	if i < len(b) && b[i] == ':' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return i, "atom class ':' must be followed by digits"
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) {
		r, _ := utf8.DecodeRuneInString(b[i:])
		return i, fmt.Sprintf("unexpected %s", quoteRune(r))
	}
	return 0, ""
}

func isElement(sym string) bool {
	e, err := elements.BySymbol(sym)
	return err == nil && e.Symbol == sym
}
