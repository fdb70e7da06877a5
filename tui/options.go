package tui

import (
	"context"
	"os"
	"time"
)

// Options adjusts the model to its environment. The zero value is usable:
// colour on, the wall clock, the embedded docs and lab HCL.
type Options struct {
	// NoColor renders without colour or text attributes (lipgloss Ascii
	// profile, glamour's notty style, unhighlighted code). OptionsFromEnv
	// sets it from NO_COLOR; tests set it so snapshots are plain text.
	NoColor bool
	// LightBackground picks the light palette; it is asked once by the
	// caller rather than by the model, because querying the terminal from
	// inside a running program would race bubbletea's input reader.
	LightBackground bool
	// Now is the clock for elapsed times and ETAs; nil means time.Now.
	Now func() time.Time
	// Context bounds every Lab call; nil means context.Background. Each run
	// still gets its own cancel so one apply can be stopped alone.
	Context context.Context
	// Pages replaces the step catalogue's text (docs and HCL). Tests use it
	// so snapshots do not move whenever a doc page is edited; nil means
	// DefaultPages().
	Pages []Page
}

// OptionsFromEnv returns Options for a real terminal: NO_COLOR (any
// non-empty value, see https://no-color.org) turns colour off.
func OptionsFromEnv() Options {
	return Options{NoColor: os.Getenv("NO_COLOR") != ""}
}

func (o Options) clock() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

func (o Options) context() context.Context {
	if o.Context != nil {
		return o.Context
	}
	return context.Background()
}
