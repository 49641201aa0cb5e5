// Package constitutive is a small-strain thermo-elasto-plastic material model with a
// learned free energy, whose temperature dependence is re-tuned from a few measured
// points by training only small FiLM subnetworks (package adapters).
//
// # Free energy
//
// Strain is split additively, ε = εᵉ + εᵖ, and the state is (εᵉ, α), α ≥ 0 the
// equivalent plastic strain. The Helmholtz free energy per unit volume (MPa = MJ/m³) is
//
//	ψ(εᵉ, α, T) = ψᵉ(εᵉ, T) + ψᵖ(α, T) + ψθ(T)
//	ψᵉ = ½·K(T)·(tr εᵉ)² + G(T)·|dev εᵉ|²,   K = E/(3(1−2ν)),  G = E/(2(1+ν))
//	ψᵖ = H(T)·α_ref·Σⱼ cⱼ·[sp(zⱼ(α̂)) − sp(zⱼ(0)) − α̂·sp′(zⱼ(0))·(zⱼ(1) − zⱼ(0))]
//	ψθ = c₀·[(T − T₀) − T·ln(T/T₀)]
//
// with sp the softplus, α̂ = α/α_ref, z(α̂) = FiLM(w·α̂ + b) the units of the layer
// "hardening.0" (affine in α̂ for every temperature), and cⱼ = softplus(rawⱼ) ≥ 0.
// ψᵉ is a positive-definite quadratic form (E > 0, −1 < ν < ½), so it is convex in
// strain and σ(0) = 0 exactly, at every temperature; ψᵖ is a non-negative sum of
// convex functions of α̂ minus their tangent at 0, so it is convex with
// ψᵖ(0) = ψᵖ′(0) = 0. The three properties come from the property network
// "props" (1 → PropsHidden → 3, softplus) fed a constant 1:
//
//	E = E_ref·exp(o₀),   σ_y0 = Y_ref·exp(o₁),   H = H_ref·exp(o₂),
//
// positive by construction. ν is fixed (Config.Poisson): uniaxial tension data do
// not determine it.
//
// Everything else follows by automatic differentiation (package autodiff):
//
//	σ = ∂ψ/∂εᵉ            stress, MPa                (Stress, Update)
//	κ = ∂ψᵖ/∂α ≥ 0        hardening, MPa             (Hardening)
//	η = −∂ψ/∂T            entropy, MPa/K             (Entropy)
//	c = −T·∂²ψ/∂T²        heat capacity, MPa/K       (HeatCapacity; c₀ = 2.43 MPa/K
//	                      for aluminium, ρ·c_p = 2700 kg/m³ · 896 J/(kg·K))
//
// # Plasticity
//
// J2 (von Mises) yield with isotropic hardening, f = √(3/2)·|dev σ| − (σ_y0 + κ(α)) ≤ 0,
// associative flow Δεᵖ = √(3/2)·Δγ·n, n = dev σ/|dev σ|, Δα = Δγ. Update is the
// implicit return mapping: elastic predictor; if f > 0, a safeguarded scalar Newton
// iteration on q_trial − 3G·Δγ − σ_y0 − κ(α_n + Δγ) = 0 (exact radial return for
// this isotropic quadratic ψᵉ). Since κ is non-decreasing the root is unique and
// bracketed. The dissipation of a step is
//
//	D = σ:Δεᵖ − κ·Δα = σ_y0·Δγ ≥ 0,
//
// and a step whose trial stress lies inside the yield surface is elastic, so
// unloading is elastic.
//
// The consistent tangent dσ/dΔε of Update is taken by reverse-mode automatic
// differentiation through the whole update: the converged Δγ* enters the graph
// through one Newton step, Δγ = Δγ* − r(Δγ*)/r′(Δγ*), whose derivative at r = 0 is
// the implicit one. Tangents are [9][9] over independent variations of all nine
// strain components, C[3i+j][3k+l] = ∂σᵢⱼ/∂Δεₖₗ.
//
// # Drivers
//
// StrainPath drives total strain paths. Uniaxial drives uniaxial stress: a Newton
// iteration on the two lateral strains, with the consistent tangent, makes
// σ₂₂ = σ₃₃ = 0. For monotonic tension this model's response reduces exactly to
// the scalar relations σ = E·ε below yield and σ = E·(ε − α) = σ_y0 + κ(α) above,
// which UniaxialStress solves (Newton on α, then one graph step for the implicit
// derivative). Fitting uses UniaxialStress; a test checks it against Uniaxial.
//
// Measured curves are true stress against true (logarithmic) strain; the model
// treats the logarithmic strain as its small strain, the usual approximation for
// metals up to necking (a few per cent here).
//
// # Temperature
//
// Temperature enters as the conditioning input c = (T − T₀)/ΔT (nn.Context.Cond,
// shape (1, 1)) of FiLM adapters on the hidden layers "props.0" and "hardening.0":
// h ← γ(c)∘h + β(c) with γ = softplus(z)/softplus(0) > 0. The base model has no
// adapter and does not depend on T except through ψθ. TemperatureTune attaches one,
// freezes every base parameter, keeps the FiLM biases at zero so that z(0) = β(0) = 0
// and the adapted model equals the base exactly at T₀, and trains the FiLM weights
// by L-BFGS (with a small ridge penalty) on K measured points at the new
// temperature. SelectPoints picks those points: one in the elastic range and K − 1
// spread evenly in strain over the plastic part of one specimen's curve.
//
// A finite-element code loads the base with Load and a tuned adapter onto it with
// adapters.Load (which refuses an adapter trained on another base); Update, the
// drivers and the thermal quantities then use the adapter at every temperature.
//
// # Data
//
// Curves come from package curves (sciadapt import matcal), cut at the ultimate
// tensile strength by default. The points after it belong to a necking specimen, not
// to a material point: their "true" stress assumes uniform deformation, and a model
// whose hardening never decreases cannot follow them. At 200 °C the cut leaves
// 33–68 points per Sandia Al 6061-T6 specimen, ending at 0.5–2.5 % strain.
//
// # Fitting and errors
//
// Fit trains every base parameter by L-BFGS on the mean of ((σ_model − σ)/100 MPa)²
// over the points of each curve, curves weighted equally. Evaluate pools all points
// of the given curves: RMSE in MPa and NRMSE = RMSE/(max σ − min σ). Scatter gives
// the same errors for each curve against the mean of the other curves, a yardstick
// for what any model can reach.
package constitutive
