// Package nn builds models from named parameters and layers on the autodiff engine.
//
// # Parameters and modules
//
// A Param is a named leaf Var: its name is hierarchical and stable
// ("interaction.0.filter.weight"), and its RequiresGrad flag is its trainable flag.
// A Module lists its parameters and its hook sites in a fixed order; containers list
// their children's in order. Freeze and Unfreeze select parameters by name pattern
// (see Match). Names never depend on map iteration, so a model's parameter list is
// the same on every run.
//
// # Sites and hooks
//
// A Site is a named point of a model where a tensor flows out of a layer (every
// Linear, Embedding, LayerNorm and Conv1D has one, named like the layer). Hooks
// attached to a site may change that output given the layer's input: this is how
// package adapters inserts LoRA, bottleneck adapters, FiLM modulation and prompts
// into a model without changing its code. With no hook attached, a layer computes
// exactly what it computed before any hook existed (bit for bit).
//
// # Shapes and layouts
//
// Linear maps (…, in) to (…, out) with y = x·W + b, W of shape (in, out) — the
// transpose of PyTorch's weight layout (adapter files convert). Embedding maps
// indices to rows of a (n, dim) table. Conv1D uses the channel-last layout
// (batch, length, channels).
//
// # Precision
//
// Parameters are float64 unless SetPrecision converts them (float32 halves memory
// and uses sgemm); a layer computes in the precision of its parameters, and its
// input must have that precision (autodiff panics on mixed precisions; convert with
// autodiff.ToFloat32 or ToFloat64 at the model's edges).
//
// # Files
//
// A model file (SaveModel, ReadModelFile) is a safetensors file: the parameters as
// F64 tensors (F32 for float32 parameters) under their names, and metadata holding the model kind and its JSON
// configuration, which is enough for the domain package to rebuild the model with no
// other input. Writes are atomic. Fingerprint identifies the exact parameter values
// of a model, so that adapters refuse a base they were not trained on.
package nn
