package potentials

import (
	"fmt"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
)

// Evaluation is a potential evaluated on the frames of an atoms file (the
// "eval" command's protocol, EvaluateFile).
type Evaluation struct {
	Model   *Model
	Context func(*Batch) *nn.Context // of the attached add-element adapter; nil without
	Frames  []datasets.Frame
	Errors  Errors
	Systems []SystemErrors // per system, in the order of their first frame
	Report  EvalReport     // without the command's seconds
}

// EvaluateFile reads the model file at model, attaches the add-element adapter
// file at adapter if it is not "", and evaluates them on every frame of the
// atoms file at data, in batches of 64 structures: over all frames and per
// system. The report counts the adapter's values as trainable and adds them to
// the model's. Errors name the file.
func EvaluateFile(model, adapter, data string) (*Evaluation, error) {
	m, err := Load(model)
	if err != nil {
		return nil, err
	}
	e := &Evaluation{Model: m}
	trainable := 0
	if adapter != "" {
		a, err := LoadElementAdapter(adapter, m)
		if err != nil {
			return nil, err
		}
		e.Context = m.ElementContext
		for _, p := range a.Params() {
			trainable += p.Size()
		}
	}
	if e.Frames, err = readFrames(data); err != nil {
		return nil, err
	}
	if e.Errors, e.Systems, err = EvaluateBySystem(m, e.Frames, 64, e.Context); err != nil {
		return nil, fmt.Errorf("%s: %v", data, err)
	}
	total, _ := nn.Counts(m)
	e.Report = NewEvalReport(Parameters{Trainable: trainable, Total: total + trainable}, e.Errors, e.Systems)
	return e, nil
}

// WritePredictions writes the frames again with the model's energies and forces
// in place of the references (PredictedFrames) to the atoms file at path,
// atomically, recording model as their level of theory and data as their
// source.
func (e *Evaluation) WritePredictions(path, model, data string) error {
	pred, err := PredictedFrames(e.Model, e.Frames, 64, e.Context)
	if err != nil {
		return fmt.Errorf("%s: %v", data, err)
	}
	meta := datasets.Meta{LevelOfTheory: "predicted by " + model, Source: "sciadapt eval --predictions on " + data}
	return datasets.Write(path, meta, pred)
}

// readFrames reads every frame of the atoms file at path.
func readFrames(path string) ([]datasets.Frame, error) {
	f, err := datasets.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Frames(f.Refs())
}
