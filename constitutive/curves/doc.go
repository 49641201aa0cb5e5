// Package curves reads, processes and stores measured uniaxial stress–strain curves
// of metals at several temperatures: the data that constitutive models are fitted to
// and adapted with.
//
// # Units and signs
//
// A Curve holds true (logarithmic) strain, dimensionless, and true (Cauchy) stress in
// MPa, with tension positive; temperatures are in kelvin. Importers convert:
//
//	1 ksi = 6.894757293168361 MPa      (MPaPerKsi; 1 lbf = 4.4482216152605 N, 1 in = 0.0254 m)
//	T[K]  = T[°R]·5/9                  (RankineToKelvin)
//	T[K]  = (T[°F] + 459.67)·5/9       (FahrenheitToKelvin)
//	T[K]  = T[°C] + 273.15             (CelsiusToKelvin)
//
// and keep the source units in the curve (SourceStressUnit, SourceTemperatureUnit).
// ParseTemperature reads temperatures written with a unit, as the command line takes
// them: "200C", "473.15K", "851.67R", "392F".
//
// # Engineering and true values
//
// With engineering strain e = ΔL/L₀ and engineering stress s = F/A₀, constant volume
// during uniform plastic flow gives
//
//	ε = ln(1 + e),     σ = s·(1 + e)      (ToTrue)
//
// and back s = σ·exp(−ε). These hold only while deformation is uniform, that is up
// to the maximum load. By Considère's criterion necking starts there, so the ultimate
// tensile strength is the engineering maximum, UTS = max s (UTS), and DropAfterUTS
// removes the points after it, recording the true strain where necking began
// (NeckingStrain), the UTS (UltimateStrength) and how many points went
// (NeckingDropped).
//
// # Processing a measured tension curve
//
// Prepare does, in order:
//
//  1. LoadingBranch: drop preload cycles and a zero-load stretch before the test
//     proper. The final loading branch is the longest stretch ending at the maximum
//     load in which the stress never falls more than 5 % of the peak below an
//     earlier value of the stretch; it starts at its lowest point, or at the end of
//     a flat stretch within 0.5 % of the peak above that lowest point.
//  2. DropAfterUTS (unless PrepareOptions.KeepAfterUTS).
//  3. FitElasticLine: a least-squares line σ = E·ε + b over the elastic segment. The
//     segment starts at the first point above 10 % of the peak stress (below that lie
//     grips and extensometer seating) and is the longest one, of at least 5 points
//     and ending no later than the peak, whose fit has R² ≥ 0.999; if none reaches
//     0.999, 0.998 and then 0.995 are tried. Bending into the plastic range lowers R²,
//     so the segment ends near the proportional limit; R² still tolerates a few
//     points past it, so while the last point lies more than twice the RMS residual
//     below the line it is removed and the line refitted. E, R² and the index of the
//     segment's last point are stored (ElasticModulus, ElasticFitR2,
//     ElasticLimitIndex).
//  4. Toe compensation (ASTM E8, E646): all strains are shifted by the zero-stress
//     strain −b/E of the fitted line, so the elastic line passes through the origin.
//
// Yield02 then gives the 0.2 % offset yield strength, the first crossing of the
// curve with σ = E·(ε − 0.002). On the Sandia Al 6061-T6 data the fitted moduli are
// apparent moduli: extensometer and machine compliance, few points in the elastic
// range and noise scatter them by several GPa around the handbook 68.9 GPa.
//
// Hot-compression flow curves (Loading Compression) are stored as measured: their
// elastic part is not resolved and they do not neck.
//
// # File layout "sciadapt-curves", version 1 (HDF5)
//
//	/  attrs: format="sciadapt-curves", version=1 (int), stress_unit="MPa",
//	          temperature_unit="K", strain="true (logarithmic), dimensionless",
//	          stress="true (Cauchy)", sign_convention="tension positive",
//	          source (the source files, comma separated)
//	/<specimen>/strain   float64 (n)   true strain
//	/<specimen>/stress   float64 (n)   true stress, MPa
//	/<specimen> attrs:
//	    temperature_K            float   nominal test temperature
//	    specimen, direction ("LT", "RD", "ST" or ""), loading ("tension" | "compression"),
//	    lab, source_file, source_stress_unit ("ksi", "MPa"),
//	    source_temperature_unit ("R", "C"), source_direction ("R11" …),
//	    measure ("true" | "engineering converted to true"),
//	    processing (what was done, in words)                         strings
//	    strain_rate_per_s        float   nominal strain rate, 1/s
//	    measured_temperature_K   float   mean of the thermocouple record
//	    necking_strain           float   true strain at the UTS
//	    ultimate_strength_MPa    float   UTS (engineering), before the toe shift
//	    elastic_modulus_MPa      float   E of the elastic fit
//	    elastic_fit_r2           float   R² of that fit
//	    toe_strain               float   zero-stress strain subtracted from all strains
//	    elastic_limit_index      int     last point of the elastic segment
//	    leading_points_dropped   int     points before the final loading branch
//	    necking_points_dropped   int     points after the UTS
//
// One group per curve, named by its specimen. A float attribute that is absent means
// "not known" or "not done" (NaN in a Curve; −1 for an index, 0 for a strain rate).
// The strain rate is a scalar attribute, not a dataset: each curve of these tests
// has one nominal rate. Write creates files atomically; Read refuses other formats,
// versions and units.
//
// # Sources
//
// ReadMatCalCSV reads Sandia MatCal CSV files: line 1 is a Python dict with the state
// (temperature in Rankine, direction R11/R22/R33 = LT/RD/ST), parsed without a
// Python interpreter; line 2 the column names; stresses in ksi. ReadGleeble reads the
// Gleeble hot-compression table (strain, strain rate 1/s, T °C, flow stress MPa) and
// splits it into one curve per temperature and strain rate.
package curves
