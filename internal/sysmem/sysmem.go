package sysmem

import (
	"fmt"

	"github.com/pbnjay/memory"
)

// Machine is the memory of a machine, in bytes; 0 means unknown.
type Machine struct {
	Total, Free uint64
}

// System returns the memory of this machine.
func System() Machine {
	return Machine{Total: memory.TotalMemory(), Free: memory.FreeMemory()}
}

// Need is an estimated memory need.
type Need struct {
	// What names the step ("training on 1000 frames of o_train.h5").
	What string
	// Data is the size of the data held in memory, Activations that of one batch's
	// computation graph, both in bytes.
	Data, Activations uint64
	// Hint says what the user can change to need less ("use --frames or
	// --batch-size").
	Hint string
}

// Bytes returns the total need.
func (n Need) Bytes() uint64 { return n.Data + n.Activations }

// Check returns an error if n exceeds the total memory of m (never if m.Total is 0).
func (m Machine) Check(n Need) error {
	if m.Total == 0 || n.Bytes() <= m.Total {
		return nil
	}
	return fmt.Errorf("%s needs about %s (%s of data, %s per batch) but this machine has %s of memory; %s",
		n.What, Format(n.Bytes()), Format(n.Data), Format(n.Activations), Format(m.Total), n.Hint)
}

// BatchSize returns the largest batch size b ≤ def whose activations, b·perItem
// bytes, fit in half of the free memory, and at least 1. With Free unknown (0) it
// returns def.
func (m Machine) BatchSize(def int, perItem uint64) int {
	if m.Free == 0 || perItem == 0 {
		return def
	}
	b := int(m.Free / 2 / perItem)
	return max(1, min(def, b))
}

// Format writes a byte count for people: "512 B", "3.2 MiB", "12.0 GiB".
func Format(b uint64) string {
	const k = 1024
	switch {
	case b < k:
		return fmt.Sprintf("%d B", b)
	case b < k*k:
		return fmt.Sprintf("%.1f KiB", float64(b)/k)
	case b < k*k*k:
		return fmt.Sprintf("%.1f MiB", float64(b)/(k*k))
	default:
		return fmt.Sprintf("%.1f GiB", float64(b)/(k*k*k))
	}
}
