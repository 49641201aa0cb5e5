// Package bench measures the speed of sciadapt's autodiff engine against PyTorch
// and against raw OpenBLAS. It holds the workloads, shared by the Go testing
// benchmarks (go test -bench . ./bench/) and by the side-by-side comparison
// (go run ./bench/cmd/benchall, or make bench), whose PyTorch half is
// bench/torch/engine_bench.py. Speed is measured here and recorded in
// bench/RESULTS.md; no test asserts a time.
//
// # Workloads
//
// All arithmetic is float64; the same shapes and ops run in Go and in PyTorch (the
// weights and data are drawn independently, with the same distributions).
//
// MLP step (NewMLP): a 3-layer perceptron 256 → 256 → 256 → 256 with SiLU between
// layers, on a batch of 1024 rows: forward, mean squared error against a fixed
// target, backward, and one Adam step (learning rate 1e-3).
//
// Per-atom potential (NewPotential): 32 molecules of 18 to 22 atoms (640 atoms,
// 12 232 ordered pairs within molecules). For each atom i the descriptor is a sum
// of Gaussians of its distances to every other atom j of its molecule,
//
//	Gᵢₖ = Σⱼ exp(−γ (rᵢⱼ − μₖ)²),  k = 1…32,  rᵢⱼ = |Rᵢ − Rⱼ|,
//
// with centres μₖ evenly spaced on [0.5, 5.5] Å and γ = 4 Å⁻², built with
// GatherRows over the pairs and ScatterAddRows onto the atoms. An MLP 32 → 64 →
// 64 → 1 with SiLU gives per-atom energies, summed per molecule by ScatterAddRows:
// E (32, 1) in eV. Forces are F = −∂E/∂R (640, 3) in eV/Å. Three timings:
//
//   - forces: E and F, the gradient taken without a graph (what an MD code needs);
//   - forces (create-graph): the same with the gradient recorded as a graph;
//   - train step: loss = mean((E − E*)²) + mean((F − F*)²) against fixed targets,
//     its gradient with respect to the weights (a double backward through F), and
//     one Adam step.
//
// and, as a fourth row, energy and forces of a single molecule (18 atoms, 306
// pairs), the regime of a molecular-dynamics step on one small molecule, where
// the cost per op rather than the arithmetic dominates.
//
// GEMM: an n×n by n×n product for n = 256 and 1024, through the engine
// (autodiff.MatMul on constants, which allocates its result) and through
// cblas_dgemm directly into a preallocated result (Dgemm).
//
// # Ratios and targets
//
// A ratio is the reference time divided by the Go time, so a ratio above 1 means Go
// is faster. The reference is PyTorch for the MLP and the potential, and raw dgemm
// for the engine's GEMM. The targets are: MLP step ≥ 1 (no slower than PyTorch),
// potential ≥ 2, GEMM ≥ 0.85 (the engine within 85 % of raw dgemm).
//
// # Timing
//
// Measure warms a workload up, picks a repetition count so that one run lasts at
// least a given time, then times several runs and reports the median time per
// repetition. The Python script does the same. Both processes run with
// OPENBLAS_NUM_THREADS=2 (benchall re-executes itself with it, since OpenBLAS reads
// it when it is loaded) and PyTorch with torch.set_num_threads(2); OPENBLAS_CORETYPE
// is left as the machine sets it, and recorded.
package bench
