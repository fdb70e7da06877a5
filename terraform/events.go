package terraform

import (
	"encoding/json"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

// Event is one message of terraform's machine-readable UI (-json).
//
// terraform-json defines the generic messages, so those arrive as its types:
// tfjson.VersionLogMessage, tfjson.LogMessage, tfjson.DiagnosticLogMessage
// and tfjson.UnknownLogMessage. It has no types for the plan/apply hooks, so
// this package defines them (PlannedChange, ApplyStart, …); they implement the
// same interface so a consumer handles every message with one type switch.
type Event = tfjson.LogMsg

// EventHandler receives events in the order terraform emits them. It is
// called from the goroutine reading terraform's output and must not block
// for long: terraform waits while the pipe is full.
type EventHandler func(Event)

// Message types of the machine-readable UI that terraform-json leaves out.
const (
	TypePlannedChange     tfjson.LogMessageType = "planned_change"
	TypeResourceDrift     tfjson.LogMessageType = "resource_drift"
	TypeChangeSummary     tfjson.LogMessageType = "change_summary"
	TypeOutputs           tfjson.LogMessageType = "outputs"
	TypeApplyStart        tfjson.LogMessageType = "apply_start"
	TypeApplyProgress     tfjson.LogMessageType = "apply_progress"
	TypeApplyComplete     tfjson.LogMessageType = "apply_complete"
	TypeApplyErrored      tfjson.LogMessageType = "apply_errored"
	TypeProvisionStart    tfjson.LogMessageType = "provision_start"
	TypeProvisionProgress tfjson.LogMessageType = "provision_progress"
	TypeProvisionComplete tfjson.LogMessageType = "provision_complete"
	TypeProvisionErrored  tfjson.LogMessageType = "provision_errored"
	TypeRefreshStart      tfjson.LogMessageType = "refresh_start"
	TypeRefreshComplete   tfjson.LogMessageType = "refresh_complete"
)

// ChangeAction is the action of a planned or applied change as the UI stream
// spells it ("noop" and "replace" differ from tfjson.Action in plan files).
type ChangeAction string

// Actions of the machine-readable UI.
const (
	ActionNoop    ChangeAction = "noop"
	ActionCreate  ChangeAction = "create"
	ActionRead    ChangeAction = "read"
	ActionUpdate  ChangeAction = "update"
	ActionReplace ChangeAction = "replace"
	ActionDelete  ChangeAction = "delete"
	ActionMove    ChangeAction = "move"
	ActionImport  ChangeAction = "import"
	ActionRemove  ChangeAction = "remove"
	ActionForget  ChangeAction = "forget"
)

// EventHeader holds the fields every UI message carries.
type EventHeader struct {
	Lvl  tfjson.LogMessageLevel `json:"@level"`
	Msg  string                 `json:"@message"`
	Time time.Time              `json:"@timestamp"`
	Type tfjson.LogMessageType  `json:"type"`
}

// Level implements tfjson.LogMsg.
func (h EventHeader) Level() tfjson.LogMessageLevel { return h.Lvl }

// Message implements tfjson.LogMsg.
func (h EventHeader) Message() string { return h.Msg }

// Timestamp implements tfjson.LogMsg.
func (h EventHeader) Timestamp() time.Time { return h.Time }

// ResourceAddr identifies the resource instance a message is about.
type ResourceAddr struct {
	Addr            string `json:"addr"`
	Module          string `json:"module"`
	Resource        string `json:"resource"`
	ImpliedProvider string `json:"implied_provider"`
	ResourceType    string `json:"resource_type"`
	ResourceName    string `json:"resource_name"`
	// ResourceKey is the count index (number) or for_each key (string), or nil.
	ResourceKey any `json:"resource_key"`
}

// PlannedChange is a resource change terraform intends to make (planned_change).
type PlannedChange struct {
	EventHeader
	Resource ResourceAddr
	// PreviousResource is set when the resource moved to a new address.
	PreviousResource *ResourceAddr
	Action           ChangeAction
	// Reason explains a replace or delete, e.g. "requested", "cannot_update".
	Reason string
}

// ResourceDrift is a change made outside terraform, found while refreshing.
type ResourceDrift struct {
	EventHeader
	Resource         ResourceAddr
	PreviousResource *ResourceAddr
	Action           ChangeAction
}

// ChangeSummary counts the changes of a plan, apply or destroy.
type ChangeSummary struct {
	EventHeader
	Add    int `json:"add"`
	Change int `json:"change"`
	Import int `json:"import"`
	Remove int `json:"remove"`
	// Operation is "plan", "apply" or "destroy".
	Operation string `json:"operation"`
}

// OutputChange is one root output as reported in an outputs message: during
// a plan it carries the Action, after an apply its Type and Value.
type OutputChange struct {
	Sensitive bool            `json:"sensitive"`
	Action    ChangeAction    `json:"action,omitempty"`
	Type      json.RawMessage `json:"type,omitempty"`
	Value     json.RawMessage `json:"value,omitempty"`
}

// OutputsEvent lists the root module outputs (outputs).
type OutputsEvent struct {
	EventHeader
	Outputs map[string]OutputChange
}

// ApplyStart: terraform started changing a resource.
type ApplyStart struct {
	EventHeader
	Resource ResourceAddr
	Action   ChangeAction
	IDKey    string
	IDValue  string
}

// ApplyProgress: a change is still running (emitted every 10s).
type ApplyProgress struct {
	EventHeader
	Resource ResourceAddr
	Action   ChangeAction
	Elapsed  time.Duration
}

// ApplyComplete: a resource change finished.
type ApplyComplete struct {
	EventHeader
	Resource ResourceAddr
	Action   ChangeAction
	IDKey    string
	IDValue  string
	Elapsed  time.Duration
}

// ApplyErrored: a resource change failed; the reason follows as a diagnostic.
type ApplyErrored struct {
	EventHeader
	Resource ResourceAddr
	Action   ChangeAction
	Elapsed  time.Duration
}

// ProvisionEvent covers provision_start, provision_progress (Output set),
// provision_complete and provision_errored; EventHeader.Type tells which.
type ProvisionEvent struct {
	EventHeader
	Resource    ResourceAddr
	Provisioner string
	Output      string
}

// RefreshEvent covers refresh_start and refresh_complete.
type RefreshEvent struct {
	EventHeader
	Resource ResourceAddr
	IDKey    string
	IDValue  string
}

// MessageType is the UI message type, e.g. "apply_start".
func (h EventHeader) MessageType() tfjson.LogMessageType { return h.Type }

// TypeOf is the UI message type of any event; "" for message types neither
// this package nor terraform-json knows.
func TypeOf(ev Event) tfjson.LogMessageType {
	switch e := ev.(type) {
	case interface{ MessageType() tfjson.LogMessageType }:
		return e.MessageType()
	case tfjson.VersionLogMessage:
		return tfjson.MessageTypeVersion
	case tfjson.LogMessage:
		return tfjson.MessageTypeLog
	case tfjson.DiagnosticLogMessage:
		return tfjson.MessageTypeDiagnostic
	case tfjson.InitOutputMessage:
		return tfjson.InitOutput
	}
	return ""
}
