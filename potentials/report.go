package potentials

// Parameters are the parameter counts every report carries: the scalar values
// trained, and all of the model's (with an adapter's own).
type Parameters struct {
	Trainable int `json:"trainable_parameters"`
	Total     int `json:"total_parameters"`
}

// TrainReport is the report of "train potential".
type TrainReport struct {
	Parameters
	Model   string  `json:"model"`   // architecture
	Seconds float64 `json:"seconds"` // wall time of the whole command
	Train   Errors  `json:"train"`   // errors on the training frames
}
