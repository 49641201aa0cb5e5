// Package autodiff is sciadapt's differentiation engine: dense float64 and float32
// tensors, and forward- and reverse-mode automatic differentiation over batched
// operations, to any order.
//
// # Overview
//
// A computation is written with the ops of this package on *Var values. Leaves made
// by Variable are what derivatives are taken with respect to; Constant leaves are not.
// Each op computes its result at once and, when an input requires a gradient, records
// itself and its inputs. An op works on a whole batch: one graph node per layer
// operation, never one per atom or element.
//
// Gradients (reverse mode, a vector–Jacobian product) walks the recorded graph from
// the outputs back to the chosen inputs; JVP (forward mode, a Jacobian–vector product)
// walks it from the inputs to the outputs. Every op's backward and forward rule is
// written with the same ops, so with CreateGraph the derivatives are graph values too
// and can be differentiated again: d/dθ of forces −∂E/∂R for training on forces, or
// Hessian–vector products by reverse-over-reverse or forward-over-reverse.
//
// # Shapes
//
// Tensors are row-major with any rank; a rank-0 tensor holds one number. Elementwise
// ops broadcast as numpy does. MatMul is rank 2. Sequence ops use the channel-last
// layout (batch, length, channels). Index ops (GatherRows, ScatterAddRows, Take) take
// plain int indices that are constants of the graph.
//
// # Invariants
//
// Ops never modify their inputs. A result may share its data with an input (Reshape,
// and ops given a shape they already have), so a tensor obtained from Value must be
// treated as read-only unless the caller made it. Computations on constants record
// nothing. No state is global: two graphs may be built and differentiated on two
// goroutines at once, and the same inputs give bit-identical results.
//
// # Precision
//
// A Tensor is float64 (its elements in Data) or float32 (in Data32); DType says
// which. Every op computes in the precision of its inputs: float32 elementwise
// kernels, float32 index ops, sgemm for MatMul. Inputs of one op must share their
// precision (mixing them panics); ToFloat32 and ToFloat64 convert, and their
// derivatives convert back, so derivatives of any order cross them. Elementary
// functions of float32 elements are evaluated in float64 and rounded; Sum of all
// elements accumulates in float64. Gradients have the precision of what they are
// taken with respect to. Finite-difference checks (package gradcheck) run in float64;
// the float32 ops are checked against their float64 twins.
//
// # Memory
//
// Every result is a new tensor. Gradients without CreateGraph hands the cotangents
// and temporaries of each backward rule back as soon as they are used, so a backward
// pass needs memory for its frontier only. An Arena (opt-in) goes further: results of
// computations on its leaves take their buffers from it, Release recycles them all
// for the next step of a loop, and GradOptions.FreeGraph returns a graph's buffers
// during the backward pass that consumes it. None of this changes a single bit of
// any result.
//
// # Message passing
//
// MessagePass and PairProduct fuse gather, per-pair product and scatter-add over a
// Pairs index (a neighbour list), each the other's adjoint; their sums run over each
// row's contiguous segment of pairs in pair order, in parallel over rows.
//
// # Failure
//
// Shape mismatches and out-of-range indices are programmer errors: ops panic with a
// message starting "autodiff:". Numerical trouble (NaN, Inf) is not checked here;
// Tensor.AllFinite is there for callers that must.
//
// # Backends
//
// Matrix products go through gonum's blas64 interface. Programs call openblas.Use
// (package autodiff/openblas) once at start-up to run them on OpenBLAS.
package autodiff
