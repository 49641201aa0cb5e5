package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ParityOptions configure Parity.
type ParityOptions struct {
	Title string
	// Quantity and Unit name the axes "<Reference> <Quantity> (<Unit>)" and
	// "predicted <Quantity> (<Unit>)"; the MAE is given in Unit.
	Quantity, Unit string
	// Points names the points in the legend, e.g. "test frames"; default "points".
	Points string
	// Reference is the word for the reference values on the x axis, e.g.
	// "measured" or "DFT"; default "reference".
	Reference string
}

// MAE returns the mean absolute error (1/n) Σ |pred[i] − ref[i]| over the pairs
// where both are finite, and that number of pairs n. It returns NaN and 0 when
// there is none, and panics if ref and pred have different lengths.
func MAE(ref, pred []float64) (mae float64, n int) {
	xy, _ := finite(ref, pred, false, false)
	if len(xy) == 0 {
		return math.NaN(), 0
	}
	for _, p := range xy {
		mae += math.Abs(p.Y - p.X)
	}
	return mae / float64(len(xy)), len(xy)
}

// Parity draws predicted against reference values, with the line y = x over
// identical axis ranges and the mean absolute error in the legend, and writes the
// figure as a PNG to path. Pairs with a non-finite value are left out (and
// counted in the legend). It returns an error if no pair is finite or the file
// cannot be written, and panics if ref and pred have different lengths.
func Parity(path string, ref, pred []float64, opts *ParityOptions) error {
	var o ParityOptions
	if opts != nil {
		o = *opts
	}
	if o.Points == "" {
		o.Points = "points"
	}
	if o.Reference == "" {
		o.Reference = "reference"
	}
	xy, left := finite(ref, pred, false, false)
	if len(xy) == 0 {
		return errNoPoints
	}
	unit := ""
	if o.Unit != "" {
		unit = " (" + o.Unit + ")"
	}
	f := newFigure(o.Title, o.Reference+" "+o.Quantity+unit, "predicted "+o.Quantity+unit)
	f.square = true
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range xy {
		lo = math.Min(lo, math.Min(p.X, p.Y))
		hi = math.Max(hi, math.Max(p.X, p.Y))
	}
	pad := 0.04 * (hi - lo)
	if pad == 0 {
		pad = 0.5 * math.Max(math.Abs(lo), 1)
	}
	lo, hi = lo-pad, hi+pad
	f.p.X.Min, f.p.X.Max, f.p.Y.Min, f.p.Y.Max = lo, hi, lo, hi

	diag, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	if err != nil {
		return err
	}
	diag.Color, diag.Width = grey, vg.Points(1.2)
	diag.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	f.p.Add(diag)

	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	// Smaller, translucent markers when there are many points, so that density
	// shows.
	radius, alpha := vg.Points(3), uint8(0xd0)
	switch n := len(xy); {
	case n > 5000:
		radius, alpha = vg.Points(1.3), 0x50
	case n > 500:
		radius, alpha = vg.Points(2), 0x90
	}
	c := palette[0]
	c.A = alpha
	sc.Color, sc.Radius, sc.Shape = c, radius, draw.CircleGlyph{}
	f.p.Add(sc)
	f.points = xy
	f.lines = append(f.lines, plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})

	mae, n := MAE(ref, pred)
	thumb, _ := plotter.NewScatter(plotter.XYs{{}})
	thumb.Color, thumb.Radius, thumb.Shape = palette[0], vg.Points(3), draw.CircleGlyph{}
	f.add(fmt.Sprintf("%s: %d, MAE %s%s", o.Points, n, formatValue(mae, o.Unit), omitted(left)), thumb)
	f.add("y = x", diag)
	return f.save(path)
}

// formatValue writes v with three significant digits and its unit.
func formatValue(v float64, unit string) string {
	s := fmt.Sprintf("%.3g", v)
	if unit != "" {
		s += " " + unit
	}
	return s
}
