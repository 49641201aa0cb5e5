package curves

import (
	"fmt"
	"strconv"
	"strings"
)

// pyValue is one value of a Python dict literal. Kind is "number", "string",
// "bool", "none" or "other" (a list, tuple, set or dict, kept as its source text).
type pyValue struct {
	Kind string
	Num  float64
	Str  string
}

// pyItem is one key: value pair of a Python dict literal, in source order.
type pyItem struct {
	Key   string
	Value pyValue
}

// parsePyDict parses the text of a Python dict literal such as
//
//	{'temperature':533.0699999999999, 'direction':'R11' }
//
// as written by Python's repr or by hand: keys are quoted strings (or numbers, kept as
// their text); values are numbers, quoted strings, True, False or None; lists, tuples,
// sets and nested dicts are accepted and kept as text. Whitespace and a trailing comma
// are allowed. Errors give the 1-based column of the problem.
func parsePyDict(s string) ([]pyItem, error) {
	p := &pyParser{s: s}
	p.space()
	if !p.eat('{') {
		return nil, p.errorf("expected '{' to start a Python dict")
	}
	var items []pyItem
	seen := make(map[string]bool)
	for {
		p.space()
		if p.eat('}') {
			break
		}
		keyPos := p.i
		key, err := p.value()
		if err != nil {
			return nil, err
		}
		var k string
		switch key.Kind {
		case "string":
			k = key.Str
		case "number":
			k = strings.TrimSpace(s[keyPos:p.i])
		default:
			p.i = keyPos
			return nil, p.errorf("a dict key must be a quoted string or a number")
		}
		if seen[k] {
			p.i = keyPos
			return nil, p.errorf("key %q appears twice", k)
		}
		seen[k] = true
		p.space()
		if !p.eat(':') {
			return nil, p.errorf("expected ':' after key %q", k)
		}
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		items = append(items, pyItem{Key: k, Value: v})
		p.space()
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			break
		}
		return nil, p.errorf("expected ',' or '}' after the value of %q", k)
	}
	p.space()
	if p.i < len(s) {
		return nil, p.errorf("unexpected text %q after the closing '}'", clip(s[p.i:], 20))
	}
	return items, nil
}

type pyParser struct {
	s string
	i int
}

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("column %d: %s", p.i+1, fmt.Sprintf(format, args...))
}

func (p *pyParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *pyParser) value() (pyValue, error) {
	if p.i >= len(p.s) {
		return pyValue{}, p.errorf("the line ends inside the dict")
	}
	switch c := p.s[p.i]; {
	case c == '\'' || c == '"':
		str, err := p.quoted()
		return pyValue{Kind: "string", Str: str}, err
	case c == '[' || c == '(' || c == '{':
		start := p.i
		if err := p.skipBracketed(); err != nil {
			return pyValue{}, err
		}
		return pyValue{Kind: "other", Str: p.s[start:p.i]}, nil
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		start := p.i
		for p.i < len(p.s) && strings.IndexByte("+-.0123456789eE_", p.s[p.i]) >= 0 {
			p.i++
		}
		text := p.s[start:p.i]
		v, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
		if err != nil {
			p.i = start
			return pyValue{}, p.errorf("%q is not a number", text)
		}
		return pyValue{Kind: "number", Num: v}, nil
	default:
		start := p.i
		for p.i < len(p.s) && (isLetter(p.s[p.i]) || p.s[p.i] == '_') {
			p.i++
		}
		switch word := p.s[start:p.i]; word {
		case "True", "False":
			return pyValue{Kind: "bool", Str: word}, nil
		case "None":
			return pyValue{Kind: "none", Str: word}, nil
		default:
			p.i = start
			if word == "" {
				return pyValue{}, p.errorf("unexpected %q", clip(p.s[start:], 20))
			}
			return pyValue{}, p.errorf("%q is not a Python literal (number, quoted string, True, False, None)", word)
		}
	}
}

// quoted reads a single- or double-quoted Python string with backslash escapes.
func (p *pyParser) quoted() (string, error) {
	q := p.s[p.i]
	start := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			switch e := p.s[p.i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
		p.i++
	}
	p.i = start
	return "", p.errorf("string is not closed")
}

func (p *pyParser) skipBracketed() error {
	start := p.i
	var open []byte
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case '\'', '"':
			if _, err := p.quoted(); err != nil {
				return err
			}
			continue
		case '[', '(', '{':
			open = append(open, c)
		case ']', ')', '}':
			want := map[byte]byte{']': '[', ')': '(', '}': '{'}[c]
			if open[len(open)-1] != want {
				return p.errorf("%q closed by %q", open[len(open)-1], c)
			}
			open = open[:len(open)-1]
			if len(open) == 0 {
				p.i++
				return nil
			}
		}
		p.i++
	}
	p.i = start
	return p.errorf("bracket is not closed")
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// clip shortens s to at most n runes for messages.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
