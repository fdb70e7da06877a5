package endpoint

import (
	"net/http"
	"sort"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// The Resource Groups Tagging API speaks JSON 1.1
// (X-Amz-Target ResourceGroupsTaggingAPI_20170126.*).

type tagFilter struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
}

type getResourcesInput struct {
	TagFilters          []tagFilter `json:"TagFilters"`
	ResourceTypeFilters []string    `json:"ResourceTypeFilters"`
	ResourceARNList     []string    `json:"ResourceARNList"`
	PaginationToken     string      `json:"PaginationToken"`
	ResourcesPerPage    *int        `json:"ResourcesPerPage"`
}

// taggingTypes is the service:resource-type of each taggable Terraform type.
var taggingTypes = map[string]string{
	"aws_vpc": "ec2:vpc", "aws_subnet": "ec2:subnet", "aws_internet_gateway": "ec2:internet-gateway",
	"aws_route_table": "ec2:route-table", "aws_security_group": "ec2:security-group", "aws_instance": "ec2:instance",
	"aws_eip": "ec2:elastic-ip", "aws_flow_log": "ec2:vpc-flow-log",
	"aws_vpc_security_group_ingress_rule": "ec2:security-group-rule", "aws_vpc_security_group_egress_rule": "ec2:security-group-rule",
	"aws_s3_bucket": "s3:bucket", "aws_guardduty_detector": "guardduty:detector",
	"aws_guardduty_threatintelset": "guardduty:threatintelset", "aws_sns_topic": "sns:topic", "aws_sqs_queue": "sqs:queue",
	"aws_cloudwatch_event_rule": "events:rule", "aws_lambda_function": "lambda:function", "aws_iam_role": "iam:role",
	"aws_iam_policy": "iam:policy", "aws_cloudwatch_log_group": "logs:log-group",
}

func serveTagging(c *call) {
	c.service = "tagging"
	if c.op != "GetResources" {
		c.fail(unknownOperation(c.op))
		return
	}
	var in getResourcesInput
	if !c.decodeJSONBody(&in) {
		return
	}
	if len(in.ResourceARNList) > 0 && (len(in.TagFilters) > 0 || len(in.ResourceTypeFilters) > 0) {
		c.fail(apiError(http.StatusBadRequest, "InvalidParameterException", "ResourceARNList cannot be used with TagFilters or ResourceTypeFilters."))
		return
	}
	for _, f := range in.TagFilters {
		if f.Key == "" {
			c.fail(apiError(http.StatusBadRequest, "InvalidParameterException", "TagFilters Key must not be empty."))
			return
		}
	}
	// The tagging API has its own errors (no ValidationException or
	// InvalidNextTokenException): out-of-range values are
	// InvalidParameterException, a token it did not issue (or issued too
	// long ago) PaginationTokenExpiredException.
	max := 100
	if in.ResourcesPerPage != nil {
		if *in.ResourcesPerPage < 1 || *in.ResourcesPerPage > 100 {
			c.fail(apiError(http.StatusBadRequest, "InvalidParameterException", "ResourcesPerPage must be between 1 and 100."))
			return
		}
		max = *in.ResourcesPerPage
	}
	offset, ok := parsePageToken(in.PaginationToken)
	if !ok {
		c.fail(apiError(http.StatusBadRequest, "PaginationTokenExpiredException", "The PaginationToken is not valid or has expired."))
		return
	}
	var mappings []map[string]any
	c.world.View(func(s *world.State) {
		for _, typ := range s.Types() {
			rtype, taggable := taggingTypes[typ]
			if !taggable {
				continue
			}
			for _, r := range s.List(typ) {
				arn := world.Str(r.Attrs, "arn")
				tags := world.Tags(r)
				if arn == "" || len(tags) == 0 || !matchesTagging(arn, rtype, tags, in) {
					continue
				}
				list := []map[string]string{}
				for _, k := range world.SortedKeys(tags) {
					list = append(list, map[string]string{"Key": k, "Value": tags[k]})
				}
				mappings = append(mappings, map[string]any{"ResourceARN": arn, "Tags": list})
			}
		}
	})
	sort.SliceStable(mappings, func(i, j int) bool { return mappings[i]["ResourceARN"].(string) < mappings[j]["ResourceARN"].(string) })
	if mappings == nil {
		mappings = []map[string]any{}
	}
	start, end, next := page(len(mappings), offset, max)
	writeJSON(c, http.StatusOK, map[string]any{"ResourceTagMappingList": mappings[start:end], "PaginationToken": next})
}

func matchesTagging(arn, rtype string, tags map[string]string, in getResourcesInput) bool {
	if len(in.ResourceARNList) > 0 && !contains(in.ResourceARNList, arn) {
		return false
	}
	if len(in.ResourceTypeFilters) > 0 {
		service, _, _ := strings.Cut(rtype, ":")
		ok := false
		for _, f := range in.ResourceTypeFilters {
			if f == service || f == rtype {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	for _, f := range in.TagFilters {
		v, has := tags[f.Key]
		if !has || (len(f.Values) > 0 && !contains(f.Values, v)) {
			return false
		}
	}
	return true
}
