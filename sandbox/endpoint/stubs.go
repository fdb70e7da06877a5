package endpoint

func serveSQSJSON(c *call)   { c.fail(unknownOperation(c.op)) }
func serveEvents(c *call)    { c.fail(unknownOperation(c.op)) }
func serveLogs(c *call)      { c.fail(unknownOperation(c.op)) }
func serveTagging(c *call)   { c.fail(unknownOperation(c.op)) }
func serveSQSQuery(c *call)  { c.fail(invalidAction(c.op)) }
func serveLambda(c *call)    { c.fail(unknownOperation(c.op)) }

func sqsJSONErrorCode(c *call, e interface{}) string { return "x" }
