package main

import (
	"fmt"
	"io"
)

// printReport writes the run's Markdown tables: timings (unless -check-only) and
// the agreement with PyTorch (unless -no-torch).
func printReport(w io.Writer, r *Report, o options) {
	c := r.Config
	fmt.Fprintf(w, "date %s; nproc %d; GOMAXPROCS %d; Go OpenBLAS threads %d; PyTorch threads %d\n",
		r.Date, r.NumCPU, r.GOMAXPROCS, r.BLASThreads, o.threads)
	fmt.Fprintf(w, "PaiNN F = %d, T = %d, K = %d, r_c = %g Å: %d parameters", c.Features, c.Interactions, c.RBF, c.Cutoff, r.Parameters)
	if r.SchNetParams > 0 {
		fmt.Fprintf(w, " (SchNet-like default: %d)", r.SchNetParams)
	}
	fmt.Fprintln(w)
	if !o.checkOnly {
		fmt.Fprintf(w, "dgemm 1024³: %.1f GFLOP/s, sgemm 1024³: %.1f GFLOP/s; Go arena %v; median of %d calls in %d alternating Go/PyTorch blocks after %d warm-up calls\n\n",
			r.DgemmGflops, r.SgemmGflops, r.Arena, r.CallsPerBlock*r.Rounds, r.Rounds, r.Warm)
		printTimes(w, r)
	}
	if !o.noTorch {
		fmt.Fprintln(w)
		printAgreement(w, r)
	}
}

// printTimes writes one line per batch, precision and workload.
func printTimes(w io.Writer, r *Report) {
	fmt.Fprintln(w, "| molecule ×N | precision | atoms | pairs | workload | PaiNN Go ms | PaiNN PyTorch ms | PyTorch/Go | target ≥3× met? | matmul GFLOP | floor ms | floor GFLOP/s | Go/floor | min ms Go, PyTorch | CPU ms/call Go, PyTorch | Go MB/molecule | SchNet-like Go ms | load before, after |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, x := range r.Rows {
		line := func(name, goKey, torchKey, schnetKey string, g, t, gf, fl, rate, mb, s float64) {
			ratio, met := "–", "–"
			if t > 0 && g > 0 {
				ratio, met = fmt.Sprintf("%.2f", t/g), "no"
				if t/g >= Target {
					met = "yes"
				}
			}
			fmt.Fprintf(w, "| %s ×%d | %s | %d | %d | %s | %.2f | %.2f | %s | %s | %.4f | %.2f | %.1f | %.1f | %.2f, %.2f | %.1f, %.1f | %.3f | %.2f | %.2f, %.2f |\n",
				x.Name, x.Molecules, x.Precision, x.Atoms, x.Pairs, name, g, t, ratio, met, gf, fl, rate, g/fl,
				x.Min[goKey], x.Min[torchKey], x.CPU[goKey], x.CPU[torchKey], mb, s, x.Load[0], x.Load[1])
		}
		line("energy+forces", "go_infer", "torch_infer", "schnet_infer", x.GoInferMs, x.TorchInferMs,
			x.InferGflop, x.InferFloorMs, x.InferGflops, x.GoInferMBPerMol, x.SchNetInfer)
		line("training step", "go_train", "torch_train", "schnet_train", x.GoTrainMs, x.TorchTrainMs,
			x.TrainGflop, x.TrainFloorMs, x.TrainGflops, x.GoTrainMBPerMol, x.SchNetTrain)
	}
}

// printAgreement writes the agreement of PyTorch with Go for every batch and
// precision.
func printAgreement(w io.Writer, r *Report) {
	fmt.Fprintln(w, "| molecule ×N | precision (Go, PyTorch) | PyTorch agrees | tolerance | max rel. diff E, F, loss, ∇loss | max |ΔE| eV |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, x := range r.Rows {
		k := x.Check
		fmt.Fprintf(w, "| %s ×%d | %s, %s | %v | %g | %.2g, %.2g, %.2g, %.2g | %.2g |\n", x.Name, x.Molecules, x.Precision, x.TorchPrecision,
			x.Agrees, x.Tolerance, k["energy_rel_diff"], k["forces_rel_diff"], k["loss_rel_diff"], k["grad_rel_diff"], k["energy_abs_diff_ev"])
	}
}
