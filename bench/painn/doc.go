// Package painn checks sciadapt's PaiNN potential (potentials.ArchPaiNN) against
// the same network written in PyTorch (painn_torch.py in this directory) and times
// the two side by side on batches of rMD17 molecules.
//
// # Agreement
//
// Go exports a batch, its targets and every parameter of a PaiNN model in the JSON
// layout of bench/schnet (schnet.Export, with config.model = "painn" and the
// network's precision), together with its own energies, forces, training loss and
// loss gradient. painn_torch.py rebuilds the network from the parameter names alone
// (see the PaiNN section of package potentials), in the export's precision, and
// requires
//
//	max|E_torch − E_go| / max(1, max|E_go|) ≤ Tolerance(precision)
//
// (10⁻⁸ in float64, 10⁻⁵ in float32) and the same for the forces, the loss and the
// gradient of the loss with respect to every trainable parameter (the largest over
// parameters). The loss is the one of bench/schnet,
//
//	L = mean_m((E_m − E_m^ref)/N_m)² + 10·mean((F − F^ref)²),
//
// with forces from a create-graph backward, so its gradient is a second derivative
// of the energy. In float32 (potentials.Model.SetPrecision) both sides keep
// positions, pair vectors and distances before rounding, the energy scale,
// reference energies and shift, per-structure sums, forces and the loss in float64;
// distances and pair vectors are rounded to float32 before the radial basis, and
// the per-atom outputs widened to float64 after the output network.
//
// # Timing
//
// Inference is energies and forces of one batch (Model.Predict without
// create-graph); a training step is L, its gradient and one Adam step (learning
// rate 10⁻³). The command painnbench times every batch of -molecules (32 molecules,
// and one 18-atom naphthalene, the call an MD step makes) in every precision of
// -precisions, alternating blocks of Go calls and PyTorch calls so that both see
// the same machine load, and reports medians; it times the default SchNet-like
// model (same precision) on the same batch beside them. Go runs with an
// autodiff.Arena (buffers reused across calls) unless -no-arena; its memory per
// molecule is the peak of the heap's objects during two calls on a fresh arena
// (schnet.Workload.PeakMB). No test asserts a time.
//
// # The arithmetic floor
//
// Layers lists PaiNN's Linear layers with their rows (atoms; pairs for the radial
// filter; 3·atoms for U and V, which act on the x, y and z rows of the vector
// features), widths, and whether their input depends on the positions and on
// trainable parameters; schnet.Matmuls turns them into the matrix products that
// energies+forces and a training step need, and schnet.FloorOf times those
// products with dgemm (float64) or sgemm (float32) on their own shapes. The floor
// is the time the products alone take; elementwise work, the message passing and
// the norms of vector features are not in it.
//
// # Commands
//
// From the repository root:
//
//	go test ./bench/painn/...                                  # agreement (skipped without torch)
//	go run ./bench/painn/cmd/painnbench -check-only            # agreement on every batch and precision
//	go build -o /tmp/painnbench ./bench/painn/cmd/painnbench   # the table, on a quiet machine
//	/tmp/painnbench -data ../shared/data/rmd17 -threads 2 -go-blas-threads 1 -json painn.json
//	nice -n 10 go run ./bench/painn/cmd/painnlearn -data ../shared/data/rmd17/hcn_train.h5
//
// painnlearn is a sanity check of learning on a validation split of a training
// file, not evidence: it trains PaiNN and the SchNet-like model with the same data,
// epochs and step sizes and prints their validation errors against CPU time.
package painn
