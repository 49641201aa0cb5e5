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
