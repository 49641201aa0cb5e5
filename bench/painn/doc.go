// Package painn checks sciadapt's PaiNN potential (potentials.ArchPaiNN) against
// the same network written in PyTorch (painn_torch.py in this directory) and times
// the two side by side on batches of rMD17 molecules.
//
// # Agreement
//
// Go exports a batch, its targets and every parameter of a PaiNN model in the JSON
// layout of bench/schnet (schnet.Export, with config.model = "painn"), together with
// its own energies, forces, training loss and loss gradient. painn_torch.py
// rebuilds the network from the parameter names alone (see the PaiNN section of
// package potentials) and requires, in float64,
//
//	max|E_torch − E_go| / max(1, max|E_go|) ≤ 10⁻⁸
//
// and the same for the forces, the loss and the gradient of the loss with respect
// to every trainable parameter (the largest over parameters). The loss is the one
// of bench/schnet,
//
//	L = mean_m((E_m − E_m^ref)/N_m)² + 10·mean((F − F^ref)²),
//
// with forces from a create-graph backward, so its gradient is a second derivative
// of the energy.
//
// # Timing
//
// Inference is energies and forces of one batch (Model.Predict without
// create-graph); a training step is L, its gradient and one Adam step (learning
// rate 10⁻³). The command painnbench alternates blocks of Go calls and PyTorch
// calls so that both see the same machine load, and reports medians; it can time
// the default SchNet-like model on the same batch beside them. No test asserts a
// time.
//
// # Commands
//
// From the repository root:
//
//	go test ./bench/painn/...                                  # agreement (skipped without torch)
//	go run ./bench/painn/cmd/painnbench -check-only            # agreement on 32-molecule batches
//	go run ./bench/painn/cmd/painnbench -data ../shared/data/rmd17 -features 64 -interactions 3 -rbf 20
//	nice -n 10 go run ./bench/painn/cmd/painnlearn -data ../shared/data/rmd17/hcn_train.h5
//
// painnlearn is a sanity check of learning on a validation split of a training
// file, not evidence: it trains PaiNN and the SchNet-like model with the same data,
// epochs and step sizes and prints their validation errors against CPU time.
package painn
