package seq

import (
	"errors"
	"strings"
	"testing"
)

func TestAminoAcidTable(t *testing.T) {
	aas := AminoAcids()
	if len(aas) != 26 {
		t.Fatalf("%d codes, want 26", len(aas))
	}
	var std, extra strings.Builder
	for i, aa := range aas {
		if aa.Code != byte('A'+i) {
			t.Errorf("entry %d has code %c", i, aa.Code)
		}
		if aa.Standard {
			std.WriteByte(aa.Code)
		} else {
			extra.WriteByte(aa.Code)
		}
		if len(aa.Abbrev) != 3 || aa.Name == "" {
			t.Errorf("%c: abbreviation %q name %q", aa.Code, aa.Abbrev, aa.Name)
		}
		for j := 0; j < len(aa.Means); j++ {
			if m, _ := LookupAminoAcid(aa.Means[j]); !m.Standard {
				t.Errorf("%c means %c which is not standard", aa.Code, aa.Means[j])
			}
		}
	}
	if std.String() != StandardAminoAcids || extra.String() != ExtraAminoAcids {
		t.Errorf("standard %q extra %q", std.String(), extra.String())
	}
	for _, tc := range []struct {
		c     byte
		means string
	}{{'B', "DN"}, {'Z', "EQ"}, {'J', "IL"}, {'X', StandardAminoAcids}, {'U', ""}, {'O', ""}} {
		aa, ok := LookupAminoAcid(tc.c)
		if !ok || aa.Means != tc.means {
			t.Errorf("%c means %q, want %q", tc.c, aa.Means, tc.means)
		}
	}
	if aa, ok := LookupAminoAcid('w'); !ok || aa.Abbrev != "Trp" {
		t.Errorf("lower-case w: %v %v", aa, ok)
	}
	for _, c := range []byte{'1', '*', '-', ' ', '@', 0} {
		if _, ok := LookupAminoAcid(c); ok {
			t.Errorf("%q accepted", c)
		}
	}
}

func TestNormalizeProtein(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		pos      int
		frag     string
	}{
		{in: "MKV", want: "MKV"},
		{in: "mkvXbzjuo", want: "MKVXBZJUO"},
		{in: "MK-V", pos: 3, frag: "alignment gap"},
		{in: "MK*V", pos: 3, frag: "stop codon"},
		{in: "MK1", pos: 3, frag: "digits"},
		{in: "M K", pos: 2, frag: "white space"},
		{in: "MKé", pos: 3, frag: "'é'"},
		{in: "MK\xff", pos: 3, frag: "invalid UTF-8"},
	} {
		got, err := NormalizeProtein(tc.in)
		if tc.pos == 0 {
			if err != nil || got != tc.want {
				t.Errorf("NormalizeProtein(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		var re *ResidueError
		if !errors.As(err, &re) || re.Pos != tc.pos || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("NormalizeProtein(%q): %v; want position %d with %q", tc.in, err, tc.pos, tc.frag)
		}
	}
	if _, err := NormalizeProtein(""); err == nil {
		t.Error("empty sequence accepted")
	}
	if n := CountNonStandard("MKXBVU"); n != 3 {
		t.Errorf("CountNonStandard = %d, want 3", n)
	}
}
