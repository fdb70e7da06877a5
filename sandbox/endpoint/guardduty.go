package endpoint

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// GuardDuty speaks REST-JSON with camelCase members.

func gdBadRequest(format string, args ...any) *world.Error {
	return apiError(http.StatusBadRequest, "BadRequestException", format, args...)
}

func detectorNotOwned() *world.Error {
	return gdBadRequest("The request is rejected because the input detectorId is not owned by the current account.")
}

func serveGuardDuty(c *call) {
	parts := strings.Split(strings.Trim(c.r.URL.Path, "/"), "/")
	m := c.r.Method
	switch {
	case len(parts) == 1 && parts[0] == "detector" && m == http.MethodGet:
		c.op = "ListDetectors"
		listDetectors(c)
	case len(parts) == 2 && parts[0] == "detector" && m == http.MethodGet:
		c.op = "GetDetector"
		getDetector(c, parts[1])
	case len(parts) == 3 && parts[2] == "threatintelset" && m == http.MethodGet:
		c.op = "ListThreatIntelSets"
		listThreatIntelSets(c, parts[1])
	case len(parts) == 4 && parts[2] == "threatintelset" && m == http.MethodGet:
		c.op = "GetThreatIntelSet"
		getThreatIntelSet(c, parts[1], parts[3])
	case len(parts) == 3 && parts[2] == "findings" && m == http.MethodPost:
		c.op = "ListFindings"
		listFindings(c, parts[1])
	case len(parts) == 4 && parts[2] == "findings" && parts[3] == "get" && m == http.MethodPost:
		c.op = "GetFindings"
		getFindings(c, parts[1])
	case len(parts) == 4 && parts[2] == "findings" && parts[3] == "create" && m == http.MethodPost:
		c.op = "CreateSampleFindings"
		createSampleFindings(c, parts[1])
	default:
		c.fail(unknownOperation(m + " " + c.r.URL.Path))
	}
}

// gdPage reads maxResults/nextToken from the query string (1..50, default 50).
func (c *call) gdPage(q url.Values) (offset, max int, ok bool) {
	max = 50
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			c.fail(gdBadRequest("The request is rejected because an invalid or out-of-range value is specified as an input parameter."))
			return 0, 0, false
		}
		max = n
	}
	offset, good := parsePageToken(q.Get("nextToken"))
	if !good {
		c.fail(gdBadRequest("The request is rejected because the nextToken is not valid."))
		return 0, 0, false
	}
	return offset, max, true
}

func listDetectors(c *call) {
	offset, max, ok := c.gdPage(c.r.URL.Query())
	if !ok {
		return
	}
	ids := []string{}
	c.world.View(func(s *world.State) {
		for _, d := range s.List("aws_guardduty_detector") {
			ids = append(ids, d.ID)
		}
	})
	start, end, next := page(len(ids), offset, max)
	out := map[string]any{"detectorIds": ids[start:end]}
	if next != "" {
		out["nextToken"] = next
	}
	writeJSON(c, http.StatusOK, out)
}

func getDetector(c *call, id string) {
	var out map[string]any
	c.world.View(func(s *world.State) {
		d := s.Find("aws_guardduty_detector", id)
		if d == nil {
			return
		}
		updated := d.Private["updated_at"]
		if updated == "" {
			updated = d.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		out = map[string]any{
			"createdAt":                  d.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"),
			"updatedAt":                  updated,
			"findingPublishingFrequency": world.Str(d.Attrs, "finding_publishing_frequency"),
			"serviceRole":                world.GuardDutyServiceRole,
			"status":                     world.DetectorStatus(d),
			"tags":                       world.Tags(d),
			"dataSources": map[string]any{
				"cloudTrail":        map[string]any{"status": "ENABLED"},
				"dnsLogs":           map[string]any{"status": "ENABLED"},
				"flowLogs":          map[string]any{"status": "ENABLED"},
				"s3Logs":            map[string]any{"status": "DISABLED"},
				"kubernetes":        map[string]any{"auditLogs": map[string]any{"status": "DISABLED"}},
				"malwareProtection": map[string]any{"scanEc2InstanceWithFindings": map[string]any{"ebsVolumes": map[string]any{"status": "DISABLED"}}, "serviceRole": ""},
			},
			"features": []any{},
		}
	})
	if out == nil {
		c.fail(detectorNotOwned())
		return
	}
	writeJSON(c, http.StatusOK, out)
}

func listThreatIntelSets(c *call, detectorID string) {
	offset, max, ok := c.gdPage(c.r.URL.Query())
	if !ok {
		return
	}
	var ids []string
	found := false
	c.world.View(func(s *world.State) {
		found = s.Find("aws_guardduty_detector", detectorID) != nil
		for _, set := range s.List("aws_guardduty_threatintelset") {
			if world.Str(set.Attrs, "detector_id") == detectorID {
				_, setID, _ := strings.Cut(set.ID, ":")
				ids = append(ids, setID)
			}
		}
	})
	if !found {
		c.fail(detectorNotOwned())
		return
	}
	if ids == nil {
		ids = []string{}
	}
	start, end, next := page(len(ids), offset, max)
	out := map[string]any{"threatIntelSetIds": ids[start:end]}
	if next != "" {
		out["nextToken"] = next
	}
	writeJSON(c, http.StatusOK, out)
}

func getThreatIntelSet(c *call, detectorID, setID string) {
	var out map[string]any
	var err *world.Error
	c.world.View(func(s *world.State) {
		if s.Find("aws_guardduty_detector", detectorID) == nil {
			err = detectorNotOwned()
			return
		}
		set := s.Find("aws_guardduty_threatintelset", detectorID+":"+setID)
		if set == nil {
			err = gdBadRequest("The request is rejected because the input threatIntelSetId is not valid.")
			return
		}
		out = map[string]any{"name": world.Str(set.Attrs, "name"), "format": world.Str(set.Attrs, "format"),
			"location": world.Str(set.Attrs, "location"), "status": world.ThreatIntelSetStatus(set), "tags": world.Tags(set)}
	})
	if err != nil {
		c.fail(err)
		return
	}
	writeJSON(c, http.StatusOK, out)
}

// findingCondition is one criterion of FindingCriteria (old and new names).
type findingCondition struct {
	Eq                 []string `json:"eq"`
	Neq                []string `json:"neq"`
	Equals             []string `json:"equals"`
	NotEquals          []string `json:"notEquals"`
	Gt                 *float64 `json:"gt"`
	Gte                *float64 `json:"gte"`
	Lt                 *float64 `json:"lt"`
	Lte                *float64 `json:"lte"`
	GreaterThan        *float64 `json:"greaterThan"`
	GreaterThanOrEqual *float64 `json:"greaterThanOrEqual"`
	LessThan           *float64 `json:"lessThan"`
	LessThanOrEqual    *float64 `json:"lessThanOrEqual"`
}

type sortCriteria struct {
	AttributeName string `json:"attributeName"`
	OrderBy       string `json:"orderBy"`
}

type listFindingsInput struct {
	FindingCriteria *struct {
		Criterion map[string]findingCondition `json:"criterion"`
	} `json:"findingCriteria"`
	SortCriteria *sortCriteria `json:"sortCriteria"`
	MaxResults   *int          `json:"maxResults"`
	NextToken    string        `json:"nextToken"`
}

func listFindings(c *call, detectorID string) {
	var in listFindingsInput
	if !c.decodeJSONBody(&in) {
		return
	}
	max := 50
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 50 {
			c.fail(gdBadRequest("The request is rejected because an invalid or out-of-range value is specified as an input parameter."))
			return
		}
		max = *in.MaxResults
	}
	offset, ok := parsePageToken(in.NextToken)
	if !ok {
		c.fail(gdBadRequest("The request is rejected because the nextToken is not valid."))
		return
	}
	s := c.world.Snapshot()
	if s.Find("aws_guardduty_detector", detectorID) == nil {
		c.fail(detectorNotOwned())
		return
	}
	var kept []*world.Finding
	for _, f := range s.Findings {
		if f.DetectorID != detectorID {
			continue
		}
		if in.FindingCriteria == nil || matchCriteria(f.Detail, in.FindingCriteria.Criterion) {
			kept = append(kept, f)
		}
	}
	sortFindings(kept, in.SortCriteria)
	ids := make([]string, 0, len(kept))
	for _, f := range kept {
		ids = append(ids, f.ID)
	}
	start, end, next := page(len(ids), offset, max)
	out := map[string]any{"findingIds": ids[start:end]}
	if next != "" {
		out["nextToken"] = next
	}
	writeJSON(c, http.StatusOK, out)
}

func sortFindings(fs []*world.Finding, sc *sortCriteria) {
	if sc == nil || sc.AttributeName == "" {
		return
	}
	world.SortFindings(fs, sc.AttributeName, strings.EqualFold(sc.OrderBy, "DESC"))
}

// criterionAliases maps criteria fields that differ from the finding's JSON path.
var criterionAliases = map[string]string{"archived": "service.archived"}

// matchCriteria: every field's condition must hold; lists are any-of.
func matchCriteria(detail map[string]any, crit map[string]findingCondition) bool {
	for field, cond := range crit {
		if a, ok := criterionAliases[field]; ok {
			field = a
		}
		v := world.LookupPath(detail, field)
		sv := valueString(v)
		eq := append(cond.Eq, cond.Equals...)
		if len(eq) > 0 && !contains(eq, sv) {
			return false
		}
		if neq := append(cond.Neq, cond.NotEquals...); len(neq) > 0 && contains(neq, sv) {
			return false
		}
		num, isNum := numericValue(v)
		check := func(bound *float64, ok func(float64, float64) bool) bool {
			return bound == nil || (isNum && ok(num, *bound))
		}
		if !check(cond.Gt, func(a, b float64) bool { return a > b }) || !check(cond.GreaterThan, func(a, b float64) bool { return a > b }) ||
			!check(cond.Gte, func(a, b float64) bool { return a >= b }) || !check(cond.GreaterThanOrEqual, func(a, b float64) bool { return a >= b }) ||
			!check(cond.Lt, func(a, b float64) bool { return a < b }) || !check(cond.LessThan, func(a, b float64) bool { return a < b }) ||
			!check(cond.Lte, func(a, b float64) bool { return a <= b }) || !check(cond.LessThanOrEqual, func(a, b float64) bool { return a <= b }) {
			return false
		}
	}
	return true
}

type getFindingsInput struct {
	FindingIDs   []string      `json:"findingIds"`
	SortCriteria *sortCriteria `json:"sortCriteria"`
}

func getFindings(c *call, detectorID string) {
	var in getFindingsInput
	if !c.decodeJSONBody(&in) {
		return
	}
	if len(in.FindingIDs) > 50 {
		c.fail(gdBadRequest("The request is rejected because an invalid or out-of-range value is specified as an input parameter."))
		return
	}
	s := c.world.Snapshot()
	if s.Find("aws_guardduty_detector", detectorID) == nil {
		c.fail(detectorNotOwned())
		return
	}
	var fs []*world.Finding
	for _, id := range in.FindingIDs {
		if f := s.FindFinding(detectorID, id); f != nil {
			fs = append(fs, f)
		}
	}
	sortFindings(fs, in.SortCriteria)
	out := make([]map[string]any, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Detail)
	}
	writeJSON(c, http.StatusOK, map[string]any{"findings": out})
}

func createSampleFindings(c *call, detectorID string) {
	var in struct {
		FindingTypes []string `json:"findingTypes"`
	}
	if !c.decodeJSONBody(&in) {
		return
	}
	if _, err := c.world.CreateSampleFindings(detectorID, in.FindingTypes); err != nil {
		c.fail(err)
		return
	}
	writeJSON(c, http.StatusOK, map[string]any{})
}
