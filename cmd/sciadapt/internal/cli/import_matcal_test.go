package cli

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

const constitutiveData = "../../../../testdata/constitutive"

func TestImportMatCal(t *testing.T) {
	out := filepath.Join(t.TempDir(), "AL6061.h5")
	var stdout bytes.Buffer
	err := runImportMatCal(&ImportMatCalOptions{
		Inputs: []string{
			filepath.Join(constitutiveData, "cleaned_CA-*.csv"), // a pattern, as when quoted
			filepath.Join(constitutiveData, "cleaned_6061-02-06-200C-LT_first120.csv"),
			filepath.Join(constitutiveData, "cleaned_CA-LT-01.csv"), // again: kept once
		},
		Out:    out,
		Stdout: &stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := curves.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Specimen != "6061-02-06-200C-LT_first120" || cs[1].Specimen != "CA-LT-01" {
		t.Fatalf("read back %d curves: %+v", len(cs), cs)
	}
	ca := cs[1]
	// Processed as documented: cut at the UTS (row 184 of 300, MatCal's ultimate
	// stress 46.20909827530732628 ksi), elastic fit done, source units kept.
	_, iu := curves.UTS(ca)
	if iu != ca.Len()-1 || ca.NeckingDropped != 300-ca.Len() || math.Abs(ca.UltimateStrength-46.20909827530732628*curves.MPaPerKsi) > 1e-9 {
		t.Errorf("CA-LT-01: %d points, %d dropped, UTS %v, maximum at %d", ca.Len(), ca.NeckingDropped, ca.UltimateStrength, iu)
	}
	if math.IsNaN(ca.ElasticModulus) || ca.SourceStressUnit != "ksi" || ca.SourceTemperatureUnit != "R" || math.Abs(ca.TemperatureK-296.15) > 1e-9 {
		t.Errorf("CA-LT-01 metadata: %+v", ca)
	}

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("stdout has %d lines, want header, 2 curves, summary:\n%s", len(lines), stdout.String())
	}
	// One line per specimen with T in °C, points, E, yield, UTS and the necking note.
	want := []string{"CA-LT-01", "23.0", "LT", "185", "318.6", "from true strain 0.0739; 115 later points dropped"}
	for _, w := range want {
		if !strings.Contains(lines[1], w) {
			t.Errorf("line %q lacks %q", lines[1], w)
		}
	}
	// The 200 °C fixture: maximum engineering stress 33.0311 ksi = 227.7 MPa (data row 59).
	if !strings.Contains(lines[2], " 200.0 ") || !strings.Contains(lines[2], " 227.7 ") {
		t.Errorf("200 °C line %q lacks the temperature or UTS (227.7 MPa)", lines[2])
	}
	if want := fmt.Sprintf("wrote 2 curves (%d points) to %s", cs[0].Len()+cs[1].Len(), out); !strings.HasPrefix(lines[3], want) {
		t.Errorf("last line %q", lines[3])
	}
}

func TestImportMatCalKeepAfterUTS(t *testing.T) {
	out := filepath.Join(t.TempDir(), "keep.h5")
	var stdout bytes.Buffer
	err := runImportMatCal(&ImportMatCalOptions{
		Inputs: []string{filepath.Join(constitutiveData, "cleaned_CA-LT-01.csv")},
		Out:    out, KeepAfterUTS: true, Stdout: &stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := curves.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Len() != 300 || cs[0].NeckingDropped != 0 || math.IsNaN(cs[0].NeckingStrain) {
		t.Errorf("kept %d points, dropped %d, necking strain %v; want 300, 0, a number", cs[0].Len(), cs[0].NeckingDropped, cs[0].NeckingStrain)
	}
	if !strings.Contains(stdout.String(), "later points kept") {
		t.Errorf("stdout does not say the points were kept:\n%s", stdout.String())
	}
}

func TestImportMatCalErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("{'temperature':533.07}\nengineering_strain,engineering_stress\n0,0\n0.1,x\n"), 0o644)
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	good := filepath.Join(constitutiveData, "cleaned_CA-LT-01.csv")
	for _, tc := range []struct {
		name   string
		inputs []string
		want   []string
		code   int
	}{
		{"one bad file", []string{good, bad}, []string{bad + ":4: column \"engineering_stress\": \"x\" is not a number"}, ExitBadInput},
		{"two bad files", []string{bad, good, empty}, []string{"2 of 3 files could not be read, nothing written", bad + ":4:", empty + ": file is empty"}, ExitBadInput},
		{"no match", []string{filepath.Join(dir, "*.txt")}, []string{"no file matches"}, ExitBadInput},
		{"missing", []string{filepath.Join(dir, "nope.csv")}, []string{"nope.csv: no such file or directory"}, ExitBadInput},
		{"directory", []string{dir}, []string{"is a directory; give the files, for example " + filepath.Join(dir, "*.csv")}, ExitBadInput},
		{"bad pattern", []string{filepath.Join(dir, "[.csv")}, []string{"bad file pattern"}, ExitUsage},
	} {
		out := filepath.Join(dir, "out.h5")
		err := runImportMatCal(&ImportMatCalOptions{Inputs: tc.inputs, Out: out})
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
		if got := exitCode(err); got != tc.code {
			t.Errorf("%s: exit code %d, want %d", tc.name, got, tc.code)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: %s was written", tc.name, out)
		}
	}
}

func TestImportMatCalCommandLine(t *testing.T) {
	// Flags are parsed by cobra: --out is required (a usage error, exit code 2).
	cmd := NewCmdImportMatCal()
	var stdout, stderr bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SetArgs([]string{filepath.Join(constitutiveData, "cleaned_CA-LT-01.csv")})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	if err == nil || exitCode(err) != ExitUsage || !strings.Contains(err.Error(), `"out"`) {
		t.Errorf("without --out: %v (exit %d)", err, exitCode(err))
	}
	out := filepath.Join(t.TempDir(), "one.h5")
	cmd = NewCmdImportMatCal()
	cmd.SetOut(&stdout)
	cmd.SetArgs([]string{filepath.Join(constitutiveData, "cleaned_NM-LT-03.csv"), "--out", out})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "NM-LT-03") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	cs, err := curves.Read(out)
	if err != nil || len(cs) != 1 || cs[0].LeadingDropped != 87 {
		t.Errorf("read back: %v, %+v", err, cs)
	}
}

func TestImportMatCalMain(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "AL6061.h5")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"import", "matcal", filepath.Join(constitutiveData, "cleaned_*.csv"), "--out", out},
		strings.NewReader(""), &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if n := strings.Count(stdout.String(), "\n"); n != 5 {
		t.Errorf("stdout has %d lines, want a header, 3 specimens and the summary:\n%s", n, stdout.String())
	}
	// A bad file: exit code 1, one line on stderr naming the file and line.
	bad := filepath.Join(dir, "cleaned_XX-01.csv")
	os.WriteFile(bad, []byte("{'temperature':533.07}\nengineering_strain\n0\n"), 0o644)
	stdout.Reset()
	code = Main([]string{"import", "matcal", bad, "--out", filepath.Join(dir, "bad.h5")}, strings.NewReader(""), &stdout, &stderr)
	want := "sciadapt: " + bad + ":2: header \"engineering_strain\" lacks column engineering_stress"
	if code != ExitBadInput || !strings.HasPrefix(stderr.String(), want) || strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want exit 1 and a line starting %q", code, stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout after an error: %q", stdout.String())
	}
}
