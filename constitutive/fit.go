package constitutive

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// lossScaleMPa is the stress scale of the fitting loss: the loss is the mean of
// ((σ_model − σ_data)/100 MPa)², each curve weighted equally.
const lossScaleMPa = 100.0

// FitOptions configure Fit and TemperatureTune. Zero fields take defaults.
type FitOptions struct {
	// MaxIterations of L-BFGS. Default 300.
	MaxIterations int
	// Ridge is the weight of an L2 penalty on the trained values (per value, in loss
	// units). Default 0 for Fit and 1e-3 for TemperatureTune, where the FiLM
	// parameters start at 0 and few points would leave some undetermined.
	Ridge float64
	// MaxPointsPerCurve subsamples each curve evenly in index to at most this many
	// points. Default 0: all points.
	MaxPointsPerCurve int
	// OnEpoch, if not nil, is called after each evaluation of the full-batch loss
	// (L-BFGS evaluates it about once per iteration, more during line searches)
	// with the count of evaluations so far (1, 2, …) and the loss there.
	OnEpoch func(evaluation int, loss float64)
	// Checkpoint, if set, logs the objective's evaluations to checkpoints, resumes
	// by replaying them (bit-identical to an uninterrupted fit), and stops with a
	// checkpoint when its context is cancelled (see checkpoint.Replay).
	Checkpoint *checkpoint.Saver
}

// FitResult summarises a fit.
type FitResult struct {
	// Loss is the final loss, Iterations the L-BFGS iterations, Points the data
	// points used.
	Loss       float64
	Iterations int
	Points     int
	// Converged is false when L-BFGS stopped at its iteration bound or its line
	// search failed; the best point found is kept either way.
	Converged bool
}

// subsample keeps at most k points of c, evenly spaced in index (always the last).
func subsample(c curves.Curve, k int) ([]float64, []float64) {
	n := c.Len()
	if k <= 0 || n <= k {
		return c.Strain, c.Stress
	}
	e, s := make([]float64, k), make([]float64, k)
	for j := 0; j < k; j++ {
		i := int(math.Round(float64(j) * float64(n-1) / float64(k-1)))
		e[j], s[j] = c.Strain[i], c.Stress[i]
	}
	return e, s
}

type fitSet struct {
	eps, sig []float64
	tK       float64
	w        float64
}

// loss builds the fitting loss over sets (one per curve).
func (m *Model) loss(sets []fitSet, params []*ad.Var, ridge float64) (*ad.Var, error) {
	var total *ad.Var
	for _, s := range sets {
		pred, err := m.uniaxialGraph(s.eps, ad.Constant(ad.Full(s.tK, 1, 1)))
		if err != nil {
			return nil, err
		}
		d := ad.Scale(ad.Sub(pred, ad.Constant(ad.New(append([]float64{}, s.sig...), len(s.sig), 1))), 1.0/lossScaleMPa)
		l := ad.Scale(ad.Sum(ad.Square(d)), s.w/float64(len(s.sig)))
		if total == nil {
			total = l
		} else {
			total = ad.Add(total, l)
		}
	}
	if ridge > 0 {
		for _, p := range params {
			if p.RequiresGrad() {
				total = ad.Add(total, ad.Scale(ad.Sum(ad.Square(p)), ridge))
			}
		}
	}
	return total, nil
}

// minimize runs L-BFGS on the trainable values of params.
func (m *Model) minimize(sets []fitSet, params []*ad.Var, opt FitOptions) (FitResult, error) {
	var lossErr error
	evals := 0
	f := optim.Objective(params, func() *ad.Var {
		l, err := m.loss(sets, params, opt.Ridge)
		if err != nil {
			lossErr = err
			return ad.Scale(ad.Sum(params[0]), math.NaN())
		}
		if evals++; opt.OnEpoch != nil {
			opt.OnEpoch(evals, l.Value().Data[0])
		}
		return l
	})
	x0 := optim.Flatten(params)
	fp := "" // hashing the data is only needed when checkpointing
	if opt.Checkpoint != nil {
		fp = fitFingerprint(sets, x0, opt)
	}
	rp, err := opt.Checkpoint.NewReplay("constitutive/lbfgs", fp, len(x0))
	if err != nil {
		return FitResult{}, err
	}
	res, err := optim.MinimizeLBFGS(rp.Wrap(f), x0, &optim.LBFGSOptions{MaxIterations: opt.MaxIterations, GradientTolerance: 1e-8})
	if err := rp.Err(); err != nil {
		optim.Unflatten(params, x0)
		return FitResult{}, err
	}
	if lossErr != nil {
		optim.Unflatten(params, x0)
		return FitResult{}, lossErr
	}
	if res.X != nil {
		optim.Unflatten(params, res.X)
	}
	out := FitResult{Loss: res.F, Iterations: res.Iterations, Converged: err == nil}
	for _, s := range sets {
		out.Points += len(s.sig)
	}
	if err != nil && !errors.Is(err, optim.ErrNotConverged) {
		return out, err
	}
	return out, nil
}

// fitFingerprint identifies the data, the starting point and the settings of a
// fit, for checkpoints.
func fitFingerprint(sets []fitSet, x0 []float64, opt FitOptions) string {
	h := checkpoint.NewHash()
	h.Ints(opt.MaxIterations, len(sets))
	h.Floats(opt.Ridge)
	h.Floats(x0...)
	for _, s := range sets {
		h.Floats(s.eps...)
		h.Floats(s.sig...)
		h.Floats(s.tK, s.w)
	}
	return h.Sum()
}

// Fit trains all parameters of the base model on monotonic uniaxial tension curves,
// each at its own temperature (normally all at the base temperature), by L-BFGS on
// the mean squared stress error, curves weighted equally.
func (m *Model) Fit(cs []curves.Curve, opt *FitOptions) (FitResult, error) {
	o := FitOptions{}
	if opt != nil {
		o = *opt
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 300
	}
	sets, err := setsOf(cs, o.MaxPointsPerCurve)
	if err != nil {
		return FitResult{}, err
	}
	return m.minimize(sets, nn.Vars(nn.Trainable(m)), o)
}

func setsOf(cs []curves.Curve, k int) ([]fitSet, error) {
	if len(cs) == 0 {
		return nil, errors.New("constitutive: no curves to fit")
	}
	var sets []fitSet
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if c.Loading == curves.Compression {
			return nil, fmt.Errorf("curve %s: compression curves are not supported (tension only)", c.Specimen)
		}
		e, s := subsample(c, k)
		sets = append(sets, fitSet{eps: e, sig: s, tK: c.TemperatureK, w: 1 / float64(len(cs))})
	}
	return sets, nil
}

// TuneOptions configure TemperatureTune.
type TuneOptions struct {
	FitOptions
	// Hidden is the FiLM generator's hidden width (adapters.Config.FiLMHidden).
	// Default 0: γ and β are linear in c = (T − T₀)/ΔT.
	Hidden int
	// Seed seeds the adapter's initialisation.
	Seed uint64
}

// NewTemperatureAdapter returns an unattached FiLM adapter for the model's
// temperature sites (SiteProps, SiteHardening): conditioning width 1, γ = softplus,
// positive.
func NewTemperatureAdapter(name string, hidden int, seed uint64) (*adapters.Adapter, error) {
	return adapters.New(name, adapters.Config{Method: adapters.MethodFiLM,
		Targets: []string{SiteProps, SiteHardening}, CondDim: 1, FiLMHidden: hidden,
		Gamma: adapters.GammaSoftplus, Seed: seed})
}

// TemperatureTune attaches a FiLM adapter to the model (freezing every base
// parameter) and trains only the adapter's weights on the points of pts, all at the
// temperature tK, by L-BFGS. The FiLM biases (output and, with Hidden > 0, hidden)
// are set to zero and frozen, so the generator gives z = β = 0 at c = 0: γ = 1 and
// β = 0 exactly at the base temperature, where the adapted model equals the base bit
// for bit. The adapter stays attached; Detach it to get the base back.
func (m *Model) TemperatureTune(name string, strain, stress []float64, tK float64, opt *TuneOptions) (*adapters.Adapter, FitResult, error) {
	o := TuneOptions{}
	if opt != nil {
		o = *opt
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 300
	}
	if o.Ridge == 0 {
		o.Ridge = 1e-3
	}
	if len(strain) == 0 || len(strain) != len(stress) {
		return nil, FitResult{}, fmt.Errorf("constitutive: %d strains and %d stresses to tune on", len(strain), len(stress))
	}
	a, err := NewTemperatureAdapter(name, o.Hidden, o.Seed)
	if err != nil {
		return nil, FitResult{}, err
	}
	if err := a.Attach(m); err != nil {
		return nil, FitResult{}, err
	}
	for _, p := range a.Params() {
		if isBias(p.Name) {
			for i := range p.Value().Data {
				p.Value().Data[i] = 0
			}
			p.SetTrainable(false)
		}
	}
	sets := []fitSet{{eps: strain, sig: stress, tK: tK, w: 1}}
	res, err := m.minimize(sets, a.Vars(), o.FitOptions)
	if err != nil {
		a.Detach()
		return nil, res, err
	}
	return a, res, nil
}

func isBias(name string) bool {
	const s = ".bias"
	return len(name) >= len(s) && name[len(name)-len(s):] == s
}

// TrainableValues counts the scalar values of a's parameters that train.
func TrainableValues(a *adapters.Adapter) int {
	n := 0
	for _, p := range a.Params() {
		if p.Trainable() {
			n += p.Size()
		}
	}
	return n
}

// Errors are stress errors of a model on measured curves.
type Errors struct {
	// Points is the number of points compared.
	Points int `json:"n_points"`
	// RMSE is the root-mean-square stress error in MPa; NRMSE is RMSE divided by the
	// range (max − min) of the measured stresses compared.
	RMSE  float64 `json:"stress_rmse_mpa"`
	NRMSE float64 `json:"stress_nrmse"`
}

// Evaluate compares the model's uniaxial stress with the measured curves, each at
// its own temperature, over all their points.
func (m *Model) Evaluate(cs []curves.Curve) (Errors, error) {
	var se float64
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for _, c := range cs {
		pred, err := m.UniaxialStress(c.Strain, c.TemperatureK)
		if err != nil {
			return Errors{}, fmt.Errorf("curve %s: %v", c.Specimen, err)
		}
		for i, p := range pred {
			d := p - c.Stress[i]
			se += d * d
			lo, hi = math.Min(lo, c.Stress[i]), math.Max(hi, c.Stress[i])
			n++
		}
	}
	if n == 0 {
		return Errors{}, errors.New("constitutive: no points to evaluate")
	}
	e := Errors{Points: n, RMSE: math.Sqrt(se / float64(n))}
	e.NRMSE = e.RMSE / (hi - lo)
	return e, nil
}

// SelectPoints picks k points of a measured curve for temperature tuning: the
// elastic point nearest to half the elastic limit (at least one elastic point,
// index ≤ c.ElasticLimitIndex, or the first points up to 0.8·E·ε_y where not
// fitted), and k − 1 points spread evenly in strain over the rest of the curve
// (the last one at its end). It returns indices into c in increasing order, or an
// error when the curve has fewer than k points.
func SelectPoints(c curves.Curve, k int) ([]int, error) {
	n := c.Len()
	if k < 1 {
		return nil, fmt.Errorf("constitutive: %d points requested", k)
	}
	if n < k {
		return nil, fmt.Errorf("curve %s: %d points, fewer than the %d requested", c.Specimen, n, k)
	}
	lim := c.ElasticLimitIndex
	if lim < 0 || lim >= n {
		lim = 0
	}
	first := lim / 2
	chosen := map[int]bool{first: true}
	idx := []int{first}
	if k > 1 {
		e0, e1 := c.Strain[lim], c.Strain[n-1]
		for j := 1; j < k; j++ {
			target := e0 + (e1-e0)*float64(j)/float64(k-1)
			if k == 2 {
				target = e1
			}
			best, bd := -1, math.Inf(1)
			for i := lim + 1; i < n; i++ {
				if chosen[i] {
					continue
				}
				if d := math.Abs(c.Strain[i] - target); d < bd {
					best, bd = i, d
				}
			}
			if best < 0 {
				for i := 0; i < n && best < 0; i++ {
					if !chosen[i] {
						best = i
					}
				}
			}
			chosen[best] = true
			idx = append(idx, best)
		}
	}
	sort.Ints(idx)
	return idx, nil
}

// Scatter measures specimen-to-specimen scatter: each point of each curve is
// compared with the mean of the other curves that reach its strain, linearly
// interpolated; points that no other curve reaches are left out. The errors are
// pooled as in Evaluate.
func Scatter(cs []curves.Curve) (Errors, error) {
	if len(cs) < 2 {
		return Errors{}, errors.New("constitutive: scatter needs at least two curves")
	}
	var se float64
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for i, c := range cs {
		for k, e := range c.Strain {
			sum, cnt := 0.0, 0
			for j, o := range cs {
				if j == i {
					continue
				}
				if v, ok := interp(o.Strain, o.Stress, e); ok {
					sum += v
					cnt++
				}
			}
			if cnt == 0 {
				continue
			}
			d := sum/float64(cnt) - c.Stress[k]
			se += d * d
			lo, hi = math.Min(lo, c.Stress[k]), math.Max(hi, c.Stress[k])
			n++
		}
	}
	if n == 0 {
		return Errors{}, errors.New("constitutive: curves do not overlap in strain")
	}
	r := Errors{Points: n, RMSE: math.Sqrt(se / float64(n))}
	r.NRMSE = r.RMSE / (hi - lo)
	return r, nil
}

// interp interpolates y(x) at x0 on the first bracketing segment of x.
func interp(x, y []float64, x0 float64) (float64, bool) {
	for i := 1; i < len(x); i++ {
		a, b := x[i-1], x[i]
		if (a <= x0 && x0 <= b) || (b <= x0 && x0 <= a) {
			if a == b {
				return y[i], true
			}
			t := (x0 - a) / (b - a)
			return y[i-1] + t*(y[i]-y[i-1]), true
		}
	}
	return 0, false
}
