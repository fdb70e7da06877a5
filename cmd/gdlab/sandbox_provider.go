package main

import (
	"context"

	"github.com/gdlab-dev/gdlab/sandbox/provider"
)

// serveProvider serves the sandbox's terraform provider (hashicorp/aws) over
// the plugin protocol when terraform starts gdlab from the filesystem mirror.
// The sandbox provider sets it (sandbox/provider); until then the hidden
// command says it is not built.
var serveProvider func(ctx context.Context) error

func init() { serveProvider = provider.Serve }

func runSandboxProvider(ctx context.Context) error {
	if serveProvider == nil {
		return notBuilt("gdlab sandbox provider")
	}
	return serveProvider(ctx)
}
