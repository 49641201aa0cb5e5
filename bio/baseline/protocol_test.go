package baseline_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/baseline"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/metrics"
)

// This file reproduces the few-shot fingerprint baseline of issue 19 on the 13
// rat receptors of shared/data/dti/gpcr. It reads the data, so it runs only when
// asked:
//
//	SCIADAPT_BASELINE_PROTOCOL=1 go test ./bio/baseline -run TestRatFewShot -v
//
// ($SCIADAPT_DTI_DATA names the dti folder; default ../../../shared/data/dti.)

func loadGPCR(t *testing.T) *dtidata.Dataset {
	t.Helper()
	if os.Getenv("SCIADAPT_BASELINE_PROTOCOL") == "" {
		t.Skip("set SCIADAPT_BASELINE_PROTOCOL=1 to run the rat protocol on shared/data")
	}
	dir := os.Getenv("SCIADAPT_DTI_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "dti")
	}
	f, err := os.Open(filepath.Join(dir, "gpcr", "protein_species.tsv"))
	if err != nil {
		t.Skipf("shared data not found (set SCIADAPT_DTI_DATA): %v", err)
	}
	species, err := dtidata.ReadSpeciesTable(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	d, err := dtidata.ImportGPCR([]dtidata.PairFile{
		{Path: filepath.Join(dir, "gpcr", "GPCR_train.txt"), Split: "train"},
		{Path: filepath.Join(dir, "gpcr", "GPCR_test.txt"), Split: "test"},
	}, &dtidata.GPCROptions{Species: species})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// split is one receptor's K training pairs and its test pairs.
type split struct {
	protein     int
	train, test []int
}

// compoundSplits draws, per rat receptor, K pairs at random (K at most half the
// receptor's pairs) and tests on its other pairs whose compounds are not among
// the K (seeded by seed and the receptor).
func compoundSplits(d *dtidata.Dataset, pairs []int, k int, seed uint64) []split {
	prots, by := d.PairsByProtein(pairs)
	slices.Sort(prots)
	var out []split
	for _, p := range prots {
		ps := slices.Clone(by[p])
		slices.Sort(ps)
		rng := rand.New(rand.NewPCG(seed, uint64(p)))
		rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		kk := min(k, len(ps)/2)
		s := split{protein: p, train: slices.Clone(ps[:kk])}
		seen := map[int]bool{}
		for _, q := range s.train {
			seen[d.Pairs[q].Drug] = true
		}
		for _, q := range ps[kk:] {
			if !seen[d.Pairs[q].Drug] {
				s.test = append(s.test, q)
			}
		}
		out = append(out, s)
	}
	return out
}

// scaffoldSplits is the transfer protocol's split (bio.SplitPerTarget with the
// FrameworkKey groups).
func scaffoldSplits(d *dtidata.Dataset, pairs []int, groups []int, k int, seed uint64) []split {
	var out []split
	for _, ts := range bio.SplitPerTarget(d, pairs, groups, k, seed) {
		out = append(out, split{protein: ts.Protein, train: ts.Adapt, test: ts.Test})
	}
	return out
}

// scores returns macro AUROC (mean over receptors whose test pairs hold both
// classes) and pooled AUROC of a scorer over the splits.
func scores(t *testing.T, d *dtidata.Dataset, splits []split, score func(s split) []float64) (macro, pooled float64) {
	t.Helper()
	var all []float64
	var allY []float64
	sum, n := 0.0, 0
	for _, s := range splits {
		sc := score(s)
		y := make([]float64, len(s.test))
		for i, q := range s.test {
			y[i] = d.Pairs[q].Value
		}
		all = append(all, sc...)
		allY = append(allY, y...)
		cls, _ := metrics.BinaryClasses(y)
		if a := metrics.AUROC(cls, sc); !math.IsNaN(a) {
			sum += a
			n++
		}
	}
	cls, _ := metrics.BinaryClasses(allY)
	return sum / float64(n), metrics.AUROC(cls, all)
}

func meanSD(v []float64) (float64, float64) {
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(max(1, len(v)-1)))
}

func TestRatFewShot(t *testing.T) {
	d := loadGPCR(t)
	rat := d.PairsBySpecies("rat")
	feats, err := baseline.Fingerprint{}.DrugVectors(d)
	if err != nil {
		t.Fatal(err)
	}
	_, groups, err := d.DrugFrameworks()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rat pairs on %d receptors", len(rat), len(d.ProteinsOf(rat)))
	type arm struct {
		name   string
		method baseline.Method
		pooled bool // one model on all receptors' K pairs, instead of one per receptor
	}
	arms := []arm{{"forest per receptor", baseline.MethodForest, false}, {"forest pooled", baseline.MethodForest, true},
		{"logistic per receptor", baseline.MethodLogistic, false}, {"logistic pooled", baseline.MethodLogistic, true}}
	for _, sp := range []string{"compound-disjoint", "scaffold (SplitPerTarget)"} {
		for _, a := range arms {
			line := fmt.Sprintf("%-26s %-22s", sp, a.name)
			for _, k := range []int{4, 8, 16} {
				var macros, pooleds []float64
				for seed := uint64(1); seed <= 10; seed++ {
					var splits []split
					if sp == "compound-disjoint" {
						splits = compoundSplits(d, rat, k, seed)
					} else {
						splits = scaffoldSplits(d, rat, groups, k, seed)
					}
					var shared baseline.Classifier
					if a.pooled {
						var x [][]float64
						var y []float64
						for _, s := range splits {
							for _, q := range s.train {
								x = append(x, feats[d.Pairs[q].Drug])
								y = append(y, d.Pairs[q].Value)
							}
						}
						if shared, err = baseline.Fit(a.method, x, y, seed); err != nil {
							t.Fatal(err)
						}
					}
					mac, poo := scores(t, d, splits, func(s split) []float64 {
						if a.pooled {
							out := make([]float64, len(s.test))
							for i, q := range s.test {
								out[i] = shared.Prob(feats[d.Pairs[q].Drug])
							}
							return out
						}
						if len(s.train) == 0 { // a receptor with a single pair
							return slices.Repeat([]float64{0.5}, len(s.test))
						}
						out, err := baseline.PairScores(a.method, d, feats, s.train, s.test, seed)
						if err != nil {
							t.Fatal(err)
						}
						return out
					})
					macros = append(macros, mac)
					pooleds = append(pooleds, poo)
				}
				m, sd := meanSD(macros)
				pm, psd := meanSD(pooleds)
				line += fmt.Sprintf("  K=%-2d macro %.3f ± %.3f pooled %.3f ± %.3f", k, m, sd, pm, psd)
			}
			t.Log(line)
		}
	}
}

// TestLabelReversalLookup scores every rat pair by 1 − the mean label of its
// compound among the human and unknown-species training pairs (issue 19: pooled
// AUROC 0.783, per-receptor 0.643 on the 593 rat pairs).
func TestLabelReversalLookup(t *testing.T) {
	d := loadGPCR(t)
	rat := d.PairsBySpecies("rat")
	for _, v := range []struct {
		name    string
		split   string // "" for every split
		unknown float64
	}{{"train split, unseen compounds 0.5", "train", 0.5}, {"all splits, unseen compounds 0.5", "", 0.5},
		{"train split, unseen compounds 1 − base rate", "train", -1}} {
		sum, n := map[int]float64{}, map[int]int{}
		base, nb := 0.0, 0
		for k, p := range d.Pairs {
			sp := d.Proteins[p.Protein].Species
			if (sp != "human" && sp != dtidata.UnknownSpecies) || (v.split != "" && p.Split != v.split) {
				continue
			}
			sum[p.Drug] += p.Value
			n[p.Drug]++
			base += p.Value
			nb++
			_ = k
		}
		unseen := v.unknown
		if unseen < 0 {
			unseen = 1 - base/float64(nb)
		}
		score := func(q int) float64 {
			c := d.Pairs[q].Drug
			if n[c] == 0 {
				return unseen
			}
			return 1 - sum[c]/float64(n[c])
		}
		prots, by := d.PairsByProtein(rat)
		var splits []split
		covered := 0
		for _, p := range prots {
			splits = append(splits, split{protein: p, test: by[p]})
		}
		for _, q := range rat {
			if n[d.Pairs[q].Drug] > 0 {
				covered++
			}
		}
		macro, pooled := scores(t, d, splits, func(s split) []float64 {
			out := make([]float64, len(s.test))
			for i, q := range s.test {
				out[i] = score(q)
			}
			return out
		})
		t.Logf("%-45s pooled %.3f, per-receptor (macro) %.3f over %d rat pairs (%d with the compound among the human/unknown pairs)",
			v.name, pooled, macro, len(rat), covered)
	}
}
