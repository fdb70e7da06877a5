package steps

import (
	"log/slog"

	"github.com/gdlab-dev/gdlab/steps/probe"
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func probeReport(existingDetector string) probe.PreflightReport {
	return probe.PreflightReport{Ready: true, Region: "us-west-2", Account: "123456789012", ExistingDetectorID: existingDetector}
}
