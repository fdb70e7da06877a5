package endpoint

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// jsonEncode writes v without HTML escaping (AWS does not escape <, >, &).
func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// decodeJSONBody decodes a JSON request body into v; an empty body is {}.
func (c *call) decodeJSONBody(v any) bool {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	if err := dec.Decode(v); err != nil {
		c.fail(validation("the request body is not valid JSON for this operation: %v", err))
		return false
	}
	return true
}

func writeXML(c *call, status int, v any) {
	c.wrote = true
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		buf.Reset()
		buf.WriteString(xml.Header + "<Error><Code>InternalFailure</Code><Message>response encoding failed</Message></Error>")
		status = http.StatusInternalServerError
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Amzn-RequestId", c.requestID)
	c.w.WriteHeader(status)
	_, _ = c.w.Write(buf.Bytes())
}

// writeEnvelope writes an awsQuery answer:
// <OpResponse><OpResult>result</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>.
func writeEnvelope(c *call, result any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{Name: xml.Name{Local: c.op + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: queryNamespaces[c.service]}}}
	err := enc.EncodeToken(root)
	if err == nil && result != nil {
		err = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: c.op + "Result"}})
	}
	if err == nil {
		err = enc.EncodeElement(struct {
			RequestID string `xml:"RequestId"`
		}{c.requestID}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = enc.EncodeToken(root.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		c.fail(fmt.Errorf("response encoding failed: %w", err))
		return
	}
	c.wrote = true
	h := c.w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Amzn-RequestId", c.requestID)
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(buf.Bytes())
}

var queryNamespaces = map[string]string{
	"sts": "https://sts.amazonaws.com/doc/2011-06-15/",
	"sns": "http://sns.amazonaws.com/doc/2010-03-31/",
	"iam": "https://iam.amazonaws.com/doc/2010-05-08/",
	"sqs": "http://queue.amazonaws.com/doc/2012-11-05/",
	"ec2": "http://ec2.amazonaws.com/doc/2016-11-15/",
}

type queryErrorResponse struct {
	XMLName   xml.Name   `xml:"ErrorResponse"`
	Xmlns     string     `xml:"xmlns,attr,omitempty"`
	Error     queryError `xml:"Error"`
	RequestID string     `xml:"RequestId"`
}

type queryError struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type ec2ErrorResponse struct {
	XMLName   xml.Name   `xml:"Response"`
	Errors    []ec2Error `xml:"Errors>Error"`
	RequestID string     `xml:"RequestID"`
}

type ec2Error struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
	HostID    string   `xml:"HostId"`
}

// listParam collects the query-protocol list Name.1, Name.2, … in order.
func (c *call) listParam(name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := c.form[name+"."+strconv.Itoa(i)]
		if !ok {
			// Some clients number members as Name.member.N.
			v, ok = c.form[name+".member."+strconv.Itoa(i)]
			if !ok {
				return out
			}
		}
		out = append(out, v[0])
	}
}

// pageToken encodes a list offset as an opaque token.
func pageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("gdlab:" + strconv.Itoa(offset)))
}

// parsePageToken decodes pageToken; ok is false for a token we did not issue.
func parsePageToken(tok string) (int, bool) {
	if tok == "" {
		return 0, true
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(b), "gdlab:") {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "gdlab:"))
	return n, err == nil && n >= 0
}

// page returns the window [offset, offset+max) of n items and the next token.
func page(n, offset, max int) (start, end int, next string) {
	if offset > n {
		offset = n
	}
	end = n
	if max > 0 && offset+max < n {
		end = offset + max
		next = pageToken(end)
	}
	return offset, end, next
}
