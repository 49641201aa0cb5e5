package curves

import (
	"strings"
	"testing"
)

func TestParsePyDict(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []pyItem
	}{
		// The form in the Sandia files.
		{`{'temperature':533.0699999999999, 'direction':'R11' }`, []pyItem{
			{"temperature", pyValue{Kind: "number", Num: 533.0699999999999}},
			{"direction", pyValue{Kind: "string", Str: "R11"}},
		}},
		{`  { "temperature" : 851.67 , "direction" : "R33", }  `, []pyItem{
			{"temperature", pyValue{Kind: "number", Num: 851.67}},
			{"direction", pyValue{Kind: "string", Str: "R33"}},
		}},
		{`{'temperature': 5.3307e2, 'rate': -1, 'ok': True, 'x': None, 'l': [1, 'a]', (2, 3)], 's': 'it\'s'}`, []pyItem{
			{"temperature", pyValue{Kind: "number", Num: 533.07}},
			{"rate", pyValue{Kind: "number", Num: -1}},
			{"ok", pyValue{Kind: "bool", Str: "True"}},
			{"x", pyValue{Kind: "none", Str: "None"}},
			{"l", pyValue{Kind: "other", Str: "[1, 'a]', (2, 3)]"}},
			{"s", pyValue{Kind: "string", Str: "it's"}},
		}},
		{`{}`, nil},
		{`{1: 2}`, []pyItem{{"1", pyValue{Kind: "number", Num: 2}}}},
	} {
		got, err := parsePyDict(tc.in)
		if err != nil {
			t.Errorf("parsePyDict(%q): %v", tc.in, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("parsePyDict(%q) = %+v, want %+v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("parsePyDict(%q) item %d = %+v, want %+v", tc.in, i, got[i], tc.want[i])
			}
		}
	}
}

func TestParsePyDictErrors(t *testing.T) {
	for _, tc := range []struct{ in, errPart string }{
		{`temperature,533.07`, "column 1: expected '{'"},
		{`{'temperature' 533.07}`, "expected ':' after key \"temperature\""},
		{`{'temperature': 533.07`, "expected ',' or '}'"},
		{`{'temperature': 533.07 'direction': 'R11'}`, "expected ',' or '}'"},
		{`{'temperature': nan}`, `"nan" is not a Python literal`},
		{`{'temperature': '533.07}`, "string is not closed"},
		{`{'direction': 'R11'} extra`, "unexpected text"},
		{`{'a': 1, 'a': 2}`, "key \"a\" appears twice"},
		{`{'a': [1, 2}`, "'[' closed by '}'"},
		{`{'a': [1, 2`, "bracket is not closed"},
		{`{'a': 1.2.3}`, `"1.2.3" is not a number`},
		{`{True: 1}`, "a dict key must be a quoted string or a number"},
	} {
		_, err := parsePyDict(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.errPart) {
			t.Errorf("parsePyDict(%q) error %v, want one containing %q", tc.in, err, tc.errPart)
		}
	}
}
