package cli

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/hdf5"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/seq"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/internal/h5io"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// updateBad regenerates the bad-input corpus in testdata/bad:
//
//	go test ./internal/cli -run TestGenerateBadCorpus -update
var updateBad = flag.Bool("update", false, "regenerate testdata/bad (TestGenerateBadCorpus)")

// badDir is the bad-input corpus, relative to this package.
const badDir = "../../../../testdata/bad"

// TestGenerateBadCorpus writes every file of testdata/bad from the good fixtures in
// testdata and from small models built here, so the corpus is reproducible. It runs
// only with -update.
func TestGenerateBadCorpus(t *testing.T) {
	if !*updateBad {
		t.Skip("regenerates testdata/bad; run with -update")
	}
	dir := badDir
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	put := func(name string, data []byte) {
		t.Helper()
		must(os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	read := func(path string) []byte {
		t.Helper()
		b, err := os.ReadFile(path)
		must(err)
		return b
	}
	// cli runs a sciadapt command that must succeed.
	cli := func(args ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := Main(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("sciadapt %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
	}
	must(os.MkdirAll(dir, 0o755))

	// Good companions: valid files the bad ones are made from or run beside.
	okAtoms := "../../../../testdata/atoms/rmd17_o_subset.h5"
	okCurves := filepath.Join(dir, "ok_curves.h5")
	cli("import", "matcal", "../../../../testdata/constitutive/cleaned_CA-LT-01.csv", "--out", okCurves)
	okDTI := filepath.Join(dir, "ok_dti.h5")
	cli("import", "gpcr", "test=../../../../testdata/dti/gpcr/GPCR_test_subset.txt", "--species-table", "../../../../testdata/dti/gpcr/protein_species_subset.tsv", "--out", okDTI)

	pcfg := potentials.Config{Species: []int{1, 6, 7}, Cutoff: 4, Features: 4, RBF: 4, Interactions: 1, Seed: 1}
	ma, err := potentials.New(pcfg)
	must(err)
	must(ma.Save(filepath.Join(dir, "ok_potential.model")))
	pcfg.Seed = 2
	mb, err := potentials.New(pcfg)
	must(err)
	must(mb.Save(filepath.Join(dir, "potential_b.model")))
	ecfg := potentials.DefaultElementConfig(8)
	ecfg.Rank = 1
	ad, err := potentials.NewElementAdapter(mb, ecfg)
	must(err)
	must(ad.Save(filepath.Join(dir, "O_for_potential_b.adapter")))

	cm, err := constitutive.New(constitutive.Config{Seed: 1})
	must(err)
	must(cm.Save(filepath.Join(dir, "ok_constitutive.model")))

	bcfg := bio.DefaultConfig(dtidata.Binary)
	bcfg.Embed, bcfg.ProteinFilters, bcfg.ProteinWidths = 2, []int{2}, []int{4}
	bcfg.DrugFilters, bcfg.DrugWidths, bcfg.Hidden = []int{2}, []int{2}, []int{2}
	bcfg.MaxProteinLength, bcfg.MaxDrugLength = 50, 20
	toks, err := seq.TokenizeSMILES("CC(=O)Oc1ccccc1C(=O)O")
	must(err)
	bcfg.DrugVocabulary = seq.BuildVocabulary([][]string{toks}, 1)
	bm, err := bio.New(bcfg)
	must(err)
	must(bm.Save(filepath.Join(dir, "ok_dti.model"), nil))

	// Damaged HDF5: cut in half, and a stretch of the body overwritten.
	for _, f := range []struct{ name, from string }{
		{"atoms", okAtoms}, {"curves", okCurves}, {"dti", okDTI},
	} {
		b := read(f.from)
		put(f.name+"_truncated.h5", b[:len(b)/2])
		c := append([]byte(nil), b...)
		for i := 96; i < len(c)/2 && i < 96+2048; i++ {
			c[i] = byte(0xA5 ^ i)
		}
		put(f.name+"_corrupted.h5", c)
	}

	// Atoms files with bad content, written directly so that no check of the
	// writer stands in the way.
	water := []float64{0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0} // O H H, Å
	atoms := func(name string, attrs map[string]string, z []int32, coords []float64, cshape []int, energies []float64, forces []float64, fshape []int) {
		t.Helper()
		path := filepath.Join(dir, name)
		f, err := h5io.Create(path, path)
		must(err)
		r := f.Root()
		for _, k := range []string{"format", "energy_unit", "length_unit", "forces"} {
			v, ok := attrs[k]
			if !ok {
				v = map[string]string{"format": "sciadapt-atoms", "energy_unit": "eV", "length_unit": "angstrom", "forces": "negative gradient of energy"}[k]
			}
			must(r.WriteStringAttr(k, v))
		}
		must(r.WriteIntAttr("version", 1))
		g, err := r.CreateGroup("water")
		must(err)
		must(g.WriteInt32("atomic_numbers", z, len(z)))
		must(g.WriteFloat64("coordinates", coords, cshape...))
		must(g.WriteFloat64("energies", energies, len(energies)))
		if forces != nil {
			must(g.WriteFloat64("forces", forces, fshape...))
		}
		must(g.Close())
		must(f.Close())
	}
	// A system that declares 10⁹ frames but stores none (created, never written).
	{
		path := filepath.Join(dir, "atoms_unwritten.h5")
		f, err := h5io.Create(path, path)
		must(err)
		r := f.Root()
		for _, kv := range [][2]string{{"format", "sciadapt-atoms"}, {"energy_unit", "eV"}, {"length_unit", "angstrom"}} {
			must(r.WriteStringAttr(kv[0], kv[1]))
		}
		must(r.WriteIntAttr("version", 1))
		g, err := r.CreateGroup("water")
		must(err)
		must(g.WriteInt32("atomic_numbers", []int32{8, 1, 1}, 3))
		must(g.Close())
		must(f.Close())
		hf, err := hdf5.OpenFile(path, hdf5.F_ACC_RDWR)
		must(err)
		hg, err := hf.OpenGroup("water")
		must(err)
		for _, d := range []struct {
			name string
			dims []uint
		}{{"coordinates", []uint{1e9, 3, 3}}, {"energies", []uint{1e9}}} {
			sp, err := hdf5.CreateSimpleDataspace(d.dims, nil)
			must(err)
			ds, err := hg.CreateDataset(d.name, hdf5.T_NATIVE_DOUBLE, sp)
			must(err)
			must(ds.Close())
			must(sp.Close())
		}
		must(hg.Close())
		must(hf.Close())
	}
	two := append(append([]float64(nil), water...), water...)
	two[9+3] += 0.01 // second frame slightly different
	zero := make([]float64, 18)
	atoms("atoms_furlong.h5", map[string]string{"energy_unit": "furlong"}, []int32{8, 1, 1}, two, []int{2, 3, 3}, []float64{-2079.5, -2079.4}, nil, nil)
	atoms("atoms_nan_energy.h5", nil, []int32{8, 1, 1}, two, []int{2, 3, 3}, []float64{-2079.5, math.NaN()}, zero, []int{2, 3, 3})
	overlap := append([]float64(nil), two...)
	overlap[9+6], overlap[9+7], overlap[9+8] = 0.93, 0.05, 0 // frame 1: H2 0.06 Å from H1
	atoms("atoms_overlap.h5", nil, []int32{8, 1, 1}, overlap, []int{2, 3, 3}, []float64{-2079.5, -2079.4}, zero, []int{2, 3, 3})
	atoms("atoms_z0.h5", nil, []int32{8, 1, 0}, two, []int{2, 3, 3}, []float64{-2079.5, -2079.4}, nil, nil)
	atoms("atoms_z200.h5", nil, []int32{8, 1, 200}, two, []int{2, 3, 3}, []float64{-2079.5, -2079.4}, nil, nil)
	four := make([]float64, 2*4*3) // water plus one more H, 2 frames
	for k := 0; k < 2; k++ {
		copy(four[k*12:], two[k*9:k*9+9])
		four[k*12+9], four[k*12+10] = -1.5, -1.5
	}
	atoms("atoms_forces_shape.h5", nil, []int32{8, 1, 1, 1}, four, []int{2, 4, 3}, []float64{-2080.1, -2080.0}, zero, []int{2, 3, 3})

	// Extended XYZ.
	const head = `Properties=species:S:1:pos:R:3:forces:R:3 energy=-2079.5 pbc="F F F"`
	put("xyz_bad_count.xyz", []byte("three\n"+head+"\nO 0 0 0 0 0 0\nH 0.96 0 0 0 0 0\nH -0.24 0.93 0 0 0 0\n"))
	put("xyz_missing_columns.xyz", []byte("3\n"+head+"\nO 0 0 0 0 0 0\nH 0.96 0 0 0 0\nH -0.24 0.93 0 0 0 0\n"))
	put("xyz_non_numeric.xyz", []byte("3\n"+head+"\nO 0 0 0 0 0 0\nH 0.96 zero 0 0 0 0\nH -0.24 0.93 0 0 0 0\n"))
	put("xyz_overlap.xyz", []byte("3\n"+head+"\nO 0 0 0 0 0 0\nH 0.96 0 0 0 0 0\nH 0.96 0.05 0 0 0 0\n"))

	// Drug–target text files.
	seqOK := "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWUAQ"
	put("gpcr_bad_smiles.txt", []byte("CC(=O)Oc1ccccc1C(=O)O "+seqOK[:60]+" 1\nCC(C(=O)O "+seqOK[:60]+" 0\n"))
	put("fasta_no_header.fasta", []byte("MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\nAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQ\n"))
	put("fasta_bad_residue.fasta", []byte(">sp|P99999|TEST_HUMAN Test protein OS=Homo sapiens OX=9606\nMKTAYIAKQRQ1SFVK*SHF#SRQLEERLG\n"))

	// MatCal CSV: the first line is a Python dict of the test state.
	csv := string(read("../../../../testdata/constitutive/cleaned_CA-LT-01.csv"))
	lines := strings.SplitAfter(csv, "\n")
	put("matcal_no_state.csv", []byte(strings.Join(lines[1:12], "")))
	bad := append([]string(nil), lines[:12]...)
	bad[5] = strings.Replace(bad[5], ",", ",abc", 1)
	put("matcal_non_numeric.csv", []byte(strings.Join(bad, "")))

	// Budget planning JSON.
	put("candidates_truncated.json", []byte(`{"candidates": [{"name": "lora.interaction0", "method": "lora", "param_cost": 10`))
	put("candidates_negative.json", []byte(`[{"name": "lora.interaction0", "method": "lora", "site": "interaction0.filter", "rank": 2, "param_cost": -5, "gain": 1}]`+"\n"))
	put("plan_wrong_format.json", []byte(`{"format": "sciadapt-candidates", "version": 1, "chosen": []}`+"\n"))

	// Model files: one cut in half; an empty file; a directory.
	m := read(filepath.Join(dir, "ok_potential.model"))
	put("potential_half.model", m[:len(m)/2])
	// A model whose configuration was edited to 30000 features and 50 blocks: building
	// it would need 1.8e11 parameters from a file of 2.7 kB.
	tf, err := nn.ReadTensors(filepath.Join(dir, "ok_potential.model"))
	must(err)
	huge := strings.Replace(tf.Metadata["sciadapt.config"], `"features":4,"rbf":4,"interactions":1`, `"features":30000,"rbf":4,"interactions":50`, 1)
	if huge == tf.Metadata["sciadapt.config"] {
		t.Fatalf("model configuration %s not as expected", huge)
	}
	tf.Metadata["sciadapt.config"] = huge
	must(nn.WriteTensors(filepath.Join(dir, "potential_huge_config.model"), tf.Tensors, tf.Metadata))
	// An adapter whose LoRA rank was edited to 4e8: it would need 1.3e10 values.
	af, err := nn.ReadTensors(filepath.Join(dir, "O_for_potential_b.adapter"))
	must(err)
	rank := strings.Replace(af.Metadata["adapter_config"], `"rank":1,`, `"rank":400000000,`, 1)
	if rank == af.Metadata["adapter_config"] {
		t.Fatalf("adapter configuration %s not as expected", rank)
	}
	af.Metadata["adapter_config"] = rank
	must(nn.WriteTensors(filepath.Join(dir, "O_huge_rank.adapter"), af.Tensors, af.Metadata))
	put("empty", nil)
	must(os.MkdirAll(filepath.Join(dir, "a_directory"), 0o755))
	put("a_directory/.keep", nil)
}
