package world

import (
	"net/http"
	"net/netip"
	"strings"
)

// GuardDuty: the detector (one per account and region), threat intel sets and
// detector features.

func init() {
	register("aws_guardduty_detector", &kind{create: createDetector, update: updateDetector, remove: removeDetector})
	register("aws_guardduty_threatintelset", &kind{create: createThreatIntelSet, update: updateThreatIntelSet})
	register("aws_guardduty_detector_feature", &kind{create: createDetectorFeature, singleton: true})
}

func badRequest(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, "BadRequestException", format, args...)
}

var publishingFrequencies = map[string]bool{"FIFTEEN_MINUTES": true, "ONE_HOUR": true, "SIX_HOURS": true}

func createDetector(tx *Tx, r *Resource) error {
	if len(tx.List("aws_guardduty_detector")) > 0 {
		return badRequest("The request is rejected because a detector already exists for the current account.")
	}
	a := r.Attrs
	setDefault(a, "enable", true)
	setDefault(a, "finding_publishing_frequency", "SIX_HOURS")
	if !publishingFrequencies[Str(a, "finding_publishing_frequency")] {
		return badRequest("The request is rejected because an invalid or out-of-range value is specified as an input parameter.")
	}
	r.ID = randomHex(32)
	a["arn"] = tx.arn("guardduty", "detector/"+r.ID)
	a["account_id"] = tx.Account
	r.setPrivate("updated_at", tx.Now.UTC().Format(isoMillis))
	return nil
}

func updateDetector(tx *Tx, old map[string]any, r *Resource) error {
	if !publishingFrequencies[Str(r.Attrs, "finding_publishing_frequency")] {
		return badRequest("The request is rejected because an invalid or out-of-range value is specified as an input parameter.")
	}
	r.setPrivate("updated_at", tx.Now.UTC().Format(isoMillis))
	return nil
}

// removeDetector disables GuardDuty: its sets, features and findings go too.
func removeDetector(tx *Tx, r *Resource) error {
	for _, typ := range []string{"aws_guardduty_threatintelset", "aws_guardduty_detector_feature", "aws_guardduty_ipset", "aws_guardduty_filter"} {
		tx.removeWhere(typ, func(x *Resource) bool { return Str(x.Attrs, "detector_id") == r.ID })
	}
	kept := tx.Findings[:0]
	for _, f := range tx.Findings {
		if f.DetectorID != r.ID {
			kept = append(kept, f)
		}
	}
	tx.Findings = kept
	return nil
}

func requireDetector(tx *Tx, id string) (*Resource, error) {
	if det := tx.Find("aws_guardduty_detector", id); det != nil {
		return det, nil
	}
	return nil, badRequest("The request is rejected because the input detectorId is not owned by the current account.")
}

var threatListFormats = map[string]bool{"TXT": true, "STIX": true, "OTX_CSV": true, "ALIEN_VAULT": true, "PROOF_POINT": true, "FIRE_EYE": true}

func createThreatIntelSet(tx *Tx, r *Resource) error {
	a := r.Attrs
	det, err := requireDetector(tx, Str(a, "detector_id"))
	if err != nil {
		return err
	}
	if err := checkThreatIntelSet(tx, r, det); err != nil {
		return err
	}
	count := 0
	for _, s := range tx.List("aws_guardduty_threatintelset") {
		if Str(s.Attrs, "detector_id") == det.ID {
			count++
		}
	}
	if count >= 6 {
		return badRequest("The request is rejected because the number of ThreatIntelSets exceeds the limit (6).")
	}
	setID := randomHex(32)
	r.ID = det.ID + ":" + setID
	a["arn"] = tx.arn("guardduty", "detector/"+det.ID+"/threatintelset/"+setID)
	activateThreatIntelSet(tx, r)
	return nil
}

func checkThreatIntelSet(tx *Tx, r *Resource, det *Resource) error {
	a := r.Attrs
	name := Str(a, "name")
	if name == "" || len(name) > 300 || strings.ContainsFunc(name, func(c rune) bool {
		return !(c == '-' || c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}) {
		return badRequest("The request is rejected because the name %q is not valid.", name)
	}
	for _, s := range tx.List("aws_guardduty_threatintelset") {
		if s != r && Str(s.Attrs, "detector_id") == det.ID && Str(s.Attrs, "name") == name {
			return badRequest("The request is rejected because a ThreatIntelSet with the name %s already exists.", name)
		}
	}
	if !threatListFormats[Str(a, "format")] {
		return badRequest("The request is rejected because an invalid or out-of-range value is specified as an input parameter.")
	}
	if _, _, ok := ParseS3Location(Str(a, "location")); !ok {
		return badRequest("The request is rejected because the location %q is not a valid S3 URL.", Str(a, "location"))
	}
	return nil
}

func updateThreatIntelSet(tx *Tx, old map[string]any, r *Resource) error {
	det, err := requireDetector(tx, Str(r.Attrs, "detector_id"))
	if err != nil {
		return err
	}
	if err := checkThreatIntelSet(tx, r, det); err != nil {
		return err
	}
	activateThreatIntelSet(tx, r)
	return nil
}

// Threat intel set statuses as GuardDuty reports them.
const (
	SetActive   = "ACTIVE"
	SetInactive = "INACTIVE"
	SetError    = "ERROR"
)

// activateThreatIntelSet reads and parses the list once, as GuardDuty does on
// activation: later edits of the object do not change the set until it is
// updated or re-activated. The entries are kept for the incident simulation.
func activateThreatIntelSet(tx *Tx, r *Resource) {
	if !Bool(r.Attrs, "activate", false) {
		r.setPrivate("status", SetInactive)
		r.setPrivate("entries", "")
		return
	}
	bucket, key, _ := ParseS3Location(Str(r.Attrs, "location"))
	obj := tx.Objects[bucket][key]
	if obj == nil {
		r.setPrivate("status", SetError)
		r.setPrivate("error", "The S3 object could not be read: "+Str(r.Attrs, "location"))
		r.setPrivate("entries", "")
		return
	}
	entries, ok := parseThreatList(Str(r.Attrs, "format"), string(obj.Body))
	if !ok {
		r.setPrivate("status", SetError)
		r.setPrivate("error", "The list could not be parsed as "+Str(r.Attrs, "format"))
		r.setPrivate("entries", "")
		return
	}
	r.setPrivate("status", SetActive)
	r.setPrivate("error", "")
	r.setPrivate("entries", strings.Join(entries, ","))
}

// parseThreatList reads a TXT list: one IP or CIDR per line, '#' comments.
// Other formats are accepted as-is with the IPs found in them.
func parseThreatList(format, body string) ([]string, bool) {
	var out []string
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if format != "TXT" {
			for _, f := range strings.FieldsFunc(line, func(c rune) bool { return c == ',' || c == ' ' || c == '"' || c == '\t' }) {
				if _, err := netip.ParseAddr(f); err == nil {
					out = append(out, f)
				}
			}
			continue
		}
		if _, err := netip.ParseAddr(line); err == nil {
			out = append(out, line)
		} else if _, err := netip.ParsePrefix(line); err == nil {
			out = append(out, line)
		} else {
			return nil, false
		}
	}
	return out, true
}

// ThreatIntelSetStatus returns a set's status (ACTIVE, INACTIVE, ERROR).
func ThreatIntelSetStatus(r *Resource) string {
	if s := r.Private["status"]; s != "" {
		return s
	}
	return SetInactive
}

// ThreatIntelSetEntries returns the IPs/CIDRs an ACTIVE set holds.
func ThreatIntelSetEntries(r *Resource) []string {
	if ThreatIntelSetStatus(r) != SetActive || r.Private["entries"] == "" {
		return nil
	}
	return strings.Split(r.Private["entries"], ",")
}

func createDetectorFeature(tx *Tx, r *Resource) error {
	det, err := requireDetector(tx, Str(r.Attrs, "detector_id"))
	if err != nil {
		return err
	}
	r.ID = det.ID + "/" + Str(r.Attrs, "name")
	setDefault(r.Attrs, "additional_configuration", []any{})
	return nil
}
