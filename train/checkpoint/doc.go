// Package checkpoint saves and resumes the state of a training loop, so that a run
// killed at any moment continues from its last checkpoint to the bit-identical
// result of an uninterrupted run with the same seed.
//
// # What a checkpoint holds
//
// One safetensors file (the container of model files) with
//
//   - the values of the trained parameters, as tensors "param/<name>";
//   - the optimizer's state (optim.State): its slots as tensors
//     "optim/<slot>/<index>", its learning rate, step and update counts in the
//     metadata;
//   - the loop's Position: the epoch and the batch within it where training
//     continues, the number of steps done, and the loop's running sums (for its
//     epoch statistics), all exact (float64 values are written in shortest
//     round-trip form);
//   - the loop's kind (e.g. "potential/train") and a Fingerprint of the training
//     data and of every setting that changes the trajectory (seed, epochs, batch
//     size, learning rate, loss weights, the names and shapes of the trained
//     parameters). Resuming with other data or settings is refused, naming both
//     fingerprints.
//
// The loop does not store a random-number generator's state: each epoch's order is
// derived from (seed, epoch) alone (EpochRand), so a resumed loop regenerates the
// same order.
//
// Writes are atomic (internal/atomicfile): a kill during a write leaves the previous
// checkpoint intact.
//
// # Using it in a loop
//
// A loop takes an optional *Saver (nil means no checkpoints and no interruption):
//
//	pos, err := s.Resume(kind, fp, params, opt) // zero Position unless resuming
//	for ep := pos.Epoch; ep < epochs; ep++ {
//		for b := start; b < nb; b++ {
//			… one step …
//			if err := s.After(Position{…next…}, params, opt); err != nil {
//				return err // interrupted (checkpoint written) or a failed write
//			}
//		}
//	}
//
// After writes a checkpoint every Saver.Every steps (at the end of every epoch when
// Every is 0) and, when Saver.Context is cancelled (SIGINT, SIGTERM), writes one and
// returns an *Interrupted error naming the file. Saver.Check turns a non-finite loss
// or gradient into an error naming the step and the last good checkpoint.
//
// # Minimisers with private state
//
// gonum's L-BFGS keeps its history to itself. Replay makes it resumable anyway: it
// logs the value and gradient of every evaluation of the objective (a checkpoint
// holds the log, 8·(n+1) bytes per evaluation for n variables), and a resumed run,
// started from the same point, is answered from the log without evaluating, so
// the minimiser retraces its iterates bit for bit and goes on. The fingerprint must
// cover the starting point.
package checkpoint
