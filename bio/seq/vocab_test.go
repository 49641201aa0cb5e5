package seq

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestProteinVocabulary(t *testing.T) {
	v := ProteinVocabulary()
	if v.Len() != 28 {
		t.Fatalf("Len = %d, want 2 reserved + 26 codes", v.Len())
	}
	for _, tc := range []struct {
		tok string
		id  int
	}{{PadToken, 0}, {UnknownToken, 1}, {"A", 2}, {"C", 3}, {"Y", 21}, {"B", 22}, {"Z", 27}, {"*", UnknownID}, {"a", UnknownID}} {
		if got := v.ID(tc.tok); got != tc.id {
			t.Errorf("ID(%q) = %d, want %d", tc.tok, got, tc.id)
		}
	}
	got := v.EncodeResidues(nil, "MKX")
	// M is the 11th standard code (A C D E F G H I K L M …): id 2+10 = 12;
	// K the 9th: id 10; X the 5th extra code: id 22+4 = 26.
	if len(got) != 3 || got[0] != 12 || got[1] != 10 || got[2] != 26 {
		t.Errorf("EncodeResidues(MKX) = %v, want [12 10 26]", got)
	}
}

func TestBuildVocabularyDeterministic(t *testing.T) {
	corpus := [][]string{{"C", "C", "O"}, {"c", "1", "c", "c", "1", "Cl"}, {"C", "N", "O"}}
	v := BuildVocabulary(corpus, 1)
	// Counts: C 3, c 3, 1 2, O 2, Cl 1, N 1; ties in byte order ("C" < "c", "1" < "O", "Cl" < "N").
	want := []string{PadToken, UnknownToken, "C", "c", "1", "O", "Cl", "N"}
	if strings.Join(v.Tokens(), " ") != strings.Join(want, " ") {
		t.Fatalf("tokens %q, want %q", v.Tokens(), want)
	}
	if v2 := BuildVocabulary(corpus, 2); v2.Len() != 6 || v2.Contains("Cl") {
		t.Errorf("minCount 2: %q", v2.Tokens())
	}
	ids := v.Encode(nil, []string{"C", "Br", "N"})
	if ids[0] != 2 || ids[1] != UnknownID || ids[2] != 7 {
		t.Errorf("Encode = %v", ids)
	}
	if v.Token(6) != "Cl" {
		t.Errorf("Token(6) = %q", v.Token(6))
	}
}

func TestVocabularyJSON(t *testing.T) {
	v := NewVocabulary([]string{"C", "[nH]", "C", UnknownToken, "%10"})
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `["\u003cpad\u003e","\u003cunk\u003e","C","[nH]","%10"]` {
		t.Fatalf("JSON %s", b)
	}
	var w Vocabulary
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	if w.Len() != 5 || w.ID("[nH]") != 3 {
		t.Errorf("round trip: %q", w.Tokens())
	}
	for _, bad := range []string{`["C"]`, `["<pad>","<unk>","C","C"]`, `["<pad>","<unk>",""]`, `{}`} {
		if err := json.Unmarshal([]byte(bad), &w); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestVocabularyTokenPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Token(99) did not panic")
		}
	}()
	ProteinVocabulary().Token(99)
}
