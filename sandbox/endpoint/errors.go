package endpoint

import (
	"fmt"
	"net/http"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

func apiError(status int, code, format string, args ...any) *world.Error {
	return &world.Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// validation is the JSON services' malformed-input error.
func validation(format string, args ...any) *world.Error {
	return apiError(http.StatusBadRequest, "ValidationException", format, args...)
}

func badToken() *world.Error {
	return apiError(http.StatusBadRequest, "InvalidNextTokenException", "The nextToken provided is invalid.")
}
