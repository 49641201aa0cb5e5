package adapters

import (
	"fmt"
	"strings"

	"github.com/sciadapt/sciadapt/nn"
)

// buildSelection chooses the base parameters that a selection method trains.
func (a *Adapter) buildSelection(base nn.Module) error {
	var sel []*nn.Param
	switch a.cfg.Method {
	case MethodFull:
		sel = base.Params()
	case MethodSelect:
		for _, p := range base.Params() {
			if nn.MatchAny(a.cfg.Patterns, p.Name) {
				sel = append(sel, p)
			}
		}
		if len(sel) == 0 {
			return fmt.Errorf("no parameter matches patterns %q (the model's parameters: %s)", a.cfg.Patterns, paramList(base))
		}
	case MethodBitFit:
		// Biases of the targeted sites, or every parameter named "….bias".
		if len(a.cfg.Targets) == 0 {
			for _, p := range base.Params() {
				if nn.Match("bias", p.Name) {
					sel = append(sel, p)
				}
			}
			if len(sel) == 0 {
				return fmt.Errorf("the model has no parameter named \"….bias\" (its parameters: %s)", paramList(base))
			}
			break
		}
		sites := nn.SitesMatching(base, a.cfg.Targets...)
		if len(sites) == 0 {
			return fmt.Errorf("%w targets %q (the model's sites: %s)", errNoSite, a.cfg.Targets, siteList(base))
		}
		for _, s := range sites {
			if p, err := nn.ParamByName(base, s.Name+".bias"); err == nil {
				sel = append(sel, p)
			}
		}
		if len(sel) == 0 {
			return fmt.Errorf("none of the sites matching %q has a bias", a.cfg.Targets)
		}
	case MethodNorm:
		var sites []*nn.Site
		for _, s := range base.Sites() {
			if s.Kind == "layernorm" && (len(a.cfg.Targets) == 0 || nn.MatchAny(a.cfg.Targets, s.Name)) {
				sites = append(sites, s)
			}
		}
		if len(sites) == 0 {
			if len(a.cfg.Targets) == 0 {
				return fmt.Errorf("the model has no normalisation layer (layernorm site), so there are no γ and β to tune; use film or bitfit instead")
			}
			return fmt.Errorf("no layernorm site matches targets %q (the model's sites: %s)", a.cfg.Targets, siteList(base))
		}
		for _, s := range sites {
			for _, n := range []string{".gamma", ".beta"} {
				p, err := nn.ParamByName(base, s.Name+n)
				if err != nil {
					return fmt.Errorf("layer norm %s: %v", s.Name, err)
				}
				sel = append(sel, p)
			}
		}
	}
	a.sel = sel
	return nil
}

func paramList(m nn.Module) string {
	var names []string
	for _, p := range m.Params() {
		names = append(names, p.Name)
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
