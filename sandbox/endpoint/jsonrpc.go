package endpoint

import (
	"net/http"
)

// jsonPage reads a NextToken/limit pair of the JSON services.
func (c *call) jsonPage(token string, limit *int, maxLimit int) (offset, max int, ok bool) {
	max = maxLimit
	if limit != nil {
		if *limit < 1 || *limit > maxLimit {
			c.fail(validation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *limit, maxLimit))
			return 0, 0, false
		}
		max = *limit
	}
	offset, good := parsePageToken(token)
	if !good {
		c.fail(apiError(http.StatusBadRequest, "InvalidNextTokenException", "The NextToken is not valid."))
		return 0, 0, false
	}
	return offset, max, true
}
