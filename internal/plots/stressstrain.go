package plots

import (
	"fmt"
	"image/color"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Curve is a stress–strain curve: true strain (dimensionless) and true stress in
// MPa, of equal lengths.
type Curve struct {
	Strain, Stress []float64
}

// Temperature holds the curves at one temperature.
type Temperature struct {
	Celsius float64
	// Measured curves are drawn as open circles, at most MaxMarkers per curve,
	// evenly spaced in index, under the lines.
	Measured []Curve
	// Model curves are drawn as solid lines, Reference curves (e.g. the base model
	// before tuning) as dashed lines, both in the temperature's colour.
	Model, Reference []Curve
	// Selected points (e.g. those a model was tuned on) are drawn as large open
	// squares.
	Selected Curve
}

// MaxMarkers is the most markers drawn per measured curve.
const MaxMarkers = 40

// StressStrainOptions configure StressStrain.
type StressStrainOptions struct {
	Title string
	// Legend texts of the kinds of curve; defaults "measured", "model",
	// "reference model" and "selected points".
	MeasuredLabel, ModelLabel, ReferenceLabel, SelectedLabel string
}

// StressStrain draws measured stress–strain curves as markers and model curves as
// lines, one colour per temperature (in increasing order of temperature), with
// the temperatures in °C in the legend, on axes "true strain" and "true stress
// (MPa)", and writes the figure as a PNG to path. It returns an error if there is
// no finite point or the file cannot be written, and panics if a curve has
// strain and stress of different lengths.
func StressStrain(path string, temps []Temperature, opts *StressStrainOptions) error {
	o := StressStrainOptions{MeasuredLabel: "measured", ModelLabel: "model", ReferenceLabel: "reference model",
		SelectedLabel: "selected points"}
	if opts != nil {
		o.Title = opts.Title
		for _, p := range [][2]*string{{&o.MeasuredLabel, &opts.MeasuredLabel}, {&o.ModelLabel, &opts.ModelLabel},
			{&o.ReferenceLabel, &opts.ReferenceLabel}, {&o.SelectedLabel, &opts.SelectedLabel}} {
			if *p[1] != "" {
				*p[0] = *p[1]
			}
		}
	}
	ts := append([]Temperature(nil), temps...)
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Celsius < ts[j].Celsius })
	f := newFigure(o.Title, "true strain", "true stress (MPa)")
	var have struct{ measured, model, reference, selected bool }
	left, drawn := 0, 0
	for i, t := range ts {
		col := Color(i)
		var thumbs []plot.Thumbnailer
		for _, c := range t.Measured {
			xy, n := finite(c.Strain, c.Stress, false, false)
			left += n
			if len(xy) == 0 {
				continue
			}
			sc, _ := plotter.NewScatter(thin(xy, MaxMarkers))
			sc.Color, sc.Radius, sc.Shape = col, vg.Points(2.5), draw.RingGlyph{}
			f.p.Add(sc)
			f.points = append(f.points, sc.XYs...)
			if len(thumbs) == 0 {
				thumbs = append(thumbs, sc)
			}
			have.measured = true
			drawn++
		}
		for _, c := range t.Model {
			xy, n := finite(c.Strain, c.Stress, false, false)
			left += n
			if len(xy) < 2 {
				continue
			}
			l, _ := plotter.NewLine(xy)
			l.Color, l.Width = col, vg.Points(2)
			f.p.Add(l)
			f.lines = append(f.lines, xy)
			thumbs = append(thumbs, l)
			have.model = true
			drawn++
		}
		for _, c := range t.Reference {
			xy, n := finite(c.Strain, c.Stress, false, false)
			left += n
			if len(xy) < 2 {
				continue
			}
			l, _ := plotter.NewLine(xy)
			l.Color, l.Width = col, vg.Points(1.6)
			l.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
			f.p.Add(l)
			f.lines = append(f.lines, xy)
			have.reference = true
			drawn++
		}
		if xy, n := finite(t.Selected.Strain, t.Selected.Stress, false, false); len(xy) > 0 {
			left += n
			sc, _ := plotter.NewScatter(xy)
			sc.Color, sc.Radius = color.Black, vg.Points(5)
			sc.Shape = hollowBox{}
			f.p.Add(sc)
			f.points = append(f.points, xy...)
			have.selected = true
			drawn++
		}
		if len(thumbs) > 0 {
			f.add(fmt.Sprintf("%g °C", t.Celsius), thumbs...)
		}
	}
	if drawn == 0 {
		return errNoPoints
	}
	// Legend entries for the kinds of curve, in black, when more than one kind
	// is drawn.
	kinds := 0
	for _, b := range []bool{have.measured, have.model, have.reference, have.selected} {
		if b {
			kinds++
		}
	}
	if kinds > 1 {
		if have.measured {
			sc, _ := plotter.NewScatter(plotter.XYs{{}})
			sc.Color, sc.Radius, sc.Shape = color.Black, vg.Points(2.5), draw.RingGlyph{}
			f.add(o.MeasuredLabel, sc)
		}
		if have.model {
			l, _ := plotter.NewLine(plotter.XYs{{}})
			l.Color, l.Width = color.Black, vg.Points(2)
			f.add(o.ModelLabel, l)
		}
		if have.reference {
			l, _ := plotter.NewLine(plotter.XYs{{}})
			l.Color, l.Width = color.Black, vg.Points(1.6)
			l.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
			f.add(o.ReferenceLabel, l)
		}
		if have.selected {
			sc, _ := plotter.NewScatter(plotter.XYs{{}})
			sc.Color, sc.Radius, sc.Shape = color.Black, vg.Points(4), hollowBox{}
			f.add(o.SelectedLabel, sc)
		}
	}
	if left > 0 {
		f.add(fmt.Sprintf("(%d non-finite points not shown)", left))
	}
	f.p.X.Min = min(f.p.X.Min, 0)
	f.p.Y.Min = min(f.p.Y.Min, 0)
	return f.save(path)
}

// thin keeps at most n points of xy, evenly spaced in index, always the last.
func thin(xy plotter.XYs, n int) plotter.XYs {
	if len(xy) <= n {
		return xy
	}
	out := make(plotter.XYs, n)
	for j := range out {
		out[j] = xy[j*(len(xy)-1)/(n-1)]
	}
	return out
}

// hollowBox is an open square glyph with a line 1.5 points wide.
type hollowBox struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (hollowBox) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.5)})
	r := sty.Radius
	var p vg.Path
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y + r})
	p.Close()
	c.Stroke(p)
}
