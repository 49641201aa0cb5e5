package plots

import (
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// Size and resolution of every figure.
const (
	Width  = 5 * vg.Inch
	Height = 4 * vg.Inch
	DPI    = 150
)

// Font sizes in points.
const (
	titleSize  = 14
	labelSize  = 13
	tickSize   = 12
	legendSize = 12
)

// palette is the Okabe–Ito colour-blind-safe palette without its yellow, which
// is unreadable on white.
var palette = [...]color.NRGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0x00, 0x00, 0x00, 0xff}, // black
}

// Color returns the i-th colour of the palette used for series, cycling.
func Color(i int) color.Color { return palette[i%len(palette)] }

var grey = color.NRGBA{0x70, 0x70, 0x70, 0xff}

// newFigure returns a figure with the house fonts, a light grid, a title and
// axis labels.
func newFigure(title, xlabel, ylabel string) *figure {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = titleSize
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = labelSize
		a.Tick.Label.Font.Size = tickSize
		a.Label.Padding = vg.Points(4)
		a.Tick.Marker = distinctTicks{}
	}
	p.Legend.TextStyle.Font.Size = legendSize
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(2)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe4}
	g.Horizontal.Color = color.Gray{Y: 0xe4}
	p.Add(g)
	return &figure{p: p}
}

// finite keeps the pairs (x[i], y[i]) with both coordinates finite (and positive
// on a logarithmic axis) and returns them with the number left out.
func finite(x, y []float64, logX, logY bool) (plotter.XYs, int) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("plots: %d x values but %d y values", len(x), len(y)))
	}
	xy := make(plotter.XYs, 0, len(x))
	for i := range x {
		if bad(x[i], logX) || bad(y[i], logY) {
			continue
		}
		xy = append(xy, plotter.XY{X: x[i], Y: y[i]})
	}
	return xy, len(x) - len(xy)
}

func bad(v float64, log bool) bool {
	return math.IsNaN(v) || math.IsInf(v, 0) || (log && v <= 0)
}

// omitted is the legend note for n points left out.
func omitted(n int) string {
	if n == 0 {
		return ""
	}
	if n == 1 {
		return " (1 point not finite, not shown)"
	}
	return fmt.Sprintf(" (%d points not finite, not shown)", n)
}

var errNoPoints = errors.New("plots: no finite point to plot")

// figure is a plot under construction with what legend placement needs: the
// legend texts (plot.Legend does not expose them), the points drawn as markers
// and the polylines drawn as lines, all in data coordinates.
type figure struct {
	p      *plot.Plot
	legend []string
	points plotter.XYs
	lines  []plotter.XYs
	square bool // keep identical x and y ranges (parity plots)
}

// add adds a legend entry.
func (f *figure) add(text string, thumbs ...plot.Thumbnailer) {
	f.p.Legend.Add(text, thumbs...)
	f.legend = append(f.legend, text)
}

// save places the legend and writes the figure as a PNG to path atomically.
func (f *figure) save(path string) error {
	f.placeLegend()
	c := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))
	f.p.Draw(draw.New(c))
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		return enc.Encode(w, c.Image())
	})
}

// corners in the order tried: top right, top left, bottom right, bottom left.
var corners = [4][2]bool{{true, false}, {true, true}, {false, false}, {false, true}}

// placeLegend puts the legend in the corner of the data area where it covers
// fewest points and line samples; if every corner covers some, it extends the y
// axis (and the x axis too when square) until the legend lies above all data.
func (f *figure) placeLegend() {
	if len(f.legend) == 0 {
		return
	}
	p := f.p
	c := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))
	dc := draw.New(c)
	best, bestN := 0, math.MaxInt
	for k, corner := range corners {
		p.Legend.Top, p.Legend.Left = corner[0], corner[1]
		if n := f.covered(dc); n < bestN {
			best, bestN = k, n
		}
	}
	p.Legend.Top, p.Legend.Left = corners[best][0], corners[best][1]
	if bestN > 0 {
		// Make room above the data in the top corner that covers less.
		p.Legend.Top = true
		p.Legend.Left = false
		right := f.covered(dc)
		p.Legend.Left = true
		if f.covered(dc) > right {
			p.Legend.Left = false
		}
		for iter := 0; iter < 12 && f.covered(dc) > 0; iter++ {
			grow(&p.Y, 0.1)
			if f.square {
				grow(&p.X, 0.1)
				lo, hi := math.Min(p.X.Min, p.Y.Min), math.Max(p.X.Max, p.Y.Max)
				p.X.Min, p.Y.Min, p.X.Max, p.Y.Max = lo, lo, hi, hi
			}
		}
	}
	p.Legend.XOffs, p.Legend.YOffs = legendInset, -legendInset
	if !p.Legend.Left {
		p.Legend.XOffs = -legendInset
	}
	if !p.Legend.Top {
		p.Legend.YOffs = legendInset
	}
}

// legendInset is the gap between the legend and the axes.
const legendInset = vg.Length(6)

// grow extends the top of an axis by frac of its span.
func grow(a *plot.Axis, frac float64) { a.Max += frac * (a.Max - a.Min) }

// covered counts the points and line samples under the legend, grown by the
// inset on every side, at its current corner.
func (f *figure) covered(dc draw.Canvas) int {
	p := f.p
	da := p.DataCanvas(dc)
	l := p.Legend
	var w, h vg.Length
	for i, e := range f.legend {
		w = max(w, l.ThumbnailWidth+l.TextStyle.Rectangle(" "+e).Max.X)
		h += l.TextStyle.Rectangle(e).Max.Y
		if i > 0 {
			h += l.Padding
		}
	}
	pad := 2 * legendInset
	var r vg.Rectangle
	if l.Left {
		r.Min.X, r.Max.X = da.Min.X, da.Min.X+w+pad
	} else {
		r.Min.X, r.Max.X = da.Max.X-w-pad, da.Max.X
	}
	if l.Top {
		r.Min.Y, r.Max.Y = da.Max.Y-h-pad, da.Max.Y
	} else {
		r.Min.Y, r.Max.Y = da.Min.Y, da.Min.Y+h+pad
	}
	tx, ty := p.Transforms(&da)
	in := func(x, y vg.Length) bool {
		return x >= r.Min.X && x <= r.Max.X && y >= r.Min.Y && y <= r.Max.Y
	}
	n := 0
	for _, s := range f.points {
		if in(tx(s.X), ty(s.Y)) {
			n++
		}
	}
	const steps = 16
	for _, line := range f.lines {
		for i := 1; i < len(line); i++ {
			x0, y0, x1, y1 := tx(line[i-1].X), ty(line[i-1].Y), tx(line[i].X), ty(line[i].Y)
			for k := 0; k <= steps; k++ {
				t := vg.Length(k) / steps
				if in(x0+t*(x1-x0), y0+t*(y1-y0)) {
					n++
				}
			}
		}
	}
	return n
}

// distinctTicks are plot.DefaultTicks with labels written with as few
// significant digits as keep them distinct and true to their values (gonum's
// default can print 1.086 for both 1.0855 and 1.086).
type distinctTicks struct{}

// Ticks implements plot.Ticker.
func (distinctTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	var major []int
	for i, t := range ticks {
		if t.Label != "" {
			major = append(major, i)
		}
	}
	tol := 1e-6 * (hi - lo)
	for prec := 1; prec <= 12; prec++ {
		ok := true
		labels := make([]string, len(major))
		seen := map[string]bool{}
		for k, i := range major {
			v := ticks[i].Value
			if math.Abs(v) < tol {
				v = 0
			}
			labels[k] = strconv.FormatFloat(v, 'g', prec, 64)
			switch a := math.Abs(v); {
			case a == 0:
				labels[k] = "0"
			case a >= 1e-3 && a < 1e6:
				labels[k] = strconv.FormatFloat(v, 'f', max(prec-1-int(math.Floor(math.Log10(a))), 0), 64)
			}
			back, _ := strconv.ParseFloat(labels[k], 64)
			if seen[labels[k]] || math.Abs(back-v) > tol {
				ok = false
				break
			}
			seen[labels[k]] = true
		}
		if ok {
			for k, i := range major {
				ticks[i].Label = labels[k]
			}
			break
		}
	}
	return ticks
}
