package endpoint

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// SQS speaks two protocols: the JSON protocol of current SDKs (X-Amz-Target
// AmazonSQS.*) and the legacy query protocol of older clients such as AWS CLI
// 2.9. Both decode into sqsInput and share the operations below.

type sqsInput struct {
	QueueURL                    string             `json:"QueueUrl"`
	QueueName                   string             `json:"QueueName"`
	QueueNamePrefix             string             `json:"QueueNamePrefix"`
	MaxNumberOfMessages         *int               `json:"MaxNumberOfMessages"`
	VisibilityTimeout           *int               `json:"VisibilityTimeout"`
	WaitTimeSeconds             *int               `json:"WaitTimeSeconds"`
	AttributeNames              []string           `json:"AttributeNames"`
	MessageSystemAttributeNames []string           `json:"MessageSystemAttributeNames"`
	ReceiptHandle               string             `json:"ReceiptHandle"`
	MessageBody                 *string            `json:"MessageBody"`
	Entries                     []sqsBatchEntry    `json:"Entries"`
	MessageAttributes           map[string]sqsAttr `json:"MessageAttributes"`
}

type sqsAttr struct {
	DataType    string `json:"DataType"`
	StringValue string `json:"StringValue"`
}

type sqsBatchEntry struct {
	ID            string `json:"Id"`
	ReceiptHandle string `json:"ReceiptHandle"`
}

// sqsQueryCodes are the legacy error codes for JSON error type names.
var sqsJSONNames = map[string]string{
	"AWS.SimpleQueueService.NonExistentQueue":     "QueueDoesNotExist",
	"AWS.SimpleQueueService.QueueDeletedRecently": "QueueDeletedRecently",
}

// sqsJSONErrorCode names an error for the JSON protocol and adds the header
// through which query-compatible SDKs recover the legacy code.
func sqsJSONErrorCode(c *call, e *world.Error) string {
	fault := "Sender"
	if e.Status >= 500 {
		fault = "Receiver"
	}
	c.w.Header().Set("X-Amzn-Query-Error", e.Code+";"+fault)
	name := e.Code
	if n, ok := sqsJSONNames[e.Code]; ok {
		name = n
	}
	return "com.amazonaws.sqs#" + name
}

func serveSQSJSON(c *call) {
	c.service = "sqs"
	var in sqsInput
	if !c.decodeJSONBody(&in) {
		return
	}
	serveSQS(c, &in)
}

func serveSQSQuery(c *call) {
	in := sqsInput{QueueURL: c.form.Get("QueueUrl"), QueueName: c.form.Get("QueueName"),
		QueueNamePrefix: c.form.Get("QueueNamePrefix"), ReceiptHandle: c.form.Get("ReceiptHandle")}
	if in.QueueURL == "" && strings.Count(c.r.URL.Path, "/") >= 2 {
		in.QueueURL = c.r.URL.Path // old clients post to the queue URL
	}
	intParam := func(name string, dst **int) bool {
		if v := c.form.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				c.fail(apiError(http.StatusBadRequest, "InvalidParameterValue", "Value %s for parameter %s is invalid.", v, name))
				return false
			}
			*dst = &n
		}
		return true
	}
	if !intParam("MaxNumberOfMessages", &in.MaxNumberOfMessages) || !intParam("VisibilityTimeout", &in.VisibilityTimeout) ||
		!intParam("WaitTimeSeconds", &in.WaitTimeSeconds) {
		return
	}
	in.AttributeNames = c.listParam("AttributeName")
	in.MessageSystemAttributeNames = c.listParam("MessageSystemAttributeName")
	if b, ok := c.form["MessageBody"]; ok {
		in.MessageBody = &b[0]
	}
	for i := 1; ; i++ {
		p := "DeleteMessageBatchRequestEntry." + strconv.Itoa(i)
		id := c.form.Get(p + ".Id")
		if id == "" {
			break
		}
		in.Entries = append(in.Entries, sqsBatchEntry{ID: id, ReceiptHandle: c.form.Get(p + ".ReceiptHandle")})
	}
	serveSQS(c, &in)
}

func missingParam(name string) *world.Error {
	return apiError(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter %s.", name)
}

func serveSQS(c *call, in *sqsInput) {
	switch c.op {
	case "GetQueueUrl":
		if in.QueueName == "" {
			c.fail(missingParam("QueueName"))
			return
		}
		var url string
		endpoint := c.world.Endpoint() // not inside View: the world's lock is not reentrant
		c.world.View(func(s *world.State) {
			if q := s.QueueByName(in.QueueName); q != nil {
				url = world.QueueURL(endpoint, s.Region, s.Account, in.QueueName)
			}
		})
		if url == "" {
			c.fail(world.QueueDoesNotExist())
			return
		}
		sqsAnswer(c, map[string]any{"QueueUrl": url}, struct {
			QueueURL string `xml:"QueueUrl"`
		}{url})
	case "ListQueues":
		var urls []string
		endpoint := c.world.Endpoint()
		c.world.View(func(s *world.State) {
			for _, q := range s.List("aws_sqs_queue") {
				name := world.Str(q.Attrs, "name")
				if strings.HasPrefix(name, in.QueueNamePrefix) {
					urls = append(urls, world.QueueURL(endpoint, s.Region, s.Account, name))
				}
			}
		})
		body := map[string]any{}
		if len(urls) > 0 {
			body["QueueUrls"] = urls
		}
		sqsAnswer(c, body, struct {
			QueueURLs []string `xml:"QueueUrl"`
		}{urls})
	case "GetQueueAttributes":
		getQueueAttributes(c, in)
	case "ReceiveMessage":
		receiveMessage(c, in)
	case "DeleteMessage":
		if in.ReceiptHandle == "" {
			c.fail(missingParam("ReceiptHandle"))
			return
		}
		if err := c.world.DeleteMessage(in.QueueURL, in.ReceiptHandle); err != nil {
			c.fail(err)
			return
		}
		sqsAnswer(c, map[string]any{}, nil)
	case "DeleteMessageBatch":
		deleteMessageBatch(c, in)
	case "SendMessage":
		if in.MessageBody == nil {
			c.fail(missingParam("MessageBody"))
			return
		}
		attrs := map[string]string{}
		for k, v := range in.MessageAttributes {
			attrs[k] = v.StringValue
		}
		m, err := c.world.SendMessage(in.QueueURL, *in.MessageBody, attrs)
		if err != nil {
			c.fail(err)
			return
		}
		sqsAnswer(c, map[string]any{"MessageId": m.MessageID, "MD5OfMessageBody": m.MD5OfBody}, struct {
			MessageID string `xml:"MessageId"`
			MD5       string `xml:"MD5OfMessageBody"`
		}{m.MessageID, m.MD5OfBody})
	default:
		if c.proto != protoQuery {
			c.fail(unknownOperation(c.op))
		} else {
			c.fail(invalidAction(c.op))
		}
	}
}

// sqsAnswer writes a JSON body or a query envelope, by the request's protocol.
func sqsAnswer(c *call, jsonBody map[string]any, queryResult any) {
	if c.proto != protoQuery {
		writeJSON(c, http.StatusOK, jsonBody)
		return
	}
	writeEnvelope(c, queryResult)
}

type sqsAttrXML struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

func attrList(m map[string]string) []sqsAttrXML {
	out := make([]sqsAttrXML, 0, len(m))
	for _, k := range world.SortedKeys(m) {
		out = append(out, sqsAttrXML{k, m[k]})
	}
	return out
}

func getQueueAttributes(c *call, in *sqsInput) {
	var attrs map[string]string
	now := c.world.Now()
	c.world.View(func(s *world.State) {
		q := s.QueueByURL(in.QueueURL)
		if q == nil {
			return
		}
		a := q.Attrs
		visible, inFlight, delayed := s.QueueCounts(q, now)
		num := func(k string, def float64) string { return strconv.Itoa(int(world.Num(a, k, def))) }
		all := map[string]string{
			"QueueArn": world.Str(a, "arn"), "ApproximateNumberOfMessages": strconv.Itoa(visible),
			"ApproximateNumberOfMessagesNotVisible": strconv.Itoa(inFlight), "ApproximateNumberOfMessagesDelayed": strconv.Itoa(delayed),
			"CreatedTimestamp": strconv.FormatInt(q.CreatedAt.Unix(), 10), "LastModifiedTimestamp": strconv.FormatInt(q.CreatedAt.Unix(), 10),
			"VisibilityTimeout": num("visibility_timeout_seconds", 30), "MaximumMessageSize": num("max_message_size", 262144),
			"MessageRetentionPeriod": num("message_retention_seconds", 345600), "DelaySeconds": num("delay_seconds", 0),
			"ReceiveMessageWaitTimeSeconds": num("receive_wait_time_seconds", 0),
			"SqsManagedSseEnabled":          strconv.FormatBool(world.Bool(a, "sqs_managed_sse_enabled", true)),
		}
		if p := world.Str(a, "policy"); p != "" {
			all["Policy"] = p
		}
		if world.Bool(a, "fifo_queue", false) {
			all["FifoQueue"] = "true"
		}
		attrs = map[string]string{}
		for _, name := range in.AttributeNames {
			if name == "All" {
				attrs = all
				break
			}
			if v, ok := all[name]; ok {
				attrs[name] = v
			}
		}
	})
	if attrs == nil {
		c.fail(world.QueueDoesNotExist())
		return
	}
	body := map[string]any{}
	if len(attrs) > 0 {
		body["Attributes"] = attrs
	}
	sqsAnswer(c, body, struct {
		Attributes []sqsAttrXML `xml:"Attribute"`
	}{attrList(attrs)})
}

type sqsMessageXML struct {
	MessageID     string       `xml:"MessageId"`
	ReceiptHandle string       `xml:"ReceiptHandle"`
	MD5OfBody     string       `xml:"MD5OfBody"`
	Body          string       `xml:"Body"`
	Attributes    []sqsAttrXML `xml:"Attribute"`
}

// maxLongPoll caps WaitTimeSeconds as SQS does (20 s).
const maxLongPoll = 20 * time.Second

func receiveMessage(c *call, in *sqsInput) {
	max := 1
	if in.MaxNumberOfMessages != nil {
		max = *in.MaxNumberOfMessages
	}
	visibility := time.Duration(-1)
	if in.VisibilityTimeout != nil {
		if *in.VisibilityTimeout < 0 || *in.VisibilityTimeout > 43200 {
			c.fail(apiError(http.StatusBadRequest, "InvalidParameterValue", "Value %d for parameter VisibilityTimeout is invalid.", *in.VisibilityTimeout))
			return
		}
		visibility = time.Duration(*in.VisibilityTimeout) * time.Second
	}
	wait := time.Duration(0)
	if in.WaitTimeSeconds != nil {
		if *in.WaitTimeSeconds < 0 || *in.WaitTimeSeconds > 20 {
			c.fail(apiError(http.StatusBadRequest, "InvalidParameterValue", "Value %d for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.", *in.WaitTimeSeconds))
			return
		}
		wait = time.Duration(*in.WaitTimeSeconds) * time.Second
	}
	deadline := time.Now().Add(min(wait, maxLongPoll))
	var msgs []world.QueueMessage
	for {
		var err error
		msgs, err = c.world.ReceiveMessages(in.QueueURL, max, visibility)
		if err != nil {
			c.fail(err)
			return
		}
		if len(msgs) > 0 || !time.Now().Before(deadline) {
			break
		}
		// Long polling: check again shortly, and give up when the client does.
		select {
		case <-c.r.Context().Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	wanted := append(append([]string(nil), in.AttributeNames...), in.MessageSystemAttributeNames...)
	var jsonMsgs []map[string]any
	var xmlMsgs []sqsMessageXML
	for _, m := range msgs {
		attrs := messageAttributes(m, wanted)
		jm := map[string]any{"MessageId": m.MessageID, "ReceiptHandle": m.ReceiptHandle, "MD5OfBody": m.MD5OfBody, "Body": m.Body}
		if len(attrs) > 0 {
			jm["Attributes"] = attrs
		}
		jsonMsgs = append(jsonMsgs, jm)
		xmlMsgs = append(xmlMsgs, sqsMessageXML{MessageID: m.MessageID, ReceiptHandle: m.ReceiptHandle, MD5OfBody: m.MD5OfBody,
			Body: m.Body, Attributes: attrList(attrs)})
	}
	body := map[string]any{}
	if len(jsonMsgs) > 0 {
		body["Messages"] = jsonMsgs
	}
	sqsAnswer(c, body, struct {
		Messages []sqsMessageXML `xml:"Message"`
	}{xmlMsgs})
}

func messageAttributes(m world.QueueMessage, wanted []string) map[string]string {
	all := map[string]string{
		"SenderId":                         m.SenderID,
		"SentTimestamp":                    strconv.FormatInt(m.SentAt.UnixMilli(), 10),
		"ApproximateReceiveCount":          strconv.Itoa(m.ReceiveCount),
		"ApproximateFirstReceiveTimestamp": strconv.FormatInt(m.FirstReceive.UnixMilli(), 10),
	}
	out := map[string]string{}
	for _, w := range wanted {
		if w == "All" {
			return all
		}
		if v, ok := all[w]; ok {
			out[w] = v
		}
	}
	return out
}

func deleteMessageBatch(c *call, in *sqsInput) {
	if len(in.Entries) == 0 {
		c.fail(apiError(http.StatusBadRequest, "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one DeleteMessageBatchRequestEntry in the request."))
		return
	}
	type failed struct {
		ID          string `xml:"Id" json:"Id"`
		Code        string `xml:"Code" json:"Code"`
		Message     string `xml:"Message" json:"Message"`
		SenderFault bool   `xml:"SenderFault" json:"SenderFault"`
	}
	type ok struct {
		ID string `xml:"Id" json:"Id"`
	}
	var oks []ok
	var fails []failed
	for _, e := range in.Entries {
		err := c.world.DeleteMessage(in.QueueURL, e.ReceiptHandle)
		if err != nil {
			we := world.AsError(err)
			if we.Code == "AWS.SimpleQueueService.NonExistentQueue" {
				c.fail(we)
				return
			}
			fails = append(fails, failed{e.ID, we.Code, we.Message, true})
			continue
		}
		oks = append(oks, ok{e.ID})
	}
	body := map[string]any{"Successful": oks, "Failed": fails}
	if oks == nil {
		body["Successful"] = []ok{}
	}
	if fails == nil {
		body["Failed"] = []failed{}
	}
	sqsAnswer(c, body, struct {
		OK     []ok     `xml:"DeleteMessageBatchResultEntry"`
		Failed []failed `xml:"BatchResultErrorEntry"`
	}{OK: oks, Failed: fails})
}
