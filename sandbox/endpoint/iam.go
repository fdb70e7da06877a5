package endpoint

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// IAM speaks awsQuery; policy documents travel URL-encoded, as in IAM.

type iamTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type roleXML struct {
	Path                     string   `xml:"Path"`
	RoleName                 string   `xml:"RoleName"`
	RoleID                   string   `xml:"RoleId"`
	Arn                      string   `xml:"Arn"`
	CreateDate               string   `xml:"CreateDate"`
	AssumeRolePolicyDocument string   `xml:"AssumeRolePolicyDocument"`
	Description              string   `xml:"Description,omitempty"`
	MaxSessionDuration       int      `xml:"MaxSessionDuration"`
	Tags                     []iamTag `xml:"Tags>member,omitempty"`
	RoleLastUsed             struct{} `xml:"RoleLastUsed"`
}

// policyEncode percent-encodes a policy document the way IAM returns it
// (spaces as %20, so clients that unquote get the JSON back).
func policyEncode(doc string) string { return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20") }

func iamNoSuchEntity(format string, args ...any) *world.Error {
	return apiError(http.StatusNotFound, "NoSuchEntity", format, args...)
}

func serveIAM(c *call) {
	name := c.form.Get("RoleName")
	s := c.world.Snapshot()
	role := s.Find("aws_iam_role", name)
	needRole := map[string]bool{"GetRole": true, "ListRolePolicies": true, "GetRolePolicy": true, "ListAttachedRolePolicies": true}
	if needRole[c.op] {
		if name == "" {
			c.fail(apiError(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null"))
			return
		}
		if role == nil {
			c.fail(world.NoSuchRole(name))
			return
		}
	}
	switch c.op {
	case "GetRole":
		a := role.Attrs
		x := roleXML{Path: world.Str(a, "path"), RoleName: role.ID, RoleID: world.Str(a, "unique_id"), Arn: world.Str(a, "arn"),
			CreateDate: world.Str(a, "create_date"), AssumeRolePolicyDocument: policyEncode(world.Str(a, "assume_role_policy")),
			Description: world.Str(a, "description"), MaxSessionDuration: int(world.Num(a, "max_session_duration", 3600))}
		tags := world.Tags(role)
		for _, k := range world.SortedKeys(tags) {
			x.Tags = append(x.Tags, iamTag{k, tags[k]})
		}
		writeEnvelope(c, struct {
			Role roleXML `xml:"Role"`
		}{x})
	case "ListRolePolicies":
		names := []string{}
		for _, p := range s.List("aws_iam_role_policy") {
			if world.Str(p.Attrs, "role") == name {
				names = append(names, world.Str(p.Attrs, "name"))
			}
		}
		start, end, marker, ok := iamPage(c, len(names))
		if !ok {
			return
		}
		writeEnvelope(c, struct {
			PolicyNames []string `xml:"PolicyNames>member"`
			IsTruncated bool     `xml:"IsTruncated"`
			Marker      string   `xml:"Marker,omitempty"`
		}{names[start:end], marker != "", marker})
	case "GetRolePolicy":
		policy := c.form.Get("PolicyName")
		p := s.Find("aws_iam_role_policy", name+":"+policy)
		if p == nil {
			c.fail(iamNoSuchEntity("The role policy with name %s cannot be found.", policy))
			return
		}
		writeEnvelope(c, struct {
			RoleName       string `xml:"RoleName"`
			PolicyName     string `xml:"PolicyName"`
			PolicyDocument string `xml:"PolicyDocument"`
		}{name, policy, policyEncode(world.Str(p.Attrs, "policy"))})
	case "ListAttachedRolePolicies":
		type attached struct {
			PolicyName string `xml:"PolicyName"`
			PolicyArn  string `xml:"PolicyArn"`
		}
		list := []attached{}
		for _, p := range s.List("aws_iam_role_policy_attachment") {
			if world.Str(p.Attrs, "role") == name {
				arn := world.Str(p.Attrs, "policy_arn")
				list = append(list, attached{arn[strings.LastIndexByte(arn, '/')+1:], arn})
			}
		}
		start, end, marker, ok := iamPage(c, len(list))
		if !ok {
			return
		}
		writeEnvelope(c, struct {
			AttachedPolicies []attached `xml:"AttachedPolicies>member"`
			IsTruncated      bool       `xml:"IsTruncated"`
			Marker           string     `xml:"Marker,omitempty"`
		}{list[start:end], marker != "", marker})
	default:
		c.fail(invalidAction(c.op))
	}
}

// iamPage reads IAM's MaxItems (1-1000, default 100) and Marker and returns
// the window of n items and the marker of the next page ("" on the last).
func iamPage(c *call, n int) (start, end int, marker string, ok bool) {
	max := 100
	if v := c.form.Get("MaxItems"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 1000 {
			c.fail(apiError(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", v))
			return 0, 0, "", false
		}
		max = m
	}
	offset, good := parsePageToken(c.form.Get("Marker"))
	if !good {
		c.fail(apiError(http.StatusBadRequest, "ValidationError", "Invalid Marker."))
		return 0, 0, "", false
	}
	start, end, marker = page(n, offset, max)
	return start, end, marker, true
}
