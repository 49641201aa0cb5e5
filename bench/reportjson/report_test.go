package reportjson

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/constitutive"
)

// Sizes of the two reports, chosen so that each encodes (indented, as
// sciadapt's reports are written) to about 10 MB.
const (
	transferReports = 3000  // transfer reports of 13 rat receptors each
	tuneReports     = 14000 // temperature-tune reports of 10 points each
)

// transferSet is a list of transfer reports (the shape of a large sweep's
// reports): bio.Metrics has its own MarshalJSON.
func transferSet() []bio.TransferReport {
	rng := rand.New(rand.NewPCG(1, 2))
	m := func() bio.Metrics {
		return bio.Metrics{Task: dtidata.Binary, Pairs: 100 + rng.IntN(400), Positives: rng.IntN(100),
			AUROC: rng.Float64(), AUPRC: rng.Float64(), MacroAUROC: rng.Float64(), MacroProteins: 13}
	}
	out := make([]bio.TransferReport, transferReports)
	for i := range out {
		r := bio.TransferReport{Method: "adapter", Species: "rat", PerTarget: 16, AdaptPairs: 200, Seed: uint64(i),
			Test: m(), FrozenTest: m(), ControlReceptorRateTest: m(), TrainableParameters: 2680, TotalParameters: 41669,
			Seconds: rng.Float64() * 100}
		dr, hb := m(), m()
		r.ControlDrugOnlyTest, r.HumanTestBefore, r.HumanTestAfter = &dr, &hb, &hb
		for p := 0; p < 13; p++ {
			r.Targets = append(r.Targets, bio.TargetReport{Protein: fmt.Sprintf("P%05d", rng.IntN(99999)), Adapt: 16,
				Test: rng.IntN(100), Dropped: rng.IntN(5), ByScaffold: rng.IntN(2) == 0})
		}
		out[i] = r
	}
	return out
}

// tuneSet is a list of temperature-tune reports: plain structs of numbers.
func tuneSet() []constitutive.SpecimenTuneReport {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]constitutive.SpecimenTuneReport, tuneReports)
	for i := range out {
		rmse, nrmse := rng.Float64()*10, rng.Float64()/10
		base := constitutive.Errors{Points: 300, RMSE: rng.Float64() * 50, NRMSE: rng.Float64()}
		out[i] = constitutive.SpecimenTuneReport{TemperatureK: 473.15, Specimen: fmt.Sprintf("6061-%02d-%02d-200C-LT", i%40, i%13),
			TrainIndices: rng.Perm(30)[:10], TrainableParameters: 32, TotalParameters: 131, ModulusMPa: 60000 + rng.Float64()*1e4,
			YieldMPa: 200 + rng.Float64()*50, TrainLoss: rng.Float64(), Iterations: rng.IntN(300), Converged: true, Points: 300,
			RMSE: &rmse, NRMSE: &nrmse, TestSpecimens: 9, Base: &base, Scatter: &base, Seconds: rng.Float64()}
	}
	return out
}

type codec struct {
	name      string
	indent    func(v any, prefix, indent string) ([]byte, error)
	unmarshal func(b []byte, v any) error
}

var codecs = []codec{
	{"std", stdjson.MarshalIndent, stdjson.Unmarshal},
	{"gojson", gojson.MarshalIndent, gojson.Unmarshal},
}

var reports = []struct {
	name string
	v    func() any
}{
	{"transfer", func() any { return transferSet() }},
	{"tune", func() any { return tuneSet() }},
}

// TestSameBytes checks that both encoders write the same bytes for both reports,
// so that the choice does not change a report, and that the reports are about
// 10 MB.
func TestSameBytes(t *testing.T) {
	for _, r := range reports {
		v := r.v()
		a, err := codecs[0].indent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		b, err := codecs[1].indent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: encoding/json and go-json differ (%d and %d bytes)", r.name, len(a), len(b))
		}
		if len(a) < 9<<20 || len(a) > 12<<20 {
			t.Errorf("%s: %d bytes, want about 10 MB", r.name, len(a))
		}
	}
}

// BenchmarkEncode writes each report indented, as writeReport does.
func BenchmarkEncode(b *testing.B) {
	for _, r := range reports {
		v := r.v()
		for _, c := range codecs {
			b.Run(fmt.Sprintf("report=%s/enc=%s", r.name, c.name), func(b *testing.B) {
				for b.Loop() {
					out, err := c.indent(v, "", "  ")
					if err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(len(out)))
				}
			})
		}
	}
}

// BenchmarkDecode reads each report into map[string]any values, as a reader of
// reports that does not know their types does.
func BenchmarkDecode(b *testing.B) {
	for _, r := range reports {
		in, err := stdjson.MarshalIndent(r.v(), "", "  ")
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range codecs {
			b.Run(fmt.Sprintf("report=%s/enc=%s", r.name, c.name), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				for b.Loop() {
					var v []map[string]any
					if err := c.unmarshal(in, &v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
