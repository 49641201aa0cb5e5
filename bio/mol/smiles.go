package mol

import (
	"fmt"
	"strconv"

	"github.com/sciadapt/sciadapt/elements"
)

// parser holds the state of reading one SMILES string into a graph.
type parser struct {
	s   string
	i   int // next byte
	m   *Mol
	err *Error

	prev     int       // atom the next atom bonds to, -1 after '.' or at the start
	bond     BondOrder // pending explicit bond order, 0 if none
	bondCol  int
	branches []branch
	rings    map[int]ringOpen
}

type branch struct {
	atom, col, atoms int // atom to return to, column of '(', atom count at '('
}

type ringOpen struct {
	atom    int
	order   BondOrder // 0 if not given at the opening
	col     int       // column of the ring-bond number
	bondCol int       // column of the bond symbol before it, if any
}

// parseGraph reads the SMILES grammar (OpenSMILES) into atoms and bonds, without
// hydrogens or aromaticity work.
func parseGraph(s string) (*Mol, error) {
	p := &parser{s: s, m: &Mol{SMILES: s}, prev: -1, rings: map[int]ringOpen{}}
	if s == "" {
		return nil, &Error{SMILES: s, Col: 1, Msg: "empty SMILES"}
	}
	for p.i < len(s) && p.err == nil {
		p.step()
	}
	if p.err == nil {
		p.finish()
	}
	if p.err != nil {
		return nil, p.err
	}
	return p.m, nil
}

func (p *parser) fail(col int, format string, args ...any) {
	if p.err == nil {
		p.err = &Error{SMILES: p.s, Col: col, Msg: fmt.Sprintf(format, args...)}
	}
}

// step reads one token.
func (p *parser) step() {
	c := p.s[p.i]
	col := p.i + 1
	switch {
	case c == '[':
		p.bracketAtom()
	case c == '(':
		if p.prev < 0 {
			p.fail(col, "'(' opens a branch before any atom")
			return
		}
		if p.bond != 0 {
			p.fail(p.bondCol, "bond symbol %q before '(' (write it inside the branch)", p.s[p.bondCol-1:p.bondCol])
			return
		}
		p.branches = append(p.branches, branch{atom: p.prev, col: col, atoms: len(p.m.Atoms)})
		p.i++
	case c == ')':
		p.closeBranch(col)
	case c == '.':
		if p.bond != 0 {
			p.fail(p.bondCol, "bond symbol %q before '.'", p.s[p.bondCol-1:p.bondCol])
			return
		}
		if p.prev < 0 {
			p.fail(col, "'.' with no atom before it")
			return
		}
		p.prev = -1
		p.i++
	case c >= '0' && c <= '9' || c == '%':
		p.ringBond(col)
	case bondSymbol(c) != 0:
		if p.bond != 0 {
			p.fail(col, "two bond symbols in a row (%q at column %d, then %q)", p.s[p.bondCol-1:p.bondCol], p.bondCol, string(c))
			return
		}
		p.bond, p.bondCol = bondSymbol(c), col
		p.i++
	default:
		p.organicAtom()
	}
}

// bondSymbol returns the order of a SMILES bond character, 0 for none. The
// directional single bonds '/' and '\' are read as Single: cis/trans stereo is
// dropped (see the package documentation).
func bondSymbol(c byte) BondOrder {
	switch c {
	case '-', '/', '\\':
		return Single
	case '=':
		return Double
	case '#':
		return Triple
	case '$':
		return Quadruple
	case ':':
		return Aromatic
	}
	return 0
}

func (p *parser) closeBranch(col int) {
	n := len(p.branches)
	if n == 0 {
		p.fail(col, "')' closes no branch")
		return
	}
	if p.bond != 0 {
		p.fail(p.bondCol, "bond symbol %q at the end of a branch", p.s[p.bondCol-1:p.bondCol])
		return
	}
	b := p.branches[n-1]
	if len(p.m.Atoms) == b.atoms {
		p.fail(b.col, "empty branch '()'")
		return
	}
	p.branches = p.branches[:n-1]
	p.prev = b.atom
	p.i++
}

func (p *parser) finish() {
	end := len(p.s) + 1
	switch {
	case p.bond != 0:
		p.fail(p.bondCol, "bond symbol %q at the end, with no atom after it", p.s[p.bondCol-1:p.bondCol])
	case len(p.branches) > 0:
		p.fail(p.branches[len(p.branches)-1].col, "'(' is never closed")
	case len(p.rings) > 0:
		first := -1
		for n, r := range p.rings {
			if first < 0 || r.col < p.rings[first].col {
				first = n
			}
		}
		p.fail(p.rings[first].col, "ring bond %d is opened here and never closed", first)
	case len(p.m.Atoms) == 0:
		p.fail(end, "no atoms")
	}
}

// ringBond reads a ring-closure number: one digit, %nn or %(n…).
func (p *parser) ringBond(col int) {
	if p.prev < 0 {
		p.fail(col, "ring bond number with no atom before it")
		return
	}
	var n int
	switch {
	case p.s[p.i] != '%':
		n = int(p.s[p.i] - '0')
		p.i++
	case p.i+1 < len(p.s) && p.s[p.i+1] == '(':
		j := p.i + 2
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i+2 || j >= len(p.s) || p.s[j] != ')' || j-p.i-2 > 5 {
			p.fail(col, "malformed ring bond number: want %%(n) with 1 to 5 digits")
			return
		}
		n, _ = strconv.Atoi(p.s[p.i+2 : j])
		p.i = j + 1
	default:
		if p.i+2 >= len(p.s) || !isDigit(p.s[p.i+1]) || !isDigit(p.s[p.i+2]) {
			p.fail(col, "'%%' must be followed by two digits (ring bonds 10–99)")
			return
		}
		n = int(p.s[p.i+1]-'0')*10 + int(p.s[p.i+2]-'0')
		p.i += 3
	}
	order, ocol := p.bond, p.bondCol
	p.bond = 0
	open, ok := p.rings[n]
	if !ok {
		p.rings[n] = ringOpen{atom: p.prev, order: order, col: col, bondCol: ocol}
		return
	}
	delete(p.rings, n)
	switch {
	case open.atom == p.prev:
		p.fail(col, "ring bond %d closes on the atom that opened it", n)
		return
	case p.m.BondBetween(open.atom, p.prev) >= 0:
		p.fail(col, "ring bond %d joins two atoms that are already bonded", n)
		return
	case order != 0 && open.order != 0 && order != open.order:
		p.fail(ocol, "ring bond %d has bond %q at its opening (column %d) and %q here", n, open.order, open.col, order)
		return
	}
	if order == 0 {
		order, ocol = open.order, open.bondCol
	}
	if order == 0 {
		ocol = col
	}
	p.link(open.atom, p.prev, order, ocol)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// link bonds atoms a and b with the given order, or the implicit one: aromatic
// between two aromatic atoms, single otherwise.
func (p *parser) link(a, b int, order BondOrder, col int) {
	if order == 0 {
		order = Single
		if p.m.Atoms[a].Aromatic && p.m.Atoms[b].Aromatic {
			order = Aromatic
		}
	}
	var dir byte
	if col > 0 && col <= len(p.s) && (p.s[col-1] == '/' || p.s[col-1] == '\\') {
		dir = p.s[col-1]
	}
	p.m.addBond(a, b, order, dir, col)
}

// addAtom appends an atom and bonds it to the previous one.
func (p *parser) addAtom(a Atom) {
	p.m.Atoms = append(p.m.Atoms, a)
	p.m.adj = append(p.m.adj, nil)
	k := len(p.m.Atoms) - 1
	if p.prev >= 0 {
		col := p.bondCol
		if p.bond == 0 {
			col = a.Col
		}
		p.link(p.prev, k, p.bond, col)
	} else if p.bond != 0 {
		p.fail(p.bondCol, "bond symbol %q with no atom before it", p.s[p.bondCol-1:p.bondCol])
		return
	}
	p.bond = 0
	p.prev = k
}

// organicAtom reads an atom of the organic subset written without brackets.
func (p *parser) organicAtom() {
	col := p.i + 1
	c := p.s[p.i]
	a := Atom{Col: col}
	n := 1
	switch c {
	case 'B':
		a.Z = 5
		if p.i+1 < len(p.s) && p.s[p.i+1] == 'r' {
			a.Z, n = 35, 2
		}
	case 'C':
		a.Z = 6
		if p.i+1 < len(p.s) && p.s[p.i+1] == 'l' {
			a.Z, n = 17, 2
		}
	case 'N':
		a.Z = 7
	case 'O':
		a.Z = 8
	case 'P':
		a.Z = 15
	case 'S':
		a.Z = 16
	case 'F':
		a.Z = 9
	case 'I':
		a.Z = 53
	case '*':
		a.Z = 0
	case 'b', 'c', 'n', 'o', 'p', 's':
		a.Z, a.Aromatic = map[byte]int{'b': 5, 'c': 6, 'n': 7, 'o': 8, 'p': 15, 's': 16}[c], true
	default:
		p.fail(col, "%s", unexpected(p.s, p.i))
		return
	}
	p.i += n
	p.addAtom(a)
}

// unexpected describes a character that starts no token.
func unexpected(s string, i int) string {
	c := s[i]
	switch {
	case c == ']':
		return "']' without '['"
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return "white space inside the SMILES"
	case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		sym := s[i : i+1]
		if i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z' {
			sym = s[i : i+2]
		}
		if _, err := elements.BySymbol(sym); err == nil && sym[0] >= 'A' && sym[0] <= 'Z' {
			return fmt.Sprintf("%s must be written in brackets, [%s]: only B C N O P S F Cl Br I and aromatic b c n o p s may stand outside brackets", sym, sym)
		}
		return fmt.Sprintf("unknown atom %q (outside brackets only B C N O P S F Cl Br I, aromatic b c n o p s and * are allowed)", s[i:i+1])
	case c >= 0x80:
		return "a non-ASCII character"
	}
	return fmt.Sprintf("unexpected character %q", string(c))
}
