// Package demo is "sciadapt demo": the three adaptation scenarios run end to end on
// the small real data sets embedded in the binary (package demodata), each printing
// one comparison table and returning its rows as a typed report.
//
//  1. potentials: a small SchNet-like potential trained on H/C/N molecules of rMD17
//     learns oxygen from K frames per molecule: zero-shot, embedding only, the
//     element-gated LoRA adapter, full fine-tuning, and from scratch.
//  2. constitutive: an Al 6061-T6 model fitted at 23 °C is tuned to 200 °C on K
//     points of one specimen with the FiLM temperature adapter, beside the untuned
//     base and a model fitted from scratch on the same points, all scored on the
//     other 200 °C specimens.
//  3. dti: a drug–target model trained on human GPCR pairs moves to rat receptors
//     through bio.Protocol (the transfer command's protocol): frozen human model,
//     receptor base rate, prompt, bottleneck adapter with ortholog alignment, and a
//     model trained from scratch on the rat pairs.
//
// The demo is small by design: its errors are far from what the full data give.
// Options.Quick trains every model for a few steps only, for tests.
package demo
