// Package train is sciadapt's one training loop: Adam over the batches of a dataset,
// epoch after epoch, with the order of each epoch derived from (seed, epoch),
// checkpoints and resumption, a step-size schedule, a guard against NaN and Inf,
// data-parallel gradient sums and progress events. Every model trained by Adam
// (potentials, drug–target models) runs through Run; a domain supplies a Task — its
// parameters, how an epoch is cut into batches, and the loss of one batch — and never
// writes an epoch loop of its own.
//
// # One step
//
// Step s (counted from 0 over the whole run) of epoch e (from 0) takes batch b of the
// epoch's batches, builds the domain's loss L_b as a graph value of the parameters θ,
// computes ∇_θ L_b in reverse mode, sums L_b and ∇_θ L_b over processes when
// Options.Reduce is set, refuses a non-finite loss or gradient (before the update,
// naming the epoch, the step and the last good checkpoint), and takes one Adam step
// (or AdamW with decoupled weight decay) at the step size of epoch e:
//
//	Constant:  α_e = LR
//	Cosine:    α_e = LR/100 + (LR − LR/100)·(1 + cos(π·e/E))/2   (E epochs)
//
// # Determinism and resumption
//
// Task.Batches receives a random generator that depends only on (Options.Seed,
// Options.Stream, e) (checkpoint.EpochRand), so a run killed at any step and resumed
// from its last checkpoint regenerates the same batches and ends with the
// bit-identical parameters of an uninterrupted run. A checkpoint (package
// train/checkpoint) holds the trained parameters, Adam's state, the position (epoch,
// batch, step) and the epoch's running sums; its fingerprint covers Options and
// whatever Task.Fingerprint adds (the data), so resuming with other data or settings
// is refused.
//
// # Statistics
//
// EpochStats.Loss is the mean of the batch losses of the epoch; EpochStats.Parts are
// the means of the values a batch reports beside its loss (an alignment term, say).
// Epochs are numbered from 1 in statistics and messages, from 0 in Task.Batches and
// checkpoint positions.
package train
