package adapters_test

import (
	"fmt"
	"log"
	"os"

	"github.com/sciadapt/sciadapt/adapters"
)

func ExamplePlan_WriteTable() {
	cands := []adapters.Candidate{
		{Name: "lora:a:r4", Method: adapters.MethodLoRA, Site: "a", Rank: 4, Params: 512, FLOPs: 1088, Gain: 0.031},
		{Name: "lora:a:r8", Method: adapters.MethodLoRA, Site: "a", Rank: 8, Params: 1024, FLOPs: 2176, Gain: 0.04},
		{Name: "lora:b:r4", Method: adapters.MethodLoRA, Site: "b", Rank: 4, Params: 512, FLOPs: 1088, Gain: 0.02},
		{Name: "bitfit", Method: adapters.MethodBitFit, Params: 737, Gain: 0.004},
	}
	for _, b := range []adapters.Budget{{Params: 1300}, {Params: 2000, FLOPs: 3000}} {
		p, err := adapters.Solve(cands, b, nil)
		if err != nil {
			log.Fatal(err)
		}
		p.WriteTable(os.Stdout, 120000)
		r := adapters.NewPlanReport(p, &adapters.CandidateFile{Candidates: cands, BaseParams: 120000}, "c.json")
		fmt.Printf("report: %d of %d parameters, fractions %.4g and %.4g, M %.4g\n\n",
			r.TrainableParameters, r.TotalParameters, r.ParamFraction, r.FLOPFraction, r.Efficiency)
	}
	// Output:
	// name       method  site  rank  params  flops   gain     M
	// lora:a:r4  lora    a        4     512   1088  0.031  1.56
	// lora:b:r4  lora    b        4     512   1088   0.02  1.01
	// total                            1024   2176  0.051  1.82
	// chose 2 of 4 candidates: 1024 of 1300 parameters (78.8 %), 2176 FLOPs (no limit)
	// the base model has 120000 parameters; the plan trains 0.853 % of them
	// total gain 0.051, optimal (exact dynamic programming over the parameter budget)
	// report: 1024 of 121024 parameters, fractions 0.7877 and 0, M 1.817
	//
	// name       method  site  rank  params  flops   gain       M
	// lora:a:r4  lora    a        4     512   1088  0.031   0.102
	// lora:b:r4  lora    b        4     512   1088   0.02  0.0656
	// bitfit     bitfit  -        -     737      0  0.004   0.208
	// total                            1761   2176  0.055  0.0688
	// chose 3 of 4 candidates: 1761 of 2000 parameters (88.0 %), 2176 of 3000 FLOPs (72.5 %)
	// the base model has 120000 parameters; the plan trains 1.47 % of them
	// total gain 0.055, optimal (exact dynamic programming over parameter and compute budgets (2-D table))
	// report: 1761 of 121761 parameters, fractions 0.8805 and 0.7253, M 0.06882
}
