// Package bio is the drug–target interaction model of sciadapt: a DeepDTA-like
// network that scores a (compound, protein) pair, its training on human proteins,
// and its transfer to the proteins of another species (rat) by small adapters in
// the protein branch, guided by human–rat ortholog pairs.
//
// The data layers live in the sub-packages: seq (residues, SMILES tokens,
// vocabularies), dtidata (datasets, the HDF5 layout, importers, splits) and
// metrics (AUROC, AUPRC, MSE, CI, Pearson).
//
// # Model
//
// A protein of L residues is a sequence of ids r₁…r_L (seq.ProteinVocabulary,
// truncated to Config.MaxProteinLength); a compound is the id sequence of its
// SMILES tokens s₁…s_M (seq.TokenizeSMILES and a vocabulary built from the
// training drugs, truncated to Config.MaxDrugLength). Each branch embeds its ids
// (E ∈ ℝ^{V×e}), applies valid 1-D convolutions with ReLU in the channel-last
// layout (batch, length, channels), and max-pools over the length (Öztürk et al.,
// DeepDTA, Bioinformatics 34, i821 (2018)):
//
//	h⁰ = [E_{r₁}; …; E_{r_L}]                      (L, e)
//	hˡ = ReLU(Conv1D(hˡ⁻¹; Wˡ, bˡ))                (L − Σ(wᵢ − 1), fˡ)
//	z_p = max over positions of h^last             (f_p)     the protein representation
//	z_d likewise for the SMILES tokens             (f_d)
//	y = MLP([z_p, z_d])                             one number per pair
//
// The MLP has ReLU between its layers. For binary labels t ∈ {0, 1}, y is a logit,
// P(interaction) = σ(y), and the loss is the binary cross-entropy
// mean(softplus(y) − t·y) in nats; for affinities y is the predicted affinity
// (pKd for Davis) and the loss is the squared error in pKd². The last bias starts
// at the base rate (SetOutputBias, BaseRate). A drug-only model (Config.DrugOnly)
// has no protein branch: y = MLP(z_d). It is the control that every result needs on
// the GPCR set, which was built for a label-reversal test (see dtidata).
//
// # Drug encoders
//
// The drug branch is a DrugEncoder chosen by Config.DrugEncoder: the character
// CNN above (the default, "cnn"), or GraphEncoder ("gin"), a graph isomorphism
// network over the molecular graph that package mol reads from the SMILES (atoms
// with element, degree, hydrogens, charge, aromaticity and ring membership; sum
// aggregation along bonds, sum pooling; optionally the Morgan count fingerprint).
// Both read a SMILES into an integer sequence (DrugTokens) and map batches of
// those to representations (EncodeDrugs), so training and transfer use either.
//
// # Padding and masking
//
// Sequences of a batch are embedded one by one and padded with ZERO vectors (not
// the embedding of the padding id) to the longest length in the batch, at least
// the receptive field R = Σ(wᵢ − 1) + 1 of the CNN. After each convolution and
// ReLU, every output position whose window reaches past the sequence's own
// (padded-to-R) length is multiplied by 0. Since ReLU outputs are ≥ 0, a zeroed
// position never raises the max-pool, so a sequence gets exactly the
// representation it has alone, whatever it is batched with (up to the rounding of
// the matrix product). DeepDTA instead pads every sequence with the id 0 to a fixed
// length (1000 residues, 100 SMILES characters for Davis) and max-pools over the
// padding unmasked. A sequence shorter than R is zero-padded to R and sees the
// zeros, as in DeepDTA.
//
// # Batches
//
// The protein CNN dominates the cost, so a training batch holds few proteins with
// several pairs each: every protein's pairs are shuffled and cut into chunks of
// TrainOptions.PairsPerProtein, the chunks are shuffled, and BatchProteins chunks
// form a batch (8 × 8 by default). Each distinct protein and drug of a batch is
// encoded once and gathered (GatherRows) for its pairs. Every pair is seen once
// per epoch. Train runs through train.Run (the one training loop): the order of
// epoch e (from 0) is drawn from (TrainOptions.Seed, e), checkpoints resume bit for
// bit, and the step size follows TrainOptions.Schedule (cosine from LR to LR/100
// by default, or constant).
//
// # Transfer to another species
//
// Transfer trains only the parameters of an adapter (package adapters) attached
// to the human model; the human model's parameters never change, and with the
// adapter disabled it predicts every pair bit for bit as before. The methods
// (AdapterConfig):
//
//	prompt   m soft residues P ∈ ℝ^{m×e} prepended to every protein's embedded
//	         sequence (Lester et al. 2021), initialised from residue embeddings;
//	         the CNN and the max-pool run over m + L positions
//	adapter  a bottleneck h ← h + U·SiLU(D·h + b_D) + b_U after every protein
//	         convolution, hidden width f/Reduction, U = 0 at the start
//	lora     W ← W + (α/r)·(B·A)ᵀ on every protein convolution (over its unfolded
//	         window), B = 0 at the start
//	head     only the interaction head trains (the base's own head parameters)
//	full     every parameter trains: full fine-tuning, the reference
//	frozen   nothing trains
//
// Ortholog alignment adds, per step, over B ortholog pairs (ratᵢ, humanᵢ),
//
//	L_align = λ · (1/B) Σᵢ (1 − cos(z_θ(ratᵢ), z₀(humanᵢ)))
//
// where z_θ is the adapted protein representation and z₀ the human model's (the
// adapter disabled, computed once: a constant). The alignment term needs no labels,
// so it also trains with K = 0 labelled pairs. Alignment.Shuffled pairs every rat
// protein with a wrong human protein: the shuffled-ortholog control.
//
// # The transfer protocol
//
// Protocol is what "sciadapt transfer" measures. The pairs of the new species are
// split per protein (SplitPerTarget, below): K adapt, the rest test. The report
// (TransferReport) gives the adapted model's metrics on the test pairs beside its
// controls on the same pairs: the frozen human model, the receptor base rate
// (ReceptorRate: each test pair scored with the fraction of positives among its
// protein's K pairs, which pooled AUROC rewards on its own), a drug-only model
// fine-tuned on the same K pairs, and the human test pairs (the proteins the base
// held out, HeldOutHumanPairs) before and after adaptation with the adapter
// disabled, which must be predicted bit for bit as before.
//
// A prompt's length can be chosen by the saturation rule (ChoosePromptLength):
// prompts of 1, 2, 4, … 32 soft residues train on three quarters of each protein's
// K pairs (ValidationSplit) and are scored by their loss on the other quarter; the
// search stops after two lengths in a row that improve the best loss by no more
// than PromptLengthTol (0.01 nats), and the shortest length within PromptLengthTol
// of the best is chosen. No test pair is seen.
//
// # Memory
//
// TrainingMemory estimates the bytes of the data and of one pair's activations,
// so that a command can refuse up front what would not fit.
//
// # Splits for few-shot evaluation
//
// SplitPerTarget takes K labelled pairs per protein of the new species for
// adaptation and holds out the rest, with no compound scaffold
// (dtidata.FrameworkKey) on both sides where a protein's compounds have more than
// one scaffold, and no compound on both sides otherwise.
//
// Score reports the pooled AUROC and AUPRC over all test pairs and MacroAUROC, the
// mean of the per-protein AUROCs over proteins whose test pairs hold both classes:
// the pooled AUROC also rewards ranking mostly-active proteins above
// mostly-inactive ones, which per-protein base rates alone can do.
//
// # Files
//
// Save and Load use nn.SaveModel (safetensors, kind "dti/deepdta", the Config as
// JSON including the SMILES vocabulary), so a model file rebuilds with no other
// input. Adapters are saved by package adapters with the base's fingerprint.
package bio
