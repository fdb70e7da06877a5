package tui

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
	chromastyles "github.com/alecthomas/chroma/v2/styles"
	"github.com/charmbracelet/glamour"
	gansi "github.com/charmbracelet/glamour/ansi"
	glamourstyles "github.com/charmbracelet/glamour/styles"
	"github.com/muesli/termenv"
)

// renderCache keeps what is expensive to produce: glamour renderers (one per
// wrap width), rendered docs (per page and width) and highlighted code (per
// page). Update fills it; View only reads it, so a frame costs a lookup.
// It is shared by pointer because Model is copied on every Update.
type renderCache struct {
	noColor bool
	light   bool
	profile termenv.Profile

	glamours map[int]*glamour.TermRenderer
	docs     map[docKey][]string // lines, each already within the wrap width
	code     map[int]string
}

type docKey struct{ page, width int }

// maxCachedWidths bounds the renderers (and docs) kept across resizes.
const maxCachedWidths = 4

func newRenderCache(s styles, light bool) *renderCache {
	return &renderCache{
		noColor:  s.noColor,
		light:    light,
		profile:  s.renderer.ColorProfile(),
		glamours: map[int]*glamour.TermRenderer{},
		docs:     map[docKey][]string{},
		code:     map[int]string{},
	}
}

// maxDocWidth keeps prose readable on wide terminals.
const maxDocWidth = 100

// docWidth is the wrap width for a pane width.
func docWidth(paneWidth int) int { return min(paneWidth, maxDocWidth) }

// renderDoc renders page's markdown at width once and remembers it.
func (c *renderCache) renderDoc(page int, markdown string, width int) {
	key := docKey{page, width}
	if _, ok := c.docs[key]; ok {
		return
	}
	r, err := c.glamour(width)
	var out string
	if err == nil {
		out, err = r.Render(unwrapSoftBreaks(markdown))
	}
	if err != nil {
		// The raw markdown is still readable; better than an empty tab.
		out = strings.Join(wrap(markdown, width), "\n")
	}
	// Clipped once here so View need not measure every styled line.
	c.docs[key] = clip(strings.Split(trimTrailingSpace(out), "\n"), width)
}

func (c *renderCache) doc(page, width int) ([]string, bool) {
	lines, ok := c.docs[docKey{page, width}]
	return lines, ok
}

// glamour returns the renderer for a wrap width, creating it once: building
// one parses the whole style sheet, which costs more than rendering a page.
func (c *renderCache) glamour(width int) (*glamour.TermRenderer, error) {
	if r, ok := c.glamours[width]; ok {
		return r, nil
	}
	// A resize drag passes through many widths; keep only a few.
	if len(c.glamours) >= maxCachedWidths {
		c.glamours = map[int]*glamour.TermRenderer{}
		c.docs = map[docKey][]string{}
	}
	style := "dark"
	switch {
	case c.noColor:
		style = "notty"
	case c.light:
		style = "light"
	}
	styleOpt := glamour.WithStandardStyle(style)
	if c.noColor {
		styleOpt = glamour.WithStyles(plainStyle())
	}
	r, err := glamour.NewTermRenderer(
		styleOpt,
		glamour.WithWordWrap(max(20, width-4)), // the style's document margin takes 2 each side
		glamour.WithColorProfile(c.profile),
	)
	if err != nil {
		return nil, err
	}
	c.glamours[width] = r
	return r, nil
}

// renderCode highlights page's HCL once; wide lines are cut by the pane.
func (c *renderCache) renderCode(page int, hcl string) {
	if _, ok := c.code[page]; ok {
		return
	}
	c.code[page] = c.highlight(hcl)
}

func (c *renderCache) codeOf(page int) (string, bool) {
	s, ok := c.code[page]
	return s, ok
}

func (c *renderCache) highlight(hcl string) string {
	hcl = strings.ReplaceAll(strings.TrimRight(hcl, "\n"), "\t", "  ")
	if c.noColor || c.profile == termenv.Ascii {
		return hcl
	}
	lexer := lexers.Get("terraform")
	if lexer == nil {
		lexer = lexers.Get("hcl")
	}
	if lexer == nil {
		return hcl
	}
	lexer = chroma.Coalesce(lexer)
	style := chromastyles.Get("dracula")
	if c.light {
		style = chromastyles.Get("github")
	}
	formatter := formatters.TTY256
	if c.profile == termenv.TrueColor {
		formatter = formatters.TTY16m
	}
	it, err := lexer.Tokenise(nil, hcl)
	if err != nil {
		return hcl
	}
	var b strings.Builder
	if err := formatter.Format(&b, style, it); err != nil {
		return hcl
	}
	return b.String()
}

// plainStyle is glamour's notty style without the **, * and ` marks it
// puts around emphasis and inline code: with NO_COLOR the text should read
// as prose, not as markdown source.
func plainStyle() gansi.StyleConfig {
	st := glamourstyles.NoTTYStyleConfig
	st.Emph.BlockPrefix, st.Emph.BlockSuffix = "", ""
	st.Strong.BlockPrefix, st.Strong.BlockSuffix = "", ""
	st.Code.BlockPrefix, st.Code.BlockSuffix = "", ""
	return st
}
