package adapters

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sciadapt/sciadapt/nn"
)

// Method names a PEFT method. Its string is the name used in adapter files, plans
// and on the command line.
type Method string

// Methods known to Config.Method.
const (
	MethodLoRA       Method = "lora"       // low-rank update ΔW = (α/r)·B·A of linear and conv1d layers
	MethodBottleneck Method = "bottleneck" // small down/up network added to a layer's output
	MethodBitFit     Method = "bitfit"     // only biases train
	MethodNorm       Method = "norm"       // only the γ and β of normalisation layers train
	MethodFiLM       Method = "film"       // γ(c)∘h + β(c) from a conditioning input c
	MethodPrompt     Method = "prompt"     // m learnable vectors prepended to a sequence
	MethodSelect     Method = "select"     // the base parameters matching patterns train
	MethodFull       Method = "full"       // every base parameter trains
	MethodRows       Method = "rows"       // only new rows of embedding tables train (new kinds)
)

// methods lists the known methods in a fixed order.
var methods = []Method{MethodLoRA, MethodBottleneck, MethodBitFit, MethodNorm, MethodFiLM, MethodPrompt, MethodSelect, MethodFull, MethodRows}

// Methods returns the known methods in a fixed order.
func Methods() []Method { return slices.Clone(methods) }

// ParseMethod returns the method of the given name.
func ParseMethod(name string) (Method, error) {
	if m := Method(name); slices.Contains(methods, m) {
		return m, nil
	}
	return "", fmt.Errorf("unknown adapter method %q (known: %s)", name, methodList())
}

// methodList returns the known methods' names, comma-separated.
func methodList() string {
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// Forms of a bottleneck adapter.
const (
	FormSequential = "sequential" // h ← h + f(h) after the layer (Houlsby 2019, Pfeiffer 2020)
	FormParallel   = "parallel"   // h ← h + f(x) beside the layer, from its input (He et al. 2022)
)

// Parametrisations of FiLM's γ (see the package documentation).
const (
	GammaAffine   = "affine"   // γ = 1 + z; may change sign
	GammaExp      = "exp"      // γ = exp(z) > 0
	GammaSoftplus = "softplus" // γ = softplus(z)/softplus(0) > 0
)

// Defaults taken by zero fields of a Config.
const (
	DefaultRank       = 8  // LoRA rank (PEFT's default r)
	DefaultReduction  = 16 // bottleneck reduction factor (Pfeiffer et al. 2020)
	DefaultActivation = nn.ActSiLU
)

// Config describes one adapter: the method, where it goes and its sizes. Zero
// fields take defaults (see each field); a field that the method does not use must
// be left zero. It is stored as JSON in adapter files under "adapter_config".
type Config struct {
	// Method is one of "lora", "bottleneck", "bitfit", "norm", "film", "prompt",
	// "select", "full", "rows".
	Method Method `json:"method"`
	// Targets are patterns (nn.Match) of the site names to adapt. Required for lora,
	// bottleneck, film and prompt; for bitfit and norm they restrict the layers whose
	// biases or γ, β train (all layers when empty).
	Targets []string `json:"targets,omitempty"`

	// Rank r of LoRA (default 8) and its α (default α = r, a scale α/r of 1).
	Rank  int     `json:"rank,omitempty"`
	Alpha float64 `json:"alpha,omitempty"`
	// Overrides set the LoRA rank and α of the sites they match; the first matching
	// override wins (PEFT's rank_pattern and alpha_pattern). A rank or α of 0 in
	// an override keeps Rank or Alpha (and Alpha 0 means α = the site's rank).
	Overrides []Override `json:"overrides,omitempty"`

	// Reduction is the bottleneck's reduction factor: hidden width max(1, d/Reduction)
	// for a layer of output width d. Default 16.
	Reduction int `json:"reduction,omitempty"`
	// Activation of the bottleneck's hidden layer and of FiLM's hidden layer.
	// Default "silu" (smooth, so forces and stresses can be differentiated).
	Activation nn.Activation `json:"activation,omitempty"`
	// Form of the bottleneck adapter: "sequential" (default) or "parallel".
	Form string `json:"form,omitempty"`

	// CondDim is the width d_c of the conditioning input ctx.Cond (FiLM, required).
	CondDim int `json:"cond_dim,omitempty"`
	// FiLMHidden is the width of the FiLM generator's hidden layer; 0 makes γ and β
	// affine functions of c.
	FiLMHidden int `json:"film_hidden,omitempty"`
	// Gamma is the parametrisation of FiLM's γ: "affine" (default), or "exp" and
	// "softplus", which keep γ positive. All three give γ = 1 exactly at the start.
	Gamma string `json:"gamma,omitempty"`

	// PromptLength is the number m of prompt vectors (prompt, required).
	PromptLength int `json:"prompt_length,omitempty"`

	// Patterns select the base parameters that train (select, required; nn.Match).
	Patterns []string `json:"patterns,omitempty"`

	// Gate makes a lora, bottleneck or film adapter act only on the rows that the
	// row mask of its site selects (nn.Context.Masks[site.Rows]); other rows keep the
	// base output exactly. Every targeted site must state its Rows.
	Gate bool `json:"gate,omitempty"`

	// NewRows adds that many rows — new kinds of row, such as a new element — to the
	// tables of the embedding sites matching RowTargets; RowLabels, if given, say
	// what each new row stands for (one label per row, stored for the domain, e.g.
	// "O"). The rows start at zero (the caller may set them, e.g. from chemical
	// neighbours) and train: alone with method rows, beside the method's own
	// parameters otherwise (not with prompt).
	NewRows    int      `json:"new_rows,omitempty"`
	RowTargets []string `json:"row_targets,omitempty"`
	RowLabels  []string `json:"row_labels,omitempty"`

	// Precision is the precision the adapter's values are kept and saved in:
	// "float64" (or "", the default) or "float32", which halves the file. Round
	// rounds the values to it; Save stores them in it.
	Precision string `json:"precision,omitempty"`

	// Seed seeds the random initialisation (LoRA's A, the bottleneck's down
	// projection, FiLM's hidden layer, the prompt vectors).
	Seed uint64 `json:"seed,omitempty"`
}

// Override sets the LoRA rank and α of the sites matching Pattern.
type Override struct {
	Pattern string  `json:"pattern"`
	Rank    int     `json:"rank,omitempty"`
	Alpha   float64 `json:"alpha,omitempty"`
}

// usesHooks reports whether the method adds hooks to sites (rather than training
// base parameters).
func usesHooks(method Method) bool {
	switch method {
	case MethodLoRA, MethodBottleneck, MethodFiLM, MethodPrompt, MethodRows:
		return true
	}
	return false
}

// Validate returns an error naming the first problem of c: an unknown method, a
// missing or out-of-range field, or a field set that the method does not use.
func (c Config) Validate() error {
	if !slices.Contains(methods, c.Method) {
		if c.Method == "" {
			return fmt.Errorf("adapter config: method is empty (known: %s)", methodList())
		}
		return fmt.Errorf("adapter config: unknown method %q (known: %s)", c.Method, methodList())
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("adapter config (%s): %s", c.Method, fmt.Sprintf(format, args...))
	}
	for i, t := range c.Targets {
		if strings.TrimSpace(t) == "" {
			return bad("target %d is empty", i)
		}
	}
	if usesHooks(c.Method) && c.Method != MethodRows && len(c.Targets) == 0 {
		return bad("targets are empty: name the sites to adapt (patterns such as %q)", "interaction.*.update.0")
	}
	// unused lists the fields set that this method ignores.
	var unused []string
	use := func(set bool, name string, methods ...Method) {
		if set && !slices.Contains(methods, c.Method) {
			unused = append(unused, name)
		}
	}
	use(len(c.Targets) > 0, "targets", MethodLoRA, MethodBottleneck, MethodFiLM, MethodPrompt, MethodBitFit, MethodNorm)
	use(c.Rank != 0, "rank", MethodLoRA)
	use(c.Alpha != 0, "alpha", MethodLoRA)
	use(len(c.Overrides) > 0, "overrides", MethodLoRA)
	use(c.Reduction != 0, "reduction", MethodBottleneck)
	use(c.Activation != "", "activation", MethodBottleneck, MethodFiLM)
	use(c.Form != "", "form", MethodBottleneck)
	use(c.CondDim != 0, "cond_dim", MethodFiLM)
	use(c.FiLMHidden != 0, "film_hidden", MethodFiLM)
	use(c.Gamma != "", "gamma", MethodFiLM)
	use(c.PromptLength != 0, "prompt_length", MethodPrompt)
	use(len(c.Patterns) > 0, "patterns", MethodSelect)
	use(c.Gate, "gate", MethodLoRA, MethodBottleneck, MethodFiLM)
	use(c.NewRows != 0 || len(c.RowTargets) > 0 || len(c.RowLabels) > 0, "new_rows",
		MethodRows, MethodLoRA, MethodBottleneck, MethodFiLM, MethodBitFit, MethodNorm, MethodSelect, MethodFull)
	if len(unused) > 0 {
		return bad("%s set, but method %s does not use %s", strings.Join(unused, ", "), c.Method, pluralIt(len(unused)))
	}
	switch c.Method {
	case MethodLoRA:
		if c.Rank < 0 {
			return bad("rank %d is negative", c.Rank)
		}
		if err := checkAlpha(c.Alpha); err != nil {
			return bad("%v", err)
		}
		for i, o := range c.Overrides {
			switch {
			case strings.TrimSpace(o.Pattern) == "":
				return bad("override %d has an empty pattern", i)
			case o.Rank < 0:
				return bad("override %d (%q): rank %d is negative", i, o.Pattern, o.Rank)
			}
			if err := checkAlpha(o.Alpha); err != nil {
				return bad("override %d (%q): %v", i, o.Pattern, err)
			}
		}
	case MethodBottleneck:
		if c.Reduction < 0 {
			return bad("reduction %d is negative", c.Reduction)
		}
		if c.Form != "" && c.Form != FormSequential && c.Form != FormParallel {
			return bad("form %q is unknown (sequential, parallel)", c.Form)
		}
	case MethodFiLM:
		if c.CondDim < 1 {
			return bad("cond_dim %d: give the width of the conditioning input (1 for a temperature)", c.CondDim)
		}
		if c.FiLMHidden < 0 {
			return bad("film_hidden %d is negative", c.FiLMHidden)
		}
		if c.Gamma != "" && c.Gamma != GammaAffine && c.Gamma != GammaExp && c.Gamma != GammaSoftplus {
			return bad("gamma %q is unknown (affine, exp, softplus)", c.Gamma)
		}
	case MethodPrompt:
		if c.PromptLength < 1 {
			return bad("prompt_length %d: give the number of prompt vectors (at least 1)", c.PromptLength)
		}
	case MethodSelect:
		if len(c.Patterns) == 0 {
			return bad("patterns are empty: name the parameters to train (patterns such as %q)", "**.bias")
		}
		for i, p := range c.Patterns {
			if strings.TrimSpace(p) == "" {
				return bad("pattern %d is empty", i)
			}
		}
	}
	if c.Activation != "" {
		if err := c.Activation.Validate(); err != nil {
			return bad("%v", err)
		}
	}
	if err := c.validateRows(); err != nil {
		return bad("%v", err)
	}
	switch c.Precision {
	case "", "float64", "float32":
	default:
		return bad("precision %q is unknown (float64, float32)", c.Precision)
	}
	return nil
}

// validateRows checks the new-rows fields.
func (c Config) validateRows() error {
	switch {
	case c.NewRows < 0:
		return fmt.Errorf("new_rows %d is negative", c.NewRows)
	case c.Method == MethodRows && c.NewRows == 0:
		return fmt.Errorf("new_rows is 0: give the number of rows to add (1 for one new element)")
	case c.NewRows > 0 && len(c.RowTargets) == 0:
		return fmt.Errorf("row_targets are empty: name the embedding sites to add rows to")
	case c.NewRows == 0 && len(c.RowTargets) > 0:
		return fmt.Errorf("row_targets set but new_rows is 0")
	case len(c.RowLabels) > 0 && len(c.RowLabels) != c.NewRows:
		return fmt.Errorf("%d row labels for %d new rows", len(c.RowLabels), c.NewRows)
	}
	for i, t := range c.RowTargets {
		if strings.TrimSpace(t) == "" {
			return fmt.Errorf("row target %d is empty", i)
		}
	}
	return nil
}

func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

func checkAlpha(a float64) error {
	if a < 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return fmt.Errorf("alpha %v is not a non-negative finite number", a)
	}
	return nil
}

// withDefaults returns c with zero fields replaced by their defaults.
func (c Config) withDefaults() Config {
	switch c.Method {
	case MethodLoRA:
		if c.Rank == 0 {
			c.Rank = DefaultRank
		}
	case MethodBottleneck:
		if c.Reduction == 0 {
			c.Reduction = DefaultReduction
		}
		if c.Activation == "" {
			c.Activation = DefaultActivation
		}
		if c.Form == "" {
			c.Form = FormSequential
		}
	case MethodFiLM:
		if c.Activation == "" {
			c.Activation = DefaultActivation
		}
		if c.Gamma == "" {
			c.Gamma = GammaAffine
		}
	}
	return c
}

// loraRank returns the rank and α/r scale of LoRA at a site (after defaults).
func (c Config) loraRank(site string) (rank int, alpha float64) {
	rank, alpha = c.Rank, c.Alpha
	for _, o := range c.Overrides {
		if nn.Match(o.Pattern, site) {
			if o.Rank != 0 {
				rank = o.Rank
			}
			if o.Alpha != 0 {
				alpha = o.Alpha
			}
			break
		}
	}
	if alpha == 0 {
		alpha = float64(rank)
	}
	return rank, alpha
}

// errNoSite is wrapped by Attach errors when no site matches the targets.
var errNoSite = errors.New("no site matches")
