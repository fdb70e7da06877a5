package endpoint

import (
	"encoding/xml"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// EC2 speaks the ec2Query protocol: form parameters in, EC2-style XML out.

func serveEC2(c *call) {
	var s *world.State
	snapshot := func() *world.State {
		if s == nil {
			s = c.world.Snapshot()
		}
		return s
	}
	switch c.op {
	case "DescribeInstances":
		describeEC2(c, "reservationSet", instanceItems(snapshot()), describeSpec{idParam: "InstanceId", prefix: "i-", notFound: "InvalidInstanceID", what: "instance ID", paged: true, minMax: 5})
	case "DescribeSecurityGroups":
		describeEC2(c, "securityGroupInfo", securityGroupItems(snapshot()), describeSpec{idParam: "GroupId", prefix: "sg-", notFound: "InvalidGroup", what: "security group", paged: true, minMax: 5, altParam: "GroupName"})
	case "DescribeVpcs":
		describeEC2(c, "vpcSet", vpcItems(snapshot()), describeSpec{idParam: "VpcId", prefix: "vpc-", notFound: "InvalidVpcID", what: "vpc ID", paged: true, minMax: 5})
	case "DescribeSubnets":
		describeEC2(c, "subnetSet", subnetItems(snapshot()), describeSpec{idParam: "SubnetId", prefix: "subnet-", notFound: "InvalidSubnetID", what: "subnet ID", paged: true, minMax: 5})
	case "DescribeInternetGateways":
		describeEC2(c, "internetGatewaySet", internetGatewayItems(snapshot()), describeSpec{idParam: "InternetGatewayId", prefix: "igw-", notFound: "InvalidInternetGatewayID", what: "internetGateway ID", paged: true, minMax: 5})
	case "DescribeRouteTables":
		describeEC2(c, "routeTableSet", routeTableItems(snapshot()), describeSpec{idParam: "RouteTableId", prefix: "rtb-", notFound: "InvalidRouteTableID", what: "routeTable ID", paged: true, minMax: 5})
	case "DescribeAddresses":
		describeEC2(c, "addressesSet", addressItems(snapshot()), describeSpec{idParam: "AllocationId", prefix: "eipalloc-", notFound: "InvalidAllocationID", what: "allocation ID", altParam: "PublicIp", altNotFound: "InvalidAddress.NotFound"})
	case "DescribeFlowLogs":
		describeEC2(c, "flowLogSet", flowLogItems(snapshot()), describeSpec{idParam: "FlowLogId", prefix: "fl-", paged: true, minMax: 1})
	case "DescribeImages":
		describeImages(c)
	case "DescribeAvailabilityZones":
		describeEC2(c, "availabilityZoneInfo", zoneItems(c.world.Region()), describeSpec{idParam: "ZoneName", altParam: "ZoneId", prefix: "", notFound: "InvalidParameterValue", what: "zone"})
	case "DescribeRegions":
		describeEC2(c, "regionInfo", regionItems(), describeSpec{idParam: "RegionName", prefix: "", notFound: "InvalidParameterValue", what: "region"})
	case "ModifyInstanceAttribute":
		modifyInstanceAttribute(c)
	default:
		c.fail(invalidAction(c.op))
	}
}

// ec2Item is one describable thing: its id, the values its filters see, and
// its XML.
type ec2Item struct {
	id      string
	alt     string // second identifier (group name, public ip, zone id)
	filters map[string][]string
	xml     any
}

type describeSpec struct {
	idParam, altParam string
	prefix            string // id prefix for the Malformed check ("" = none)
	notFound          string // error code stem: <stem>.NotFound / .Malformed
	altNotFound       string
	what              string
	paged             bool
	minMax            int
}

// ec2Filter is one Filter.N (Name + Value.M).
type ec2Filter struct {
	name   string
	values []string
}

func (c *call) ec2Filters() []ec2Filter {
	var out []ec2Filter
	for i := 1; ; i++ {
		p := "Filter." + strconv.Itoa(i)
		name, ok := c.form[p+".Name"]
		if !ok {
			return out
		}
		out = append(out, ec2Filter{name: name[0], values: c.listParam(p + ".Value")})
	}
}

func ec2Err(code, format string, args ...any) *world.Error {
	return apiError(http.StatusBadRequest, code, format, args...)
}

// describeEC2 applies ids, filters and paging the way Describe* calls do and
// writes <OpResponse><requestId/><set><item/>…</set><nextToken/></OpResponse>.
func describeEC2(c *call, setName string, items []ec2Item, spec describeSpec) {
	ids := c.listParam(spec.idParam)
	var alts []string
	if spec.altParam != "" {
		alts = c.listParam(spec.altParam)
	}
	byID := map[string]bool{}
	for _, it := range items {
		byID[it.id] = true
		if it.alt != "" {
			byID["alt:"+it.alt] = true
		}
	}
	for _, id := range ids {
		if spec.prefix != "" && !strings.HasPrefix(id, spec.prefix) {
			c.fail(ec2Err(spec.notFound+".Malformed", "Invalid id: \"%s\" (expecting \"%s...\")", id, spec.prefix))
			return
		}
		if !byID[id] && spec.notFound != "" {
			if spec.notFound == "InvalidParameterValue" {
				c.fail(ec2Err("InvalidParameterValue", "Invalid %s: %s", spec.what, id))
			} else {
				c.fail(ec2Err(spec.notFound+".NotFound", "The %s '%s' does not exist", spec.what, id))
			}
			return
		}
	}
	for _, a := range alts {
		if !byID["alt:"+a] && spec.notFound != "" {
			code := spec.altNotFound
			if code == "" {
				code = spec.notFound + ".NotFound"
			}
			c.fail(ec2Err(code, "The %s '%s' does not exist", spec.what, a))
			return
		}
	}
	filters := c.ec2Filters()
	known := map[string]bool{}
	for _, it := range items {
		for k := range it.filters {
			known[k] = true
		}
	}
	for _, f := range filters {
		if !known[f.name] && !strings.HasPrefix(f.name, "tag:") && f.name != "tag-key" && f.name != "tag-value" && len(items) > 0 {
			c.fail(ec2Err("InvalidParameterValue", "The filter '%s' is invalid", f.name))
			return
		}
	}
	var kept []any
	for _, it := range items {
		if len(ids) > 0 && !contains(ids, it.id) && !(len(alts) > 0 && contains(alts, it.alt)) {
			continue
		}
		if len(ids) == 0 && len(alts) > 0 && !contains(alts, it.alt) {
			continue
		}
		if matchFilters(it.filters, filters) {
			kept = append(kept, it.xml)
		}
	}
	next := ""
	if spec.paged {
		max := 0
		if v := c.form.Get("MaxResults"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < spec.minMax || n > 1000 {
				c.fail(ec2Err("InvalidParameterValue", "Value ( %s ) for parameter maxResults is invalid. Expecting a value between %d and 1000.", v, spec.minMax))
				return
			}
			if len(ids) > 0 {
				c.fail(ec2Err("InvalidParameterCombination", "The parameter %ss cannot be used with the parameter maxResults", spec.idParam))
				return
			}
			max = n
		}
		offset, ok := parsePageToken(c.form.Get("NextToken"))
		if !ok {
			c.fail(ec2Err("InvalidPaginationToken", "Invalid pagination token"))
			return
		}
		var start, end int
		start, end, next = page(len(kept), offset, max)
		kept = kept[start:end]
	}
	writeEC2(c, ec2Set{name: setName, items: kept, nextToken: next})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// matchFilters: every filter must match (AND); within one, any value (OR);
// values may use * and ? wildcards.
func matchFilters(values map[string][]string, filters []ec2Filter) bool {
	for _, f := range filters {
		have := values[f.name]
		if f.name == "tag-key" || f.name == "tag-value" {
			have = values[f.name]
		}
		matched := false
		for _, want := range f.values {
			for _, h := range have {
				if ok, err := path.Match(want, h); (err == nil && ok) || want == h {
					matched = true
				}
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

// ec2Set is a Describe* answer body.
type ec2Set struct {
	name      string
	items     []any
	nextToken string
}

func writeEC2(c *call, body ec2Set) {
	writeEC2Elements(c, func(enc *xml.Encoder) error {
		set := xml.StartElement{Name: xml.Name{Local: body.name}}
		if err := enc.EncodeToken(set); err != nil {
			return err
		}
		for _, it := range body.items {
			if err := enc.EncodeElement(it, xml.StartElement{Name: xml.Name{Local: "item"}}); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(set.End()); err != nil {
			return err
		}
		if body.nextToken != "" {
			return enc.EncodeElement(body.nextToken, xml.StartElement{Name: xml.Name{Local: "nextToken"}})
		}
		return nil
	})
}

func writeEC2Elements(c *call, inner func(enc *xml.Encoder) error) {
	var buf strings.Builder
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{Name: xml.Name{Local: c.op + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: queryNamespaces["ec2"]}}}
	err := enc.EncodeToken(root)
	if err == nil {
		err = enc.EncodeElement(c.requestID, xml.StartElement{Name: xml.Name{Local: "requestId"}})
	}
	if err == nil {
		err = inner(enc)
	}
	if err == nil {
		err = enc.EncodeToken(root.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		c.fail(err)
		return
	}
	c.wrote = true
	h := c.w.Header()
	h.Set("Content-Type", "text/xml;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write([]byte(buf.String()))
}

func describeImages(c *call) {
	var filters []world.ImageFilter
	for _, f := range c.ec2Filters() {
		filters = append(filters, world.ImageFilter{Name: f.name, Values: f.values})
	}
	ids := c.listParam("ImageId")
	for _, id := range ids {
		if !strings.HasPrefix(id, "ami-") {
			c.fail(ec2Err("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id))
			return
		}
	}
	region := c.world.Region()
	images := world.MatchImages(region, c.listParam("Owner"), ids, filters)
	if len(ids) > 0 && len(images) < len(ids) {
		c.fail(ec2Err("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", strings.Join(ids, ", ")))
		return
	}
	items := make([]any, 0, len(images))
	for _, im := range images {
		items = append(items, imageXML(region, im))
	}
	writeEC2(c, ec2Set{name: "imagesSet", items: items})
}

func modifyInstanceAttribute(c *call) {
	id := c.form.Get("InstanceId")
	if id == "" {
		c.fail(ec2Err("MissingParameter", "The request must contain the parameter InstanceId"))
		return
	}
	groups := c.listParam("GroupId")
	if len(groups) == 0 {
		if c.form.Get("Attribute") != "" || len(c.form) > 3 {
			c.fail(ec2Err("UnsupportedOperation", "The sandbox only supports changing an instance's security groups (GroupId.N)."))
			return
		}
		c.fail(ec2Err("MissingParameter", "The request must contain the parameter groupId"))
		return
	}
	if err := c.world.ModifyInstanceSecurityGroups(id, groups); err != nil {
		c.fail(err)
		return
	}
	writeEC2Elements(c, func(enc *xml.Encoder) error {
		return enc.EncodeElement(true, xml.StartElement{Name: xml.Name{Local: "return"}})
	})
}
