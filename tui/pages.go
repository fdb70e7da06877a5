package tui

import (
	"fmt"

	"github.com/gdlab-dev/gdlab/docs"
	"github.com/gdlab-dev/gdlab/steps"
)

// Page is what the right pane shows about one catalogue entry: the entry
// itself, its explanation (markdown) and the HCL it adds to the lab.
type Page struct {
	Step steps.Step
	Doc  string // markdown, rendered by glamour in the Explain tab
	HCL  string // the fragment and module files the step adds, for the Code tab
}

// DefaultPages builds the pages from the step catalogue and the embedded
// docs. A missing page degrades to the step's summary rather than failing,
// so a docs slip never keeps the lab from starting.
func DefaultPages() []Page {
	all := steps.All()
	pages := make([]Page, 0, len(all))
	for _, s := range all {
		doc, err := docs.Read(s.Doc)
		if err != nil {
			doc = fmt.Sprintf("# %s\n\n%s\n", s.Title, s.Summary)
		}
		pages = append(pages, Page{Step: s, Doc: doc, HCL: stepHCL(s)})
	}
	return pages
}
