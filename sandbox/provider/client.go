package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// worldClient calls the sandbox world's private resource API (sandbox/API.md).
type worldClient struct {
	base string // e.g. http://127.0.0.1:4566
	http *http.Client
}

// errNotFound is the world's 404: the resource is gone.
var errNotFound = errors.New("not found")

// apiError is an error answer of the private API, carrying the AWS error code.
type apiError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Err     string `json:"error"`
}

func (e *apiError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Err
	}
	code := e.Code
	if code == "" {
		code = http.StatusText(e.Status)
	}
	return fmt.Sprintf("StatusCode: %d, api error %s: %s", e.Status, code, msg)
}

// resourceAnswer is the body of a resource answer.
type resourceAnswer struct {
	ID    string         `json:"id"`
	Attrs map[string]any `json:"attrs"`
}

func newWorldClient(endpoint string) (*worldClient, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("AWS_ENDPOINT_URL %q is not an http URL", endpoint)
	}
	return &worldClient{
		base: strings.TrimRight(endpoint, "/"),
		http: &http.Client{Timeout: 60 * time.Second},
	}, nil
}

func (c *worldClient) resourceURL(typeName, id string) string {
	u := c.base + "/_gdlab/v1/resources/" + url.PathEscape(typeName)
	if id != "" {
		u += "/" + url.PathEscape(id)
	}
	return u
}

// create posts planned attributes; cwd lets the world resolve relative file paths
// (`filename`, `source`) the way the real provider does, from terraform's working directory.
func (c *worldClient) create(ctx context.Context, typeName string, attrs map[string]any, cwd string) (*resourceAnswer, error) {
	var out resourceAnswer
	err := c.do(ctx, http.MethodPost, c.resourceURL(typeName, ""), map[string]any{"attrs": attrs, "cwd": cwd}, &out)
	return &out, err
}

func (c *worldClient) read(ctx context.Context, typeName, id string) (*resourceAnswer, error) {
	var out resourceAnswer
	err := c.do(ctx, http.MethodGet, c.resourceURL(typeName, id), nil, &out)
	return &out, err
}

func (c *worldClient) update(ctx context.Context, typeName, id string, attrs map[string]any, cwd string) (*resourceAnswer, error) {
	var out resourceAnswer
	err := c.do(ctx, http.MethodPut, c.resourceURL(typeName, id), map[string]any{"attrs": attrs, "cwd": cwd}, &out)
	return &out, err
}

func (c *worldClient) delete(ctx context.Context, typeName, id string) error {
	return c.do(ctx, http.MethodDelete, c.resourceURL(typeName, id), nil, nil)
}

func (c *worldClient) data(ctx context.Context, typeName string, args map[string]any) (map[string]any, error) {
	var out struct {
		Attrs map[string]any `json:"attrs"`
	}
	err := c.do(ctx, http.MethodPost, c.base+"/_gdlab/v1/data/"+url.PathEscape(typeName), map[string]any{"args": args}, &out)
	return out.Attrs, err
}

func (c *worldClient) do(ctx context.Context, method, u string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("the sandbox endpoint does not answer (is gdlab's sandbox running?): %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNotFound && method != http.MethodPost {
		return errNotFound
	}
	if resp.StatusCode >= 300 {
		e := &apiError{Status: resp.StatusCode}
		if json.Unmarshal(data, e) != nil || (e.Code == "" && e.Message == "" && e.Err == "") {
			e.Message = strings.TrimSpace(string(data))
		}
		return e
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := decodeJSON(data, out); err != nil {
		return fmt.Errorf("the sandbox endpoint answered %s %s with invalid JSON: %w", method, u, err)
	}
	return nil
}
