package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/steps/probe"
)

func TestValidateEmail(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"learner@example.com", true},
		{"  learner@example.com ", true},
		{"", false},
		{"learner", false},
		{"learner@localhost", false},
		{"Learner <learner@example.com>", false},
		{"a@b@example.com", false},
	} {
		if err := validateEmail(tt.in); (err == nil) != tt.ok {
			t.Errorf("validateEmail(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestAWSChoiceLabel(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	got := awsChoiceLabel(probe.PreflightReport{Account: "123456789012", Region: "eu-west-1", ExistingDetectorID: "d1"}, now)
	want := "AWS account 123456789012 in eu-west-1 (detector will be reused: yes), est. $0.03/h"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := awsChoiceLabel(probe.PreflightReport{Account: "1", Region: "r"}, now); !strings.Contains(got, "reused: no") {
		t.Errorf("no detector: %q", got)
	}
}
