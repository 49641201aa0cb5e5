package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio"
)

// dtiFixtures imports the GPCR and ortholog subsets of testdata/dti.
func dtiFixtures(t *testing.T) (dir, gpcr, orth string) {
	t.Helper()
	dir = t.TempDir()
	gpcr, orth = filepath.Join(dir, "GPCR.h5"), filepath.Join(dir, "ORTHOLOGS.h5")
	var log bytes.Buffer
	if err := runImportGPCR(&ImportGPCROptions{
		Inputs:       []string{"train=" + filepath.Join(dtiData, "gpcr/GPCR_train_subset.txt"), "test=" + filepath.Join(dtiData, "gpcr/GPCR_test_subset.txt")},
		SpeciesTable: filepath.Join(dtiData, "gpcr/protein_species_subset.tsv"), Species: "unknown", Out: gpcr, Stdout: &log,
	}); err != nil {
		t.Fatal(err)
	}
	if err := runImportFASTA(&ImportFASTAOptions{
		Inputs:    []string{"human=" + filepath.Join(dtiData, "orthologs/human_subset.fasta"), "rat=" + filepath.Join(dtiData, "orthologs/rat_subset.fasta")},
		Orthologs: filepath.Join(dtiData, "orthologs/ortholog_pairs_subset.tsv"), Out: orth, Stdout: &log,
	}); err != nil {
		t.Fatal(err)
	}
	return dir, gpcr, orth
}

func readDTIReport(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainDTIAndTransfer(t *testing.T) {
	dir, gpcr, orth := dtiFixtures(t)
	base, drug := filepath.Join(dir, "human.model"), filepath.Join(dir, "drug.model")
	var log bytes.Buffer
	for _, o := range []*TrainDTIOptions{
		{Data: gpcr, Out: base, Report: filepath.Join(dir, "train.json")},
		{Data: gpcr, Out: drug, DrugOnly: true},
	} {
		o.Species, o.TestFraction, o.Epochs, o.BatchProteins, o.PairsPerProtein = "human,unknown", 0.25, 1, 8, 8
		o.LR, o.Embed, o.MaxProteinLength, o.Seed, o.Log = 1e-3, 8, 200, 1, &log
		if err := runTrainDTI(o); err != nil {
			t.Fatal(err)
		}
	}
	rep := readDTIReport(t, filepath.Join(dir, "train.json"))
	for _, k := range []string{"trainable_parameters", "total_parameters", "seconds"} {
		if _, ok := rep[k].(float64); !ok {
			t.Errorf("train report lacks %s: %v", k, rep)
		}
	}
	// Fixture: 18 human/unknown pairs on 4 proteins (testdata/dti/README.md); one
	// protein (a quarter) is held out.
	train, test := rep["train"].(map[string]any), rep["test"].(map[string]any)
	if n := train["n_pairs"].(float64) + test["n_pairs"].(float64); n != 18 {
		t.Errorf("train + test pairs = %v, want the 18 human and unknown pairs", n)
	}
	if _, ok := test["auroc"]; !ok {
		t.Errorf("test metrics lack auroc: %v", test)
	}

	for _, method := range []string{"frozen", "prompt", "adapter", "lora", "head", "full"} {
		t.Run(method, func(t *testing.T) {
			out, report := filepath.Join(dir, method+".adapter"), filepath.Join(dir, method+".json")
			o := &TransferOptions{Base: base, Species: "rat", Data: gpcr, Orthologs: orth, Out: out, Report: report,
				Method: method, Control: drug, PerTarget: 2, Epochs: 2, PromptLength: 4, Rank: 2, Reduction: 4,
				Align: 1, LR: 3e-3, Seed: 1, Log: &log}
			if err := runTransfer(o); err != nil {
				t.Fatal(err)
			}
			r := readDTIReport(t, report)
			for _, k := range []string{"trainable_parameters", "total_parameters", "seconds", "test", "frozen_test", "control_drug_only_test", "control_receptor_rate_test"} {
				if _, ok := r[k]; !ok {
					t.Errorf("report lacks %s", k)
				}
			}
			// Fixture: 27 rat pairs on 4 proteins (12, 8, 6, 1): K = 2 adapt on the
			// first three, the single pair of the fourth is test.
			if r["adapt_pairs"].(float64) != 6 {
				t.Errorf("adapt_pairs %v, want 6", r["adapt_pairs"])
			}
			// The base held out one human protein (a quarter of 4), so every method
			// reports its pairs before and after; with the adapter disabled the
			// human model must predict them bit for bit as before.
			if v, ok := r["human_predictions_unchanged"]; !ok || v != true {
				t.Errorf("human_predictions_unchanged is %v (present %v), want true", v, ok)
			}
			before, after := r["human_test_before"], r["human_test_after"]
			if before == nil || !reflect.DeepEqual(before, after) {
				t.Errorf("human test before %v, after %v; want the same metrics", before, after)
			}
			_, err := os.Stat(out)
			if method == "frozen" {
				if err == nil {
					t.Error("frozen wrote an adapter file")
				}
				if r["trainable_parameters"].(float64) != 0 {
					t.Errorf("frozen: %v trainable parameters", r["trainable_parameters"])
				}
				return
			}
			if err != nil {
				t.Errorf("no adapter file: %v", err)
			}
			if r["trainable_parameters"].(float64) <= 0 {
				t.Errorf("%v trainable parameters", r["trainable_parameters"])
			}
			if r["ortholog_pairs"].(float64) != 4 {
				t.Errorf("ortholog_pairs %v, want the 4 human–rat links of the fixture", r["ortholog_pairs"])
			}
		})
	}

	// Errors: usage (exit 2) and bad input (exit 1), naming the problem.
	for _, tc := range []struct {
		o    TransferOptions
		code int
		want string
	}{
		{TransferOptions{Base: base, Data: gpcr, Species: "rat", Method: "magic"}, ExitUsage, `--method "magic"`},
		{TransferOptions{Base: base, Data: gpcr, Species: "human", Method: "prompt"}, ExitUsage, "the base is human"},
		{TransferOptions{Base: drug, Data: gpcr, Species: "rat", Method: "prompt"}, ExitBadInput, "drug-only model has no protein branch"},
		{TransferOptions{Base: base, Data: gpcr, Species: "bovine", Method: "prompt"}, ExitBadInput, `no pairs of species "bovine"`},
		{TransferOptions{Base: base, Data: orth, Species: "rat", Method: "prompt"}, ExitBadInput, `task "none"`},
		{TransferOptions{Base: gpcr, Data: gpcr, Species: "rat", Method: "prompt"}, ExitBadInput, gpcr},
	} {
		tc.o.Out, tc.o.Log = filepath.Join(dir, "x.adapter"), &log
		err := runTransfer(&tc.o)
		if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v (exit %d), want exit %d and %q", tc.o, err, exitCode(err), tc.code, tc.want)
		}
	}
	var ue usageError
	if err := runTrainDTI(&TrainDTIOptions{Data: gpcr, Out: base, Species: "human", TestFraction: 1, Epochs: 1}); !errors.As(err, &ue) {
		t.Errorf("--test-fraction 1: %v, want a usage error", err)
	}
}

// TestTrainDTILayerSizes checks that the layer-size flags reach the model file and
// that inconsistent lists are usage errors.
func TestTrainDTILayerSizes(t *testing.T) {
	dir, gpcr, _ := dtiFixtures(t)
	out := filepath.Join(dir, "sized.model")
	var log bytes.Buffer
	o := &TrainDTIOptions{Data: gpcr, Out: out, Species: "human,unknown", TestFraction: 0.25, Epochs: 1,
		BatchProteins: 4, PairsPerProtein: 4, LR: 1e-3, Embed: 8, MaxProteinLength: 100, Seed: 1, Log: &log,
		ProteinFilters: []int{4, 6, 10}, DrugFilters: []int{5, 7}, DrugWidths: []int{3, 5}, Hidden: []int{12, 9}}
	if err := runTrainDTI(o); err != nil {
		t.Fatal(err)
	}
	m, _, err := bio.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Config
	if !slices.Equal(c.ProteinFilters, []int{4, 6, 10}) || !slices.Equal(c.ProteinWidths, []int{8, 8, 8}) ||
		!slices.Equal(c.DrugFilters, []int{5, 7}) || !slices.Equal(c.DrugWidths, []int{3, 5}) || !slices.Equal(c.Hidden, []int{12, 9}) {
		t.Errorf("model config %+v does not hold the flags' layer sizes", c)
	}
	if got := m.ProteinWidth() + m.DrugWidth(); got != 17 {
		t.Errorf("representation widths sum to %d, want 10 + 7", got)
	}
	for _, bad := range []TrainDTIOptions{
		{ProteinFilters: []int{4, 6}, ProteinWidths: []int{8}},
		{DrugWidths: []int{3, 5, 7}},
		{Hidden: []int{0}},
	} {
		b := *o
		b.Out = filepath.Join(dir, "bad.model")
		b.ProteinFilters, b.ProteinWidths, b.DrugFilters, b.DrugWidths, b.Hidden = bad.ProteinFilters, bad.ProteinWidths, bad.DrugFilters, bad.DrugWidths, bad.Hidden
		var ue usageError
		if err := runTrainDTI(&b); !errors.As(err, &ue) {
			t.Errorf("%+v: %v, want a usage error", bad, err)
		}
		if _, err := os.Stat(b.Out); err == nil {
			t.Errorf("%+v: %s left behind", bad, b.Out)
		}
	}
}

// TestTrainDTIFoldAndSchedule trains on DeepDTA's training folds of the Davis
// fixture with one fold held out for validation, with a cosine schedule, and checks
// the pair counts of the report and the flag errors.
func TestTrainDTIFoldAndSchedule(t *testing.T) {
	dir := t.TempDir()
	davis := filepath.Join(dir, "DAVIS.h5")
	cmd := NewCmdImportDavis()
	cmd.SetArgs([]string{filepath.Join(dtiData, "davis"), "--out", davis})
	cmd.SetOut(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	// The fixture's training folds hold 7, 2, 5, 5 and 3 pairs (TestImportDavis).
	var log bytes.Buffer
	root := NewRootCmd(strings.NewReader(""), &log, &log)
	out, report := filepath.Join(dir, "v.model"), filepath.Join(dir, "v.json")
	root.SetArgs([]string{"train", "dti", "--data", davis, "--split", "train", "--test-fold", "2", "--lr-schedule", "cosine",
		"--epochs", "2", "--embed", "4", "--max-protein-length", "50", "--out", out, "--report", report, "--quiet"})
	if err := root.Execute(); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	rep := readDTIReport(t, report)
	train, test := rep["train"].(map[string]any), rep["test"].(map[string]any)
	if train["n_pairs"].(float64) != 17 || test["n_pairs"].(float64) != 5 {
		t.Errorf("train %v and test %v pairs, want 17 and fold 2's 5", train["n_pairs"], test["n_pairs"])
	}
	// The flag reaches the loop: the default (constant) gives another model than
	// cosine, and naming constant gives the default's model.
	models := map[string][]byte{}
	for _, sched := range []string{"", "constant", "cosine"} {
		root := NewRootCmd(strings.NewReader(""), &log, &log)
		out := filepath.Join(dir, "s"+sched+".model")
		args := []string{"train", "dti", "--data", davis, "--split", "train", "--test-fold", "2", "--epochs", "2", "--embed", "4",
			"--max-protein-length", "50", "--out", out, "--quiet"}
		if sched != "" {
			args = append(args, "--lr-schedule", sched)
		}
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatalf("--lr-schedule %q: %v", sched, err)
		}
		models[sched], _ = os.ReadFile(out)
	}
	if !bytes.Equal(models[""], models["constant"]) || bytes.Equal(models["constant"], models["cosine"]) {
		t.Error("--lr-schedule: want the default to be constant and cosine to give another model")
	}
	for _, args := range [][]string{
		{"--split", "train", "--test-fold", "9"},
		{"--split", "train", "--test-fold", "1", "--test-split", "test"},
		{"--lr-schedule", "linear"},
	} {
		root := NewRootCmd(strings.NewReader(""), &log, &log)
		root.SetArgs(append([]string{"train", "dti", "--data", davis, "--epochs", "1", "--out", filepath.Join(dir, "bad.model"), "--quiet"}, args...))
		if err := root.Execute(); err == nil {
			t.Errorf("%v: no error", args)
		}
		if _, err := os.Stat(filepath.Join(dir, "bad.model")); err == nil {
			t.Errorf("%v: model left behind", args)
		}
	}
}

// TestTransferZeroShotAndPromptAuto checks K = 0 (only the alignment term trains
// the adapter) and --prompt-length auto (the saturation rule on held-back pairs).
func TestTransferZeroShotAndPromptAuto(t *testing.T) {
	dir, gpcr, orth := dtiFixtures(t)
	base := filepath.Join(dir, "human.model")
	var log bytes.Buffer
	if err := runTrainDTI(&TrainDTIOptions{Data: gpcr, Out: base, Species: "human,unknown", TestFraction: 0.25, Epochs: 1,
		BatchProteins: 8, PairsPerProtein: 8, LR: 1e-3, Embed: 8, MaxProteinLength: 200, Seed: 1, Log: &log}); err != nil {
		t.Fatal(err)
	}
	run := func(name string, o TransferOptions) map[string]any {
		t.Helper()
		o.Base, o.Species, o.Data, o.Epochs, o.LR, o.Seed, o.Log = base, "rat", gpcr, 3, 1e-2, 1, &log
		o.Out, o.Report = filepath.Join(dir, name+".adapter"), filepath.Join(dir, name+".json")
		if o.Rank == 0 {
			o.Rank, o.Reduction = 2, 4
		}
		if err := runTransfer(&o); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return readDTIReport(t, o.Report)
	}

	// K = 0: every one of the 27 rat pairs is test; the adapter trains on the
	// alignment term alone, which must raise the cosine to the human orthologs.
	frozen := run("k0_frozen", TransferOptions{Method: "frozen"})
	aligned := run("k0_align", TransferOptions{Method: "adapter", Orthologs: orth, Align: 1})
	for _, r := range []map[string]any{frozen, aligned} {
		if r["adapt_pairs"].(float64) != 0 || r["test"].(map[string]any)["n_pairs"].(float64) != 27 {
			t.Errorf("K = 0: adapt %v, test %v; want 0 and the 27 rat pairs", r["adapt_pairs"], r["test"])
		}
	}
	if frozen["test"].(map[string]any)["auroc"] != frozen["frozen_test"].(map[string]any)["auroc"] {
		t.Errorf("frozen at K = 0: test %v differs from frozen_test %v", frozen["test"], frozen["frozen_test"])
	}
	cb, ca := aligned["alignment_cosine_before"].(float64), aligned["alignment_cosine_after"].(float64)
	if !(ca > cb) || aligned["trainable_parameters"].(float64) <= 0 {
		t.Errorf("K = 0 with alignment: cosine %v → %v, %v parameters; want a rise", cb, ca, aligned["trainable_parameters"])
	}

	// --prompt-length auto at K = 2: one of each protein's two pairs validates.
	r := run("auto", TransferOptions{Method: "prompt", PerTarget: 2})
	var choice struct {
		Length int
		Tried  []struct {
			Length int
			Score  float64
		}
	}
	b, _ := json.Marshal(r["prompt_length_search"])
	if err := json.Unmarshal(b, &choice); err != nil || len(choice.Tried) < 3 {
		t.Fatalf("prompt_length_search %s: %v; want at least three lengths tried", b, err)
	}
	t.Logf("K = 0 cosine %.4f → %.4f; prompt lengths tried %+v, chose %d", cb, ca, choice.Tried, choice.Length)
	best := choice.Tried[0].Score
	for i, tr := range choice.Tried {
		if want := []int{1, 2, 4, 8, 16, 32}[i]; tr.Length != want {
			t.Errorf("length %d tried at step %d, want %d", tr.Length, i, want)
		}
		best = min(best, tr.Score)
	}
	want := 0
	for _, tr := range choice.Tried {
		if tr.Score <= best+bio.PromptLengthTol {
			want = tr.Length
			break
		}
	}
	// The prompt holds Length soft residues of the embedding width 8.
	if choice.Length != want || r["prompt_length"].(float64) != float64(want) || r["trainable_parameters"].(float64) != float64(8*want) {
		t.Errorf("chose %d (report %v, %v parameters), want %d from %+v", choice.Length, r["prompt_length"], r["trainable_parameters"], want, choice.Tried)
	}
	o := TransferOptions{Base: base, Species: "rat", Data: gpcr, Method: "prompt", Out: filepath.Join(dir, "x.adapter"), Log: &log}
	if err := runTransfer(&o); exitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--prompt-length auto") {
		t.Errorf("auto at K = 0: %v, want a usage error naming --prompt-length auto", err)
	}

	var n int
	v := promptLengthValue{&n}
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"auto", 0, true}, {"12", 12, true}, {"0", 0, false}, {"-3", 0, false}, {"eight", 0, false}} {
		n = -1
		err := v.Set(tc.in)
		if (err == nil) != tc.ok || (tc.ok && n != tc.want) {
			t.Errorf("--prompt-length %s: %d, %v", tc.in, n, err)
		}
	}
}
