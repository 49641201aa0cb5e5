package sweep

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// skipKeys are report keys left out of the table: "seconds" is wall-clock time,
// which differs from run to run, and the table is a pure function of the results.
// Each job's own report.json keeps it.
var skipKeys = []string{"seconds"}

// Table is the gathered result of a sweep: one row per job in job order. Columns
// are "job", "status" ("ok", "failed", or "not run" for a job that never
// started), the varying flags (Spec.Columns), then
// every report value, nested objects flattened with "." ("test.energy_mae_ev"), in
// order of first appearance over the reports in job order; a report value whose
// name is that of a varying flag is named "report.<name>". Each cell is a compact
// JSON value exactly as the report (or the spec) wrote it, or nil where a job has
// no such value.
type Table struct {
	Columns []string
	Rows    [][]json.RawMessage
}

// Gather reads the reports of jobs in dir into a table. Jobs that have not finished
// (see Check) get status "failed" (or "not run") and no report values.
func Gather(dir string, s *Spec, jobs []Job) (*Table, error) {
	t := &Table{Columns: append([]string{"job", "status"}, s.Columns()...)}
	fixed := len(t.Columns)
	col := map[string]int{}
	for i, c := range t.Columns {
		col[c] = i
	}
	type kv struct {
		k string
		v json.RawMessage
	}
	reports := make([][]kv, len(jobs))
	status := make([]string, len(jobs))
	for i, j := range jobs {
		ok, reason := Check(dir, s, j)
		switch {
		case reason == notStarted:
			status[i] = `"not run"`
		case !ok:
			status[i] = `"failed"`
		default:
			status[i] = `"ok"`
		}
		if !ok {
			continue
		}
		path := filepath.Join(JobDir(dir, j), ReportFile)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var flat []kv
		var walk func(prefix string, b json.RawMessage) error
		walk = func(prefix string, b json.RawMessage) error {
			keys, vals, err := orderedObject(b)
			if err != nil {
				return err
			}
			for n, k := range keys {
				if prefix == "" && excluded(k) {
					continue
				}
				name := prefix + k
				if v := bytes.TrimSpace(vals[n]); len(v) > 0 && v[0] == '{' {
					if err := walk(name+".", v); err != nil {
						return err
					}
					continue
				}
				var c bytes.Buffer
				if err := json.Compact(&c, vals[n]); err != nil {
					return err
				}
				flat = append(flat, kv{name, c.Bytes()})
			}
			return nil
		}
		if err := walk("", b); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		for n, e := range flat {
			if c, ok := col[e.k]; ok && c < fixed {
				// A report value named like a swept flag (transfer reports its
				// method and seed) goes under "report.<key>" beside the flag.
				e.k = "report." + e.k
				flat[n] = e
			}
			if _, ok := col[e.k]; !ok {
				col[e.k] = len(t.Columns)
				t.Columns = append(t.Columns, e.k)
			} else if col[e.k] < fixed {
				return nil, fmt.Errorf("%s: report key %q clashes with a column of the table", path, e.k)
			}
		}
		reports[i] = flat
	}
	for i, j := range jobs {
		row := make([]json.RawMessage, len(t.Columns))
		row[0], _ = json.Marshal(j.Name)
		row[1] = json.RawMessage(status[i])
		for _, p := range j.Params {
			row[col[p.Name]] = p.Value
		}
		for _, e := range reports[i] {
			row[col[e.k]] = e.v
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

func excluded(k string) bool {
	for _, e := range skipKeys {
		if k == e {
			return true
		}
	}
	return false
}

// WriteCSV writes the table as CSV with a header line: strings unquoted, numbers
// and booleans as the reports wrote them, lists as compact JSON, missing values and
// nulls empty.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, v := range row {
			switch {
			case v == nil || string(v) == "null":
				rec[i] = ""
			default:
				rec[i] = valueText(v)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the table as a JSON list with one object per row, keys in
// column order, missing values null.
func (t *Table) WriteJSON(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("[")
	for r, row := range t.Rows {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for i, v := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(t.Columns[i])
			b.Write(k)
			b.WriteString(": ")
			if v == nil {
				v = json.RawMessage("null")
			}
			b.Write(v)
		}
		b.WriteString("}")
	}
	b.WriteString("\n]\n")
	_, err := w.Write(b.Bytes())
	return err
}

// WriteFiles writes the table to DIR/sweep.csv and DIR/sweep.json atomically and
// returns their paths.
func (t *Table) WriteFiles(dir string) (csvPath, jsonPath string, err error) {
	csvPath, jsonPath = filepath.Join(dir, "sweep.csv"), filepath.Join(dir, "sweep.json")
	if err := atomicfile.Write(csvPath, t.WriteCSV); err != nil {
		return "", "", err
	}
	if err := atomicfile.Write(jsonPath, t.WriteJSON); err != nil {
		return "", "", err
	}
	return csvPath, jsonPath, nil
}
