package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Style says how a series is drawn.
type Style int

const (
	Lines       Style = iota // a polyline through the points
	Markers                  // a marker at each point
	LineMarkers              // both
)

// Scale is the scale of an axis.
type Scale int

const (
	// ScaleAuto is logarithmic when every value is positive and the largest is at
	// least 100 times the smallest (two decades), linear otherwise.
	ScaleAuto Scale = iota
	ScaleLinear
	ScaleLog
)

// Series is one named set of points (X[i], Y[i]). X and Y have equal lengths.
type Series struct {
	Label  string // legend text; "" leaves the series out of the legend
	X, Y   []float64
	Style  Style
	Dashed bool
	// Color is the colour; nil takes the series' position in the palette.
	Color color.Color
}

// CurvesOptions configure Curves. Labels should carry units, as in
// "true strain" or "force MAE (eV/Å)".
type CurvesOptions struct {
	Title, XLabel, YLabel string
	XScale, YScale        Scale
}

// Curves draws series as lines and/or markers on shared axes and writes the
// figure as a PNG to path. Points with a non-finite coordinate, or a
// non-positive one on a logarithmic axis, are left out. It returns an error if no
// point is left or the file cannot be written, and panics if a series has X and
// Y of different lengths.
func Curves(path string, series []Series, opts *CurvesOptions) error {
	var o CurvesOptions
	if opts != nil {
		o = *opts
	}
	var allX, allY []float64
	for _, s := range series {
		if len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("plots: series %q has %d x values but %d y values", s.Label, len(s.X), len(s.Y)))
		}
		allX = append(allX, s.X...)
		allY = append(allY, s.Y...)
	}
	logX, logY := useLog(o.XScale, allX), useLog(o.YScale, allY)
	f := newFigure(o.Title, o.XLabel, o.YLabel)
	// A logarithmic axis plots log10 of the values on a linear axis with ticks
	// labelled by the values: gonum's LogScale centres the axis label at the
	// arithmetic mean of the range, which pushes a long label off the axis.
	if logX {
		f.p.X.Tick.Marker = log10Ticks{}
	}
	if logY {
		f.p.Y.Tick.Marker = log10Ticks{}
	}
	drawn := 0
	for i, s := range series {
		xy, left := finite(s.X, s.Y, logX, logY)
		if len(xy) == 0 {
			continue
		}
		for k := range xy {
			if logX {
				xy[k].X = math.Log10(xy[k].X)
			}
			if logY {
				xy[k].Y = math.Log10(xy[k].Y)
			}
		}
		drawn++
		col := s.Color
		if col == nil {
			col = Color(i)
		}
		var thumbs []plot.Thumbnailer
		if s.Style == Lines || s.Style == LineMarkers {
			l, err := plotter.NewLine(xy)
			if err != nil {
				return err
			}
			l.Color, l.Width = col, vg.Points(1.8)
			if s.Dashed {
				l.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
			}
			f.p.Add(l)
			f.lines = append(f.lines, xy)
			thumbs = append(thumbs, l)
		}
		if s.Style == Markers || s.Style == LineMarkers {
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return err
			}
			sc.Color, sc.Radius, sc.Shape = col, vg.Points(3), draw.CircleGlyph{}
			f.p.Add(sc)
			f.points = append(f.points, xy...)
			thumbs = append(thumbs, sc)
		}
		if s.Label != "" {
			f.add(s.Label+omitted(left), thumbs...)
		}
	}
	if drawn == 0 {
		return errNoPoints
	}
	return f.save(path)
}

// useLog decides whether an axis over values v is logarithmic.
func useLog(s Scale, v []float64) bool { return useLogRatio(s, v, 100) }

// useLogRatio is useLog where ScaleAuto takes a log axis when the largest value
// is at least ratio times the smallest.
func useLogRatio(s Scale, v []float64, ratio float64) bool {
	switch s {
	case ScaleLinear:
		return false
	case ScaleLog:
		return true
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		if x <= 0 {
			return false
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return hi >= ratio*lo
}

// LossOptions configure Loss.
type LossOptions struct {
	Title string
	// YLabel names the loss and its unit; default "training loss".
	YLabel string
}

// Loss draws the training loss of each epoch (epoch i+1 is train[i]) and, if
// validation is not empty, the validation loss of each epoch, against the epoch
// number, and writes the figure as a PNG to path. The loss axis is logarithmic
// when the losses are positive and span a decade or more. It returns an error if no loss is
// finite or the file cannot be written.
func Loss(path string, train, validation []float64, opts *LossOptions) error {
	var o LossOptions
	if opts != nil {
		o = *opts
	}
	if o.YLabel == "" {
		o.YLabel = "training loss"
	}
	epochs := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i + 1)
		}
		return x
	}
	style := Lines
	if len(train) < 30 {
		style = LineMarkers
	}
	series := []Series{{Label: "training", X: epochs(len(train)), Y: train, Style: style}}
	if len(validation) > 0 {
		series = append(series, Series{Label: "validation", X: epochs(len(validation)), Y: validation, Style: style})
	}
	yscale := ScaleLinear
	if useLogRatio(ScaleAuto, append(append([]float64(nil), train...), validation...), 10) {
		yscale = ScaleLog
	}
	return Curves(path, series, &CurvesOptions{Title: o.Title, XLabel: "epoch", YLabel: o.YLabel,
		XScale: ScaleLinear, YScale: yscale})
}

// LearningCurve draws a metric against the number K of training examples (frames,
// points or pairs per target), one line with markers per series, and writes the
// figure as a PNG to path. Both axes are logarithmic when their values span two
// decades or more, unless opts says otherwise. xlabel and ylabel in opts should
// name K and the metric with its unit, as in "frames K" and "force MAE (eV/Å)".
func LearningCurve(path string, series []Series, opts *CurvesOptions) error {
	s := make([]Series, len(series))
	for i := range series {
		s[i] = series[i]
		s[i].Style = LineMarkers
	}
	return Curves(path, s, opts)
}

// log10Ticks label an axis that holds log10 of the values: a labelled tick at
// every power of ten, unlabelled ones at 2…9 times it, and labels at 2 and 5
// times too when the axis spans less than two decades.
type log10Ticks struct{}

// Ticks implements plot.Ticker.
func (log10Ticks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	dense := hi-lo < 2
	for k := math.Floor(lo); k <= math.Ceil(hi); k++ {
		for m := 1; m <= 9; m++ {
			v := k + math.Log10(float64(m))
			if v < lo-1e-9 || v > hi+1e-9 {
				continue
			}
			lab := ""
			if m == 1 || (dense && (m == 2 || m == 5)) {
				lab = strconv.FormatFloat(float64(m)*math.Pow(10, k), 'g', -1, 64)
			}
			t = append(t, plot.Tick{Value: v, Label: lab})
		}
	}
	return t
}
