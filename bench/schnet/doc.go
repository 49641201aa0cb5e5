// Package schnet benchmarks sciadapt's SchNet-like potential (package potentials)
// against the same architecture written in PyTorch (schnet_torch.py in this
// directory), on batches of rMD17 molecules.
//
// # What is timed
//
// Inference is energies and forces F = −∂E/∂R of one batch (potentials.Model.Predict
// without create-graph). A training step is the loss
//
//	L = mean_m((E_m − E_m^ref)/N_m)² + 10·mean((F − F^ref)²)
//
// with forces from a create-graph backward, its gradient with respect to every
// trainable parameter (a second backward through the first), and one Adam step.
// Building the batch (neighbour lists) is timed separately: the PyTorch script
// receives the same pair list (I, J) from Go, so both sides do the same arithmetic.
//
// Each batch is timed with the network in float64 and in float32
// (Workload.SetPrecision; in both, positions, distances before rounding, reference
// energies, per-structure sums, forces and the loss are float64). PyTorch gets the
// same weights in the same precision and must agree to 1e-8 (float64) or 1e-5
// (float32, where the two sides round in different orders). Besides batches of 32,
// one naphthalene molecule (18 atoms) is timed: the call an MD step makes. Go runs
// with an autodiff.Arena (buffers reused across calls) unless -no-arena; its memory
// per molecule is the peak of heap objects during two calls on a fresh arena.
//
// The commands (from the repository root, on a quiet machine):
//
//	go build -o /tmp/schnetbench ./bench/schnet/cmd/schnetbench
//	OPENBLAS_NUM_THREADS=2 /tmp/schnetbench -data ../shared/data/rmd17 -threads 2 -go-blas-threads 1 -json out.json
//	go build -o /tmp/trainmem ./bench/cmd/trainmem    # memory of alloy training
//	/tmp/trainmem -data ../shared/data/emt/cuagau_train.h5 -frames 320 -precision float32 -gogc 400
//
// # The arithmetic floor
//
// Every Linear layer y = x·W (M rows, In → Out) costs u = 2·M·In·Out flops per
// matrix product. Energies and forces need the forward product and, where x depends
// on the positions, one backward product gy·Wᵀ. The training step adds, for every
// forward product, ∂/∂W = xᵀ·ḡy and (where x depends on the parameters) ḡy·Wᵀ,
// and for every backward product gx = gy·Wᵀ the two products ḡgx·W and ḡgxᵀ·gy
// (the first only where gy depends on the parameters). Matmuls lists these
// products; Floor (FloorOf for float32: sgemm) times each of them with the BLAS that
// the engine uses, so the floor is the time the matrix products alone need at the
// measured dgemm (sgemm) rate on the model's own shapes. Elementwise work, gathers and scatters are not
// in the floor.
//
// # Shapes
//
// A batch of S molecules of N atoms has S·N atoms and, with no periodic images and
// every atom within the 5 Å cutoff of the others (true for rMD17 molecules up to
// azobenzene only in part), up to S·N·(N−1) directed pairs.
package schnet
