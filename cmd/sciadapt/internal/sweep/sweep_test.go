package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestParseSpecErrors(t *testing.T) {
	for _, tc := range []struct {
		name, spec, msg string
	}{
		{"not json", `{"command": "transfer",`, "JSON ends early"},
		{"not object", `["transfer"]`, "want a JSON object"},
		{"trailing", `{"command":"transfer","jobs":[{"seed":1}]} {}`, "trailing data"},
		{"unknown key", `{"command":"transfer","grids":{"seed":[1]}}`, `unknown key "grids"`},
		{"no command", `{"grid":{"seed":[1]}}`, `no "command"`},
		{"bad command", `{"command":"train","grid":{"seed":[1]}}`, `command "train" cannot be swept`},
		{"neither", `{"command":"transfer","args":{"seed":1}}`, `exactly one of "grid" and "jobs"`},
		{"both", `{"command":"transfer","grid":{"seed":[1]},"jobs":[{"seed":2}]}`, `exactly one of`},
		{"empty axis", `{"command":"transfer","grid":{"seed":[]}}`, `grid axis "seed" has no values`},
		{"axis not list", `{"command":"transfer","grid":{"seed":1}}`, `grid axis "seed" must be a list`},
		{"no axes", `{"command":"transfer","grid":{}}`, `"grid" has no axes`},
		{"duplicate value", `{"command":"transfer","grid":{"seed":[1,2,1]}}`, `lists 1 twice`},
		{"duplicate key", `{"command":"transfer","grid":{"seed":[1],"seed":[2]}}`, `key "seed" appears twice`},
		{"reserved out", `{"command":"transfer","args":{"out":"x.adapter"},"grid":{"seed":[1]}}`, "--out is set by the sweep"},
		{"reserved report", `{"command":"transfer","jobs":[{"report":"r.json"}]}`, "--report is set by the sweep"},
		{"dashes", `{"command":"transfer","grid":{"--seed":[1]}}`, `write "seed", not "--seed"`},
		{"arg and axis", `{"command":"transfer","args":{"seed":1},"grid":{"seed":[1,2]}}`, "--seed is both"},
		{"arg and list", `{"command":"transfer","args":{"seed":1},"jobs":[{"seed":2}]}`, `jobs[0]: --seed is also in "args"`},
		{"null value", `{"command":"transfer","args":{"base":null},"grid":{"seed":[1]}}`, "not a string, number or boolean"},
		{"list value", `{"command":"transfer","grid":{"seed":[[1,2]]}}`, "not a string, number or boolean"},
		{"empty entry", `{"command":"transfer","jobs":[{}]}`, "jobs[0] sets no flag"},
		{"empty list", `{"command":"transfer","jobs":[]}`, `"jobs" is empty`},
		{"same name", `{"command":"transfer","grid":{"data":["a/b.h5","a:b.h5"]}}`, "jobs 0 and 1 would both be named transfer_data=a-b.h5"},
	} {
		_, err := ParseSpec([]byte(tc.spec))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.msg)
		}
	}
}

func TestExpandGrid(t *testing.T) {
	s, err := ParseSpec([]byte(`{"command": "add-element",
		"args": {"base": "hcn.model", "data": "o train.h5", "lr": 3e-3},
		"grid": {"element": ["O"], "frames": [10, 50], "seed": [1, 2, 3]}}`))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := s.Expand()
	if err != nil {
		t.Fatal(err)
	}
	// 1·2·3 jobs, seed (the last axis) fastest.
	want := []string{
		"add-element_element=O_frames=10_seed=1", "add-element_element=O_frames=10_seed=2", "add-element_element=O_frames=10_seed=3",
		"add-element_element=O_frames=50_seed=1", "add-element_element=O_frames=50_seed=2", "add-element_element=O_frames=50_seed=3",
	}
	if len(jobs) != len(want) {
		t.Fatalf("%d jobs, want %d", len(jobs), len(want))
	}
	for i, j := range jobs {
		if j.Name != want[i] || j.Index != i {
			t.Errorf("job %d: %s (index %d), want %s", i, j.Name, j.Index, want[i])
		}
	}
	// Numbers pass as written, strings unquoted, fixed flags first.
	got := strings.Join(jobs[4].Flags, " ")
	if w := "--base=hcn.model --data=o train.h5 --lr=3e-3 --element=O --frames=50 --seed=2"; got != w {
		t.Errorf("flags %q, want %q", got, w)
	}
	args := Args("/sw", s, jobs[0])
	if args[0] != "add-element" || args[len(args)-2] != "--out=/sw/jobs/"+want[0]+"/out.adapter" ||
		args[len(args)-1] != "--report=/sw/jobs/"+want[0]+"/report.json" {
		t.Errorf("args %q", args)
	}
	if c := strings.Join(s.Columns(), ","); c != "element,frames,seed" {
		t.Errorf("columns %s", c)
	}
	if c := strings.Join(s.FlagNames(), ","); c != "base,data,lr,element,frames,seed" {
		t.Errorf("flag names %s", c)
	}
}

func TestExpandListAndNames(t *testing.T) {
	long := strings.Repeat("x", 200)
	s, err := ParseSpec([]byte(`{"command": "transfer",
		"jobs": [{"species": "rat", "data": "data/rat.h5"}, {"method": "lora", "species": "mouse"}, {"orthologs": "` + long + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	jobs, _ := s.Expand()
	if jobs[0].Name != "transfer_species=rat_data=data-rat.h5" || jobs[1].Name != "transfer_method=lora_species=mouse" {
		t.Errorf("names %s, %s", jobs[0].Name, jobs[1].Name)
	}
	// Columns: keys by first appearance.
	if c := strings.Join(s.Columns(), ","); c != "species,data,method,orthologs" {
		t.Errorf("columns %s", c)
	}
	n := jobs[2].Name
	if len(n) != maxName || !strings.HasPrefix(n, "transfer_orthologs=xxx") || n[maxName-9] != '~' {
		t.Errorf("long name %q (%d bytes)", n, len(n))
	}
	if jobName("transfer_orthologs="+long+"y") == n {
		t.Error("two long names that differ at the end got the same cut name")
	}
}

// fakeRunner stands in for sciadapt: it writes a report whose metric is computed
// from the flags, and fails for --frames=13. It counts calls per job.
type fakeRunner struct {
	mu    sync.Mutex
	calls map[string]int
}

func (f *fakeRunner) run(_ context.Context, args []string, stdout, _ io.Writer) error {
	flags := map[string]string{}
	for _, a := range args[1:] {
		k, v, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		flags[k] = v
	}
	f.mu.Lock()
	f.calls[filepath.Base(filepath.Dir(flags["report"]))]++
	f.mu.Unlock()
	fmt.Fprintf(stdout, "fake %s with %d frames\n", args[0], len(flags["frames"]))
	if flags["frames"] == "13" {
		fmt.Fprintln(stdout, "sciadapt: o.h5: 13 frames is unlucky")
		return errors.New("exit code 1")
	}
	var frames, seed float64
	fmt.Sscan(flags["frames"], &frames)
	fmt.Sscan(flags["seed"], &seed)
	r := fmt.Sprintf(`{"method": "adapter", "seconds": %g, "test": {"n_frames": 4, "energy_mae_ev": %v},
		"total_parameters": 1000, "trainable_parameters": %d, "lr": "%s"}`, seed/7, 1/frames+seed/1024, int(frames)*2, flags["lr"])
	return os.WriteFile(flags["report"], []byte(r), 0o644)
}

func TestLocalResumeAndGather(t *testing.T) {
	dir := t.TempDir()
	spec := `{"command": "add-element", "args": {"lr": 0.01}, "grid": {"frames": [10, 13, 50], "seed": [1, 2]}}`
	s, err := ParseSpec([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	jobs, _ := s.Expand()
	f := &fakeRunner{calls: map[string]int{}}
	var progress bytes.Buffer
	ex := &Local{Workers: 3, Runner: f.run, Progress: &progress}
	if err := ex.Run(context.Background(), dir, s, Pending(dir, s, jobs)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(progress.String(), "\n"); n != 6 || strings.Count(progress.String(), "FAILED") != 2 {
		t.Errorf("progress:\n%s", progress.String())
	}
	fails := Failures(dir, s, jobs)
	if len(fails) != 2 || fails[0].Job.Name != "add-element_frames=13_seed=1" || fails[0].Reason != "wrote no report.json" {
		t.Fatalf("failures %+v", fails)
	}
	if !strings.Contains(fails[0].Tail, "13 frames is unlucky") || !strings.HasSuffix(fails[0].Tail, "failed: exit code 1") ||
		fails[0].Log != filepath.Join(dir, "jobs", "add-element_frames=13_seed=1", "log") {
		t.Errorf("failure log %s, tail:\n%s", fails[0].Log, fails[0].Tail)
	}

	tab, err := Gather(dir, s, jobs)
	if err != nil {
		t.Fatal(err)
	}
	var csv, js bytes.Buffer
	if err := tab.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	if err := tab.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	// Metrics exactly as the reports wrote them (1/frames + seed/1024: 1/10+1/1024 =
	// 0.1009765625, 1/50+2/1024 = 0.021953125, both exact in binary), the
	// nested test errors flattened, seconds left out, failed rows empty.
	wantCSV := `job,status,frames,seed,method,test.n_frames,test.energy_mae_ev,total_parameters,trainable_parameters,lr
add-element_frames=10_seed=1,ok,10,1,adapter,4,0.1009765625,1000,20,0.01
add-element_frames=10_seed=2,ok,10,2,adapter,4,0.101953125,1000,20,0.01
add-element_frames=13_seed=1,failed,13,1,,,,,,
add-element_frames=13_seed=2,failed,13,2,,,,,,
add-element_frames=50_seed=1,ok,50,1,adapter,4,0.0209765625,1000,100,0.01
add-element_frames=50_seed=2,ok,50,2,adapter,4,0.021953125,1000,100,0.01
`
	if csv.String() != wantCSV {
		t.Errorf("CSV:\n%s\nwant:\n%s", csv.String(), wantCSV)
	}
	var rows []map[string]any
	if err := json.Unmarshal(js.Bytes(), &rows); err != nil {
		t.Fatalf("table JSON: %v\n%s", err, js.String())
	}
	if len(rows) != 6 || rows[4]["test.energy_mae_ev"] != 0.0209765625 || rows[4]["frames"] != 50.0 ||
		rows[2]["status"] != "failed" || rows[2]["test.energy_mae_ev"] != nil || rows[0]["lr"] != "0.01" {
		t.Errorf("table JSON rows %v", rows)
	}

	// A re-run runs only the failed jobs.
	pending := Pending(dir, s, jobs)
	if len(pending) != 2 || pending[0].Name != "add-element_frames=13_seed=1" {
		t.Fatalf("pending %v", pending)
	}
	ex.Run(context.Background(), dir, s, pending)
	for _, j := range jobs {
		want := 1
		if strings.Contains(j.Name, "=13_") {
			want = 2
		}
		if f.calls[j.Name] != want {
			t.Errorf("%s ran %d times, want %d", j.Name, f.calls[j.Name], want)
		}
	}

	// A report that lacks a required key is not finished.
	rep := filepath.Join(dir, "jobs", "add-element_frames=50_seed=2", "report.json")
	os.WriteFile(rep, []byte(`{"total_parameters": 1000, "trainable_parameters": 100}`), 0o644)
	if ok, reason := Check(dir, s, jobs[5]); ok || reason != "report.json lacks seconds" {
		t.Errorf("incomplete report: done %v, %q", ok, reason)
	}
	os.WriteFile(rep, []byte(`{"total_parameters": 1000,`), 0o644)
	if ok, reason := Check(dir, s, jobs[5]); ok || reason != "report.json is not a JSON object" {
		t.Errorf("truncated report: done %v, %q", ok, reason)
	}

	// Changing a fixed flag makes every job stale, even with reports on disk.
	s2, _ := ParseSpec([]byte(strings.Replace(spec, "0.01", "0.02", 1)))
	jobs2, _ := s2.Expand()
	if p := Pending(dir, s2, jobs2); len(p) != 6 {
		t.Errorf("%d jobs pending after changing --lr, want 6", len(p))
	}
	if _, reason := Check(dir, s2, jobs2[0]); reason != "ran with other flags" {
		t.Errorf("stale job: %q", reason)
	}
}

// A report value named like a swept flag ("method" here, as transfer reports
// its --method) gets its own column "report.method".
func TestGatherFlagNamedLikeReportKey(t *testing.T) {
	dir := t.TempDir()
	s, err := ParseSpec([]byte(`{"command": "add-element", "grid": {"method": ["lora", "adapter"], "frames": [10]}}`))
	if err != nil {
		t.Fatal(err)
	}
	jobs, _ := s.Expand()
	f := &fakeRunner{calls: map[string]int{}}
	if err := (&Local{Workers: 1, Runner: f.run}).Run(context.Background(), dir, s, jobs); err != nil {
		t.Fatal(err)
	}
	tab, err := Gather(dir, s, jobs)
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if err := tab.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	want := `job,status,method,frames,report.method,test.n_frames,test.energy_mae_ev,total_parameters,trainable_parameters,lr
add-element_method=lora_frames=10,ok,lora,10,adapter,4,0.1,1000,20,
add-element_method=adapter_frames=10,ok,adapter,10,adapter,4,0.1,1000,20,
`
	if csv.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", csv.String(), want)
	}
}

func TestLocalCancel(t *testing.T) {
	dir := t.TempDir()
	s, _ := ParseSpec([]byte(`{"command": "transfer", "grid": {"seed": [1, 2, 3, 4]}}`))
	jobs, _ := s.Expand()
	ctx, cancel := context.WithCancel(context.Background())
	ran := 0
	run := func(context.Context, []string, io.Writer, io.Writer) error { ran++; cancel(); return nil }
	err := (&Local{Workers: 1, Runner: run}).Run(ctx, dir, s, jobs)
	if !errors.Is(err, context.Canceled) || ran != 1 {
		t.Errorf("cancelled run: %v after %d jobs, want context.Canceled after 1", err, ran)
	}
	// The job that ran wrote no report: failed; the others never started.
	tab, err := Gather(dir, s, jobs)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{`"failed"`, `"not run"`, `"not run"`, `"not run"`} {
		if got := string(tab.Rows[i][1]); got != want {
			t.Errorf("job %d: status %s, want %s", i, got, want)
		}
	}
	fs := Failures(dir, s, jobs)
	if len(fs) != 4 || !fs[0].Started || fs[0].Reason != "wrote no report.json" || fs[1].Started || fs[1].Reason != "never started" || fs[1].Log != "" {
		t.Errorf("failures %+v", fs)
	}
}

func TestRunTask(t *testing.T) {
	dir := t.TempDir()
	spec := []byte(`{"command": "add-element", "args": {"lr": 0.01}, "grid": {"frames": [10, 13, 50], "seed": [1]}}`)
	if err := WriteSpec(dir, spec); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, SlurmDir), 0o755)
	tasks := `{"per_task": 2, "jobs": ["add-element_frames=10_seed=1", "add-element_frames=13_seed=1", "add-element_frames=50_seed=1"]}`
	os.WriteFile(filepath.Join(dir, SlurmDir, TasksFile), []byte(tasks), 0o644)
	f := &fakeRunner{calls: map[string]int{}}
	var log bytes.Buffer
	err := RunTask(context.Background(), dir, 0, f.run, &log)
	if err == nil || !strings.Contains(err.Error(), "task 0: 1 job(s) failed: add-element_frames=13_seed=1") {
		t.Errorf("task 0: %v", err)
	}
	if f.calls["add-element_frames=10_seed=1"] != 1 || f.calls["add-element_frames=50_seed=1"] != 0 {
		t.Errorf("task 0 ran %v", f.calls)
	}
	if err := RunTask(context.Background(), dir, 1, f.run, &log); err != nil {
		t.Errorf("task 1: %v", err)
	}
	// Run again, a task skips its finished jobs.
	log.Reset()
	RunTask(context.Background(), dir, 0, f.run, &log)
	if f.calls["add-element_frames=10_seed=1"] != 1 || !strings.Contains(log.String(), "skip add-element_frames=10_seed=1: finished earlier") {
		t.Errorf("re-run of task 0 ran %v; log:\n%s", f.calls, log.String())
	}
	if err := RunTask(context.Background(), dir, 2, f.run, &log); err == nil || !strings.Contains(err.Error(), "task index 2 out of range: the list has tasks 0 to 1") {
		t.Errorf("task 2: %v", err)
	}
}

func ExampleSpec_Expand() {
	s, err := ParseSpec([]byte(`{"command": "temperature-tune",
		"args": {"base": "al6061.model", "data": "al.h5"},
		"grid": {"temperature": ["100C", "200C"], "points": [5, 10]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	jobs, _ := s.Expand()
	for _, j := range jobs {
		fmt.Println(j.Name)
	}
	fmt.Println(jobs[3].Flags)
	// Output:
	// temperature-tune_temperature=100C_points=5
	// temperature-tune_temperature=100C_points=10
	// temperature-tune_temperature=200C_points=5
	// temperature-tune_temperature=200C_points=10
	// [--base=al6061.model --data=al.h5 --temperature=200C --points=10]
}

func TestSummaries(t *testing.T) {
	s, err := ParseSpec([]byte(`{"command": "temperature-tune",
		"grid": {"temperature": ["100C", "200C"], "points": [5, 10], "seed": [1, 2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	jobs, _ := s.Expand()
	// Rows in job order: 100C/5/1, 100C/5/2, 100C/10/1, 100C/10/2, 200C/5/1, ...
	rmse := []string{"7", "9", "6", "", "30", "20", "failed", "10"}
	tab := &Table{Columns: append(append([]string{"job", "status"}, s.Columns()...), "stress_rmse_mpa", "specimen")}
	for i, j := range jobs {
		row := []json.RawMessage{json.RawMessage(`"` + j.Name + `"`), json.RawMessage(`"ok"`)}
		for _, p := range j.Params {
			row = append(row, p.Value)
		}
		switch rmse[i] {
		case "failed":
			row[1] = json.RawMessage(`"failed"`)
			row = append(row, nil, nil)
		case "":
			row = append(row, json.RawMessage("null"), json.RawMessage(`"A"`))
		default:
			row = append(row, json.RawMessage(rmse[i]), json.RawMessage(`"A"`))
		}
		tab.Rows = append(tab.Rows, row)
	}
	figs := Summaries(s, tab)
	// temperature is not numeric and seed is averaged over: one figure, points.
	if len(figs) != 1 || figs[0].X != "points" || figs[0].Metric.Column != "stress_rmse_mpa" || len(figs[0].Lines) != 2 {
		t.Fatalf("figures %+v", figs)
	}
	for i, want := range []Line{
		{Label: "temperature=100C", X: []float64{5, 10}, Y: []float64{8, 6}, N: []int{2, 1}},
		{Label: "temperature=200C", X: []float64{5, 10}, Y: []float64{25, 10}, N: []int{2, 1}},
	} {
		got := figs[0].Lines[i]
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("line %d: %+v, want %+v", i, got, want)
		}
	}
}
