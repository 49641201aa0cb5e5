package adapters

import (
	"fmt"
	"slices"
	"strings"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Adapter is one adaptation of a base model: hooks at some of its sites with their
// own parameters (lora, bottleneck, film, prompt), or a selection of the base's own
// parameters that train (bitfit, norm, select, full).
//
// An Adapter is made by New and attached to one base with Attach; it then knows the
// base's fingerprint, taken at Attach before anything trains.
type Adapter struct {
	name string
	cfg  Config // with defaults applied

	base        nn.Module
	fingerprint string
	flags       []bool // trainable flags of the base parameters found at Attach

	parts []part      // hook methods: one per adapted site, in model order
	own   []*nn.Param // hook methods: the adapter's parameters, in order

	sel     []*nn.Param // selection methods: the base parameters that train
	orig    [][]float64 // their values at Attach
	trained [][]float64 // their trained values while the adapter is disabled

	attached, enabled, merged bool
}

// part is the piece of a hook adapter at one site.
type part interface {
	nn.Hook
	site() *nn.Site
	params() []*nn.Param
	// flopsPerRow is the extra floating-point operations per row of the site's output
	// (see the package documentation for how they are counted).
	flopsPerRow() int64
}

// New returns an adapter of the given name and configuration, not yet attached. The
// name identifies the adapter's hooks at the sites and in a Set. New returns an
// error if the name is empty or contains whitespace, or if the configuration is
// invalid.
func New(name string, cfg Config) (*Adapter, error) {
	if name == "" || strings.ContainsAny(name, " \t\n\r") {
		return nil, fmt.Errorf("adapter name %q: give a non-empty name without spaces", name)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Adapter{name: name, cfg: cfg.withDefaults()}, nil
}

// Name returns the adapter's name.
func (a *Adapter) Name() string { return a.name }

// Config returns the adapter's configuration, with defaults filled in.
func (a *Adapter) Config() Config { return a.cfg }

// BaseFingerprint returns the fingerprint (nn.Fingerprint) of the base the adapter
// was attached to, taken at Attach; it is empty before.
func (a *Adapter) BaseFingerprint() string { return a.fingerprint }

// Enabled reports whether the adapter is attached and enabled.
func (a *Adapter) Enabled() bool { return a.attached && a.enabled }

// Merged reports whether a LoRA adapter is merged into the base weights.
func (a *Adapter) Merged() bool { return a.merged }

// Attach inserts the adapter into base and makes it enabled. It freezes every base
// parameter, then makes trainable what the method trains: the adapter's own
// parameters, or the selected base parameters. Attach must see the base as it was
// trained (no other selection adapter enabled, no LoRA merged): its fingerprint is
// recorded and stored in adapter files.
//
// Attach returns an error, and leaves base unchanged, if no site or parameter
// matches the configuration, if a matched site cannot take the method (LoRA on a
// layer norm), or if a site already holds a hook of the adapter's name. It panics
// if the adapter is already attached. Attaching again after Detach starts from a
// fresh initialisation; Save and Load move a trained adapter to another base.
func (a *Adapter) Attach(base nn.Module) error {
	return a.attach(base, "")
}

// attach is Attach with a precomputed fingerprint ("" computes it).
func (a *Adapter) attach(base nn.Module, fp string) error {
	if a.attached {
		panic("adapters: Attach of adapter " + a.name + ", which is already attached")
	}
	if err := nn.CheckNames(base); err != nil {
		return fmt.Errorf("adapter %s: base model: %v", a.name, err)
	}
	a.parts, a.own, a.sel, a.orig, a.trained, a.flags = nil, nil, nil, nil, nil, nil
	var err error
	switch {
	case a.cfg.Method == MethodRows:
	case usesHooks(a.cfg.Method):
		err = a.buildParts(base)
	default:
		err = a.buildSelection(base)
	}
	if err == nil && a.cfg.NewRows > 0 {
		err = a.buildNewRows(base)
	}
	if err == nil {
		a.matchPrecision(base)
	}
	if err != nil {
		a.parts, a.own, a.sel = nil, nil, nil
		return fmt.Errorf("adapter %s (%s): %w", a.name, a.cfg.Method, err)
	}
	if fp == "" {
		fp = nn.Fingerprint(base)
	}
	a.base, a.fingerprint = base, fp
	for _, p := range base.Params() {
		a.flags = append(a.flags, p.Trainable())
	}
	nn.Freeze(base)
	for _, pt := range a.parts {
		pt.site().Attach(a.name, a.hook(pt))
	}
	a.orig = make([][]float64, len(a.sel))
	for i, p := range a.sel {
		a.orig[i] = valuesOf(p)
		p.SetTrainable(true)
	}
	a.attached, a.enabled = true, true
	return nil
}

// hook wraps a part in a row gate when the configuration asks for one (new rows
// are never gated: they are the rows of new kinds).
func (a *Adapter) hook(pt part) nn.Hook {
	if _, rows := pt.(*newRows); a.cfg.Gate && !rows {
		return gated{p: pt, rows: pt.site().Rows}
	}
	return pt
}

// buildParts creates the hook parts at the targeted sites.
func (a *Adapter) buildParts(base nn.Module) error {
	sites, err := targetSites(base, a.cfg)
	if err != nil {
		return err
	}
	rng := nn.NewRand(a.cfg.Seed)
	for _, s := range sites {
		if slices.Contains(s.Hooks(), a.name) {
			return fmt.Errorf("site %s already holds a hook named %q (adapter names must be unique on a model)", s.Name, a.name)
		}
		if a.cfg.Gate && s.Rows == "" {
			return fmt.Errorf("gate is set but site %s does not say what its rows are (Site.Rows is empty)", s.Name)
		}
		var (
			pt  part
			err error
		)
		switch a.cfg.Method {
		case MethodLoRA:
			pt, err = newLoRA(base, s, a.cfg, rng)
		case MethodBottleneck:
			pt, err = newBottleneck(s, a.cfg, rng)
		case MethodFiLM:
			pt, err = newFiLM(s, a.cfg, rng)
		case MethodPrompt:
			pt, err = newPrompt(base, s, a.cfg, rng)
		}
		if err != nil {
			return err
		}
		a.parts = append(a.parts, pt)
		a.own = append(a.own, pt.params()...)
	}
	return nil
}

// targetSites returns the sites that cfg targets. A site that the method cannot
// adapt is skipped when only wildcard patterns match it ("*" over LoRA skips layer
// norms) and is an error when a pattern names it.
func targetSites(base nn.Module, cfg Config) ([]*nn.Site, error) {
	var sites []*nn.Site
	for _, s := range nn.SitesMatching(base, cfg.Targets...) {
		if err := fits(s, cfg); err != nil {
			named := false
			for _, t := range cfg.Targets {
				named = named || (!strings.Contains(t, "*") && nn.Match(t, s.Name))
			}
			if named {
				return nil, err
			}
			continue
		}
		sites = append(sites, s)
	}
	if len(sites) == 0 {
		return nil, fmt.Errorf("%w targets %q where method %s applies (the model's sites: %s)", errNoSite, cfg.Targets, cfg.Method, siteList(base))
	}
	return sites, nil
}

// fits returns an error if the method cannot adapt site s.
func fits(s *nn.Site, cfg Config) error {
	switch {
	case cfg.Method == MethodLoRA && s.Kind != "linear" && s.Kind != "conv1d":
		return fmt.Errorf("site %s is a %s layer; LoRA adapts linear and conv1d layers (train an embedding's rows with method select, a norm's γ and β with method norm)", s.Name, s.Kind)
	case cfg.Method == MethodBottleneck && cfg.Form == FormParallel && s.Kind != "linear" && s.Kind != "layernorm":
		return fmt.Errorf("site %s is a %s layer; a parallel bottleneck needs a layer whose output rows are its input rows (linear, layernorm); use form sequential", s.Name, s.Kind)
	case s.Out < 1:
		return fmt.Errorf("site %s (%s) has no output width", s.Name, s.Kind)
	}
	return nil
}

func siteList(m nn.Module) string {
	var names []string
	for _, s := range m.Sites() {
		names = append(names, s.Name+" ("+s.Kind+")")
	}
	if len(names) == 0 {
		return "none"
	}
	const show = 24
	if len(names) > show {
		return strings.Join(names[:show], ", ") + fmt.Sprintf(" and %d more", len(names)-show)
	}
	return strings.Join(names, ", ")
}

// Detach removes the adapter from its base: hooks are removed, a merged LoRA is
// unmerged, selected base parameters get back their values from Attach, and the
// trainable flags of the base parameters are restored to what they were at Attach.
// The base then computes exactly what it computed before Attach. Detach of an
// adapter that is not attached does nothing.
func (a *Adapter) Detach() {
	if !a.attached {
		return
	}
	a.Enable(false)
	for _, pt := range a.parts {
		pt.site().Detach(a.name)
	}
	for i, p := range a.base.Params() {
		if i < len(a.flags) {
			p.SetTrainable(a.flags[i])
		}
	}
	a.attached, a.flags = false, nil
}

// Enable turns the adapter on or off. Off, the base computes exactly (bit for bit)
// what it computed before Attach: hooks are disabled, a merged LoRA is unmerged,
// and selected base parameters get back their values from Attach (their trained
// values are kept and come back with Enable(true)); the selected parameters are
// frozen while off. It panics if the adapter is not attached.
func (a *Adapter) Enable(on bool) {
	a.mustAttached("Enable")
	if on == a.enabled {
		return
	}
	if !on && a.merged {
		a.unmerge()
	}
	for _, pt := range a.parts {
		pt.site().Enable(a.name, on)
	}
	if len(a.sel) > 0 {
		if on {
			for i, p := range a.sel {
				setValues(p, a.trained[i])
				p.SetTrainable(true)
			}
			a.trained = nil
		} else {
			a.trained = make([][]float64, len(a.sel))
			for i, p := range a.sel {
				a.trained[i] = valuesOf(p)
				setValues(p, a.orig[i])
				p.SetTrainable(false)
			}
		}
	}
	a.enabled = on
}

func (a *Adapter) mustAttached(op string) {
	if !a.attached {
		panic("adapters: " + op + " of adapter " + a.name + ", which is not attached")
	}
}

// Params returns the parameters that the adapter trains, in a fixed order: its own
// (hook methods, named like "<site>.lora_A.weight") or the selected base parameters
// (selection methods, under their base names). These are what an optimiser steps
// and what an adapter file holds.
func (a *Adapter) Params() []*nn.Param {
	return append(slices.Clone(a.own), a.sel...)
}

// Vars returns the Vars of Params, for autodiff.Gradients and the optimisers.
func (a *Adapter) Vars() []*ad.Var { return nn.Vars(a.Params()) }

// Sites returns the names of the sites that hold the adapter's hooks, in model
// order (none for selection methods).
func (a *Adapter) Sites() []string {
	names := make([]string, len(a.parts))
	for i, pt := range a.parts {
		names[i] = pt.site().Name
	}
	return names
}

// Merge adds a LoRA adapter's update into the base weights, W ← W + (α/r)·(B·A)ᵀ,
// and disables its hooks, so the adapted model runs at the base's cost. The base
// weights are kept, so Unmerge restores them bit for bit. For selection methods the
// trained values already are the base's values, and Merge does nothing. Merge
// returns an error for methods whose change cannot be folded into the weights
// (bottleneck, film, prompt) and for a disabled adapter.
func (a *Adapter) Merge() error {
	a.mustAttached("Merge")
	switch {
	case !usesHooks(a.cfg.Method):
		if !a.enabled {
			return fmt.Errorf("adapter %s is disabled: enable it before merging", a.name)
		}
		return nil
	case a.cfg.Method != MethodLoRA:
		return fmt.Errorf("adapter %s: a %s adapter cannot be merged into the base weights (its change is not a fixed linear map); only lora merges", a.name, a.cfg.Method)
	case a.cfg.Gate:
		return fmt.Errorf("adapter %s: a gated LoRA acts on some rows only and cannot be merged into the shared weights", a.name)
	case !a.enabled:
		return fmt.Errorf("adapter %s is disabled: enable it before merging", a.name)
	case a.merged:
		return nil
	}
	for _, pt := range a.parts {
		if l, ok := pt.(*lora); ok {
			l.merge()
			pt.site().Enable(a.name, false)
		}
	}
	a.merged = true
	return nil
}

// Unmerge undoes Merge: the base weights get back their exact values and the LoRA
// hooks are enabled again. It does nothing if the adapter is not merged.
func (a *Adapter) Unmerge() {
	a.mustAttached("Unmerge")
	if a.merged {
		a.unmerge()
		for _, pt := range a.parts {
			if _, ok := pt.(*lora); ok {
				pt.site().Enable(a.name, a.enabled)
			}
		}
	}
}

func (a *Adapter) unmerge() {
	for _, pt := range a.parts {
		if l, ok := pt.(*lora); ok {
			l.unmerge()
		}
	}
	a.merged = false
}

// gated applies a part only on the rows that ctx's mask for its rows selects:
// out + mask∘(f(out) − out). Without a mask no row is selected.
type gated struct {
	p    part
	rows string
}

func (g gated) Apply(ctx *nn.Context, in, out *ad.Var) *ad.Var {
	mask := ctx.Mask(g.rows)
	if mask == nil {
		return out
	}
	mask = ad.ConvertTo(mask, out.Value().DType())
	if r := len(out.Shape()); r > 2 {
		// A (rows, 1) mask broadcasts over the middle axes of (rows, …, d): the
		// three components of a vector feature, say.
		shape := make([]int, r)
		for i := range shape {
			shape[i] = 1
		}
		shape[0] = -1
		mask = ad.Reshape(mask, shape...)
	}
	return ad.Add(out, ad.Mul(mask, ad.Sub(g.p.Apply(ctx, in, out), out)))
}

// rows2 reshapes x (…, w) to (n, w).
func rows2(x *ad.Var) *ad.Var {
	s := x.Shape()
	if len(s) == 2 {
		return x
	}
	return ad.Reshape(x, -1, s[len(s)-1])
}

// linearT returns x·Wᵀ + b for W in PyTorch's (out, in) layout; b may be nil.
func linearT(x *ad.Var, w, b *nn.Param) *ad.Var {
	y := ad.MatMulT(x, w.V, false, true)
	if b != nil {
		y = ad.Add(y, b.V)
	}
	return y
}

// addShaped returns out + d, with d (n, w) reshaped to out's shape.
func addShaped(out, d *ad.Var) *ad.Var {
	if len(out.Shape()) != 2 {
		d = ad.Reshape(d, slices.Clone(out.Shape())...)
	}
	return ad.Add(out, d)
}
