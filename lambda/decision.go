package lambda

import "strings"

// placeholderInstanceIDs are the fake instance ids GuardDuty puts in sample
// findings (CreateSampleFindings and the console's "Generate sample findings").
var placeholderInstanceIDs = map[string]bool{
	"i-99999999": true,
}

// Decision is what the function should do with one event: act on Target, or
// skip for Reason. Exactly one of the two is set.
type Decision struct {
	Target string // instance id to isolate
	Reason string // why the event is skipped
}

// Skip reasons, stable so logs and the incident board can match them.
const (
	ReasonNotFinding    = "not a GuardDuty finding event"
	ReasonSampleFlag    = "sample finding (service.additionalInfo.sample is true); sample findings are never acted on"
	ReasonSampleID      = "sample finding (placeholder instance id); sample findings are never acted on"
	ReasonSampleTitle   = "sample finding (title starts with [SAMPLE]); sample findings are never acted on"
	ReasonNotEC2        = "not an EC2 instance finding (no resource.instanceDetails.instanceId)"
	ReasonOtherInstance = "finding is about another instance, not the lab's compromised instance"
)

// Decide applies the function's rules to a decoded event. It is pure, so the
// fuzz target can run it on any input.
func Decide(ev FindingEvent, cfg Config) Decision {
	if ev.Source != FindingSource || ev.DetailType != FindingDetailType {
		return Decision{Reason: ReasonNotFinding}
	}
	f := ev.Detail
	id := f.InstanceID()
	switch {
	case f.Service.AdditionalInfo.Sample:
		return Decision{Reason: ReasonSampleFlag}
	case placeholderInstanceIDs[id]:
		return Decision{Reason: ReasonSampleID}
	case strings.HasPrefix(f.Title, "[SAMPLE]"):
		return Decision{Reason: ReasonSampleTitle}
	case id == "":
		return Decision{Reason: ReasonNotEC2}
	case id != cfg.InstanceID:
		return Decision{Reason: ReasonOtherInstance}
	}
	return Decision{Target: id}
}
