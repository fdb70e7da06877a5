package tui

import (
	"testing"

	"github.com/muesli/termenv"
)

// BenchmarkView measures one frame at 160×48 in the states that draw the
// most: the rendered doc, an apply in progress and the incident board.
// Goal: well under 1 ms, since View runs after every message.
func BenchmarkView(b *testing.B) {
	states := map[string]func() Model{
		"explain": func() Model {
			return newTestModel(b, newFakeLab(), newTestClock(), 160, 48)
		},
		"apply": func() Model {
			clock := newTestClock()
			return applyStep2Halfway(b, newTestModel(b, newFakeLab(), clock, 160, 48), clock)
		},
		"incident": func() Model {
			clock := newTestClock()
			return incidentMidway(b, newTestModel(b, newFakeLab(), clock, 160, 48), clock)
		},
		"code": func() Model {
			return update(newTestModel(b, newFakeLab(), newTestClock(), 160, 48), keys("down", "tab")...)
		},
	}
	for name, build := range states {
		b.Run(name, func(b *testing.B) {
			m := build()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkViewRealDocs is the Explain tab with the embedded pages.
func BenchmarkViewRealDocs(b *testing.B) {
	m := New(newFakeLab(), Options{NoColor: true, Now: newTestClock().Now})
	m = update(m, keyMsg("tab"), keyMsg("shift+tab"))
	m = update(m, sizeMsg(160, 48))
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkViewColour is the Explain and Code tabs on a true-colour
// terminal, where styled strings are longest.
func BenchmarkViewColour(b *testing.B) {
	old := detectColorProfile
	detectColorProfile = func() termenv.Profile { return termenv.TrueColor }
	defer func() { detectColorProfile = old }()
	m := New(newFakeLab(), Options{Now: newTestClock().Now})
	m = update(m, sizeMsg(160, 48), keyMsg("down"))
	b.Run("explain", func(b *testing.B) {
		for b.Loop() {
			_ = m.View()
		}
	})
	m = update(m, keyMsg("tab"))
	b.Run("code", func(b *testing.B) {
		for b.Loop() {
			_ = m.View()
		}
	})
}
