package curves

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Column names of MatCal CSV files.
const (
	colEngStrain   = "engineering_strain"
	colEngStress   = "engineering_stress"
	colTrueStrain  = "true_strain"
	colTrueStress  = "true_stress"
	colTemperature = "temperature"
)

// maxPlausibleStrain bounds the magnitude of a dimensionless engineering strain in a
// tension file; larger values are taken to be percent.
const maxPlausibleStrain = 2

// ReadMatCalCSV reads one MatCal tension-test CSV file (Sandia's MatCal layout) and
// returns its curve in true strain and true stress (MPa), unprocessed (see Prepare).
//
// Line 1 is the test's state as a Python dict, such as
// {'temperature':533.07, 'direction':'R11'}: temperature in Rankine (required),
// direction optional, R11, R22 and R33 naming the plate directions LT, RD and ST (the
// plain names LT, RD, L and ST are also accepted). Line 2 is the CSV header; the rows
// below are numbers. Stresses are in ksi and strains dimensionless. The curve uses
// the true_strain and true_stress columns when both exist (Measure MeasureTrue),
// otherwise engineering_strain and engineering_stress converted by ToTrue (Measure
// MeasureEngineeringToTrue). A temperature column is a thermocouple in °F; its mean
// becomes MeasuredTemperatureK. Other columns (time, displacement, load,
// plastic_strain …) are checked to be numbers and otherwise ignored.
//
// The specimen name is the file's base name without ".csv" and without a leading
// "cleaned_"; a name starting with "CA-" or "NM-" gives Lab "CA" or "NM" (Sandia's
// California and New Mexico laboratories). Errors name the file and the line.
func ReadMatCalCSV(path string) (Curve, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Curve{}, err
	}
	return parseMatCal(path, data)
}

// parseMatCal parses the bytes of a MatCal CSV file; name is used in errors and
// for the specimen name.
func parseMatCal(name string, data []byte) (Curve, error) {
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	br := bufio.NewReader(bytes.NewReader(data))
	first, err := br.ReadString('\n')
	if err != nil && err != io.EOF {
		return Curve{}, fail(1, "%v", err)
	}
	first = strings.TrimRight(first, "\r\n")
	if strings.TrimSpace(first) == "" {
		if len(data) == 0 {
			return Curve{}, fmt.Errorf("%s: file is empty (a MatCal CSV starts with a Python-dict state line such as {'temperature': 533.07})", name)
		}
		return Curve{}, fail(1, "state line is empty; expected a Python dict such as {'temperature': 533.07, 'direction': 'R11'}")
	}
	items, err := parsePyDict(first)
	if err != nil {
		return Curve{}, fail(1, "state line %q is not a Python dict such as {'temperature': 533.07, 'direction': 'R11'}: %v", clip(first, 60), err)
	}
	var tempR float64
	haveTemp := false
	var dir, srcDir string
	for _, it := range items {
		switch it.Key {
		case "temperature":
			if it.Value.Kind != "number" {
				return Curve{}, fail(1, "state temperature must be a number in Rankine, not %s %q", it.Value.Kind, it.Value.Str)
			}
			tempR, haveTemp = it.Value.Num, true
		case "direction":
			if it.Value.Kind != "string" {
				return Curve{}, fail(1, "state direction must be a quoted string such as 'R11', not %s", it.Value.Kind)
			}
			srcDir = it.Value.Str
			d, ok := plateDirection(srcDir)
			if !ok {
				return Curve{}, fail(1, "state direction %q is not R11 (LT), R22 (RD) or R33 (ST)", srcDir)
			}
			dir = d
		}
	}
	if !haveTemp {
		return Curve{}, fail(1, "state line has no 'temperature' (Rankine) entry")
	}
	if !(tempR > 0) || math.IsInf(RankineToKelvin(tempR), 0) {
		return Curve{}, fail(1, "state temperature %v R is not a positive finite number", tempR)
	}

	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return Curve{}, fail(2, "the file ends after the state line; expected a header line such as %s,%s", colEngStrain, colEngStress)
	}
	if err != nil {
		return Curve{}, csvError(name, 1, err)
	}
	cols := make([]string, len(header))
	index := make(map[string]int, len(header))
	for j, h := range header {
		h = strings.TrimSpace(h)
		cols[j] = h
		if h == "" {
			return Curve{}, fail(2, "header column %d has no name", j+1)
		}
		if _, dup := index[h]; dup {
			return Curve{}, fail(2, "header names column %q twice", h)
		}
		index[h] = j
	}
	xCol, yCol, measure := colTrueStrain, colTrueStress, MeasureTrue
	_, hx := index[colTrueStrain]
	_, hy := index[colTrueStress]
	if !hx || !hy {
		xCol, yCol, measure = colEngStrain, colEngStress, MeasureEngineeringToTrue
		var missing []string
		for _, c := range []string{colEngStrain, colEngStress} {
			if _, ok := index[c]; !ok {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			return Curve{}, fail(2, "header %q lacks column %s; a MatCal file needs %s and %s (or %s and %s)",
				clip(strings.Join(cols, ","), 80), strings.Join(missing, " and "), colEngStrain, colEngStress, colTrueStrain, colTrueStress)
		}
	}
	ix, iy := index[xCol], index[yCol]
	iT, hasT := index[colTemperature]

	var xs, ys []float64
	var sumT float64
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Curve{}, csvError(name, 1, err)
		}
		line, _ := r.FieldPos(0)
		line++ // the CSV reader started on line 2
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(cols) {
			return Curve{}, fail(line, "%d fields but the header has %d", len(rec), len(cols))
		}
		var x, y float64
		for j, cell := range rec {
			cell = strings.TrimSpace(cell)
			if cell == "" {
				return Curve{}, fail(line, "column %q is empty", cols[j])
			}
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				return Curve{}, fail(line, "column %q: %q is not a number", cols[j], clip(cell, 30))
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Curve{}, fail(line, "column %q: %s is not a finite number", cols[j], cell)
			}
			switch j {
			case ix:
				x = v
			case iy:
				y = v
			}
			if hasT && j == iT {
				sumT += v
			}
		}
		if measure == MeasureEngineeringToTrue && x <= -1 {
			return Curve{}, fail(line, "engineering strain %v is not above −1", x)
		}
		if math.Abs(x) > maxPlausibleStrain {
			return Curve{}, fail(line, "%s %v is implausibly large for a dimensionless strain (percent?)", xCol, x)
		}
		if !finite(y * MPaPerKsi * (1 + math.Abs(x))) {
			return Curve{}, fail(line, "%s %v ksi is too large to convert to MPa", yCol, y)
		}
		xs = append(xs, x)
		ys = append(ys, y*MPaPerKsi)
	}
	if len(xs) == 0 {
		return Curve{}, fail(2, "no data rows below the header")
	}

	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	specimen := strings.TrimPrefix(base, "cleaned_")
	if specimen == "" {
		specimen = base
	}
	var strain, stress []float64
	if measure == MeasureEngineeringToTrue {
		strain, stress = ToTrue(xs, ys)
	} else {
		strain, stress = xs, ys
	}

	c := NewCurve(specimen, RankineToKelvin(tempR), strain, stress)
	c.Direction = dir
	c.SourceDirection = srcDir
	c.Source = filepath.Base(name)
	c.SourceStressUnit = "ksi"
	c.SourceTemperatureUnit = "R"
	c.Measure = measure
	c.Lab = labOf(specimen)
	if hasT {
		c.MeasuredTemperatureK = FahrenheitToKelvin(sumT / float64(len(xs)))
	}
	return c, nil
}

// csvError turns an error of encoding/csv into one naming the file and the line of
// the file (offset lines come before the CSV part).
func csvError(name string, offset int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", name, pe.Line+offset, pe.Err)
	}
	return fmt.Errorf("%s: %v", name, err)
}

// plateDirection maps a MatCal direction label to LT, RD or ST.
func plateDirection(s string) (string, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "R11", "LT":
		return "LT", true
	case "R22", "RD", "L":
		return "RD", true
	case "R33", "ST":
		return "ST", true
	case "":
		return "", true
	}
	return "", false
}

// labOf returns the laboratory named by a Sandia specimen name prefix, or "".
func labOf(specimen string) string {
	for _, lab := range []string{"CA", "NM"} {
		if strings.HasPrefix(specimen, lab+"-") {
			return lab
		}
	}
	return ""
}
