package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/gdlab-dev/gdlab/steps"
)

// jsonLines writes each event of an unattended run as one JSON object on
// one line (docs/json-events.md). Every object starts with "event", "time"
// and "step"; the other fields depend on the event and are always present,
// so consumers never have to guess whether a field is missing or empty.
type jsonLines struct {
	w   io.Writer
	now func() time.Time
	err error // the first write error; later events are dropped
}

func newJSONLines(w io.Writer) *jsonLines { return &jsonLines{w: w, now: time.Now} }

// emit writes one event; steps.RunAuto never calls it concurrently.
func (j *jsonLines) emit(e steps.AutoEvent) {
	if j.err != nil {
		return
	}
	line, err := encodeEvent(e, j.now())
	if err == nil {
		_, err = j.w.Write(line)
	}
	j.err = err
}

// eventHeader is the part every line shares, in this order.
type eventHeader struct {
	Event string `json:"event"`
	Time  string `json:"time"`
	Step  int    `json:"step"`
}

// encodeEvent returns the line for e, newline included.
func encodeEvent(e steps.AutoEvent, at time.Time) ([]byte, error) {
	payload, err := eventPayload(e)
	if err != nil {
		return nil, err
	}
	head, err := json.Marshal(eventHeader{Event: e.Name(), Time: at.UTC().Format(time.RFC3339), Step: e.StepNumber()})
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	// Splice the payload's fields after the header's, keeping the header
	// first on every line for people reading the stream.
	var b bytes.Buffer
	b.Write(head[:len(head)-1])
	if inner := body[1 : len(body)-1]; len(inner) > 0 {
		b.WriteByte(',')
		b.Write(inner)
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// eventPayload is the event-specific object of each event.
func eventPayload(e steps.AutoEvent) (any, error) {
	switch e := e.(type) {
	case steps.RunStarted:
		t := e.Target
		return struct {
			Target    string `json:"target"`
			Region    string `json:"region"`
			Account   string `json:"account"`
			LabID     string `json:"lab_id"`
			Dir       string `json:"dir"`
			FromStep  int    `json:"from_step"`
			UntilStep int    `json:"until_step"`
		}{string(t.Kind), t.Region, t.Account, t.LabID, t.Dir, e.From, e.Until}, nil
	case steps.StepStarted:
		return struct {
			Title   string `json:"title"`
			Resumed bool   `json:"resumed"`
		}{e.Title, e.Resumed}, nil
	case steps.StepProgress:
		return progressPayload(e.Event)
	case steps.PlanReady:
		resources := make([]jsonPlannedResource, 0, len(e.Plan.Resources))
		for _, r := range e.Plan.Resources {
			resources = append(resources, jsonPlannedResource{r.Address, r.Action})
		}
		return struct {
			Add       int                   `json:"add"`
			Change    int                   `json:"change"`
			Destroy   int                   `json:"destroy"`
			Resources []jsonPlannedResource `json:"resources"`
		}{e.Plan.Add, e.Plan.Change, e.Plan.Destroy, resources}, nil
	case steps.SubscriptionConfirmed:
		return struct {
			Text string `json:"text"`
		}{steps.SubscriptionConfirmedText}, nil
	case steps.CheckReported:
		c := e.Check
		return struct {
			ID      string `json:"id"`
			Title   string `json:"title"`
			Status  string `json:"status"`
			Detail  string `json:"detail"`
			Hint    string `json:"hint"`
			Command string `json:"command"`
		}{c.ID, c.Title, string(c.Status), c.Detail, c.Hint, c.Command}, nil
	case steps.StepFinished:
		return struct {
			State   string `json:"state"`
			Passed  int    `json:"passed"`
			Pending int    `json:"pending"`
			Warned  int    `json:"warned"`
			Failed  int    `json:"failed"`
			Skipped int    `json:"skipped"`
		}{e.State.String(), e.Passed, e.Pending, e.Warned, e.Failed, e.Skipped}, nil
	case steps.IncidentProgress:
		return incidentPayload(e.Event)
	case steps.RunFinished:
		r := e.Result
		return struct {
			Outcome       string  `json:"outcome"`
			ExitCode      int     `json:"exit_code"`
			Reason        string  `json:"reason"`
			Hint          string  `json:"hint"`
			Command       string  `json:"command"`
			TimeToRespond float64 `json:"time_to_respond_seconds"`
			Elapsed       float64 `json:"elapsed_seconds"`
		}{string(r.Outcome), exitCodeFor(r.Outcome), r.Reason, r.Hint, r.Command,
			seconds(r.TimeToRespond), seconds(r.Elapsed)}, nil
	}
	return nil, fmt.Errorf("no JSON form for event %T", e)
}

type jsonPlannedResource struct {
	Address string `json:"address"`
	Action  string `json:"action"`
}

func progressPayload(e steps.Event) (any, error) {
	switch e := e.(type) {
	case steps.Phase:
		return struct {
			Name string `json:"name"`
			Text string `json:"text"`
		}{e.Name, e.Text}, nil
	case steps.ResourceStarted:
		return struct {
			Address string `json:"address"`
			Action  string `json:"action"`
		}{e.Address, e.Action}, nil
	case steps.ResourceProgress:
		return struct {
			Address string  `json:"address"`
			Elapsed float64 `json:"elapsed_seconds"`
		}{e.Address, seconds(e.Elapsed)}, nil
	case steps.ResourceDone:
		return struct {
			Address string  `json:"address"`
			Action  string  `json:"action"`
			Elapsed float64 `json:"elapsed_seconds"`
		}{e.Address, e.Action, seconds(e.Elapsed)}, nil
	case steps.ResourceFailed:
		return struct {
			Address string  `json:"address"`
			Elapsed float64 `json:"elapsed_seconds"`
			Message string  `json:"message"`
		}{e.Address, seconds(e.Elapsed), e.Message}, nil
	case steps.Diagnostic:
		return struct {
			Severity string `json:"severity"`
			Summary  string `json:"summary"`
			Detail   string `json:"detail"`
			Address  string `json:"address"`
			Hint     string `json:"hint"`
		}{e.Severity, e.Summary, e.Detail, e.Address, e.Hint}, nil
	}
	return nil, fmt.Errorf("no JSON form for terraform event %T", e)
}

func incidentPayload(e steps.IncidentEvent) (any, error) {
	switch e := e.(type) {
	case steps.TrafficExpected:
		return struct {
			Since  string `json:"since"`
			Target string `json:"target"`
		}{rfc3339(e.Since), e.Target}, nil
	case steps.WaitingETA:
		return struct {
			Waiting string  `json:"waiting"`
			ETA     float64 `json:"eta_seconds"`
		}{e.Waiting, seconds(e.ETA)}, nil
	case steps.FindingSeen:
		return struct {
			ID        string  `json:"id"`
			Type      string  `json:"type"`
			Severity  float64 `json:"severity"`
			FirstSeen string  `json:"first_seen"`
			Sample    bool    `json:"sample"`
		}{e.ID, e.Type, e.Severity, rfc3339(e.FirstSeen), e.Sample}, nil
	case steps.SubscriptionChanged:
		return struct {
			State string `json:"state"`
		}{e.State}, nil
	case steps.MessageDelivered:
		return struct {
			At      string `json:"at"`
			Subject string `json:"subject"`
			Text    string `json:"text"`
		}{rfc3339(e.At), e.Subject, e.Text}, nil
	case steps.GroupsChanged:
		return struct {
			At     string   `json:"at"`
			Before []string `json:"before"`
			After  []string `json:"after"`
		}{rfc3339(e.At), nonNil(e.Before), nonNil(e.After)}, nil
	case steps.LambdaLog:
		return struct {
			At   string `json:"at"`
			Line string `json:"line"`
		}{rfc3339(e.At), e.Line}, nil
	case steps.WatchProblem:
		return struct {
			What   string `json:"what"`
			Detail string `json:"detail"`
		}{e.What, e.Detail}, nil
	case steps.ResponseComplete:
		type entry struct {
			At   string `json:"at"`
			What string `json:"what"`
		}
		timeline := make([]entry, 0, len(e.Timeline))
		for _, t := range e.Timeline {
			timeline = append(timeline, entry{rfc3339(t.At), t.What})
		}
		return struct {
			TimeToRespond     float64 `json:"time_to_respond_seconds"`
			Simulated         bool    `json:"simulated"`
			RealTimeToRespond float64 `json:"real_time_to_respond_seconds"`
			Timeline          []entry `json:"timeline"`
		}{seconds(e.TimeToRespond), e.Simulated, seconds(e.RealTimeToRespond), timeline}, nil
	}
	return nil, fmt.Errorf("no JSON form for incident event %T", e)
}

// rfc3339 formats a moment in UTC; an unknown moment is "".
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// seconds gives durations as seconds with millisecond precision.
func seconds(d time.Duration) float64 { return d.Round(time.Millisecond).Seconds() }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
