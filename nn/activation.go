package nn

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Activation is an elementwise function by name, so that model configurations can
// name it in JSON. The smooth ones can be differentiated to any order.
type Activation string

// Activations known to Activation.Apply.
const (
	ActSiLU            Activation = "silu"
	ActTanh            Activation = "tanh"
	ActSoftplus        Activation = "softplus"
	ActShiftedSoftplus Activation = "ssp"
	ActSigmoid         Activation = "sigmoid"
	ActReLU            Activation = "relu" // not smooth: never where forces are differentiated
	ActIdentity        Activation = "identity"
)

// Validate returns an error for an unknown activation name.
func (a Activation) Validate() error {
	switch a {
	case ActSiLU, ActTanh, ActSoftplus, ActShiftedSoftplus, ActSigmoid, ActReLU, ActIdentity:
		return nil
	}
	return fmt.Errorf("unknown activation %q (known: silu, tanh, softplus, ssp, sigmoid, relu, identity)", string(a))
}

// Apply applies the activation. It panics for an unknown name (validate
// configurations first).
func (a Activation) Apply(x *ad.Var) *ad.Var {
	switch a {
	case ActSiLU:
		return ad.SiLU(x)
	case ActTanh:
		return ad.Tanh(x)
	case ActSoftplus:
		return ad.Softplus(x)
	case ActShiftedSoftplus:
		return ad.ShiftedSoftplus(x)
	case ActSigmoid:
		return ad.Sigmoid(x)
	case ActReLU:
		return ad.ReLU(x)
	case ActIdentity, "":
		return x
	}
	panic("nn: " + a.Validate().Error())
}
