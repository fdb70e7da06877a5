package endpoint

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// maxBody bounds a request body (S3 objects in the lab are small; flow-log
// files a few MB at most).
const maxBody = 64 << 20

// protocol is a wire protocol; errors are rendered in the protocol of the request.
type protocol int

const (
	protoUnknown  protocol = iota
	protoQuery             // awsQuery: form in, XML out (STS, SNS, IAM, SQS legacy)
	protoEC2               // ec2Query: form in, EC2 XML out
	protoJSON              // awsJson 1.0/1.1 with X-Amz-Target
	protoRESTJSON          // GuardDuty, Lambda
	protoRESTXML           // S3
	protoPrivate           // /_gdlab/v1
	protoCBOR              // Smithy RPC v2 CBOR (newer clients of JSON services)
)

// call is one request being answered.
type call struct {
	w         http.ResponseWriter
	r         *http.Request
	body      []byte
	world     *world.World
	service   string // signing name: ec2, sqs, s3, ...
	proto     protocol
	op        string     // operation name once known
	form      url.Values // query-protocol parameters
	requestID string
	wrote     bool
}

type handler struct{ world *world.World }

// NewHandler is the endpoint's http.Handler over a world (no listener).
func NewHandler(w *world.World) http.Handler { return &handler{world: w} }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, world: h.world, requestID: world.NewUUID()}
	defer func() {
		// A bug must cost one request, never the server, and the client gets
		// an AWS-shaped 500 in its own protocol.
		if p := recover(); p != nil {
			if !c.wrote {
				c.fail(&world.Error{Status: http.StatusInternalServerError, Code: "InternalFailure",
					Message: fmt.Sprintf("the sandbox failed to handle this request: %v", p)})
			}
		}
	}()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		c.proto = protoJSON
		c.fail(&world.Error{Status: http.StatusBadRequest, Code: "ValidationException", Message: "could not read the request body"})
		return
	}
	if len(body) > maxBody {
		c.proto = protoJSON
		c.fail(&world.Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge", Message: "request body too large"})
		return
	}
	c.body = body
	h.route(c)
}

// route picks the protocol and service of a request.
func (h *handler) route(c *call) {
	r := c.r
	if strings.HasPrefix(r.URL.Path, "/_gdlab/") {
		c.proto = protoPrivate
		servePrivate(c)
		return
	}
	c.service = signingService(r)
	target := r.Header.Get("X-Amz-Target")
	if t, ok := rpcv2Target(c); ok {
		target = t
		c.proto = protoCBOR
		body, err := cborToJSON(c.body)
		if err != nil {
			c.fail(validation("the request body is not valid CBOR: %v", err))
			return
		}
		c.body = body
	}
	if target != "" {
		if c.proto != protoCBOR {
			c.proto = protoJSON
		}
		prefix, op, _ := strings.Cut(target, ".")
		c.op = op
		svc, ok := jsonServices[prefix]
		if !ok {
			c.fail(unknownOperation(target))
			return
		}
		svc(c)
		return
	}
	if c.service == "" {
		c.service = guessService(c)
	}
	switch c.service {
	case "ec2":
		c.proto = protoEC2
		if c.parseForm() {
			serveEC2(c)
		}
	case "sts", "sns", "iam", "sqs":
		c.proto = protoQuery
		if c.parseForm() {
			queryServices[c.service](c)
		}
	case "s3":
		c.proto = protoRESTXML
		serveS3(c)
	case "guardduty":
		c.proto = protoRESTJSON
		serveGuardDuty(c)
	case "lambda":
		c.proto = protoRESTJSON
		serveLambda(c)
	default:
		c.proto = protoJSON
		c.fail(&world.Error{Status: http.StatusBadRequest, Code: "UnknownServiceException",
			Message: fmt.Sprintf("the sandbox does not emulate the service %q", c.service)})
	}
}

// signingService reads the service from the SigV4 credential scope
// (Credential=AKID/date/region/SERVICE/aws4_request); signatures are not verified.
func signingService(r *http.Request) string {
	cred := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		if i := strings.Index(auth, "Credential="); i >= 0 {
			cred = auth[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	} else {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) >= 5 {
		return parts[3]
	}
	return ""
}

// guessService serves unsigned requests (curl, --no-sign-request) by shape.
func guessService(c *call) string {
	p := c.r.URL.Path
	switch {
	case strings.HasPrefix(p, "/detector"):
		return "guardduty"
	case strings.HasPrefix(p, "/2015-03-31/"):
		return "lambda"
	}
	if c.r.Method == http.MethodPost && strings.HasPrefix(c.r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ := url.ParseQuery(string(c.body))
		switch action := form.Get("Action"); {
		case action == "GetCallerIdentity":
			return "sts"
		case strings.HasPrefix(action, "Describe"), action == "ModifyInstanceAttribute":
			return "ec2"
		case strings.Contains(action, "Topic"), action == "Publish", strings.Contains(action, "Subscription"):
			return "sns"
		case strings.Contains(action, "Role"):
			return "iam"
		case strings.Contains(action, "Queue"), strings.Contains(action, "Message"):
			return "sqs"
		}
	}
	return "s3"
}

// parseForm reads query-protocol parameters (form body or URL query).
func (c *call) parseForm() bool {
	form := c.r.URL.Query()
	if c.r.Method == http.MethodPost {
		body, err := url.ParseQuery(string(c.body))
		if err != nil {
			c.fail(&world.Error{Status: http.StatusBadRequest, Code: "MalformedQueryString", Message: "the request body is not a valid form"})
			return false
		}
		for k, v := range body {
			form[k] = append(form[k], v...)
		}
	}
	c.form = form
	c.op = form.Get("Action")
	if c.op == "" {
		c.fail(&world.Error{Status: http.StatusBadRequest, Code: "MissingAction", Message: "Could not find operation to handle the request: the Action parameter is missing"})
		return false
	}
	return true
}

func unknownOperation(op string) *world.Error {
	return &world.Error{Status: http.StatusBadRequest, Code: "UnknownOperationException",
		Message: fmt.Sprintf("The sandbox does not implement the operation %s.", op)}
}

func invalidAction(op string) *world.Error {
	return &world.Error{Status: http.StatusBadRequest, Code: "InvalidAction",
		Message: fmt.Sprintf("The action %s is not valid for this web service (or is not implemented by the sandbox).", op)}
}

// fail writes an error in the request's protocol.
func (c *call) fail(err error) {
	e := world.AsError(err)
	if e.Status == 0 {
		e.Status = http.StatusBadRequest
	}
	c.wrote = true
	h := c.w.Header()
	h.Set("X-Amzn-RequestId", c.requestID)
	switch c.proto {
	case protoEC2:
		writeXML(c, e.Status, ec2ErrorResponse{Errors: []ec2Error{{Code: e.Code, Message: e.Message}}, RequestID: c.requestID})
	case protoQuery:
		typ := "Sender"
		if e.Status >= 500 {
			typ = "Receiver"
		}
		writeXML(c, e.Status, queryErrorResponse{Xmlns: queryNamespaces[c.service],
			Error: queryError{Type: typ, Code: e.Code, Message: e.Message}, RequestID: c.requestID})
	case protoRESTXML:
		h.Set("X-Amz-Request-Id", c.requestID)
		if c.r.Method == http.MethodHead {
			c.w.WriteHeader(e.Status)
			return
		}
		writeXML(c, e.Status, s3Error{Code: e.Code, Message: e.Message, RequestID: c.requestID, HostID: c.requestID})
	case protoRESTJSON:
		h.Set("X-Amzn-ErrorType", e.Code)
		writeJSON(c, e.Status, map[string]any{"__type": e.Code, "message": e.Message, "Message": e.Message, "Type": "User"})
	case protoPrivate:
		writeJSON(c, e.Status, map[string]any{"code": e.Code, "message": e.Message, "error": e.Message})
	default: // JSON 1.0/1.1 and RPC v2 CBOR
		code := e.Code
		if c.service == "sqs" || strings.HasPrefix(c.r.Header.Get("X-Amz-Target"), "AmazonSQS.") {
			code = sqsJSONErrorCode(c, e)
		}
		writeJSON(c, e.Status, map[string]any{"__type": code, "message": e.Message})
	}
}

func writeJSON(c *call, status int, v any) {
	c.wrote = true
	var buf bytes.Buffer
	if err := jsonEncode(&buf, v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"__type":"InternalFailure","message":"response encoding failed"}`)
	}
	if c.proto == protoCBOR {
		writeCBOR(c, status, buf.Bytes())
		return
	}
	h := c.w.Header()
	if c.proto == protoJSON {
		h.Set("Content-Type", "application/x-amz-json-1.1")
		if strings.HasPrefix(c.r.Header.Get("X-Amz-Target"), "AmazonSQS.") {
			h.Set("Content-Type", "application/x-amz-json-1.0")
		}
	} else {
		h.Set("Content-Type", "application/json")
	}
	h.Set("X-Amzn-RequestId", c.requestID)
	h.Set("Content-Length", fmt.Sprint(buf.Len()))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(buf.Bytes())
}
