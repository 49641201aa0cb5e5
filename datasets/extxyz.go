package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/sciadapt/sciadapt/elements"
)

// ExtXYZOptions controls ReadExtXYZ. The zero value (or nil) reads a file as ASE
// writes it: eV and Å, the energy in the comment-line key "energy", the forces in
// the per-atom property "forces".
type ExtXYZOptions struct {
	// Units of the file. Extended XYZ does not state units; ASE writes eV and Å,
	// which zero fields mean. MD17-derived files are often in kcal/mol.
	Units Units
	// EnergyKey is the comment-line key holding the total energy ("energy" if empty).
	EnergyKey string
	// ForcesKey is the per-atom property holding the forces ("forces" if empty).
	// A frame without it has no forces, unless ForcesKey was given explicitly, in
	// which case it is an error.
	ForcesKey string
	// EnergyOptional accepts frames without an energy (a starting structure for
	// dynamics); their Energy is NaN. Such frames cannot be written to HDF5.
	EnergyOptional bool
	// System names every frame's system. If empty, frames get no name and Write
	// names them by formula (see NameSystems).
	System string
}

// maxXYZAtoms bounds the atom count of a frame so that a damaged count line cannot
// make the reader allocate without limit.
const maxXYZAtoms = 10_000_000

// maxXYZLine is the longest line read (16 MiB).
const maxXYZLine = 16 << 20

// ReadExtXYZ reads every frame of an extended XYZ file (the format ASE writes:
// a line with the number of atoms N, a comment line of key=value pairs with
// Properties=…, energy=…, optionally Lattice="…", pbc="…", stress="…" or virial="…",
// then N atom lines) and converts the values to eV and Å from opts.Units. name is
// used in error messages ("aspirin.xyz: line 47: …"). Frame.Index is the frame's
// position in the file.
//
// Conventions, as in ASE: Lattice holds the cell vectors a, b, c one after the
// other (the rows of Frame.Cell); without pbc, a frame with a Lattice is periodic
// in all three directions and one without is not; 3×3 stress and virial values are
// in column-major (Fortran) order, and a 6-value stress is Voigt order xx yy zz yz
// xz xy; a stress is positive when tensile; a virial W gives the stress −W/V, V the
// cell volume. Energies are required; a frame without one is an error.
func ReadExtXYZ(r io.Reader, name string, opts *ExtXYZOptions) ([]Frame, error) {
	var o ExtXYZOptions
	if opts != nil {
		o = *opts
	}
	explicitForces := o.ForcesKey != ""
	if o.EnergyKey == "" {
		o.EnergyKey = "energy"
	}
	if o.ForcesKey == "" {
		o.ForcesKey = "forces"
	}
	o.Units = o.Units.orDefault(mustDefaultUnits(FormatExtXYZ))

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxXYZLine)
	line := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		line++
		return strings.TrimRight(sc.Text(), "\r"), true
	}
	var frames []Frame
	for {
		text, ok := next()
		if !ok {
			break
		}
		if strings.TrimSpace(text) == "" {
			continue // blank lines between or after frames
		}
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: want the number of atoms of frame %d, got %q", name, line, len(frames), clip(text))
		}
		if n <= 0 || n > maxXYZAtoms {
			return nil, fmt.Errorf("%s: line %d: frame %d has %d atoms, want 1 to %d", name, line, len(frames), n, maxXYZAtoms)
		}
		comment, ok := next()
		if !ok {
			return nil, fmt.Errorf("%s: line %d: file ends after the atom count of frame %d (no comment line)", name, line+1, len(frames))
		}
		commentLine := line
		fr, lay, err := parseFrameHeader(comment, n, &o, explicitForces)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %v", name, commentLine, err)
		}
		fr.Index = len(frames)
		for i := 0; i < n; i++ {
			text, ok := next()
			if !ok {
				return nil, fmt.Errorf("%s: line %d: file ends after %d of the %d atoms of frame %d", name, line+1, i, n, len(frames))
			}
			if err := lay.parseAtom(text, i, &fr); err != nil {
				return nil, fmt.Errorf("%s: line %d: %v", name, line, err)
			}
		}
		if err := lay.finish(&fr, &o); err != nil {
			return nil, fmt.Errorf("%s: line %d: frame %d: %v", name, commentLine, len(frames), err)
		}
		frames = append(frames, fr)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s: line %d: longer than %d bytes", name, line+1, maxXYZLine)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("%s: no frames (empty file?)", name)
	}
	return frames, nil
}

// clip shortens s for messages.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// kv is one key=value pair of an extended XYZ comment line.
type kv struct{ key, value string }

// parseComment parses an extended XYZ comment line into its key=value pairs, in
// order. Values may be bare (up to the next blank), or delimited by double or single
// quotes, {…} or […] (delimiters removed, backslash escapes the next character);
// blanks around "=" are allowed; a key without "=" is a flag with the value "T".
// A key given twice is an error.
func parseComment(s string) ([]kv, error) {
	var out []kv
	seen := map[string]bool{}
	i := 0
	skip := func() {
		for i < len(s) && isBlank(s[i]) {
			i++
		}
	}
	// token reads a key or a value starting at i.
	token := func(stopAtEq bool) (string, error) {
		if i < len(s) {
			if end, ok := closing(s[i]); ok {
				start := i
				i++
				var b strings.Builder
				for i < len(s) && s[i] != end {
					if s[i] == '\\' && i+1 < len(s) {
						i++
					}
					b.WriteByte(s[i])
					i++
				}
				if i >= len(s) {
					return "", fmt.Errorf("%c opened at column %d is never closed", s[start], start+1)
				}
				i++ // closing delimiter
				return b.String(), nil
			}
		}
		start := i
		for i < len(s) && !isBlank(s[i]) && !(stopAtEq && s[i] == '=') {
			i++
		}
		return s[start:i], nil
	}
	for {
		skip()
		if i >= len(s) {
			break
		}
		if s[i] == '=' {
			return nil, fmt.Errorf("comment line: \"=\" without a key at column %d", i+1)
		}
		key, err := token(true)
		if err != nil {
			return nil, fmt.Errorf("comment line: %v", err)
		}
		if key == "" {
			return nil, fmt.Errorf("comment line: empty key at column %d", i+1)
		}
		j := i
		skip()
		value := "T"
		if i < len(s) && s[i] == '=' {
			i++
			skip()
			if value, err = token(false); err != nil {
				return nil, fmt.Errorf("comment line: key %q: %v", key, err)
			}
		} else {
			i = j
		}
		if seen[key] {
			return nil, fmt.Errorf("comment line: key %q is given twice", key)
		}
		seen[key] = true
		out = append(out, kv{key, value})
	}
	return out, nil
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n'
}

func closing(c byte) (byte, bool) {
	switch c {
	case '"':
		return '"', true
	case '\'':
		return '\'', true
	case '{':
		return '}', true
	case '[':
		return ']', true
	}
	return 0, false
}

// property is one column group of the Properties key: name:type:count.
type property struct {
	name string
	typ  byte // S string, R real, I integer, L logical
	cols int
}

// maxPropertyCols bounds the columns of one property.
const maxPropertyCols = 1 << 16

// parseProperties parses a Properties value such as
// "species:S:1:pos:R:3:forces:R:3".
func parseProperties(s string) ([]property, error) {
	parts := strings.Split(s, ":")
	if len(parts)%3 != 0 {
		return nil, fmt.Errorf("Properties=%q is not a list of name:type:count triples", clip(s))
	}
	var props []property
	seen := map[string]bool{}
	for k := 0; k < len(parts); k += 3 {
		name, typ, count := parts[k], parts[k+1], parts[k+2]
		if name == "" {
			return nil, fmt.Errorf("Properties=%q: property %d has an empty name", clip(s), k/3)
		}
		if len(typ) != 1 || !strings.Contains("SRIL", typ) {
			return nil, fmt.Errorf("Properties=%q: property %q has type %q, want S, R, I or L", clip(s), name, typ)
		}
		c, err := strconv.Atoi(count)
		if err != nil || c < 1 || c > maxPropertyCols {
			return nil, fmt.Errorf("Properties=%q: property %q has %q columns, want a positive number", clip(s), name, count)
		}
		if seen[name] {
			return nil, fmt.Errorf("Properties=%q: property %q is given twice", clip(s), name)
		}
		seen[name] = true
		props = append(props, property{name, typ[0], c})
	}
	return props, nil
}

// atomLayout says where the needed columns are in an atom line.
type atomLayout struct {
	cols      int // total columns
	species   int // column of the symbol, or -1
	z         int // column of the atomic number, or -1
	pos       int // first of 3 position columns
	forces    int // first of 3 force columns, or -1
	positions []float64
	forcesV   []float64
	numbers   []int
	virial    *[9]float64 // file units
}

// parseFrameHeader reads the comment line of an n-atom frame: the frame's energy,
// cell, pbc and stress (converted), and the column layout of its atom lines.
func parseFrameHeader(comment string, n int, o *ExtXYZOptions, explicitForces bool) (Frame, *atomLayout, error) {
	var fr Frame
	fr.System = o.System
	pairs, err := parseComment(comment)
	if err != nil {
		return fr, nil, err
	}
	info := map[string]string{}
	var keys []string
	for _, p := range pairs {
		info[p.key] = p.value
		keys = append(keys, p.key)
	}
	lookup := func(key string) (string, bool) {
		if v, ok := info[key]; ok {
			return v, true
		}
		for _, p := range pairs { // Lattice, Properties, pbc: any case
			if strings.EqualFold(p.key, key) {
				return p.value, true
			}
		}
		return "", false
	}
	ke, kl, _, ks := o.Units.factors()

	props := []property{{"species", 'S', 1}, {"pos", 'R', 3}}
	if v, ok := lookup("Properties"); ok {
		if props, err = parseProperties(v); err != nil {
			return fr, nil, err
		}
	}
	lay := &atomLayout{species: -1, z: -1, pos: -1, forces: -1}
	col := 0
	for _, p := range props {
		switch {
		case p.name == "species" && p.typ == 'S' && p.cols == 1:
			lay.species = col
		case p.name == "Z" && p.typ == 'I' && p.cols == 1:
			lay.z = col
		case (p.name == "pos" || p.name == "positions") && lay.pos < 0:
			if p.typ != 'R' || p.cols != 3 {
				return fr, nil, fmt.Errorf("property %q is %c:%d, want R:3", p.name, p.typ, p.cols)
			}
			lay.pos = col
		case p.name == o.ForcesKey:
			if p.typ != 'R' || p.cols != 3 {
				return fr, nil, fmt.Errorf("property %q is %c:%d, want R:3", p.name, p.typ, p.cols)
			}
			lay.forces = col
		}
		col += p.cols
	}
	lay.cols = col
	switch {
	case lay.species < 0 && lay.z < 0:
		return fr, nil, errors.New("Properties has neither species:S:1 nor Z:I:1: the elements are unknown")
	case lay.pos < 0:
		return fr, nil, errors.New("Properties has no pos:R:3: the positions are unknown")
	case lay.forces < 0 && explicitForces:
		return fr, nil, fmt.Errorf("Properties has no %q column (the forces key asked for)", o.ForcesKey)
	}

	ev, ok := info[o.EnergyKey]
	switch {
	case !ok && o.EnergyOptional:
		fr.Energy = math.NaN()
	case !ok:
		return fr, nil, fmt.Errorf("no %q key (the energy) in the comment line; its keys are %s", o.EnergyKey, strings.Join(keys, ", "))
	default:
		e, err := parseReals(ev, 1)
		if err != nil {
			return fr, nil, fmt.Errorf("energy %s=%q: %v", o.EnergyKey, clip(ev), err)
		}
		if math.IsNaN(e[0]) && o.EnergyOptional {
			return fr, nil, fmt.Errorf("energy %s=%q is NaN", o.EnergyKey, clip(ev))
		}
		fr.Energy = e[0] * ke
	}

	latticeVal, hasLattice := lookup("Lattice")
	if hasLattice {
		v, err := parseReals(latticeVal, 9)
		if err != nil {
			return fr, nil, fmt.Errorf("Lattice=%q: %v", clip(latticeVal), err)
		}
		var c [9]float64
		for k := range c {
			c[k] = v[k] * kl
		}
		fr.Cell = &c
		fr.PBC = [3]bool{true, true, true}
	}
	if v, ok := lookup("pbc"); ok {
		if fr.PBC, err = parsePBC(v); err != nil {
			return fr, nil, err
		}
		if (fr.PBC[0] || fr.PBC[1] || fr.PBC[2]) && !hasLattice {
			return fr, nil, fmt.Errorf("pbc=%q says periodic but there is no Lattice (the cell)", v)
		}
	}
	if v, ok := info["stress"]; ok {
		s, err := parseTensor(v)
		if err != nil {
			return fr, nil, fmt.Errorf("stress=%q: %v", clip(v), err)
		}
		for k := range s {
			s[k] *= ks
		}
		fr.Stress = &s
	} else if v, ok := info["virial"]; ok && hasLattice {
		w, err := parseTensor(v)
		if err != nil {
			return fr, nil, fmt.Errorf("virial=%q: %v", clip(v), err)
		}
		lay.virial = &w
	}
	lay.numbers = make([]int, 0, min(n, 1<<16))
	lay.positions = make([]float64, 0, 3*min(n, 1<<16))
	if lay.forces >= 0 {
		lay.forcesV = make([]float64, 0, 3*min(n, 1<<16))
	}
	return fr, lay, nil
}

// parseReals parses exactly want blank- or comma-separated finite numbers.
func parseReals(s string, want int) ([]float64, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) != want {
		if want == 1 {
			return nil, fmt.Errorf("want one number, got %d values", len(fields))
		}
		return nil, fmt.Errorf("want %d numbers, got %d", want, len(fields))
	}
	out := make([]float64, want)
	for i, f := range fields {
		v, err := parseReal(f)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// parseReal parses a finite number, accepting Fortran's D exponent.
func parseReal(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if t := strings.NewReplacer("D", "e", "d", "e").Replace(s); t != s {
			v, err = strconv.ParseFloat(t, 64)
		}
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", clip(s))
		}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("value is %v", v)
	}
	return v, nil
}

// parseTensor parses a 3×3 tensor given as 9 values in column-major order or as 6
// Voigt values (xx yy zz yz xz xy) and returns it row-major.
func parseTensor(s string) ([9]float64, error) {
	var t [9]float64
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	switch len(fields) {
	case 9:
		v, err := parseReals(s, 9)
		if err != nil {
			return t, err
		}
		for k, x := range v {
			i, j := k%3, k/3 // column-major: value k is element (k%3, k/3)
			t[3*i+j] = x
		}
	case 6:
		v, err := parseReals(s, 6)
		if err != nil {
			return t, err
		}
		xx, yy, zz, yz, xz, xy := v[0], v[1], v[2], v[3], v[4], v[5]
		t = [9]float64{xx, xy, xz, xy, yy, yz, xz, yz, zz}
	default:
		return t, fmt.Errorf("want 9 (3×3) or 6 (Voigt) numbers, got %d", len(fields))
	}
	return t, nil
}

// parsePBC parses "T T F", "T" (all three) or the same with True/False/1/0.
func parsePBC(s string) ([3]bool, error) {
	var p [3]bool
	fields := strings.Fields(s)
	if len(fields) != 1 && len(fields) != 3 {
		return p, fmt.Errorf("pbc=%q: want 3 values such as \"T T F\"", clip(s))
	}
	for i, f := range fields {
		switch strings.ToLower(f) {
		case "t", "true", "1":
			p[i] = true
		case "f", "false", "0":
		default:
			return p, fmt.Errorf("pbc=%q: %q is not T or F", clip(s), clip(f))
		}
	}
	if len(fields) == 1 {
		p[1], p[2] = p[0], p[0]
	}
	return p, nil
}

// parseAtom reads atom line i of a frame.
func (lay *atomLayout) parseAtom(text string, i int, fr *Frame) error {
	fields := strings.Fields(text)
	if len(fields) != lay.cols {
		return fmt.Errorf("atom %d has %d columns, want %d (from Properties)", i, len(fields), lay.cols)
	}
	z := 0
	if lay.species >= 0 {
		el, err := elements.BySymbol(fields[lay.species])
		if err != nil {
			if lay.z < 0 {
				return fmt.Errorf("atom %d: %q is not an element symbol", i, clip(fields[lay.species]))
			}
		} else {
			z = el.Z
		}
	}
	if z == 0 && lay.z >= 0 {
		v, err := strconv.Atoi(fields[lay.z])
		if err != nil {
			return fmt.Errorf("atom %d: atomic number %q is not an integer", i, clip(fields[lay.z]))
		}
		if _, err := elements.ByZ(v); err != nil {
			return fmt.Errorf("atom %d: atomic number %d is not an element (1–%d)", i, v, elements.Count)
		}
		z = v
	}
	lay.numbers = append(lay.numbers, z)
	for k := 0; k < 3; k++ {
		v, err := parseReal(fields[lay.pos+k])
		if err != nil {
			return fmt.Errorf("atom %d: position: %v", i, err)
		}
		lay.positions = append(lay.positions, v)
	}
	if lay.forces >= 0 {
		for k := 0; k < 3; k++ {
			v, err := parseReal(fields[lay.forces+k])
			if err != nil {
				return fmt.Errorf("atom %d: force: %v", i, err)
			}
			lay.forcesV = append(lay.forcesV, v)
		}
	}
	return nil
}

// finish moves the atom columns into fr, converting units.
func (lay *atomLayout) finish(fr *Frame, o *ExtXYZOptions) error {
	_, kl, kf, ks := o.Units.factors()
	fr.Numbers = lay.numbers
	fr.Positions = lay.positions
	for k := range fr.Positions {
		fr.Positions[k] *= kl
	}
	if lay.forces >= 0 {
		fr.Forces = lay.forcesV
		for k := range fr.Forces {
			fr.Forces[k] *= kf
		}
	}
	if lay.virial != nil && fr.Cell != nil {
		// σ = −W/V in file units: W in energy, V in length³.
		v := volume(fr.Cell) / (kl * kl * kl)
		if v == 0 {
			return errors.New("virial given but the cell has zero volume")
		}
		var s [9]float64
		for k, w := range lay.virial {
			s[k] = -w / v * ks
		}
		fr.Stress = &s
	}
	check := *fr
	if o.EnergyOptional && math.IsNaN(fr.Energy) {
		check.Energy = 0 // absent, not bad: see EnergyOptional
	}
	if err := checkFrameValues(&check); err != nil {
		return fmt.Errorf("after conversion to eV and Å: %v", err)
	}
	return nil
}

// WriteExtXYZ writes frames as extended XYZ in the form ASE reads: eV and Å,
// Properties=species:S:1:pos:R:3[:forces:R:3], energy=…, Lattice="…" and pbc="…"
// when the frame has a cell, stress="…" (3×3, column-major, eV/Å³, + tensile) when
// it has a stress. Numbers are written in the shortest form that reads back to the
// same float64.
func WriteExtXYZ(w io.Writer, frames []Frame) error {
	bw := bufio.NewWriter(w)
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i := range frames {
		fr := &frames[i]
		n := fr.Len()
		if len(fr.Positions) != 3*n || (fr.Forces != nil && len(fr.Forces) != 3*n) {
			return fmt.Errorf("frame %d (system %q, index %d): %d atoms but %d position and %d force values", i, fr.System, fr.Index, n, len(fr.Positions), len(fr.Forces))
		}
		fmt.Fprintf(bw, "%d\n", n)
		if fr.Cell != nil {
			parts := make([]string, 9)
			for k, v := range fr.Cell {
				parts[k] = num(v)
			}
			fmt.Fprintf(bw, "Lattice=\"%s\" ", strings.Join(parts, " "))
		}
		bw.WriteString("Properties=species:S:1:pos:R:3")
		if fr.Forces != nil {
			bw.WriteString(":forces:R:3")
		}
		fmt.Fprintf(bw, " energy=%s", num(fr.Energy))
		if fr.Stress != nil {
			parts := make([]string, 9)
			for k := range parts {
				parts[k] = num(fr.Stress[3*(k%3)+k/3]) // column-major
			}
			fmt.Fprintf(bw, " stress=\"%s\"", strings.Join(parts, " "))
		}
		fmt.Fprintf(bw, " pbc=\"%s %s %s\"\n", tf(fr.PBC[0]), tf(fr.PBC[1]), tf(fr.PBC[2]))
		for a := 0; a < n; a++ {
			fmt.Fprintf(bw, "%-2s %24s %24s %24s", elements.Symbol(fr.Numbers[a]),
				num(fr.Positions[3*a]), num(fr.Positions[3*a+1]), num(fr.Positions[3*a+2]))
			if fr.Forces != nil {
				fmt.Fprintf(bw, " %24s %24s %24s", num(fr.Forces[3*a]), num(fr.Forces[3*a+1]), num(fr.Forces[3*a+2]))
			}
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

func tf(b bool) string {
	if b {
		return "T"
	}
	return "F"
}
