package endpoint

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// valueString renders a JSON value as criteria compare it (strings as is).
func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return fmt.Sprint(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// numericValue reads numbers and timestamps (as epoch milliseconds).
func numericValue(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return float64(t.UnixMilli()), true
		}
	}
	return 0, false
}
