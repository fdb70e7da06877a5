package tui

import (
	"strings"

	"github.com/gdlab-dev/gdlab/steps"
)

// tab is one view of the selected step.
type tab int

const (
	tabExplain tab = iota
	tabCode
	tabPlan
	tabChecks
	tabIncident
	tabCleanup
)

func (t tab) String() string {
	return [...]string{"Explain", "Code", "Plan", "Checks", "Incident", "Cleanup"}[t]
}

// tabsFor lists the views a page has: a step that adds no HCL has no Code
// view, step 9 has the incident board instead of a plan, cleanup has its
// own progress and audit view.
func tabsFor(p Page) []tab {
	switch {
	case p.Step.IsCleanup():
		return []tab{tabExplain, tabCleanup}
	case p.Step.Number == steps.LastLabStep:
		return []tab{tabExplain, tabIncident, tabChecks}
	}
	tabs := []tab{tabExplain}
	if strings.TrimSpace(p.HCL) != "" {
		tabs = append(tabs, tabCode)
	}
	return append(tabs, tabPlan, tabChecks)
}

func (m *Model) currentTab() tab {
	tabs := tabsFor(m.pages[m.selected])
	i := min(m.state[m.selected].tab, len(tabs)-1)
	return tabs[i]
}

// showTab switches page i to t when it has that view.
func (m *Model) showTab(i int, t tab) {
	for n, have := range tabsFor(m.pages[i]) {
		if have == t {
			if m.state[i].tab != n {
				m.state[i].tab, m.state[i].scroll = n, 0
			}
			return
		}
	}
}

// cycleTab moves the selected page's view by delta, wrapping around.
func (m *Model) cycleTab(delta int) {
	ps := &m.state[m.selected]
	n := len(tabsFor(m.pages[m.selected]))
	ps.tab = ((ps.tab+delta)%n + n) % n
	ps.scroll = 0
}

// tabBar renders "[Explain] Code  Plan  Checks"; the brackets mark the
// current view even without colour.
func (m *Model) tabBar() string {
	cur := m.currentTab()
	var parts []string
	for _, t := range tabsFor(m.pages[m.selected]) {
		if t == cur {
			parts = append(parts, m.styles.TabOn.Render("["+t.String()+"]"))
		} else {
			parts = append(parts, m.styles.TabOff.Render(" "+t.String()+" "))
		}
	}
	return strings.Join(parts, " ")
}
