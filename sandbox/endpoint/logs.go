package endpoint

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// CloudWatch Logs speaks JSON 1.1 (X-Amz-Target Logs_20140328.*) with
// camelCase members.

type logsInput struct {
	LogGroupName        string   `json:"logGroupName"`
	LogGroupIdentifier  string   `json:"logGroupIdentifier"`
	LogGroupNamePrefix  string   `json:"logGroupNamePrefix"`
	LogGroupNamePattern string   `json:"logGroupNamePattern"`
	LogStreamName       string   `json:"logStreamName"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix string   `json:"logStreamNamePrefix"`
	FilterPattern       string   `json:"filterPattern"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	NextToken           string   `json:"nextToken"`
	Limit               *int     `json:"limit"`
	StartFromHead       *bool    `json:"startFromHead"`
	Descending          *bool    `json:"descending"`
	OrderBy             string   `json:"orderBy"`
}

func logGroupNotFound() *world.Error {
	return apiError(http.StatusBadRequest, "ResourceNotFoundException", "The specified log group does not exist.")
}

func serveLogs(c *call) {
	c.service = "logs"
	var in logsInput
	if !c.decodeJSONBody(&in) {
		return
	}
	group := in.LogGroupName
	if group == "" {
		group = in.LogGroupIdentifier
		if i := strings.Index(group, ":log-group:"); i >= 0 {
			group = strings.TrimSuffix(group[i+len(":log-group:"):], ":*")
		}
	}
	switch c.op {
	case "DescribeLogGroups":
		describeLogGroups(c, in)
	case "FilterLogEvents":
		filterLogEvents(c, in, group)
	case "GetLogEvents":
		getLogEvents(c, in, group)
	case "DescribeLogStreams":
		describeLogStreams(c, in, group)
	default:
		c.fail(unknownOperation(c.op))
	}
}

func describeLogGroups(c *call, in logsInput) {
	if in.LogGroupNamePrefix != "" && in.LogGroupNamePattern != "" {
		c.fail(apiError(http.StatusBadRequest, "InvalidParameterException", "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters."))
		return
	}
	offset, max, ok := c.jsonPage(in.NextToken, in.Limit, 50)
	if !ok {
		return
	}
	groups := []map[string]any{}
	c.world.View(func(s *world.State) {
		list := append([]*world.Resource(nil), s.List("aws_cloudwatch_log_group")...)
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		for _, g := range list {
			if !strings.HasPrefix(g.ID, in.LogGroupNamePrefix) || !strings.Contains(strings.ToLower(g.ID), strings.ToLower(in.LogGroupNamePattern)) {
				continue
			}
			stored := 0
			for _, e := range s.LogEvents {
				if e.Group == g.ID {
					stored += len(e.Message)
				}
			}
			arn := world.Str(g.Attrs, "arn")
			m := map[string]any{"logGroupName": g.ID, "creationTime": g.CreatedAt.UnixMilli(), "metricFilterCount": 0,
				"arn": arn + ":*", "logGroupArn": arn, "storedBytes": stored,
				"logGroupClass": world.Str(g.Attrs, "log_group_class")}
			if d := world.Num(g.Attrs, "retention_in_days", 0); d > 0 {
				m["retentionInDays"] = int(d)
			}
			groups = append(groups, m)
		}
	})
	start, end, next := page(len(groups), offset, max)
	out := map[string]any{"logGroups": groups[start:end]}
	if next != "" {
		out["nextToken"] = next
	}
	writeJSON(c, http.StatusOK, out)
}

// groupEvents returns the group's events in time order, or nil and false when
// the group does not exist.
func groupEvents(c *call, group string) ([]world.LogEvent, bool) {
	var events []world.LogEvent
	exists := false
	c.world.View(func(s *world.State) {
		exists = s.Find("aws_cloudwatch_log_group", group) != nil
		for _, e := range s.LogEvents {
			if e.Group == group {
				events = append(events, *e)
			}
		}
	})
	sort.SliceStable(events, func(i, j int) bool { return events[i].Timestamp < events[j].Timestamp })
	return events, exists
}

// termsMatch implements the plain-text filter pattern syntax: every term (or
// "quoted phrase") must occur; ?term alternatives need any one. JSON and
// space-delimited patterns are not supported by the sandbox.
func termsMatch(pattern, message string) bool {
	pattern = strings.TrimSpace(pattern)
	if pattern == "" {
		return true
	}
	var terms, anyOf []string
	for len(pattern) > 0 {
		pattern = strings.TrimSpace(pattern)
		var term string
		if strings.HasPrefix(pattern, `"`) {
			end := strings.Index(pattern[1:], `"`)
			if end < 0 {
				term, pattern = pattern[1:], ""
			} else {
				term, pattern = pattern[1:end+1], pattern[end+2:]
			}
		} else {
			i := strings.IndexByte(pattern, ' ')
			if i < 0 {
				i = len(pattern)
			}
			term, pattern = pattern[:i], pattern[i:]
		}
		if t, ok := strings.CutPrefix(term, "?"); ok {
			anyOf = append(anyOf, t)
		} else if term != "" {
			terms = append(terms, term)
		}
	}
	for _, t := range terms {
		if !strings.Contains(message, t) {
			return false
		}
	}
	if len(anyOf) == 0 {
		return true
	}
	for _, t := range anyOf {
		if strings.Contains(message, t) {
			return true
		}
	}
	return false
}

func inTimeRange(e world.LogEvent, start, end *int64) bool {
	return (start == nil || e.Timestamp >= *start) && (end == nil || e.Timestamp < *end)
}

func filterLogEvents(c *call, in logsInput, group string) {
	if strings.HasPrefix(strings.TrimSpace(in.FilterPattern), "{") || strings.HasPrefix(strings.TrimSpace(in.FilterPattern), "[") {
		c.fail(apiError(http.StatusBadRequest, "InvalidParameterException", "The sandbox supports only term filter patterns, not JSON or space-delimited ones."))
		return
	}
	offset, max, ok := c.jsonPage(in.NextToken, in.Limit, 10000)
	if !ok {
		return
	}
	events, exists := groupEvents(c, group)
	if !exists {
		c.fail(logGroupNotFound())
		return
	}
	out := []map[string]any{}
	for _, e := range events {
		if len(in.LogStreamNames) > 0 && !contains(in.LogStreamNames, e.Stream) {
			continue
		}
		if !strings.HasPrefix(e.Stream, in.LogStreamNamePrefix) || !inTimeRange(e, in.StartTime, in.EndTime) || !termsMatch(in.FilterPattern, e.Message) {
			continue
		}
		out = append(out, map[string]any{"logStreamName": e.Stream, "timestamp": e.Timestamp, "message": e.Message,
			"ingestionTime": e.Ingestion, "eventId": e.EventID})
	}
	start, end, next := page(len(out), offset, max)
	resp := map[string]any{"events": out[start:end], "searchedLogStreams": []any{}}
	if next != "" {
		resp["nextToken"] = next
	}
	writeJSON(c, http.StatusOK, resp)
}

// getLogEvents pages with forward tokens f/<offset>; at the end the forward
// token repeats the one given, which is how clients know to stop.
func getLogEvents(c *call, in logsInput, group string) {
	if in.LogStreamName == "" {
		c.fail(validation("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null"))
		return
	}
	limit := 10000
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 10000 {
			c.fail(validation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint", *in.Limit))
			return
		}
		limit = *in.Limit
	}
	events, exists := groupEvents(c, group)
	if !exists {
		c.fail(logGroupNotFound())
		return
	}
	var stream []world.LogEvent
	for _, e := range events {
		if e.Stream == in.LogStreamName && inTimeRange(e, in.StartTime, in.EndTime) {
			stream = append(stream, e)
		}
	}
	offset := 0
	switch {
	case strings.HasPrefix(in.NextToken, "f/") || strings.HasPrefix(in.NextToken, "b/"):
		n, err := strconv.Atoi(in.NextToken[2:])
		if err != nil || n < 0 {
			c.fail(apiError(http.StatusBadRequest, "InvalidParameterException", "The specified nextToken is invalid."))
			return
		}
		offset = min(n, len(stream))
	case in.NextToken != "":
		c.fail(apiError(http.StatusBadRequest, "InvalidParameterException", "The specified nextToken is invalid."))
		return
	case in.StartFromHead == nil || !*in.StartFromHead:
		offset = max(0, len(stream)-limit) // the newest events, as CloudWatch Logs does
	}
	end := min(len(stream), offset+limit)
	out := []map[string]any{}
	for _, e := range stream[offset:end] {
		out = append(out, map[string]any{"timestamp": e.Timestamp, "message": e.Message, "ingestionTime": e.Ingestion})
	}
	writeJSON(c, http.StatusOK, map[string]any{"events": out,
		"nextForwardToken": "f/" + strconv.Itoa(end), "nextBackwardToken": "b/" + strconv.Itoa(offset)})
}

func describeLogStreams(c *call, in logsInput, group string) {
	events, exists := groupEvents(c, group)
	if !exists {
		c.fail(logGroupNotFound())
		return
	}
	type info struct {
		name                string
		first, last, ingest int64
		bytes               int
	}
	byName := map[string]*info{}
	var order []string
	for _, e := range events {
		if !strings.HasPrefix(e.Stream, in.LogStreamNamePrefix) {
			continue
		}
		i := byName[e.Stream]
		if i == nil {
			i = &info{name: e.Stream, first: e.Timestamp}
			byName[e.Stream] = i
			order = append(order, e.Stream)
		}
		i.last, i.ingest = max(i.last, e.Timestamp), max(i.ingest, e.Ingestion)
		i.bytes += len(e.Message)
	}
	sort.Strings(order)
	if in.OrderBy == "LastEventTime" {
		sort.SliceStable(order, func(a, b int) bool { return byName[order[a]].last < byName[order[b]].last })
	}
	if in.Descending != nil && *in.Descending {
		for a, b := 0, len(order)-1; a < b; a, b = a+1, b-1 {
			order[a], order[b] = order[b], order[a]
		}
	}
	streams := []map[string]any{}
	for _, n := range order {
		i := byName[n]
		streams = append(streams, map[string]any{"logStreamName": n, "creationTime": i.first, "firstEventTimestamp": i.first,
			"lastEventTimestamp": i.last, "lastIngestionTime": i.ingest, "storedBytes": i.bytes,
			"arn": "arn:aws:logs:" + c.world.Region() + ":" + world.Account + ":log-group:" + group + ":log-stream:" + n})
	}
	offset, max, ok := c.jsonPage(in.NextToken, in.Limit, 50)
	if !ok {
		return
	}
	start, end, next := page(len(streams), offset, max)
	out := map[string]any{"logStreams": streams[start:end]}
	if next != "" {
		out["nextToken"] = next
	}
	writeJSON(c, http.StatusOK, out)
}
