// Package world is the state of the sandbox account: the resources Terraform
// created (stored generically by Terraform type and id, with the hashicorp/aws
// provider's attribute names), the S3 object store, and the dynamic state the
// incident needs (findings, mail, queue messages, log events, the clock).
//
// A World is persisted as JSON in the lab folder after every change with an
// atomic write, so a later gdlab process sees exactly what an earlier one left.
// See sandbox/API.md for the contract with the endpoint and the provider.
package world
