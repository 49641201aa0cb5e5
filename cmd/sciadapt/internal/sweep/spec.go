package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"
)

// commands lists the sciadapt commands a sweep may run, in the order they are
// documented. Each writes an adapter file and a JSON report.
var commands = []string{"add-element", "temperature-tune", "transfer"}

// reserved flags are set by the sweep for every job and may not appear in a spec:
// --out is DIR/jobs/<name>/out.adapter and --report DIR/jobs/<name>/report.json.
var reserved = []string{"out", "report"}

// Param is one command-line flag of a job: --Name=Value. Value is the flag's JSON
// literal as written in the spec (a string, number or boolean), compacted.
type Param struct {
	Name  string
	Value json.RawMessage
}

// Text returns the value as it is passed on the command line: a JSON string
// unquoted, a number or boolean as written.
func (p Param) Text() string { return valueText(p.Value) }

// Axis is one grid axis: a flag and the values it takes, in spec order.
type Axis struct {
	Name   string
	Values []json.RawMessage
}

// Spec is a parsed sweep specification. Exactly one of Grid and List is set.
type Spec struct {
	// Command is add-element, temperature-tune or transfer.
	Command string
	// Args are the flags every job gets, in spec order.
	Args []Param
	// Grid holds the axes of a full grid, in spec order; the last varies fastest.
	Grid []Axis
	// List holds explicit jobs, each its own flags in spec order.
	List [][]Param
}

// Job is one command of an expanded sweep.
type Job struct {
	// Name is unique in the sweep and safe as a directory name, such as
	// "add-element_element=O_frames=10_seed=1".
	Name string
	// Index is the job's position in the expansion, from 0.
	Index int
	// Params are the flags that vary between jobs (grid axes or list entries).
	Params []Param
	// Flags is the full flag list passed to the command (fixed args then Params),
	// without --out and --report, as "--name=value".
	Flags []string
}

// ReadSpec reads and parses a sweep specification file.
func ReadSpec(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ParseSpec(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return s, nil
}

// ParseSpec parses a sweep specification:
//
//	{"command": "temperature-tune",
//	 "args": {"base": "al6061.model", "data": "al.h5"},
//	 "grid": {"temperature": ["100C", "200C"], "seed": [1, 2, 3]}}
//
// or with "jobs": [{"temperature": "100C", "points": 5}, ...] instead of "grid".
// Key order is kept: it fixes the job order, the job names and the table columns.
func ParseSpec(b []byte) (*Spec, error) {
	keys, vals, err := orderedObject(b)
	if err != nil {
		return nil, fmt.Errorf("sweep spec: %v", err)
	}
	s := &Spec{}
	var haveGrid, haveList bool
	for i, k := range keys {
		v := vals[i]
		switch k {
		case "command":
			if err := json.Unmarshal(v, &s.Command); err != nil {
				return nil, fmt.Errorf("\"command\" must be a string, not %s", v)
			}
		case "args":
			if s.Args, err = params(v, "args"); err != nil {
				return nil, err
			}
		case "grid":
			haveGrid = true
			ks, vs, err := orderedObject(v)
			if err != nil {
				return nil, fmt.Errorf("\"grid\": %v", err)
			}
			for j, name := range ks {
				var values []json.RawMessage
				if err := json.Unmarshal(vs[j], &values); err != nil {
					return nil, fmt.Errorf("grid axis %q must be a list of values, not %s", name, vs[j])
				}
				if len(values) == 0 {
					return nil, fmt.Errorf("grid axis %q has no values", name)
				}
				seen := map[string]bool{}
				for n, x := range values {
					if values[n], err = scalar(x); err != nil {
						return nil, fmt.Errorf("grid axis %q: %v", name, err)
					}
					if t := valueText(values[n]); seen[t] {
						return nil, fmt.Errorf("grid axis %q lists %s twice", name, values[n])
					} else {
						seen[t] = true
					}
				}
				s.Grid = append(s.Grid, Axis{Name: name, Values: values})
			}
			if len(s.Grid) == 0 {
				return nil, errors.New("\"grid\" has no axes")
			}
		case "jobs":
			haveList = true
			var entries []json.RawMessage
			if err := json.Unmarshal(v, &entries); err != nil {
				return nil, fmt.Errorf("\"jobs\" must be a list of objects, not %s", v)
			}
			if len(entries) == 0 {
				return nil, errors.New("\"jobs\" is empty")
			}
			for j, e := range entries {
				ps, err := params(e, fmt.Sprintf("jobs[%d]", j))
				if err != nil {
					return nil, err
				}
				if len(ps) == 0 {
					return nil, fmt.Errorf("jobs[%d] sets no flag", j)
				}
				s.List = append(s.List, ps)
			}
		default:
			return nil, fmt.Errorf("unknown key %q (want command, args, and grid or jobs)", k)
		}
	}
	if s.Command == "" {
		return nil, fmt.Errorf("no \"command\" (one of %s)", strings.Join(commands, ", "))
	}
	known := false
	for _, c := range commands {
		known = known || c == s.Command
	}
	if !known {
		return nil, fmt.Errorf("command %q cannot be swept; use one of %s", s.Command, strings.Join(commands, ", "))
	}
	if haveGrid == haveList {
		return nil, errors.New("give exactly one of \"grid\" and \"jobs\"")
	}
	fixed := map[string]bool{}
	for _, p := range s.Args {
		fixed[p.Name] = true
	}
	check := func(where, name string) error {
		for _, r := range reserved {
			if name == r {
				return fmt.Errorf("%s: --%s is set by the sweep for each job (DIR/jobs/<name>/); leave it out", where, name)
			}
		}
		if name == "" || strings.HasPrefix(name, "-") || strings.ContainsAny(name, "= ") {
			return fmt.Errorf("%s: %q is not a flag name (write \"seed\", not \"--seed\")", where, name)
		}
		return nil
	}
	for _, p := range s.Args {
		if err := check("args", p.Name); err != nil {
			return nil, err
		}
	}
	for _, a := range s.Grid {
		if err := check("grid", a.Name); err != nil {
			return nil, err
		}
		if fixed[a.Name] {
			return nil, fmt.Errorf("--%s is both in \"args\" and a grid axis", a.Name)
		}
	}
	for j, ps := range s.List {
		for _, p := range ps {
			if err := check(fmt.Sprintf("jobs[%d]", j), p.Name); err != nil {
				return nil, err
			}
			if fixed[p.Name] {
				return nil, fmt.Errorf("jobs[%d]: --%s is also in \"args\"", j, p.Name)
			}
		}
	}
	if _, err := s.Expand(); err != nil {
		return nil, err
	}
	return s, nil
}

// FlagNames returns every flag the spec sets (fixed args, then grid axes or list
// keys), each once, in spec order.
func (s *Spec) FlagNames() []string {
	var names []string
	for _, p := range s.Args {
		names = append(names, p.Name)
	}
	return append(names, s.Columns()...)
}

// Columns returns the names of the flags that vary between jobs: the grid axes, or
// the keys of the list entries in order of first appearance.
func (s *Spec) Columns() []string {
	var names []string
	for _, a := range s.Grid {
		names = append(names, a.Name)
	}
	seen := map[string]bool{}
	for _, ps := range s.List {
		for _, p := range ps {
			if !seen[p.Name] {
				seen[p.Name] = true
				names = append(names, p.Name)
			}
		}
	}
	return names
}

// Expand returns the jobs of the spec in a deterministic order: list order, or the
// grid as nested loops over the axes in spec order, the last axis innermost. It
// returns an error if two jobs would get the same name.
func (s *Spec) Expand() ([]Job, error) {
	var sets [][]Param
	if len(s.Grid) > 0 {
		n := 1
		for _, a := range s.Grid {
			n *= len(a.Values)
		}
		for i := 0; i < n; i++ {
			ps := make([]Param, len(s.Grid))
			r := i
			for k := len(s.Grid) - 1; k >= 0; k-- {
				a := s.Grid[k]
				ps[k] = Param{a.Name, a.Values[r%len(a.Values)]}
				r /= len(a.Values)
			}
			sets = append(sets, ps)
		}
	} else {
		sets = s.List
	}
	jobs := make([]Job, len(sets))
	byName := map[string]int{}
	for i, ps := range sets {
		parts := []string{s.Command}
		for _, p := range ps {
			parts = append(parts, p.Name+"="+p.Text())
		}
		name := jobName(strings.Join(parts, "_"))
		if j, ok := byName[name]; ok {
			return nil, fmt.Errorf("jobs %d and %d would both be named %s; make the values differ in more than punctuation", j, i, name)
		}
		byName[name] = i
		var flags []string
		for _, p := range append(append([]Param{}, s.Args...), ps...) {
			flags = append(flags, "--"+p.Name+"="+p.Text())
		}
		jobs[i] = Job{Name: name, Index: i, Params: ps, Flags: flags}
	}
	return jobs, nil
}

// maxName is the longest job name kept whole; longer names are cut and end in a hash.
const maxName = 120

// jobName makes s safe as a directory name: characters other than letters, digits
// and ._=+,- become '-', and a name longer than maxName bytes is cut and ends in
// "~" and 8 hexadecimal digits of a hash of the whole.
func jobName(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._=+,-", c) >= 0
		if !ok {
			b[i] = '-'
		}
	}
	if len(b) > maxName {
		h := fnv.New32a()
		h.Write([]byte(s))
		return fmt.Sprintf("%s~%08x", b[:maxName-9], h.Sum32())
	}
	return string(b)
}

// params reads a JSON object of flag values, keeping key order.
func params(b []byte, where string) ([]Param, error) {
	keys, vals, err := orderedObject(b)
	if err != nil {
		return nil, fmt.Errorf("%q: %v", where, err)
	}
	ps := make([]Param, len(keys))
	for i, k := range keys {
		v, err := scalar(vals[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", where, k, err)
		}
		ps[i] = Param{k, v}
	}
	return ps, nil
}

// scalar checks that v is a JSON string, number or boolean and returns it compacted.
func scalar(v json.RawMessage) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return nil, err
	}
	c := buf.Bytes()
	if len(c) == 0 || c[0] == '{' || c[0] == '[' || string(c) == "null" {
		return nil, fmt.Errorf("value %s is not a string, number or boolean", c)
	}
	return c, nil
}

// valueText returns a scalar JSON value as command-line text.
func valueText(v json.RawMessage) string {
	if len(v) > 0 && v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	}
	return string(v)
}

// orderedObject decodes one JSON object into its keys and raw values in file order.
// Duplicate keys are an error.
func orderedObject(b []byte) ([]string, []json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil {
		return nil, nil, jsonErr(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("want a JSON object, found %s", strings.TrimSpace(string(b[:min(len(b), 40)])))
	}
	var keys []string
	var vals []json.RawMessage
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, jsonErr(err)
		}
		k := t.(string)
		if seen[k] {
			return nil, nil, fmt.Errorf("key %q appears twice", k)
		}
		seen[k] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, jsonErr(err)
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, jsonErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("trailing data after the JSON object")
	}
	return keys, vals, nil
}

func jsonErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("JSON ends early")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
	}
	return err
}

// quote returns s quoted for a POSIX shell.
func quote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=,:@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
