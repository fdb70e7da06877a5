// Package endpoint is the sandbox's AWS-compatible HTTP endpoint: one handler
// that speaks each service's wire protocol (query/XML, EC2 query, JSON 1.0/1.1,
// REST-JSON, REST-XML) over the world, plus the private resource API of
// sandbox/API.md under /_gdlab/v1/. It listens on loopback only.
package endpoint
