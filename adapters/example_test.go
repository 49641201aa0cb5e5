package adapters_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Put a rank-4 LoRA on both layers of a small network and count what trains.
func ExampleNew() {
	m := nn.NewMLP("head", []int{64, 32, 1}, nn.ActSiLU, nn.NewRand(1))
	a, err := adapters.New("shift", adapters.Config{Method: "lora", Targets: []string{"head.*"}, Rank: 4, Overrides: []adapters.Override{{Pattern: "head.1", Rank: 1}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := a.Attach(m); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := a.Report()
	for _, p := range a.Params() {
		fmt.Println(p.Name, p.Value().Shape)
	}
	fmt.Printf("%d of %d parameters train, %d extra FLOPs per row, %d bytes on disk\n",
		r.TrainableParams, r.TotalParams, r.ExtraFLOPsPerRow, r.FileBytes)
	// Output:
	// head.0.lora_A.weight [4 64]
	// head.0.lora_B.weight [32 4]
	// head.1.lora_A.weight [1 32]
	// head.1.lora_B.weight [1 1]
	// 417 of 2530 parameters train, 867 extra FLOPs per row, 4080 bytes on disk
}

// Disable an adapter to get the base back exactly; merge it for deployment.
func ExampleAdapter_Merge() {
	m := nn.NewLinear("out", 3, 2, true, nn.NewRand(1))
	x := ad.Constant(ad.New([]float64{1, 2, 3}, 1, 3))
	base := m.Forward(nil, x).Value().Data[0]

	a, _ := adapters.New("tuned", adapters.Config{Method: "lora", Targets: []string{"out"}, Rank: 1})
	_ = a.Attach(m)
	a.Params()[1].Value().Data[0] = 0.5 // as if trained: B ≠ 0
	adapted := m.Forward(nil, x).Value().Data[0]

	a.Enable(false)
	fmt.Println("disabled equals base:", m.Forward(nil, x).Value().Data[0] == base)
	a.Enable(true)
	_ = a.Merge()
	merged := m.Forward(nil, x).Value().Data[0]
	fmt.Printf("merged − adapted: %.0e\n", merged-adapted)
	a.Unmerge()
	// Output:
	// disabled equals base: true
	// merged − adapted: 0e+00
}

// Choose placements within a budget of 100 parameters.
func ExampleSolve() {
	cands := []adapters.Candidate{
		{Name: "lora enc r2", Method: "lora", Site: "enc", Rank: 2, Params: 24, Gain: 0.5},
		{Name: "lora enc r4", Method: "lora", Site: "enc", Rank: 4, Params: 48, Gain: 0.6},
		{Name: "lora head r2", Method: "lora", Site: "head", Rank: 2, Params: 22, Gain: 0.3},
		{Name: "film norm", Method: "film", Site: "norm", Params: 48, Gain: 0.4},
	}
	p, _ := adapters.Solve(cands, adapters.Budget{Params: 100}, nil)
	for _, c := range p.Chosen {
		fmt.Println(c.Name)
	}
	fmt.Printf("%d parameters, gain %.1f, exact %v\n", p.ParamCost, p.Gain, p.Exact)
	// Output:
	// lora enc r2
	// lora head r2
	// film norm
	// 94 parameters, gain 1.2, exact true
}

// Split a total rank of 48 between two layers by the importance of their rank
// components, in blocks of 8.
func ExampleAllocateRanks() {
	important := make([]float64, 32)
	minor := make([]float64, 32)
	for i := range important {
		important[i] = 2 - float64(i)/32
		minor[i] = 1 - float64(i)/32
	}
	ranks, _ := adapters.AllocateRanks([][]float64{important, minor}, adapters.RankOptions{Total: 48, Step: 8})
	fmt.Println(ranks)
	// Output: [32 16]
}
