package tui

import (
	"fmt"

	"github.com/gdlab-dev/gdlab/steps"
)

// Page is what the right pane shows about one catalogue entry: the entry
// itself, its explanation (markdown) and the HCL it adds to the lab.
type Page struct {
	Step steps.Step
	Doc  string // markdown, rendered by glamour in the Explain tab
	HCL  string // the fragment and module files the step adds, for the Code tab
}

// DefaultPages builds the pages from the step catalogue, its embedded docs
// and the embedded lab HCL. A page that fails to load degrades to the
// step's summary (or a note in the Code tab) rather than keeping the lab
// from starting.
func DefaultPages() []Page {
	all := steps.All()
	pages := make([]Page, 0, len(all))
	for _, s := range all {
		doc, err := s.DocText()
		if err != nil {
			doc = fmt.Sprintf("# %s\n\n%s\n", s.Title, s.Summary)
		}
		hcl, err := s.HCL()
		if err != nil {
			hcl = fmt.Sprintf("# the code of step %d could not be read: %v\n", s.Number, err)
		}
		pages = append(pages, Page{Step: s, Doc: doc, HCL: hcl})
	}
	return pages
}
