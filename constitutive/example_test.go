package constitutive_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/constitutive"
)

// A material point of a finite-element code: one strain increment from the virgin
// state, then the stress, the consistent tangent and the new state.
func ExampleModel_Update() {
	m, err := constitutive.New(constitutive.Config{}) // untrained: E = 70 GPa, ν = 0.33, σ_y0 = 250 MPa
	if err != nil {
		panic(err)
	}
	var s constitutive.State
	d := constitutive.Mat3{{0.005, 0, 0}, {0, -0.0025, 0}, {0, 0, -0.0025}} // isochoric stretch
	r, err := m.Update(s, d, 296.15)
	if err != nil {
		panic(err)
	}
	fmt.Printf("plastic %v, α = %.5f\n", r.Plastic, r.State.Alpha)
	fmt.Printf("σ11 = %.1f MPa, σ22 = %.1f MPa\n", r.Stress[0][0], r.Stress[1][1])
	fmt.Printf("∂σ11/∂ε11 = %.0f MPa\n", r.Tangent[0][0])
	fmt.Printf("dissipation %.4f MPa\n", r.Dissipation)
	// Output:
	// plastic true, α = 0.00163
	// σ11 = 177.5 MPa, σ22 = -88.7 MPa
	// ∂σ11/∂ε11 = 70593 MPa
	// dissipation 0.4070 MPa
}

// Uniaxial tension: the driver finds the lateral strains that keep σ22 = σ33 = 0.
func ExampleModel_Uniaxial() {
	m, err := constitutive.New(constitutive.Config{})
	if err != nil {
		panic(err)
	}
	pts, err := m.Uniaxial([]float64{0.002, 0.004, 0.01}, 296.15)
	if err != nil {
		panic(err)
	}
	for _, p := range pts {
		fmt.Printf("ε = %.3f  σ = %6.1f MPa  ε22 = %.5f  α = %.5f\n", p.Strain, p.Stress, p.Lateral[0], p.State.Alpha)
	}
	// Output:
	// ε = 0.002  σ =  140.0 MPa  ε22 = -0.00066  α = 0.00000
	// ε = 0.004  σ =  255.6 MPa  ε22 = -0.00138  α = 0.00035
	// ε = 0.010  σ =  276.2 MPa  ε22 = -0.00433  α = 0.00605
}

// A finite-element code calls Update once per integration point and increment. Here
// a strain-controlled cycle of the axial strain ε11 (lateral strains fixed at
// −ν·ε11, which makes the elastic response exactly σ11 = E·ε11) loads to 1 % in 10
// increments, unloads to 0 in 10 and reloads to 1 %. Unloading starts elastic, with
// the slope E of the first increment, and yields again in compression before ε11 is
// back at 0; the hardening is isotropic, so α keeps growing and reloading ends at
// a higher stress.
func ExampleModel_Update_cycle() {
	m, err := constitutive.New(constitutive.Config{}) // or constitutive.Load("al6061.model")
	if err != nil {
		panic(err)
	}
	const tK = 296.15 // K
	const nu = 0.33   // the lateral strains follow ν·ε11
	var s constitutive.State
	eps11 := 0.0
	step := func(d float64) constitutive.Result {
		dEps := constitutive.Mat3{{d, 0, 0}, {0, -nu * d, 0}, {0, 0, -nu * d}}
		r, err := m.Update(s, dEps, tK)
		if err != nil {
			panic(err)
		}
		s = r.State // accept the increment
		eps11 += d
		return r
	}
	for _, leg := range []struct {
		name string
		d    float64
	}{{"load", 0.001}, {"unload", -0.001}, {"reload", 0.001}} {
		var r constitutive.Result
		for k := 0; k < 10; k++ {
			r = step(leg.d)
			if k == 0 || k == 9 {
				fmt.Printf("%-6s ε11 = %.3f  σ11 = %6.1f MPa  α = %.5f  plastic %v\n", leg.name, eps11, r.Stress[0][0], s.Alpha, r.Plastic)
			}
		}
	}
	// Output:
	// load   ε11 = 0.001  σ11 =   70.0 MPa  α = 0.00000  plastic false
	// load   ε11 = 0.010  σ11 =  416.9 MPa  α = 0.00538  plastic true
	// unload ε11 = 0.009  σ11 =  346.9 MPa  α = 0.00538  plastic false
	// unload ε11 = 0.000  σ11 = -185.0 MPa  α = 0.00724  plastic true
	// reload ε11 = 0.001  σ11 = -115.0 MPa  α = 0.00724  plastic false
	// reload ε11 = 0.010  σ11 =  419.5 MPa  α = 0.00906  plastic true
}
