package steps

import "github.com/gdlab-dev/gdlab/terraform/lab"

// BaseFragment is the root file every lab folder has from step 1 on: the
// terraform block, the provider with default_tags, and the lab-wide variables.
const BaseFragment = lab.MainFragment

// catalogue is the lab in order. Slices in it are never handed out
// directly; All and ByNumber return copies.
var catalogue = []Step{
	{
		Number:  1,
		Slug:    "initial-configuration",
		Title:   "Initial configuration",
		Summary: "Create the lab folder; check credentials, region, tools and GuardDuty.",
		// main.tf is written at step 1 and declares these; see BaseFragment.
		Variables: []string{"region", "lab_id"},
		Doc:       "step1-initial-configuration.md",
	},
	{
		Number:    2,
		Slug:      "terraform-init",
		Title:     "Terraform init",
		Summary:   "VPC, public subnet, INITIAL_SG, two instances and the malicious EIP.",
		Fragments: []string{"step2_network.tf"},
		Modules:   []string{"vpc", "compute"},
		Doc:       "step2-terraform-init.md",
	},
	{
		Number:    3,
		Slug:      "s3",
		Title:     "S3 buckets",
		Summary:   "A private flow-log bucket with a VPC flow log, and a threat-list bucket.",
		Fragments: []string{"step3_s3.tf"},
		Modules:   []string{"s3"},
		Doc:       "step3-s3.md",
	},
	{
		Number:    4,
		Slug:      "guardduty",
		Title:     "GuardDuty",
		Summary:   "Enable (or reuse) the detector and activate a threat list with the EIP.",
		Fragments: []string{"step4_guardduty.tf"},
		Modules:   []string{"guardduty"},
		Variables: []string{"existing_detector_id"},
		Doc:       "step4-guardduty.md",
	},
	{
		Number:    5,
		Slug:      "sns",
		Title:     "SNS",
		Summary:   "A topic EventBridge may publish to, your email subscription, an SQS tap.",
		Fragments: []string{"step5_sns.tf"},
		Modules:   []string{"sns"},
		Variables: []string{"email"},
		Doc:       "step5-sns.md",
	},
	{
		Number:    6,
		Slug:      "eventbridge",
		Title:     "EventBridge",
		Summary:   "Rules that match threat-list findings and mail a readable summary.",
		Fragments: []string{"step6_eventbridge.tf"},
		Modules:   []string{"eventbridge"},
		Doc:       "step6-eventbridge.md",
	},
	{
		Number:    7,
		Slug:      "lambda",
		Title:     "Lambda",
		Summary:   "A rule-less forensic security group and a Go Lambda that moves the host.",
		Fragments: []string{"step7_lambda.tf"},
		Modules:   []string{"lambda"},
		Variables: []string{"lambda_zip_path"},
		Doc:       "step7-lambda.md",
	},
	{
		Number:  8,
		Slug:    "apply-all",
		Title:   "Apply all",
		Summary: "Plan the whole lab again: no changes expected, every check green.",
		Doc:     "step8-apply-all.md",
	},
	{
		Number:  9,
		Slug:    "verify-the-response",
		Title:   "Verify the response",
		Summary: "Watch the finding, the email and the isolation; time the response.",
		Doc:     "step9-verify-the-response.md",
	},
	{
		Number:  CleanupNumber,
		Kind:    CleanupStep,
		Slug:    "cleanup",
		Title:   "Cleanup",
		Summary: "Destroy the lab and prove nothing tagged with its lab id is left.",
		Doc:     "cleanup.md",
	},
}

// All returns the nine lab steps followed by cleanup.
func All() []Step {
	out := make([]Step, len(catalogue))
	for i, s := range catalogue {
		out[i] = s.clone()
	}
	return out
}

// ByNumber returns the step numbered n (CleanupNumber for cleanup).
func ByNumber(n int) (Step, bool) {
	for _, s := range catalogue {
		if s.Number == n {
			return s.clone(), true
		}
	}
	return Step{}, false
}

// Cleanup returns the cleanup entry.
func Cleanup() Step {
	s, _ := ByNumber(CleanupNumber)
	return s
}

// clone copies the slices so callers cannot edit the catalogue.
func (s Step) clone() Step {
	s.Fragments = append([]string(nil), s.Fragments...)
	s.Modules = append([]string(nil), s.Modules...)
	s.Variables = append([]string(nil), s.Variables...)
	return s
}
