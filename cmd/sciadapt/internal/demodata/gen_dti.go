//go:build ignore

// gen_dti writes gpcr_demo.h5 and orthologs_demo.h5, the drug–target data of
// "sciadapt demo --scenario dti", from files imported from ../shared/data:
//
//	sciadapt import gpcr GPCR_train.txt GPCR_test.txt --species-table protein_species.tsv --out gpcr.h5
//	sciadapt import fasta human=human_proteins_combined.fasta rat=rat_proteins_combined.fasta \
//	    --orthologs ortholog_pairs_checked.tsv --out orth.h5
//	go run gen_dti.go gpcr.h5 orth.h5 gpcr_demo.h5 orthologs_demo.h5
//
// gpcr_demo.h5 keeps, for every human and every rat protein, at most perHuman and
// perRat of its pairs, drawn by a seeded permutation (PCG seed 1, 2); unknown,
// mouse and other species are left out. orthologs_demo.h5 keeps the human–rat links
// of orth.h5 whose two sequences are both given and whose rat protein has pairs in
// gpcr_demo.h5.
package main

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

const perHuman, perRat = 20, 40

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	g, err := dtidata.Read(os.Args[1])
	if err != nil {
		fail(err)
	}
	o, err := dtidata.Read(os.Args[2])
	if err != nil {
		fail(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	byProtein := map[int][]int{}
	for _, k := range rng.Perm(len(g.Pairs)) {
		p := g.Pairs[k].Protein
		byProtein[p] = append(byProtein[p], k)
	}
	out := &dtidata.Dataset{Source: g.Source + "; subset for sciadapt demo (internal/demodata/gen_dti.go)", Task: g.Task}
	drugIdx, protIdx := map[int]int{}, map[int]int{}
	for p, pr := range g.Proteins {
		limit := 0
		switch pr.Species {
		case "human":
			limit = perHuman
		case "rat":
			limit = perRat
		}
		ks := byProtein[p]
		if len(ks) > limit {
			ks = ks[:limit]
		}
		if len(ks) == 0 {
			continue
		}
		protIdx[p] = len(out.Proteins)
		out.Proteins = append(out.Proteins, pr)
		for _, k := range ks {
			pair := g.Pairs[k]
			j, ok := drugIdx[pair.Drug]
			if !ok {
				j = len(out.Drugs)
				drugIdx[pair.Drug] = j
				out.Drugs = append(out.Drugs, g.Drugs[pair.Drug])
			}
			pair.Drug, pair.Protein = j, protIdx[p]
			out.Pairs = append(out.Pairs, pair)
		}
	}
	ratAcc := map[string]bool{}
	for _, pr := range out.Proteins {
		if pr.Species == "rat" {
			ratAcc[pr.Accession] = true
		}
	}
	orth := &dtidata.Dataset{Source: o.Source + "; human–rat links of the demo's rat proteins", Task: dtidata.NoPairs}
	for _, l := range o.Orthologs {
		h, r := o.Proteins[l.Human], o.Proteins[l.Other]
		if r.Species != "rat" || !ratAcc[r.Accession] || h.Sequence == "" || r.Sequence == "" {
			continue
		}
		l.Human, l.Other = len(orth.Proteins), len(orth.Proteins)+1
		orth.Proteins = append(orth.Proteins, h, r)
		orth.Orthologs = append(orth.Orthologs, l)
	}
	if err := dtidata.Write(os.Args[3], out); err != nil {
		fail(err)
	}
	if err := dtidata.Write(os.Args[4], orth); err != nil {
		fail(err)
	}
	fmt.Printf("wrote %s (%d drugs, %d proteins, %d pairs) and %s (%d links)\n", os.Args[3], len(out.Drugs), len(out.Proteins), len(out.Pairs), os.Args[4], len(orth.Orthologs))
}
