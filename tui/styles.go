package tui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// palette is the few colours the screen uses; adaptive so both light and
// dark terminals read well.
var (
	colorAccent = lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7571F9"}
	colorDim    = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6C6C6C"}
	colorOK     = lipgloss.AdaptiveColor{Light: "#0A8A3A", Dark: "#3FD07A"}
	colorFail   = lipgloss.AdaptiveColor{Light: "#C4212F", Dark: "#FF5F6D"}
	colorWarn   = lipgloss.AdaptiveColor{Light: "#A86400", Dark: "#F2B33D"}
	colorRule   = lipgloss.AdaptiveColor{Light: "#D0D0D0", Dark: "#3A3A3A"}
	colorSelBg  = lipgloss.AdaptiveColor{Light: "#E4E2FF", Dark: "#2E2B57"}
)

// detectColorProfile asks the terminal what it can show; a variable so tests
// can pretend to be a colour terminal.
var detectColorProfile = lipgloss.ColorProfile

// styles holds every style of the screen, built once from one renderer so
// the colour profile (and NO_COLOR) applies everywhere alike.
type styles struct {
	renderer *lipgloss.Renderer
	noColor  bool

	Title    lipgloss.Style // header title, step titles
	Dim      lipgloss.Style // secondary text
	Accent   lipgloss.Style
	Bold     lipgloss.Style
	OK       lipgloss.Style
	Fail     lipgloss.Style
	Warn     lipgloss.Style
	Rule     lipgloss.Style // separators
	Selected lipgloss.Style // the selected row of the step list
	TabOn    lipgloss.Style
	TabOff   lipgloss.Style
	Command  lipgloss.Style // CLI commands to run by hand
	Label    lipgloss.Style // left column of the incident board
	Dialog   lipgloss.Style // confirmation box
}

// newStyles builds the styles. With noColor the renderer is fixed to the
// Ascii profile, which drops colours and attributes alike; that is also
// what makes snapshots byte-for-byte stable.
func newStyles(noColor, light bool) styles {
	r := lipgloss.NewRenderer(io.Discard)
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	} else {
		r.SetColorProfile(detectColorProfile())
	}
	r.SetHasDarkBackground(!light)
	s := styles{renderer: r, noColor: noColor}
	s.Title = r.NewStyle().Bold(true)
	s.Dim = r.NewStyle().Foreground(colorDim)
	s.Accent = r.NewStyle().Foreground(colorAccent)
	s.Bold = r.NewStyle().Bold(true)
	s.OK = r.NewStyle().Foreground(colorOK)
	s.Fail = r.NewStyle().Foreground(colorFail)
	s.Warn = r.NewStyle().Foreground(colorWarn)
	s.Rule = r.NewStyle().Foreground(colorRule)
	s.Selected = r.NewStyle().Background(colorSelBg).Bold(true)
	s.TabOn = r.NewStyle().Foreground(colorAccent).Bold(true).Underline(true)
	s.TabOff = r.NewStyle().Foreground(colorDim)
	s.Command = r.NewStyle().Foreground(colorAccent)
	s.Label = r.NewStyle().Foreground(colorDim).Bold(true)
	s.Dialog = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorAccent).Padding(0, 1)
	return s
}
