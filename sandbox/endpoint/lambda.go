package endpoint

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// Lambda speaks REST-JSON under /2015-03-31/ with PascalCase members.

func lambdaNotFound(s *world.State, ref string) *world.Error {
	arn := ref
	if !strings.HasPrefix(ref, "arn:") {
		arn = "arn:aws:lambda:" + s.Region + ":" + world.Account + ":function:" + ref
	}
	return apiError(http.StatusNotFound, "ResourceNotFoundException", "Function not found: %s", arn)
}

func serveLambda(c *call) {
	rest, ok := strings.CutPrefix(c.r.URL.EscapedPath(), "/2015-03-31/functions")
	if !ok {
		c.fail(unknownOperation(c.r.Method + " " + c.r.URL.Path))
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	s := c.world.Snapshot()
	if len(parts) == 1 && parts[0] == "" {
		if c.r.Method != http.MethodGet {
			c.fail(unknownOperation(c.r.Method + " " + c.r.URL.Path))
			return
		}
		c.op = "ListFunctions"
		listFunctions(c, s)
		return
	}
	fn := world.FunctionOf(s, parts[0])
	sub := ""
	if len(parts) > 1 {
		sub = strings.Join(parts[1:], "/")
	}
	if c.r.Method != http.MethodGet || (sub != "" && sub != "configuration" && sub != "policy") {
		c.op = c.r.Method + " " + sub
		c.fail(unknownOperation(c.r.Method + " " + c.r.URL.Path))
		return
	}
	if fn == nil {
		c.fail(lambdaNotFound(s, parts[0]))
		return
	}
	switch sub {
	case "":
		c.op = "GetFunction"
		writeJSON(c, http.StatusOK, map[string]any{
			"Configuration": functionConfiguration(s, fn),
			"Code":          map[string]any{"RepositoryType": "S3", "Location": c.world.Endpoint() + "/_gdlab/v1/lambda/" + fn.ID + ".zip"},
			"Tags":          world.Tags(fn),
		})
	case "configuration":
		c.op = "GetFunctionConfiguration"
		writeJSON(c, http.StatusOK, functionConfiguration(s, fn))
	case "policy":
		c.op = "GetPolicy"
		perms := s.PermissionsOf(fn)
		if len(perms) == 0 {
			c.fail(apiError(http.StatusNotFound, "ResourceNotFoundException", "The resource you requested does not exist."))
			return
		}
		writeJSON(c, http.StatusOK, map[string]any{"Policy": functionPolicy(fn, perms), "RevisionId": revisionID(fn)})
	}
}

func revisionID(fn *world.Resource) string {
	h := world.Str(fn.Attrs, "code_sha256") + world.Str(fn.Attrs, "last_modified")
	sum := 0
	for _, c := range h {
		sum = sum*31 + int(c)
	}
	x := strconv.FormatInt(int64(sum&0x7fffffffffff), 16)
	for len(x) < 12 {
		x = "0" + x
	}
	return "00000000-0000-4000-8000-" + x[:12]
}

func functionConfiguration(s *world.State, fn *world.Resource) map[string]any {
	a := fn.Attrs
	out := map[string]any{
		"FunctionName": fn.ID, "FunctionArn": world.Str(a, "arn"), "Runtime": world.Str(a, "runtime"),
		"Role": world.Str(a, "role"), "Handler": world.Str(a, "handler"), "CodeSize": int(world.Num(a, "source_code_size", 0)),
		"Description": world.Str(a, "description"), "Timeout": int(world.Num(a, "timeout", 3)),
		"MemorySize": int(world.Num(a, "memory_size", 128)), "LastModified": world.Str(a, "last_modified"),
		"CodeSha256": world.Str(a, "code_sha256"), "Version": "$LATEST", "RevisionId": revisionID(fn),
		"State": "Active", "LastUpdateStatus": "Successful", "PackageType": world.Str(a, "package_type"),
		"Architectures":    world.Strs(a, "architectures"),
		"TracingConfig":    map[string]any{"Mode": world.Str(world.Block(a, "tracing_config"), "mode")},
		"EphemeralStorage": map[string]any{"Size": int(world.Num(world.Block(a, "ephemeral_storage"), "size", 512))},
		"SnapStart":        map[string]any{"ApplyOn": "None", "OptimizationStatus": "Off"},
	}
	if lc := world.Block(a, "logging_config"); lc != nil {
		out["LoggingConfig"] = map[string]any{"LogFormat": world.Str(lc, "log_format"), "LogGroup": world.Str(lc, "log_group")}
	}
	if env := world.Block(a, "environment"); env != nil {
		out["Environment"] = map[string]any{"Variables": world.StrMap(env, "variables")}
	}
	return out
}

// functionPolicy renders the permissions as Lambda's resource policy document.
func functionPolicy(fn *world.Resource, perms []*world.Resource) string {
	var stmts []any
	for _, p := range perms {
		a := p.Attrs
		principal := world.Str(a, "principal")
		var pr any = map[string]any{"Service": principal}
		switch {
		case principal == "*":
			pr = "*"
		case !strings.Contains(principal, "."):
			acct := principal
			if !strings.HasPrefix(acct, "arn:") {
				acct = "arn:aws:iam::" + acct + ":root"
			}
			pr = map[string]any{"AWS": acct}
		}
		resource := world.Str(fn.Attrs, "arn")
		if q := world.Str(a, "qualifier"); q != "" {
			resource += ":" + q
		}
		st := map[string]any{"Sid": p.ID, "Effect": "Allow", "Principal": pr, "Action": world.Str(a, "action"), "Resource": resource}
		cond := map[string]any{}
		if src := world.Str(a, "source_arn"); src != "" {
			cond["ArnLike"] = map[string]any{"AWS:SourceArn": src}
		}
		if acct := world.Str(a, "source_account"); acct != "" {
			cond["StringEquals"] = map[string]any{"AWS:SourceAccount": acct}
		}
		if len(cond) > 0 {
			st["Condition"] = cond
		}
		stmts = append(stmts, st)
	}
	var b strings.Builder
	_ = jsonEncode(&b, map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": stmts})
	return strings.TrimSpace(b.String())
}

func listFunctions(c *call, s *world.State) {
	q := c.r.URL.Query()
	max := 50
	if v := q.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			c.fail(validation("1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint", v))
			return
		}
		max = min(n, 50)
	}
	offset, ok := parsePageToken(q.Get("Marker"))
	if !ok {
		c.fail(apiError(http.StatusBadRequest, "InvalidParameterValueException", "Invalid marker."))
		return
	}
	fns := []map[string]any{}
	for _, fn := range s.List("aws_lambda_function") {
		fns = append(fns, functionConfiguration(s, fn))
	}
	start, end, next := page(len(fns), offset, max)
	out := map[string]any{"Functions": fns[start:end]}
	if next != "" {
		out["NextMarker"] = next
	}
	writeJSON(c, http.StatusOK, out)
}
