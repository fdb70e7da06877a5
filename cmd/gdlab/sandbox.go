package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox"
	"github.com/gdlab-dev/gdlab/sandbox/endpoint"
	"github.com/gdlab-dev/gdlab/sandbox/world"
	"github.com/gdlab-dev/gdlab/terraform"
	"github.com/spf13/cobra"
)

func newSandboxCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "The offline sandbox",
	}
	var port int
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the lab folder's sandbox AWS endpoint alone, for the AWS CLI",
		Long: `Serve the sandbox world of the lab folder (--dir) on 127.0.0.1 so that the
AWS CLI and SDKs can look at it: point them at the printed endpoint with any
credentials. Stop with Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if port < 0 || port > 65535 {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("--port %d is not a port", port)}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serveSandbox(ctx, cmd.OutOrStdout(), g, port)
		},
	}
	serve.Flags().IntVar(&port, "port", 0, "port on 127.0.0.1 (default: a free one)")
	provider := &cobra.Command{
		Use:    "provider",
		Short:  "Serve the sandbox terraform provider (started by terraform, not by hand)",
		Hidden: true,
		Args:   cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSandboxProvider(cmd.Context())
		},
	}
	cmd.AddCommand(serve, provider, newSandboxLambdaCommand())
	return cmd
}

func serveSandbox(ctx context.Context, out io.Writer, g *globalFlags, port int) error {
	// One process per lab folder: a running gdlab already serves this
	// world, and two servers would each keep their own copy of it.
	ws, err := terraform.OpenWorkspace(g.dir)
	var locked *terraform.LockedError
	if errors.As(err, &locked) {
		return &exitError{code: exitFailed, msg: alreadyServing(locked, sandbox.RunningEndpoint(g.dir))}
	}
	if err != nil {
		return err
	}
	defer ws.Close()
	w, err := world.Open(g.dir, g.region)
	if err != nil {
		return err
	}
	// The world's clock keeps running while served (nothing else happens
	// without the incident engine); --time-scale sets its pace, as for run.
	if g.timeScale > 0 {
		if err := w.SetClockScale(float64(g.timeScale)); err != nil {
			return err
		}
	}
	srv, err := endpoint.Start(w, endpoint.LoopbackAddr(port))
	if err != nil {
		return err
	}
	if err := sandbox.RecordEndpoint(g.dir, srv.URL); err != nil {
		return err
	}
	defer sandbox.ForgetEndpoint(g.dir)
	region := w.Region()
	detector := "$(aws --endpoint-url " + srv.URL + " guardduty list-detectors --query 'DetectorIds[0]' --output text)"
	var scale float64
	w.View(func(s *world.State) {
		if d := s.List("aws_guardduty_detector"); len(d) > 0 {
			detector = d[0].ID
		}
		scale = s.Clock.Scale
	})
	fmt.Fprintf(out, `gdlab sandbox (simulated AWS) serving %s
  world:    %s
  account:  %s   region: %s
  endpoint: %s
  clock:    simulated, %sx real time (--time-scale)

Any credentials work; for example:
  export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_REGION=%s
  aws --endpoint-url %s guardduty list-findings --detector-id %s

Ctrl-C stops the endpoint; the world stays in the lab folder.
`, g.dir, w.Path(), world.Account, region, srv.URL, strconv.FormatFloat(scale, 'g', -1, 64),
		region, srv.URL, detector)

	select {
	case <-ctx.Done():
	case <-srv.Done():
		return srv.Err()
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Close(shutdown); err != nil {
		return err
	}
	fmt.Fprintln(out, "sandbox endpoint stopped")
	return nil
}

// alreadyServing tells the learner where the running gdlab serves the
// sandbox, so the AWS CLI can look at the same world.
func alreadyServing(locked *terraform.LockedError, url string) string {
	who := "another gdlab process"
	if locked.PID > 0 {
		who = fmt.Sprintf("gdlab (pid %d)", locked.PID)
	}
	if url == "" {
		return who + " is working in this lab folder; serve its sandbox after it has finished"
	}
	return fmt.Sprintf("%s is running this lab and already serves its sandbox at %s; point the AWS CLI there (aws --endpoint-url %s …)", who, url, url)
}
