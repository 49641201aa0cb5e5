package adapters

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// newRows is the part that adds Config.NewRows rows to an embedding site's table (an
// nn.RowSource): the rows of new kinds, such as a new element's embedding and
// reference energy. The rows start at zero.
type newRows struct {
	s *nn.Site
	p *nn.Param // (k, …) with the table's trailing shape
}

var _ nn.RowSource = (*newRows)(nil)

func makeNewRows(base nn.Module, s *nn.Site, k int) (*newRows, error) {
	if s.Kind != "embedding" {
		return nil, fmt.Errorf("site %s is a %s layer; new rows go to embedding tables", s.Name, s.Kind)
	}
	table, err := tableOf(base, s)
	if err != nil {
		return nil, err
	}
	shape := append([]int{k}, table.Value().Shape[1:]...)
	return &newRows{s: s, p: nn.NewParam(s.Name+".new_rows.weight", ad.Zeros(shape...))}, nil
}

// tableOf returns the table of an embedding site: the parameter named
// "<site>.weight", or "<site>".
func tableOf(base nn.Module, s *nn.Site) (*nn.Param, error) {
	if p, err := nn.ParamByName(base, s.Name+".weight"); err == nil {
		return p, nil
	}
	p, err := nn.ParamByName(base, s.Name)
	if err != nil {
		return nil, fmt.Errorf("site %s: no table named %s.weight or %s", s.Name, s.Name, s.Name)
	}
	return p, nil
}

func (r *newRows) site() *nn.Site      { return r.s }
func (r *newRows) params() []*nn.Param { return []*nn.Param{r.p} }
func (r *newRows) flopsPerRow() int64  { return 0 }

// Rows implements nn.RowSource.
func (r *newRows) Rows() *ad.Var { return r.p.V }

// Apply leaves the looked-up rows as they are: the new rows act through Rows.
func (r *newRows) Apply(_ *nn.Context, _, out *ad.Var) *ad.Var { return out }

// buildNewRows adds the new-rows parts at the sites that cfg.RowTargets match.
func (a *Adapter) buildNewRows(base nn.Module) error {
	sites := nn.SitesMatching(base, a.cfg.RowTargets...)
	if len(sites) == 0 {
		return fmt.Errorf("%w row_targets %q (the model's sites: %s)", errNoSite, a.cfg.RowTargets, siteList(base))
	}
	for _, s := range sites {
		r, err := makeNewRows(base, s, a.cfg.NewRows)
		if err != nil {
			return err
		}
		a.parts = append(a.parts, r)
		a.own = append(a.own, r.p)
	}
	return nil
}

// NewRows returns the rows the adapter adds at an embedding site, (k, …), or nil:
// to set their starting values before training, or to read them.
func (a *Adapter) NewRows(site string) *nn.Param {
	for _, pt := range a.parts {
		if r, ok := pt.(*newRows); ok && r.s.Name == site {
			return r.p
		}
	}
	return nil
}
