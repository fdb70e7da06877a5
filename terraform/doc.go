// Package terraform runs the lab's Terraform through terraform-exec.
//
// A Workspace is the lab folder: it materialises the embedded root fragments
// and modules, the variables file and the .gdlab/ journal folder, and holds an
// exclusive lock on the folder while gdlab works in it. A Runner drives the
// terraform binary in that folder: init only when modules or providers
// changed, plan to a saved plan file, apply exactly that plan, destroy and
// read outputs. Terraform's machine-readable UI stream is parsed into typed
// events; everything terraform prints goes to .gdlab/terraform.log and
// nothing to the terminal.
package terraform
