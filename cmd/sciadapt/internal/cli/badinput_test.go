package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badRun is one command fed one bad file of testdata/bad.
type badRun struct {
	bad  string   // file or folder of testdata/bad (or a flag value, for usage cases)
	args []string // BAD is replaced by the bad file's path, OUT/ by the fresh out dir
	code int      // 0 means 1 (bad input); 2 for a usage error
	want string   // the message must contain this (default: the bad file's base name)
}

// Good companions of the bad files.
const (
	okPotential    = badDir + "/ok_potential.model"
	okConstitutive = badDir + "/ok_constitutive.model"
	okDTIModel     = badDir + "/ok_dti.model"
	okAtoms        = "../../../../testdata/atoms/rmd17_o_subset.h5"
	okXYZ          = "../../../../testdata/atoms/aspirin_3.xyz"
	okCurves       = badDir + "/ok_curves.h5"
	okDTI          = badDir + "/ok_dti.h5"
)

// Commands by the role of the bad file; each returns the argument lists.
var (
	asAtomsData = [][]string{
		{"inspect", "data", "BAD"},
		{"export", "extxyz", "BAD", "--out", "OUT/x.xyz"},
		{"train", "potential", "--data", "BAD", "--out", "OUT/m.model", "--epochs", "1", "--features", "4", "--rbf", "4", "--interactions", "1"},
		{"add-element", "--base", okPotential, "--element", "O", "--data", "BAD", "--out", "OUT/O.adapter", "--epochs", "1"},
		{"eval", "--model", okPotential, "--data", "BAD", "--report", "OUT/r.json"},
	}
	asHDF5Input = [][]string{
		{"import", "ani1x", "BAD", "--energy-key", "wb97x_dz.energy", "--out", "OUT/x.h5"},
		{"import", "gleeble", "BAD", "--out", "OUT/x.h5"},
	}
	asCurves = [][]string{
		{"train", "constitutive", "--data", "BAD", "--out", "OUT/m.model", "--max-iterations", "1"},
		{"temperature-tune", "--base", okConstitutive, "--temperature", "23C", "--data", "BAD", "--out", "OUT/t.adapter", "--max-iterations", "1"},
		{"eval", "--model", okConstitutive, "--data", "BAD", "--report", "OUT/r.json"},
	}
	asDTI = [][]string{
		{"train", "dti", "--data", "BAD", "--out", "OUT/m.model", "--epochs", "1"},
		{"transfer", "--base", okDTIModel, "--species", "rat", "--data", "BAD", "--out", "OUT/a.adapter", "--epochs", "1"},
		{"transfer", "--base", okDTIModel, "--species", "rat", "--data", okDTI, "--orthologs", "BAD", "--out", "OUT/a.adapter", "--epochs", "1"},
	}
	asModel = [][]string{
		{"eval", "--model", "BAD", "--data", okAtoms, "--report", "OUT/r.json"},
		{"md", "--model", "BAD", "--structure", okXYZ, "--steps", "1", "--out", "OUT/t.xyz"},
		{"add-element", "--base", "BAD", "--element", "O", "--data", okAtoms, "--out", "OUT/O.adapter", "--epochs", "1"},
		{"temperature-tune", "--base", "BAD", "--temperature", "200C", "--data", okCurves, "--out", "OUT/t.adapter", "--max-iterations", "1"},
		{"transfer", "--base", "BAD", "--species", "rat", "--data", okDTI, "--out", "OUT/a.adapter", "--epochs", "1"},
		{"export", "kim", "--model", "BAD", "--out", "OUT/kim"},
	}
	asAdapter = [][]string{
		{"eval", "--model", okPotential, "--adapter", "BAD", "--data", okAtoms, "--report", "OUT/r.json"},
		{"md", "--model", okPotential, "--adapter", "BAD", "--structure", okXYZ, "--steps", "1", "--out", "OUT/t.xyz"},
		{"export", "kim", "--model", okPotential, "--adapter", "BAD", "--out", "OUT/kim"},
	}
	asStructure = [][]string{
		{"import", "extxyz", "BAD", "--out", "OUT/x.h5"},
		{"md", "--model", okPotential, "--structure", "BAD", "--steps", "1", "--out", "OUT/t.xyz"},
	}
	asMatCal  = [][]string{{"import", "matcal", "BAD", "--out", "OUT/x.h5"}}
	asFASTA   = [][]string{{"import", "fasta", "BAD", "--species", "rat", "--out", "OUT/x.h5"}}
	asPairs   = [][]string{{"import", "gpcr", "BAD", "--out", "OUT/x.h5"}}
	asFolder  = [][]string{{"import", "deepmd", "BAD", "--out", "OUT/x.h5"}, {"import", "davis", "BAD", "--out", "OUT/x.h5"}}
	asPlanIn  = [][]string{{"plan", "--candidates", "BAD", "--max-params", "100", "--out", "OUT/plan.json"}}
	asPlanOut = [][]string{{"add-element", "--base", okPotential, "--element", "O", "--data", okAtoms, "--plan", "BAD", "--out", "OUT/O.adapter", "--epochs", "1"}}
)

// badRuns lists every command fed every bad file it applies to.
func badRuns() []badRun {
	var runs []badRun
	add := func(bad string, sets ...[][]string) {
		for _, set := range sets {
			for _, a := range set {
				runs = append(runs, badRun{bad: bad, args: a})
			}
		}
	}
	for _, f := range []string{"atoms_truncated.h5", "atoms_corrupted.h5"} {
		add(f, asAtomsData, asHDF5Input)
	}
	for _, f := range []string{"atoms_unwritten.h5", "atoms_furlong.h5", "atoms_nan_energy.h5", "atoms_overlap.h5", "atoms_z0.h5", "atoms_z200.h5", "atoms_forces_shape.h5"} {
		add(f, asAtomsData)
	}
	for _, f := range []string{"curves_truncated.h5", "curves_corrupted.h5"} {
		add(f, asCurves, asHDF5Input)
	}
	for _, f := range []string{"dti_truncated.h5", "dti_corrupted.h5"} {
		add(f, asDTI, asHDF5Input)
	}
	add("xyz_bad_count.xyz", asStructure)
	add("xyz_missing_columns.xyz", asStructure)
	add("xyz_non_numeric.xyz", asStructure)
	add("xyz_overlap.xyz", asStructure)
	add("gpcr_bad_smiles.txt", asPairs)
	add("fasta_no_header.fasta", asFASTA, asPairs)
	add("fasta_bad_residue.fasta", asFASTA)
	add("matcal_no_state.csv", asMatCal)
	add("matcal_non_numeric.csv", asMatCal)
	add("O_for_potential_b.adapter", asAdapter)
	for _, a := range [][]string{
		{"eval", "--model", badDir + "/potential_b.model", "--adapter", "BAD", "--data", okAtoms, "--report", "OUT/r.json"},
		{"md", "--model", badDir + "/potential_b.model", "--adapter", "BAD", "--structure", okXYZ, "--steps", "1", "--out", "OUT/t.xyz"},
	} {
		runs = append(runs, badRun{bad: "O_huge_rank.adapter", args: a})
	}
	add("potential_half.model", asModel, asAdapter)
	add("potential_huge_config.model", asModel[:3])
	add("candidates_truncated.json", asPlanIn)
	add("candidates_negative.json", asPlanIn)
	add("plan_wrong_format.json", asPlanOut)
	// The wrong kind of good file.
	add("ok_curves.h5", asAtomsData, asDTI, asModel)
	add("ok_dti.h5", asCurves)
	add("ok_potential.model", asAdapter[:1])
	add("ok_constitutive.model", [][]string{asModel[1], asModel[2], asModel[4]})
	// An empty file and a folder where a file is expected fit everywhere.
	for _, f := range []string{"empty", "a_directory"} {
		add(f, asAtomsData, asHDF5Input, asCurves, asDTI, asModel, asAdapter, asStructure,
			asMatCal, asFASTA, asPairs, asPlanIn, asPlanOut)
	}
	add("empty", asFolder)
	add("a_directory", asFolder)
	// Output paths that cannot be written: refused before any work, so that a command
	// writing a model and then its report never leaves the model alone behind.
	small := []string{"--epochs", "1", "--features", "4", "--rbf", "4", "--interactions", "1"}
	for _, a := range [][]string{
		append([]string{"train", "potential", "--data", okAtoms, "--out", "OUT/m.model", "--report", "OUT/missing/r.json"}, small...),
		{"train", "constitutive", "--data", okCurves, "--out", "OUT/m.model", "--report", "OUT/missing/r.json", "--max-iterations", "1"},
		{"train", "dti", "--data", okDTI, "--out", "OUT/m.model", "--report", "OUT/missing/r.json", "--epochs", "1", "--embed", "2"},
		{"md", "--model", okPotential, "--structure", okXYZ, "--steps", "1", "--out", "OUT/t.xyz", "--log", "OUT/missing/log.txt"},
		{"eval", "--model", okPotential, "--data", okAtoms, "--report", "OUT/missing/r.json"},
	} {
		runs = append(runs, badRun{bad: "missing", args: a})
	}
	add("a_directory", [][]string{append([]string{"train", "potential", "--data", okAtoms, "--out", "BAD"}, small...)})

	// Flag values with units that do not parse: usage errors naming the flag.
	for _, r := range []badRun{
		{bad: "--temperature", args: []string{"temperature-tune", "--base", okConstitutive, "--temperature", "200furlong", "--data", okCurves, "--out", "OUT/t.adapter"}},
		{bad: "--temperature", args: []string{"train", "constitutive", "--data", okCurves, "--temperature", "NaN", "--out", "OUT/m.model"}},
		{bad: "--temperature", args: []string{"md", "--model", okPotential, "--structure", okXYZ, "--temperature", "-5K", "--out", "OUT/t.xyz"}},
		{bad: "--energy-unit", args: []string{"import", "extxyz", okXYZ, "--energy-unit", "furlong", "--out", "OUT/x.h5"}},
		{bad: "--length-unit", args: []string{"import", "extxyz", okXYZ, "--length-unit", "furlong", "--out", "OUT/x.h5"}},
	} {
		r.code, r.want = ExitUsage, ""
		runs = append(runs, r)
	}
	return runs
}

// TestBadInputs runs every command on every bad file it applies to and checks that
// each is refused cleanly: exit code 1 (2 for usage errors), exactly one line on
// standard error naming the file and the problem, no panic, and nothing left in the
// output folder.
func TestBadInputs(t *testing.T) {
	if _, err := os.Stat(filepath.Join(badDir, "a_directory")); err != nil {
		t.Fatalf("the bad-input corpus is missing (%v); regenerate it with -run TestGenerateBadCorpus -update", err)
	}
	for _, r := range badRuns() {
		bad := r.bad
		if !strings.HasPrefix(bad, "--") {
			bad = filepath.Join(badDir, r.bad)
		}
		name := r.bad + "/" + strings.Join(r.args[:min(2, len(r.args))], "_")
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			args := make([]string, len(r.args))
			for i, a := range r.args {
				switch {
				case a == "BAD":
					args[i] = bad
				case strings.HasPrefix(a, "OUT/"):
					args[i] = filepath.Join(out, strings.TrimPrefix(a, "OUT/"))
				default:
					args[i] = a
				}
			}
			var stdout, stderr bytes.Buffer
			code := Main(args, strings.NewReader(""), &stdout, &stderr)
			cmd := "sciadapt " + strings.Join(args, " ")
			want := r.code
			if want == 0 {
				want = ExitBadInput
			}
			msg := stderr.String()
			if code != want {
				t.Fatalf("%s: exit %d, want %d; stderr:\n%s", cmd, code, want, msg)
			}
			if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") {
				t.Errorf("%s: want exactly one line on stderr, got:\n%s", cmd, msg)
			}
			key := r.want
			if key == "" {
				key = filepath.Base(r.bad)
			}
			if !strings.Contains(msg, key) {
				t.Errorf("%s: message does not name %q: %s", cmd, key, msg)
			}
			for _, s := range []string{"runtime error", "panic", "goroutine", "internal error", "%!"} {
				if strings.Contains(msg, s) {
					t.Errorf("%s: message shows Go internals (%q): %s", cmd, s, msg)
				}
			}
			left, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range left {
				t.Errorf("%s: left %s behind in the output folder", cmd, e.Name())
			}
			if testing.Verbose() {
				t.Logf("%s\n  → %s", cmd, strings.TrimSpace(msg))
			}
		})
	}
}
