package endpoint

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Smithy RPC v2 CBOR: newer SDK clients (e.g. the Resource Groups Tagging API
// client) POST /service/<Service>/operation/<Op> with a CBOR body. The sandbox
// converts CBOR to JSON on the way in and back on the way out, so each
// service is written once against the JSON shapes, which are the same.

// rpcv2Target turns an RPC v2 path into the X-Amz-Target it stands for.
func rpcv2Target(c *call) (string, bool) {
	if c.r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		return "", false
	}
	rest, ok := strings.CutPrefix(c.r.URL.Path, "/service/")
	if !ok {
		return "", false
	}
	service, op, ok := strings.Cut(rest, "/operation/")
	if !ok {
		return "", false
	}
	return service + "." + op, true
}

// cborToJSON rewrites a CBOR request body as JSON.
func cborToJSON(body []byte) ([]byte, error) {
	if len(body) == 0 {
		return nil, nil
	}
	v, err := cbor.Decode(body)
	if err != nil {
		return nil, err
	}
	g, err := fromCBOR(v, 0)
	if err != nil {
		return nil, err
	}
	return json.Marshal(g)
}

func fromCBOR(v cbor.Value, depth int) (any, error) {
	if depth > 64 {
		return nil, fmt.Errorf("cbor nests too deeply")
	}
	switch x := v.(type) {
	case cbor.Map:
		m := make(map[string]any, len(x))
		for k, e := range x {
			g, err := fromCBOR(e, depth+1)
			if err != nil {
				return nil, err
			}
			m[k] = g
		}
		return m, nil
	case cbor.List:
		l := make([]any, len(x))
		for i, e := range x {
			g, err := fromCBOR(e, depth+1)
			if err != nil {
				return nil, err
			}
			l[i] = g
		}
		return l, nil
	case cbor.String:
		return string(x), nil
	case cbor.Uint:
		return json.Number(strconv.FormatUint(uint64(x), 10)), nil
	case cbor.NegInt:
		return json.Number("-" + strconv.FormatUint(uint64(x), 10)), nil
	case cbor.Bool:
		return bool(x), nil
	case cbor.Float32:
		return float64(x), nil
	case cbor.Float64:
		return float64(x), nil
	case cbor.Slice:
		return base64.StdEncoding.EncodeToString(x), nil
	case *cbor.Tag:
		return fromCBOR(x.Value, depth+1)
	case *cbor.Nil, *cbor.Undefined, nil:
		return nil, nil
	}
	return nil, fmt.Errorf("unsupported cbor value %T", v)
}

// jsonToCBOR re-encodes a JSON document as CBOR.
func jsonToCBOR(doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return cbor.Encode(toCBOR(v)), nil
}

func toCBOR(v any) cbor.Value {
	switch x := v.(type) {
	case map[string]any:
		m := make(cbor.Map, len(x))
		for k, e := range x {
			m[k] = toCBOR(e)
		}
		return m
	case []any:
		l := make(cbor.List, len(x))
		for i, e := range x {
			l[i] = toCBOR(e)
		}
		return l
	case string:
		return cbor.String(x)
	case bool:
		return cbor.Bool(x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			if i < 0 {
				return cbor.NegInt(uint64(-(i + 1)))
			}
			return cbor.Uint(uint64(i))
		}
		f, _ := x.Float64()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return cbor.Float64(0)
		}
		return cbor.Float64(f)
	}
	return &cbor.Nil{}
}

func writeCBOR(c *call, status int, jsonDoc []byte) {
	body, err := jsonToCBOR(jsonDoc)
	if err != nil {
		status = http.StatusInternalServerError
		body = cbor.Encode(cbor.Map{"__type": cbor.String("InternalFailure"), "message": cbor.String("response encoding failed")})
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/cbor")
	h.Set("Smithy-Protocol", "rpc-v2-cbor")
	h.Set("X-Amzn-RequestId", c.requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body)
}
