package seq

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Record is one FASTA record.
type Record struct {
	ID          string // first word of the header line, without '>'
	Description string // the rest of the header line, trimmed; may be empty
	Sequence    string // upper-case one-letter residue codes, no white space
}

// SyntaxError reports malformed FASTA input at a 1-based line and column (Col is 0
// when the problem concerns the whole line).
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// maxLine bounds one line of FASTA input (256 MiB): far above any protein
// written on a single line, low enough to stop a runaway binary file.
const maxLine = 256 << 20

// ReadFASTA reads all protein records from r. Residues are checked as described in
// the package documentation and returned in upper case. Errors are *SyntaxError
// values (or I/O errors) naming the line and column of the first problem; input
// without any record is an error.
func ReadFASTA(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var (
		recs     []Record
		cur      *Record
		seq      []byte
		headLine int
		stopLine int // line and column of a '*' seen in the current record, 0 if none
		stopCol  int
		line     int
	)
	finish := func() error {
		if cur == nil {
			return nil
		}
		if len(seq) == 0 {
			return &SyntaxError{Line: headLine, Msg: fmt.Sprintf("record %q has no sequence", cur.ID)}
		}
		cur.Sequence = string(seq)
		recs = append(recs, *cur)
		cur, seq, stopLine, stopCol = nil, seq[:0], 0, 0
		return nil
	}
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || text[0] == ';' {
			continue
		}
		if text[0] == '>' {
			if err := finish(); err != nil {
				return nil, err
			}
			head := strings.TrimSpace(text[1:])
			id, desc := head, ""
			if i := strings.IndexAny(head, " \t"); i >= 0 {
				id, desc = head[:i], head[i+1:]
			}
			if id == "" {
				return nil, &SyntaxError{Line: line, Msg: "header '>' without a record ID"}
			}
			if !utf8.ValidString(head) {
				return nil, &SyntaxError{Line: line, Msg: "header is not valid UTF-8"}
			}
			if i := strings.IndexFunc(head, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }); i >= 0 {
				return nil, &SyntaxError{Line: line, Col: i + 2, Msg: fmt.Sprintf("header holds the control character %q", head[i])}
			}
			cur = &Record{ID: id, Description: strings.TrimSpace(desc)}
			headLine = line
			continue
		}
		if cur == nil {
			return nil, &SyntaxError{Line: line, Msg: "sequence data before the first '>' header (is this a FASTA file?)"}
		}
		for i := 0; i < len(text); i++ {
			c := text[i]
			switch {
			case c == ' ' || c == '\t':
				continue
			case c == '*':
				if stopLine != 0 {
					return nil, &SyntaxError{Line: stopLine, Col: stopCol,
						Msg: fmt.Sprintf("record %q: %v", cur.ID, &ResidueError{Pos: len(seq) + 1, Char: '*'})}
				}
				stopLine, stopCol = line, i+1
				continue
			}
			if stopLine != 0 {
				return nil, &SyntaxError{Line: stopLine, Col: stopCol,
					Msg: fmt.Sprintf("record %q: stop codon '*' before residue %d (only a final '*' is allowed)", cur.ID, len(seq)+1)}
			}
			switch {
			case 'A' <= c && c <= 'Z':
				seq = append(seq, c)
			case 'a' <= c && c <= 'z':
				seq = append(seq, c-('a'-'A'))
			default:
				r, _ := utf8.DecodeRuneInString(text[i:])
				return nil, &SyntaxError{Line: line, Col: i + 1,
					Msg: fmt.Sprintf("record %q: %v", cur.ID, &ResidueError{Pos: len(seq) + 1, Char: r})}
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &SyntaxError{Line: line + 1, Msg: fmt.Sprintf("line longer than %d bytes (is this a FASTA file?)", maxLine)}
		}
		return nil, err
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("no FASTA records: no line starts with '>'")
	}
	return recs, nil
}

// ReadFASTAFile reads all records of the FASTA file at path (see ReadFASTA); errors
// start with the file name.
func ReadFASTAFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a FASTA file", path)
	}
	recs, err := ReadFASTA(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// WriteFASTA writes recs to w in FASTA format with sequence lines of width
// residues (60 if width <= 0). The header is ">ID Description" (">ID" if the
// description is empty). It panics if a record has an empty ID, an ID holding
// white space, or a description holding a line break.
func WriteFASTA(w io.Writer, recs []Record, width int) error {
	if width <= 0 {
		width = 60
	}
	bw := bufio.NewWriter(w)
	for _, r := range recs {
		if r.ID == "" || strings.ContainsAny(r.ID, " \t\r\n") {
			panic(fmt.Sprintf("seq: WriteFASTA: bad record ID %q", r.ID))
		}
		if strings.ContainsAny(r.Description, "\r\n") {
			panic(fmt.Sprintf("seq: WriteFASTA: record %q: description holds a line break", r.ID))
		}
		bw.WriteByte('>')
		bw.WriteString(r.ID)
		if r.Description != "" {
			bw.WriteByte(' ')
			bw.WriteString(r.Description)
		}
		bw.WriteByte('\n')
		for i := 0; i < len(r.Sequence); i += width {
			bw.WriteString(r.Sequence[i:min(i+width, len(r.Sequence))])
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}
