// Package adapters adapts a frozen base model by training a small part of it:
// parameter-efficient fine-tuning (PEFT) methods that wrap existing layers, adapter
// files that hold only what was trained, and budget planning that decides where to
// adapt.
//
// # Methods
//
// Every method is chosen by a Config and placed by name pattern (nn.Match) on the
// hook sites of a model (nn.Site: every Linear, Embedding, LayerNorm and Conv1D has
// one, named like the layer). Hook methods add their own parameters at the sites;
// selection methods train some of the base's own parameters. In the formulas h is a
// layer's output (…, d), x its input, and the adapted model starts equal to the base
// (bit for bit, except where noted):
//
//	lora        h ← h + (α/r)·(x·Aᵀ)·Bᵀ, A (r, in) ~ U(±1/√in), B (out, r) = 0.
//	            ΔW = (α/r)·(B·A)ᵀ in nn's (in, out) layout. Linear and conv1d
//	            layers (for conv1d, x is the unfolded window, in = width·channels).
//	            Per-site rank and α by Overrides. Merge adds ΔW into W (no inference
//	            overhead); Unmerge restores W exactly.
//	            Hu et al., LoRA, ICLR 2022 (arXiv:2106.09685, 2021): on GPT-3 175B,
//	            10 000× fewer trainable parameters and 3× less GPU memory than full
//	            fine-tuning, at equal or better quality.
//	bottleneck  sequential: h ← h + U·f(D·h + b_D) + b_U (Houlsby et al., ICML
//	            2019: within 0.4 % of full fine-tuning on GLUE with 3.6 % extra
//	            parameters per task; Pfeiffer et al., AdapterFusion, EACL 2021,
//	            arXiv:2005.00247 (2020): one adapter per block instead of two);
//	            parallel: h ← h + U·f(D·x + b_D) + b_U beside the layer (He et al.,
//	            ICLR 2022, arXiv:2110.04366). Hidden width max(1, d/Reduction), U = 0.
//	bitfit      only biases train (Ben Zaken et al., ACL 2022, arXiv:2106.10199
//	            (2021): about 0.08 % of BERT's parameters, competitive with full
//	            fine-tuning on small and medium data).
//	norm        only the γ and β of layer norms train: per channel, a contrast (γ)
//	            and a brightness (β) knob on the normalised features.
//	film        h ← γ(c)∘h + β(c), with [z, β] = g(c) ∈ ℝ^{2d} from a network
//	            g (c → FiLMHidden → 2d, or affine when FiLMHidden = 0) whose output
//	            layer starts at zero, and γ = 1 + z (affine), exp(z) or
//	            softplus(z)/softplus(0) (both positive). At the start z = 0 and
//	            β = 0 exactly, so γ = 1 exactly. c is nn.Context.Cond: (rows, d_c),
//	            one row per output row, per sequence of a (batch, L, d) output, or
//	            (1, d_c) for all (Perez et al., FiLM, AAAI 2018,
//	            arXiv:1709.07871: halved the state-of-the-art error on CLEVR).
//	prompt      m learned vectors P (m, d) prepended to a sequence:
//	            (L, d) → (m+L, d), (batch, L, d) → (batch, m+L, d); initialised from
//	            rows of the embedding table at an embedding site (Lester et al.,
//	            EMNLP 2021, arXiv:2104.08691: matches model tuning for models above
//	            ten billion parameters; lengths beyond about 20 gave little). The
//	            output is longer, so the model cannot start equal to the base; the
//	            positions after the prompt are equal to the base's.
//	select      the base parameters matching Patterns train.
//	full        every base parameter trains (full fine-tuning, the reference).
//	rows        only new rows of embedding tables train (see New rows below).
//
// Config.Method is a Method (a typed string: "lora", "rows" …); the same names are
// used in adapter files, plans and on the command line.
//
// # New rows
//
// NewRows adds k rows to the table (N, …) of every embedding site matching
// RowTargets (an nn.RowSource hook): index N+j looks up new row j, indices below N
// the base's rows, unchanged. This is how a model learns a new kind of input it
// never saw — a new element's embedding and reference energy in an interatomic
// potential — while every input of the old kinds is computed exactly as before. The
// rows start at zero (a domain sets better starting values through NewRows) and
// train alone (method rows) or beside another method's parameters (lora,
// bottleneck, film, bitfit, norm, select, full); RowLabels record what each row
// stands for. Combined with Gate, a LoRA or bottleneck acts only on the rows of the
// new kinds: add-element in package potentials is rows + gated LoRA.
//
// Gate (lora, bottleneck, film) makes an adapter act only on the rows that the mask
// nn.Context.Masks[site.Rows] selects, h ← h + mask∘(h′ − h): the rows of a new
// element, say, while all other rows keep the base output exactly. A mask (n, 1)
// broadcasts over the middle axes of an output (n, …, d), such as the three
// components of vector features (atoms, 3, F); a LoRA on such features (a
// channel-mixing layer without bias) commutes with rotations, so an equivariant
// model stays equivariant.
//
// Precision "float32" keeps an adapter's values in float32: Round rounds them after
// training, and Save stores them as F32, half the bytes, so the adapter read back
// predicts exactly what the rounded one in memory does.
//
// # How a sequence model uses a prompt
//
// nn.Embedding runs its hooks on the rows of one lookup, (len(idx), d). A sequence
// model therefore embeds each sequence with its own Forward call (the prompt hook
// makes it (m+L, d)), then stacks the sequences to (batch, m+L, d); or it runs a
// layer on the stacked (batch, L, d) tensor (a Linear input projection, say) and
// targets that layer's site; or it calls Prepend with Adapter.Prompt itself.
// Everything after the prompt runs on m more positions: a max-pool or attention
// over the length sees them, a per-position read-out must drop them (Slice from m).
//
// # Parameters, freezing and switching
//
// Attach freezes every base parameter and makes trainable what the method trains;
// Adapter.Params lists exactly those, in a fixed order, for the optimiser. Enable
// (false) gives the base back bit for bit: hooks are disabled, a merged LoRA is
// unmerged, selected base parameters get their original values back (the trained
// ones return with Enable(true)). A Set holds several adapters on one base and
// switches between them by name; Detach removes an adapter and restores the base's
// values and trainable flags.
//
// # Adapter files
//
// Save writes a safetensors file (float64 tensors, atomically) that holds only the
// trained tensors, with string metadata:
//
//	format            "sciadapt-adapter"
//	adapter_config    the Config as JSON: method, targets, rank, alpha, …
//	adapter_name      the adapter's name
//	base_fingerprint  nn.Fingerprint of the exact base (SHA-256 of its parameters)
//	sciadapt.checksum SHA-256 over the metadata above and all tensor values
//	sciadapt.file_version "1"
//
// Tensor names follow PEFT: "<site>.lora_A.weight" (r, in) and
// "<site>.lora_B.weight" (out, r); "<site>.adapter_down.weight" (hidden, d_in),
// "….adapter_down.bias", "….adapter_up.weight" (d, hidden), "….adapter_up.bias";
// "<site>.film.hidden.weight" (h, d_c), "….film.hidden.bias",
// "….film.out.weight" (2d, h or d_c), "….film.out.bias" (rows 0…d−1 give z,
// d…2d−1 give β); "<site>.prompt.weight" (m, d). Adapter weights use PyTorch's
// (out, in) layout, as PEFT stores them. Selection methods store the trained base
// parameters under their own names, in nn's layout (Linear weights (in, out)).
// PEFT calls rank "r", alpha "lora_alpha" and targets "target_modules"; PEFT's
// keys carry a "base_model.model." prefix that sciadapt's do not.
//
// Load refuses a file whose checksum does not match (corrupt), whose format is not
// an adapter's, and a base whose fingerprint differs from base_fingerprint, with a
// message naming the file and both fingerprints.
//
// # Costs
//
// Report gives trainable and total parameter counts (scalar values), the bytes of
// the file, and the extra floating-point operations per forward, per row of each
// adapted site's output (a row is what Site.Rows says: an atom, a pair, a sample, a
// sequence position). A multiply–add counts 2 FLOPs, an addition, a multiplication
// or an elementwise function (tanh, exp, softplus) 1. LoRA of rank r on a layer
// in → out costs 2·in·r + 2·r·out + out (+ r for the scale when α ≠ r) per row,
// and nothing when merged; a bottleneck of hidden width h costs 2·d_in·h + 2·h +
// 2·h·d + 2·d; FiLM counts its generator once per row (an upper bound when one
// conditioning row serves the whole batch); selection methods cost nothing; a
// prompt costs nothing at its site, but every later layer runs on m more positions
// per sequence (Report.PromptLength).
//
// The efficiency of a method is M = ΔAcc/√(p·c), p and c the fractions of the
// parameter and compute budgets used (Efficiency, Compare), each counted as at
// least MinFraction so that methods with no extra compute stay comparable.
//
// # Choosing what to adapt
//
// Solve picks, from candidate placements (method × site × rank) with parameter and
// compute costs and a gain, the set of largest total gain within one or two budgets:
// a 0/1 knapsack with at most one candidate per (method, site), solved exactly by
// dynamic programming (1-D or 2-D table) when the table fits in SolveOptions.MaxCells
// after dividing costs by their greatest common divisor. Larger problems are solved
// on a grid of unit u: costs rounded up give a plan that surely fits; costs rounded
// down give a relaxation whose optimum bounds the true one from above, so the plan
// states a bracket [Gain, GainUpperBound] for the optimum. Placements lists
// candidates with their costs; gains come from ProbeGains (the loss decrease after a
// few Adam steps of each candidate alone) or from measurements.
//
// ProbeRanks allocates LoRA ranks across layers under a total-rank budget as
// AdaLoRA does (Zhang et al., ICLR 2023, arXiv:2303.10512): during a short training
// of full-rank-budget LoRAs it smooths the sensitivity I = |θ·∂L/∂θ| of every LoRA
// parameter (Ī ← β₁Ī + (1−β₁)I, Ū ← β₂Ū + (1−β₂)|I − Ī|, s = Ī·Ū, β₁ = β₂ = 0.85),
// scores each rank component by the mean s of its row of A and column of B, and
// keeps the best components over all layers (AllocateRanks). A layer whose
// adaptation matters more gets the larger rank: 48 split as 32 + 16, not 24 + 24.
//
// ChoosePromptLength grows the prompt length until the validation score stops
// improving and returns the smallest length within a tolerance of the plateau.
//
// # Failure
//
// Invalid configurations, targets that match nothing, files that do not fit and
// budgets that make no sense return errors naming the problem (and the file).
// Calling Enable, Merge or Save on an adapter that is not attached, or running a
// FiLM hook without a conditioning input, are programmer errors and panic with a
// message starting "adapters:".
package adapters
