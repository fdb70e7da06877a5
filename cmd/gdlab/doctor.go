package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/steps/probe"
)

func newDoctorCommand(g *globalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Preflight: credentials, region, terraform, Go, GuardDuty, email",
		Long: `doctor checks what the lab needs before it builds anything: AWS credentials
and whose they are, an enabled region, terraform 1.5 or newer, the Go toolchain
(the Lambda is compiled locally), a GuardDuty detector already in the region
(which the lab then reuses and leaves alone), and the email address.

With --sandbox the same checks run against the lab folder's offline sandbox
(its account is 123456789012), so terraform and Go are what really matters.

Exit status 0 means ready, 1 means something must be fixed first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := probe.PreflightOptions{Profile: g.profile, Region: g.region, Email: g.email}
			if g.sandbox {
				if openSandbox == nil {
					return errSandboxNotBuilt
				}
				// The sandbox target points this process's AWS settings
				// at the sandbox: the preflight code path stays the real one.
				sb, err := openSandbox(cmd.Context(), g)
				if err != nil {
					return fmt.Errorf("starting the sandbox: %w", err)
				}
				if sb.Close != nil {
					defer sb.Close()
				}
				opts = sb.PreflightOptions
				opts.Email = firstNonEmpty(g.email, sb.Email)
			}
			report := probe.Preflight(cmd.Context(), opts)
			return writeReport(cmd.OutOrStdout(), asJSON, report,
				func(w io.Writer) { printPreflight(w, report, startCommand(g)) }, report.Ready)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

// printPreflight prints the report; start is the command that runs the lab
// against the target that was checked.
func printPreflight(w io.Writer, r probe.PreflightReport, start string) {
	fmt.Fprintf(w, "gdlab doctor · region %s\n\n", valueOr(r.Region, "unknown"))
	for _, c := range r.Checks {
		fmt.Fprintf(w, " %s %-34s %s\n", c.Status.Symbol(), c.Title, c.Detail)
		if c.Hint != "" && c.Status != probe.StatusPass {
			fmt.Fprintf(w, "   fix: %s\n", c.Hint)
		}
	}
	fmt.Fprintln(w)
	if r.Ready {
		fmt.Fprintf(w, "Ready: run `%s` to start the lab.\n", start)
		return
	}
	failed := 0
	for _, c := range r.Checks {
		if c.Status == probe.StatusFail {
			failed++
		}
	}
	plural := "s"
	if failed == 1 {
		plural = ""
	}
	fmt.Fprintf(w, "Not ready: %d problem%s to fix first.\n", failed, plural)
}

func valueOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// startCommand is how to run the lab that doctor just checked.
func startCommand(g *globalFlags) string {
	cmd := "gdlab"
	if g.dir != "./gdlab-lab" && g.dir != "" {
		cmd += " --dir " + shellWord(g.dir)
	}
	if g.sandbox {
		cmd += " --sandbox"
	}
	return cmd
}
