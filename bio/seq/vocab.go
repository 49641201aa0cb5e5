package seq

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Reserved ids and tokens of every Vocabulary.
const (
	PadID        = 0       // id of padding positions
	UnknownID    = 1       // id of every token not in the vocabulary
	PadToken     = "<pad>" // token of PadID
	UnknownToken = "<unk>" // token of UnknownID
)

// Vocabulary maps tokens to integer ids 0 … Len()-1. Ids 0 and 1 are PadToken and
// UnknownToken. A Vocabulary is immutable after construction and safe for
// concurrent use.
type Vocabulary struct {
	tokens []string
	ids    map[string]int
}

// NewVocabulary returns the vocabulary with the given tokens at ids 2, 3, … in the
// order given. Repeated tokens and the reserved tokens are skipped (the first
// occurrence keeps its id). It panics if a token is the empty string.
func NewVocabulary(tokens []string) *Vocabulary {
	v := &Vocabulary{
		tokens: []string{PadToken, UnknownToken},
		ids:    map[string]int{PadToken: PadID, UnknownToken: UnknownID},
	}
	for _, t := range tokens {
		if t == "" {
			panic("seq: NewVocabulary: empty token")
		}
		if _, ok := v.ids[t]; ok {
			continue
		}
		v.ids[t] = len(v.tokens)
		v.tokens = append(v.tokens, t)
	}
	return v
}

// BuildVocabulary returns the vocabulary of the tokens that occur at least
// minCount times in corpus, ordered by descending count and then by byte order, so
// the same corpus always gives the same ids.
func BuildVocabulary(corpus [][]string, minCount int) *Vocabulary {
	counts := make(map[string]int)
	for _, toks := range corpus {
		for _, t := range toks {
			counts[t]++
		}
	}
	keep := make([]string, 0, len(counts))
	for t, n := range counts {
		if n >= minCount && t != "" {
			keep = append(keep, t)
		}
	}
	sort.Slice(keep, func(i, j int) bool {
		if counts[keep[i]] != counts[keep[j]] {
			return counts[keep[i]] > counts[keep[j]]
		}
		return keep[i] < keep[j]
	})
	return NewVocabulary(keep)
}

// ProteinVocabulary returns the residue vocabulary: the 20 standard one-letter codes
// at ids 2–21 (alphabetical) and B J O U X Z at ids 22–27.
func ProteinVocabulary() *Vocabulary {
	toks := make([]string, 0, 26)
	for _, s := range []string{StandardAminoAcids, ExtraAminoAcids} {
		for i := 0; i < len(s); i++ {
			toks = append(toks, s[i:i+1])
		}
	}
	return NewVocabulary(toks)
}

// Len returns the number of ids, reserved ones included.
func (v *Vocabulary) Len() int { return len(v.tokens) }

// ID returns the id of tok, or UnknownID if tok is not in the vocabulary.
func (v *Vocabulary) ID(tok string) int {
	if id, ok := v.ids[tok]; ok {
		return id
	}
	return UnknownID
}

// Contains reports whether tok has its own id.
func (v *Vocabulary) Contains(tok string) bool {
	_, ok := v.ids[tok]
	return ok
}

// Token returns the token with the given id. It panics if id is out of range.
func (v *Vocabulary) Token(id int) string {
	if id < 0 || id >= len(v.tokens) {
		panic(fmt.Sprintf("seq: Vocabulary.Token: id %d out of range [0, %d)", id, len(v.tokens)))
	}
	return v.tokens[id]
}

// Tokens returns a copy of the tokens indexed by id.
func (v *Vocabulary) Tokens() []string { return append([]string(nil), v.tokens...) }

// Encode appends the ids of toks to dst and returns the extended slice.
func (v *Vocabulary) Encode(dst []int, toks []string) []int {
	for _, t := range toks {
		dst = append(dst, v.ID(t))
	}
	return dst
}

// EncodeResidues appends the ids of the one-letter residues of seq (each byte is
// one token) to dst and returns the extended slice.
func (v *Vocabulary) EncodeResidues(dst []int, seq string) []int {
	for i := 0; i < len(seq); i++ {
		dst = append(dst, v.ID(seq[i:i+1]))
	}
	return dst
}

// MarshalJSON encodes v as a JSON array of its tokens indexed by id.
func (v *Vocabulary) MarshalJSON() ([]byte, error) { return json.Marshal(v.tokens) }

// UnmarshalJSON decodes a JSON array written by MarshalJSON. It refuses an array
// that does not start with the reserved tokens or that repeats a token.
func (v *Vocabulary) UnmarshalJSON(b []byte) error {
	var toks []string
	if err := json.Unmarshal(b, &toks); err != nil {
		return fmt.Errorf("vocabulary: %w", err)
	}
	if len(toks) < 2 || toks[PadID] != PadToken || toks[UnknownID] != UnknownToken {
		return fmt.Errorf("vocabulary: must start with %q, %q", PadToken, UnknownToken)
	}
	ids := make(map[string]int, len(toks))
	for i, t := range toks {
		if t == "" {
			return fmt.Errorf("vocabulary: empty token at id %d", i)
		}
		if j, ok := ids[t]; ok {
			return fmt.Errorf("vocabulary: token %q at ids %d and %d", t, j, i)
		}
		ids[t] = i
	}
	v.tokens, v.ids = toks, ids
	return nil
}
