package nn

import ad "github.com/sciadapt/sciadapt/autodiff"

// Context carries inputs of one forward call that hooks may need. A nil *Context is
// valid and means "no conditioning".
type Context struct {
	// Cond is a conditioning input (temperature, species descriptors …) of shape
	// (rows, d) aligned with the rows of the layer outputs, or (1, d) for all rows.
	Cond *ad.Var
	// Masks select rows by the kind of row a site computes (Site.Rows: "atom",
	// "pair", …): a (rows, 1) tensor of 0/1. Gated hooks act only where the mask is 1;
	// a missing mask means no row is selected.
	Masks map[string]*ad.Var
}

// Mask returns the row mask for a kind of row, or nil.
func (c *Context) Mask(rows string) *ad.Var {
	if c == nil || c.Masks == nil {
		return nil
	}
	return c.Masks[rows]
}

// Hook changes the output of a layer. Apply gets the layer's input and output and
// returns the output to use; it must return a tensor of the output's shape unless the
// layer documents otherwise (prompt hooks on an Embedding lengthen the sequence).
type Hook interface {
	Apply(ctx *Context, in, out *ad.Var) *ad.Var
}

// RowSource is a hook on an embedding site that adds rows to the embedding's table:
// with a table of N rows, index N+k selects row k of the first source's Rows, and so
// on through the enabled sources in the order they were attached. Its Apply is
// still called on the looked-up rows like any hook's.
type RowSource interface {
	Hook
	// Rows returns the added rows: (k, …) with the table's trailing shape.
	Rows() *ad.Var
}

// Site is a named point where a layer's output flows; hooks attached to it run in
// the order they were attached.
type Site struct {
	Name  string
	Kind  string // "linear", "embedding", "layernorm", "conv1d"
	In    int    // input width (features or channels); 0 where not meaningful
	Out   int    // output width
	Rows  string // what a row of the output is ("atom", "pair", …), set by the model; may be ""
	hooks []namedHook
}

type namedHook struct {
	name    string
	h       Hook
	enabled bool
}

// Attach adds a hook under a name (an adapter's name); a hook of that name already at
// the site is replaced.
func (s *Site) Attach(name string, h Hook) {
	for i := range s.hooks {
		if s.hooks[i].name == name {
			s.hooks[i] = namedHook{name, h, true}
			return
		}
	}
	s.hooks = append(s.hooks, namedHook{name, h, true})
}

// Detach removes the hook of the given name, if any.
func (s *Site) Detach(name string) {
	for i := range s.hooks {
		if s.hooks[i].name == name {
			s.hooks = append(s.hooks[:i], s.hooks[i+1:]...)
			return
		}
	}
}

// Enable turns the hook of the given name on or off without removing it.
func (s *Site) Enable(name string, on bool) {
	for i := range s.hooks {
		if s.hooks[i].name == name {
			s.hooks[i].enabled = on
		}
	}
}

// Hooks returns the names of the attached hooks in order.
func (s *Site) Hooks() []string {
	names := make([]string, len(s.hooks))
	for i, h := range s.hooks {
		names[i] = h.name
	}
	return names
}

// extraRows returns the rows of the enabled RowSource hooks, in order.
func (s *Site) extraRows() []*ad.Var {
	var rows []*ad.Var
	for _, h := range s.hooks {
		if rs, ok := h.h.(RowSource); ok && h.enabled {
			rows = append(rows, rs.Rows())
		}
	}
	return rows
}

// apply runs the enabled hooks on a layer's output.
func (s *Site) apply(ctx *Context, in, out *ad.Var) *ad.Var {
	for _, h := range s.hooks {
		if h.enabled {
			out = h.h.Apply(ctx, in, out)
		}
	}
	return out
}

// SitesMatching returns the sites of m whose names match one of the patterns
// (see Match), in model order.
func SitesMatching(m Module, patterns ...string) []*Site {
	var r []*Site
	for _, s := range m.Sites() {
		if MatchAny(patterns, s.Name) {
			r = append(r, s)
		}
	}
	return r
}
