package tui

import (
	"fmt"
	"testing"
)

func TestPeek(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	fmt.Println(m.View())
}
