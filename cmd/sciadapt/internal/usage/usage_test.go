package usage

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestErrorf(t *testing.T) {
	err := fmt.Errorf("context: %w", Errorf("--frames %d: want a number ≥ 0: %w", -1, fs.ErrInvalid))
	var u Error
	if !errors.As(err, &u) || u.Error() != "--frames -1: want a number ≥ 0: invalid argument" || !errors.Is(err, fs.ErrInvalid) {
		t.Fatalf("%v: As %v, Is %v", err, errors.As(err, &u), errors.Is(err, fs.ErrInvalid))
	}
	if errors.As(fmt.Errorf("plain"), &u) {
		t.Fatal("a plain error is a usage error")
	}
}
