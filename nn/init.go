package nn

import (
	"math"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// NewRand returns the random source every initialiser takes; the same seed gives the
// same model.
func NewRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5c1ada97)) }

// GlorotUniform returns a (fanIn, fanOut) tensor drawn from U(−a, a) with
// a = √(6/(fanIn+fanOut)) (Glorot & Bengio 2010).
func GlorotUniform(rng *rand.Rand, fanIn, fanOut int) *ad.Tensor {
	a := math.Sqrt(6 / float64(fanIn+fanOut))
	return Uniform(rng, -a, a, fanIn, fanOut)
}

// HeNormal returns a tensor of the given shape drawn from N(0, 2/fanIn) (He et al. 2015).
func HeNormal(rng *rand.Rand, fanIn int, shape ...int) *ad.Tensor {
	return Normal(rng, math.Sqrt(2/float64(fanIn)), shape...)
}

// Uniform returns a tensor of the given shape drawn from U(lo, hi).
func Uniform(rng *rand.Rand, lo, hi float64, shape ...int) *ad.Tensor {
	t := ad.Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = lo + (hi-lo)*rng.Float64()
	}
	return t
}

// Normal returns a tensor of the given shape drawn from N(0, std²).
func Normal(rng *rand.Rand, std float64, shape ...int) *ad.Tensor {
	t := ad.Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = std * rng.NormFloat64()
	}
	return t
}
