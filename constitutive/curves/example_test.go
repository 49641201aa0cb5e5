package curves_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

func ExampleParseTemperature() {
	for _, s := range []string{"200C", "473.15K", "851.67R", "392F"} {
		k, err := curves.ParseTemperature(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-8s = %.2f K\n", s, k)
	}
	_, err := curves.ParseTemperature("200")
	fmt.Println(err)
	// Output:
	// 200C     = 473.15 K
	// 473.15K  = 473.15 K
	// 851.67R  = 473.15 K
	// 392F     = 473.15 K
	// temperature "200" has no unit: write 200C, 200K, 200R or 200F
}

func ExampleToTrue() {
	// Engineering strain 0.1 and stress 46.2 ksi (converted to MPa).
	strain, stress := curves.ToTrue([]float64{0.1}, []float64{46.2 * curves.MPaPerKsi})
	fmt.Printf("true strain %.5f, true stress %.1f MPa\n", strain[0], stress[0])
	// Output:
	// true strain 0.09531, true stress 350.4 MPa
}

func ExampleYield02() {
	// Bilinear: E = 70 GPa up to 280 MPa, then hardening 1000 MPa per unit strain,
	// sampled every 0.01 % strain.
	var strain, stress []float64
	for i := 0; i <= 500; i++ {
		e := float64(i) * 1e-4
		s := 70000 * e
		if s > 280 {
			s = 280 + 1000*(e-280.0/70000)
		}
		strain = append(strain, e)
		stress = append(stress, s)
	}
	c := curves.NewCurve("bilinear", 296.15, strain, stress)
	E, last := curves.FitElastic(c)
	y, _ := curves.Yield02(c, E)
	fmt.Printf("E = %.0f MPa, elastic up to point %d, 0.2%% yield %.2f MPa\n", E, last, y)
	// Output:
	// E = 70000 MPa, elastic up to point 40, 0.2% yield 282.03 MPa
}

func ExampleDropAfterUTS() {
	// Engineering curve: load rises to a maximum at e = 0.03 and falls (necking).
	e := []float64{0, 0.002, 0.01, 0.02, 0.03, 0.04, 0.05}
	s := []float64{0, 140, 250, 280, 290, 285, 270}
	strain, stress := curves.ToTrue(e, s)
	c := curves.NewCurve("neck", 296.15, strain, stress)
	cut, dropped := curves.DropAfterUTS(c)
	uts, _ := curves.UTS(c)
	fmt.Printf("UTS %.0f MPa; necking from true strain %.4f; %d points dropped, %d kept\n", uts, cut.NeckingStrain, dropped, cut.Len())
	// Output:
	// UTS 290 MPa; necking from true strain 0.0296; 2 points dropped, 5 kept
}
