package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/lambda/pack"
)

func newLambdaCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lambda",
		Short: "The remediation Lambda function",
	}
	var arch, output string
	build := &cobra.Command{
		Use:   "build [--arch arm64|amd64] [-o FILE.zip]",
		Short: "Build the remediation function as a provided.al2023 zip",
		Long: `build cross-compiles the remediation function (cmd/remediation) for Linux as
"bootstrap" and writes it into a zip for the provided.al2023 runtime. The zip
is deterministic: the same source gives the same bytes, so terraform's
source_code_hash only changes when the function does.

In a clone of gdlab it compiles that source tree. An installed gdlab fetches
its own version of the source through the Go module proxy. Either way the Go
toolchain must be installed (gdlab doctor checks it).`,
		Example: `  gdlab lambda build
  gdlab lambda build --arch amd64 -o remediation.zip`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if arch != "arm64" && arch != "amd64" {
				return usageError("--arch %q: use arm64 or amd64 (the function's architectures, where amd64 is x86_64)", arch)
			}
			if output == "" {
				output = "gdlab-remediation-" + arch + ".zip"
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			res, err := pack.Build(ctx, pack.Options{Arch: arch, Output: output})
			if errors.Is(err, pack.ErrNoGoToolchain) {
				return &exitError{code: exitFailed, msg: err.Error()}
			}
			if err != nil {
				return &exitError{code: exitFailed, msg: "lambda build: " + err.Error()}
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "wrote %s (%.1f MB, linux/%s, from %s)\n", res.Path, float64(res.Size)/1e6, res.Arch, res.Source)
			fmt.Fprintf(out, "source_code_hash = %q\n", res.SHA256Base64)
			return nil
		},
	}
	build.Flags().StringVar(&arch, "arch", "arm64", "arm64 or amd64 (must match the function's architectures)")
	build.Flags().StringVarP(&output, "output", "o", "", "zip file to write (default gdlab-remediation-<arch>.zip)")
	cmd.AddCommand(build)
	return cmd
}
