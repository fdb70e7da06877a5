package endpoint

import "github.com/gdlab-dev/gdlab/sandbox/world"

type getCallerIdentityResult struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

func serveSTS(c *call) {
	switch c.op {
	case "GetCallerIdentity":
		writeEnvelope(c, getCallerIdentityResult{Arn: world.CallerARN, UserID: world.CallerUserID, Account: world.Account})
	default:
		c.fail(invalidAction(c.op))
	}
}
