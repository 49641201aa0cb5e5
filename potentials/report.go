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

// ElementReport is the report of "add-element".
type ElementReport struct {
	Parameters
	Seconds      float64        `json:"seconds"`
	Method       string         `json:"method"`  // as given on the command line
	Element      string         `json:"element"` // symbol
	TrainFrames  int            `json:"train_frames"`
	AdapterBytes int64          `json:"adapter_bytes"`
	Test         *Errors        `json:"test,omitempty"`         // on --test frames
	TestSystems  []SystemErrors `json:"test_systems,omitempty"` // per system, with several
}
