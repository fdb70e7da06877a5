// Package terraform runs the lab's Terraform through terraform-exec.
//
// A Workspace is the lab folder. OpenWorkspace takes an flock on
// .gdlab/lock (the kernel releases it when the process ends, crash
// included), so a second gdlab in the same folder gets a *LockedError naming
// the pid. Workspace.Write materialises the root fragments of a step, every
// module, and gdlab.auto.tfvars.json holding only the variables that root
// declares. Each written file's sha256 goes to .gdlab/manifest.json; a file
// whose content differs from what gdlab wrote is the learner's edit and is
// kept and reported (WriteResult.Edited) unless the caller asks to restore.
//
// A Runner drives the terraform binary in the workspace, one command at a
// time:
//
//   - Init runs `terraform init` only when the modules or providers the
//     configuration asks for (or the CLI config in use) changed since the
//     last successful init, or .terraform is missing; the fingerprint lives
//     in .gdlab/init.fingerprint.
//   - Plan saves .gdlab/plan.tfplan and summarises it from the stream;
//     Apply runs exactly that file and removes it, so what the learner
//     reviewed is what runs. ShowPlan gives the full tfjson.Plan on demand.
//   - Destroy, Outputs and State complete the set.
//
// Terraform's machine-readable UI is parsed line by line into Events:
// terraform-json's types for version, log and diagnostic messages, and this
// package's types for the plan/apply hooks it lacks. Everything terraform
// prints goes to .gdlab/terraform.log and nothing to the terminal; outputs
// and state are not copied there, as they may hold secrets.
//
// Cancelling a command's context sends terraform an interrupt and waits up
// to Options.InterruptGrace before a kill, so terraform can stop its
// providers and write state; the next Plan and Apply continue from there.
// Failures come back as *RunError carrying terraform's diagnostics, each
// with a one-line hint for the AWS errors learners meet (HintFor).
//
// The sandbox sets Options.Env and Options.CLIConfigFile to point one
// runner's terraform at its provider mirror; without them terraform sees the
// user's environment and configuration untouched.
package terraform
