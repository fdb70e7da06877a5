package endpoint

import (
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// The private resource API of sandbox/API.md, used by the sandbox provider.
//
//	POST   /_gdlab/v1/resources/{type}       {"attrs":{…}} → 201 {"id","attrs"}
//	GET    /_gdlab/v1/resources/{type}/{id}                → 200 {"id","attrs"} | 404
//	PUT    /_gdlab/v1/resources/{type}/{id}  {"attrs":{…}} → 200 {"id","attrs"}
//	DELETE /_gdlab/v1/resources/{type}/{id}                → 204 | 404
//	POST   /_gdlab/v1/data/{type}            {"args":{…}}  → 200 {"attrs"} | 404
//
// The id is everything after the type; it may be path-escaped (%2F) since
// some ids are URLs (SQS) or contain ':' and '/'.
// Also: GET /_gdlab/v1/health, GET /_gdlab/v1/world (a snapshot, for
// debugging), GET /_gdlab/v1/sns/confirm?TopicArn=…&Token=… (the link in
// a confirmation email) and GET /_gdlab/v1/lambda/<function>.zip (the code
// GetFunction points at).

const privatePrefix = "/_gdlab/v1/"

func servePrivate(c *call) {
	rest, ok := strings.CutPrefix(c.r.URL.EscapedPath(), privatePrefix)
	if !ok {
		c.fail(world.NotFound("no such sandbox API: %s", c.r.URL.Path))
		return
	}
	section, rest, _ := strings.Cut(rest, "/")
	switch section {
	case "resources":
		serveResources(c, rest)
	case "data":
		serveData(c, rest)
	case "health":
		writeJSON(c, http.StatusOK, map[string]any{"ok": true, "account": world.Account, "region": c.world.Region()})
	case "world":
		if !c.allow(http.MethodGet) {
			return
		}
		writeJSON(c, http.StatusOK, c.world.Snapshot())
	case "sns":
		serveSNSLinks(c, rest)
	case "lambda":
		serveFunctionCode(c, rest)
	default:
		c.fail(world.NotFound("no such sandbox API: %s", c.r.URL.Path))
	}
}

func (c *call) allow(methods ...string) bool {
	for _, m := range methods {
		if c.r.Method == m {
			return true
		}
	}
	c.w.Header().Set("Allow", strings.Join(methods, ", "))
	c.fail(apiError(http.StatusMethodNotAllowed, "MethodNotAllowed", "method %s is not allowed here", c.r.Method))
	return false
}

type resourceBody struct {
	ID    string         `json:"id,omitempty"`
	Attrs map[string]any `json:"attrs"`
}

func serveResources(c *call, rest string) {
	typ, escapedID, hasID := strings.Cut(rest, "/")
	typ, err := url.PathUnescape(typ)
	if err != nil || typ == "" {
		c.fail(world.Invalid("bad resource type"))
		return
	}
	id, err := url.PathUnescape(escapedID)
	if err != nil {
		c.fail(world.Invalid("bad resource id %q", escapedID))
		return
	}
	if !hasID || id == "" {
		if !c.allow(http.MethodPost) {
			return
		}
		var in resourceBody
		if !c.decodePrivate(&in) {
			return
		}
		r, err := c.world.CreateResource(typ, in.Attrs)
		if err != nil {
			c.fail(err)
			return
		}
		writeJSON(c, http.StatusCreated, resourceBody{ID: r.ID, Attrs: r.Attrs})
		return
	}
	switch c.r.Method {
	case http.MethodGet:
		r, err := c.world.ReadResource(typ, id)
		if err != nil {
			c.fail(err)
			return
		}
		writeJSON(c, http.StatusOK, resourceBody{ID: r.ID, Attrs: r.Attrs})
	case http.MethodPut:
		var in resourceBody
		if !c.decodePrivate(&in) {
			return
		}
		r, err := c.world.UpdateResource(typ, id, in.Attrs)
		if err != nil {
			c.fail(err)
			return
		}
		writeJSON(c, http.StatusOK, resourceBody{ID: r.ID, Attrs: r.Attrs})
	case http.MethodDelete:
		if err := c.world.DeleteResource(typ, id); err != nil {
			c.fail(err)
			return
		}
		c.wrote = true
		c.w.WriteHeader(http.StatusNoContent)
	default:
		c.allow(http.MethodGet, http.MethodPut, http.MethodDelete)
	}
}

func (c *call) decodePrivate(v any) bool {
	if !c.decodeJSONBody(v) {
		return false
	}
	return true
}

func serveData(c *call, rest string) {
	if !c.allow(http.MethodPost) {
		return
	}
	typ, err := url.PathUnescape(rest)
	if err != nil || typ == "" {
		c.fail(world.Invalid("bad data source type"))
		return
	}
	var in struct {
		Args map[string]any `json:"args"`
	}
	if !c.decodePrivate(&in) {
		return
	}
	attrs, err := c.world.ReadData(typ, in.Args)
	if err != nil {
		c.fail(err)
		return
	}
	writeJSON(c, http.StatusOK, map[string]any{"attrs": attrs})
}

// serveFunctionCode serves the copy of a function's zip (GetFunction's Code.Location).
func serveFunctionCode(c *call, rest string) {
	name, ok := strings.CutSuffix(rest, ".zip")
	var path string
	c.world.View(func(s *world.State) {
		if fn := s.Find("aws_lambda_function", name); ok && fn != nil {
			path = world.FunctionCodePath(fn)
		}
	})
	data, err := os.ReadFile(path)
	if path == "" || err != nil {
		c.fail(world.NotFound("no deployment package for %q", name))
		return
	}
	c.wrote = true
	c.w.Header().Set("Content-Type", "application/zip")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(data)
}

// serveSNSLinks answers the links in sandbox emails (plain text, no HTML).
func serveSNSLinks(c *call, rest string) {
	q := c.r.URL.Query()
	switch rest {
	case "confirm":
		arn, err := c.world.ConfirmSubscription(q.Get("TopicArn"), q.Get("Token"))
		if err != nil {
			c.fail(err)
			return
		}
		writeText(c, http.StatusOK, "Subscription confirmed!\n\nYou have successfully subscribed.\nYour subscription's id is:\n"+arn+"\n\n(gdlab sandbox: simulated Amazon SNS)\n")
	case "unsubscribe":
		// The footer link of every notification, as in SNS mail.
		arn := q.Get("SubscriptionArn")
		if err := c.world.DeleteResource("aws_sns_topic_subscription", arn); err != nil {
			c.fail(err)
			return
		}
		writeText(c, http.StatusOK, "Subscription removed!\n\nYour subscription to the topic has been removed:\n"+arn+"\n\n(gdlab sandbox: simulated Amazon SNS)\n")
	default:
		c.fail(world.NotFound("no such sandbox SNS link: %s", rest))
	}
}

func writeText(c *call, status int, s string) {
	c.wrote = true
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	c.w.WriteHeader(status)
	_, _ = c.w.Write([]byte(s))
}
