package world

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is a failure the real AWS API would report, with its error code and
// HTTP status, so each protocol can render it in its own shape.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the generic "no such resource" of the private API.
func NotFound(format string, args ...any) *Error {
	return errorf(http.StatusNotFound, "NotFound", format, args...)
}

// Invalid is the generic invalid-argument error.
func Invalid(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, "InvalidParameterValue", format, args...)
}

// AsError unwraps err to an *Error, turning anything else into a 500.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: err.Error()}
}

// IsNotFound reports whether err is a world 404.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}
