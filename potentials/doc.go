// Package potentials holds interatomic potentials: structures, a SchNet-like
// message-passing model with learnable element embeddings, its training on energies,
// forces and stresses, and the Calculator interface that simulation codes use.
//
// # The model
//
// Each atom i starts from the embedding x_i⁰ of its element (a learned vector of F
// features). For every pair within the cutoff r_c the distance d_ij = |r_ij|,
// r_ij = R_j − R_i + S_ij (S_ij the periodic image shift), is expanded in K Gaussians
// e_k(d) = exp(−γ(d − μ_k)²) and multiplied by the cosine cutoff
// f_c(d) = ½(cos(πd/r_c) + 1). Interaction block t updates
//
//	x_i ← x_i + U_t( Σ_j (W_t^in x_j) ∘ Φ_t(e(d_ij))·f_c(d_ij) )
//
// with Φ_t and U_t two-layer networks with shifted softplus (Schütt et al., J. Chem.
// Phys. 148, 241722 (2018)). The energy is
//
//	E = Σ_i [ s·O(x_i) + E_ref(Z_i) ] + E_0
//
// with O an atomwise network, s a fixed scale and E_ref, E_0 reference energies
// fitted by least squares on composition before training (FitReferences).
//
// # Forces and stress
//
// Forces are F = −∂E/∂R and stress is σ = (1/V)·∂E/∂ε for the homogeneous strain
// r_ij ← r_ij·(I + ε), both by reverse-mode differentiation, so the forces conserve
// energy by construction. Positive stress is tensile (ASE's convention). Training on
// forces differentiates the forces again with respect to the parameters
// (create-graph).
//
// # Data-parallel training
//
// The loss of a batch B of frames is
//
//	L = w_E/|B| Σ_{b∈B} ((Ê_b − E_b)/N_b)² + w_F/(3·Σ_b N_b) Σ_{b,i,α} (F̂_biα − F_biα)²
//	    + w_σ/(9|B|) Σ_{b,αβ} (σ̂_bαβ − σ_bαβ)²
//
// (N_b atoms in frame b). Split B over P processes, B = B_1 ∪ … ∪ B_P, each sum is a
// sum of per-process sums, and the normalisers |B| and Σ_b N_b are global counts; so
// ∇L = Σ_p ∇L_p, where L_p holds process p's sums over the global counts. Train with
// TrainOptions.Parallel computes ∇L_p and sums it over processes (an all-reduce)
// before the optimizer step, which equals one process's step on B to rounding. The
// reference fit needs only per-composition energy sums and counts and the sum of
// squared forces, which add over processes the same way (FitReferencesParallel).
//
// # Simulation
//
// A simulation code calls Compute through the Calculator interface: a Model
// (with its add-element adapter, if one is attached) or an MDCalculator, which
// reuses neighbour lists with a Verlet skin and rebuilds them only when some atom
// has moved more than half the skin, with results identical to Model.Compute.
// VelocityVerlet (NVE) and Langevin (NVT, BAOAB) integrate the dynamics in fs;
// FIRE (Bitzek et al., Phys. Rev. Lett. 97, 170201 (2006)) relaxes positions in a
// fixed cell until the largest atomic force is below a tolerance.
//
// # Units and shapes
//
// Positions Å (atoms × 3, row-major), energies eV, forces eV/Å (atoms × 3),
// stress eV/Å³ (3 × 3 row-major), cells Å with lattice vectors as rows.
package potentials
