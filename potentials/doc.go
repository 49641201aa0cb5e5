// Package potentials holds interatomic potentials: structures, message-passing
// models with learnable element embeddings (SchNet-like and PaiNN), their training on
// energies, forces and stresses, and the Calculator interface that simulation codes
// use.
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
// # PaiNN
//
// Config.Model = ArchPaiNN ("painn") replaces the interaction blocks by those of
// PaiNN (Schütt, Unke & Gastegger, ICML 2021, arXiv:2102.03150), whose messages
// carry directions, so that the energy depends on angles and many-body
// arrangements, not only on sums over distances. Each atom holds F scalar features
// s_i (invariant) and F vector features v_i, a 3 × F array that rotates with the
// structure: s_i = x_i⁰ and v_i = 0 at the start. With the unit vector
// r̂_ij = r_ij/d_ij and the radial basis e_n(d) = sin(nπd/r_c)/d (n = 1 … K, Å⁻¹),
// block t computes a message
//
//	[x^s, x^vv, x^vs]_ij = φ_t(s_j) ∘ W_t(e(d_ij))·f_c(d_ij)        (three F-wide parts)
//	s_i ← s_i + Σ_j x^s_ij
//	v_i ← v_i + Σ_j ( v_j ∘ x^vv_ij + r̂_ij ⊗ x^vs_ij )
//
// (φ_t an MLP F → F → 3F with SiLU, W_t a linear map K → 3F; (v ∘ x)_αf = v_αf·x_f
// and (r̂ ⊗ x)_αf = r̂_α·x_f), then an update
//
//	[a^vv, a^sv, a^ss]_i = a_t(s_i, ‖V_t v_i‖_ε)                     (three F-wide parts)
//	s_i ← s_i + a^ss_i + a^sv_i ∘ ⟨U_t v_i, V_t v_i⟩
//	v_i ← v_i + a^vv_i ∘ U_t v_i
//
// where U_t and V_t are F × F matrices without bias acting on the feature axis of
// v_i (the same for its x, y and z rows, so they commute with rotations), ⟨·,·⟩
// and ‖u‖_ε = √(Σ_α u_α² + ε) act on the Cartesian axis feature by feature
// (ε = 10⁻³ keeps the norm smooth at u = 0; see painnNormEps), and a_t is an MLP
// 2F → F → 3F with SiLU on the concatenation [s_i, ‖V_t v_i‖_ε]. The energy is
// E = Σ_i [ s·O(s_i) + E_ref(Z_i) ] + E_0 as above, with O an MLP F → F/2 → 1 with
// SiLU. Scalars stay invariant and vector features rotate (R v_i) under rotations of
// the structure, so E is invariant and forces rotate with it.
//
// Parameters and hook sites (T blocks, t = 0 … T−1; a Linear named n has n.weight
// (in, out) and n.bias (out); an MLP named n has Linears n.0, n.1):
//
//	interaction.t.message.phi     MLP F → F → 3F                 atom rows
//	interaction.t.message.filter  Linear K → 3F                  pair rows
//	interaction.t.update.U        Linear F → F, no bias, on v    atom rows
//	interaction.t.update.V        Linear F → F, no bias, on v    atom rows
//	interaction.t.update.a        MLP 2F → F → 3F                atom rows
//	output                        MLP F → F/2 → 1                atom rows
//
// U and V take v as (atoms, 3, F) and return (atoms, 3, F); their hooks see those
// shapes. A low-rank change of U or V acts on the feature axis too, so an adapted
// model stays equivariant.
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
