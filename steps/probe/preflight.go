package probe

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// PreflightOptions are the inputs of Preflight. Zero values mean: the SDK's
// defaults, terraform and go from PATH, 30 seconds in all.
type PreflightOptions struct {
	Profile string
	Region  string
	Email   string
	// TerraformPath and GoPath override the binaries looked up on PATH.
	TerraformPath string
	GoPath        string
	// Timeout bounds the whole preflight, so a hanging credential source
	// (an instance-metadata lookup off EC2) cannot hang `gdlab doctor`.
	Timeout time.Duration
	// ProberOptions are passed to New (endpoints for tests and the sandbox).
	ProberOptions []Option
}

// PreflightReport is what Preflight found. Ready is false when any check
// failed; warnings do not block.
type PreflightReport struct {
	Ready     bool   `json:"ready"`
	Region    string `json:"region"`
	Account   string `json:"account,omitempty"`
	CallerARN string `json:"caller_arn,omitempty"`
	// ExistingDetectorID is the GuardDuty detector that was in the region
	// before the lab; the lab reuses it (terraform variable
	// existing_detector_id) and cleanup leaves it alone.
	ExistingDetectorID string        `json:"existing_detector_id,omitempty"`
	TerraformVersion   string        `json:"terraform_version,omitempty"`
	GoVersion          string        `json:"go_version,omitempty"`
	Checks             []CheckResult `json:"checks"`
}

// Preflight check IDs, in the order Preflight reports them.
const (
	CheckCredentials = "preflight.credentials"
	CheckRegion      = "preflight.region"
	CheckTerraform   = "preflight.terraform"
	CheckGo          = "preflight.go"
	CheckGuardDuty   = "preflight.guardduty"
	CheckEmail       = "preflight.email"
)

// fallbackRegion is enabled in every standard account, so credentials and
// the region list can still be checked from it when the chosen region fails.
const fallbackRegion = "us-east-1"

// Preflight checks what the lab needs before step 2: usable credentials and
// who they belong to, an enabled region, terraform >= 1.5, the Go toolchain,
// any GuardDuty detector already in the region, and the email address.
func Preflight(ctx context.Context, opts PreflightOptions) PreflightReport {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()

	report := PreflightReport{Region: opts.Region}
	add := func(id, title string, r Result) {
		report.Checks = append(report.Checks, CheckResult{ID: id, Step: 1, Title: title, Result: r})
	}

	awsResults := preflightAWS(ctx, opts, &report)
	for _, r := range awsResults {
		add(r.ID, r.Title, r.Result)
	}

	tf, tfVersion := checkTerraformVersion(ctx, opts.TerraformPath)
	report.TerraformVersion = tfVersion
	add(CheckTerraform, "Terraform 1.5 or newer", tf)

	goResult, goVersion := checkGoToolchain(ctx, opts.GoPath)
	report.GoVersion = goVersion
	add(CheckGo, "Go toolchain (builds the Lambda)", goResult)

	add(CheckEmail, "Email address for the alerts", checkEmail(opts.Email))

	report.Ready = true
	for _, c := range report.Checks {
		if c.Status == StatusFail {
			report.Ready = false
		}
	}
	return report
}

// preflightAWS runs the checks that need the account: credentials, region,
// GuardDuty. Once credentials fail the others are skipped, not failed, so
// the report shows one cause instead of three symptoms.
func preflightAWS(ctx context.Context, opts PreflightOptions, report *PreflightReport) []CheckResult {
	results := []CheckResult{
		{ID: CheckCredentials, Title: "AWS credentials", Step: 1},
		{ID: CheckRegion, Title: "Region exists and is enabled", Step: 1},
		{ID: CheckGuardDuty, Title: "GuardDuty detector in the region", Step: 1},
	}
	needCreds := skipped("Needs working credentials.", "")
	results[1].Result, results[2].Result = needCreds, needCreds

	cfg, err := LoadConfig(ctx, opts.Profile, opts.Region)
	if err != nil {
		results[0].Result = configProblem(err)
		return results
	}
	report.Region = cfg.Region
	const whoami = "aws sts get-caller-identity"

	if cfg.Credentials == nil {
		sentence, fix := explain(fmt.Errorf("failed to retrieve credentials"), opts.Profile)
		results[0].Result = fail(sentence, fix, whoami)
		return results
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		sentence, fix := explain(err, opts.Profile)
		results[0].Result = fail(sentence, fix, whoami)
		return results
	}

	p := New(cfg, opts.ProberOptions...)
	id, err := p.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	regionBroken := false
	if err != nil {
		kind := classify(err)
		if kind != problemInvalidCredentials && kind != problemUnreachable || cfg.Region == fallbackRegion {
			sentence, fix := explain(err, opts.Profile)
			results[0].Result = fail(sentence, fix, whoami)
			return results
		}
		// Keys valid in the partition are refused by a disabled opt-in
		// region, and a misspelt region has no endpoint: ask us-east-1
		// before blaming the credentials.
		fallbackCfg := cfg.Copy()
		fallbackCfg.Region = fallbackRegion
		p = New(fallbackCfg, opts.ProberOptions...)
		id, err = p.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			sentence, fix := explain(err, opts.Profile)
			results[0].Result = fail(sentence, fix, whoami)
			return results
		}
		regionBroken = true
	}
	report.Account = aws.ToString(id.Account)
	report.CallerARN = aws.ToString(id.Arn)
	results[0].Result = pass(fmt.Sprintf("Account %s as %s.", report.Account, report.CallerARN), whoami)

	results[1].Result = checkRegionEnabled(ctx, p, cfg.Region)
	if regionBroken && results[1].Status == StatusPass {
		results[1].Result = fail(fmt.Sprintf("Region %s is listed but does not answer with these credentials.", cfg.Region),
			"Check that the region is enabled for this account, or use --region us-west-2.", results[1].Command)
	}
	if results[1].Status == StatusFail {
		results[2].Result = skipped("Needs an enabled region.", "")
		return results
	}
	results[2].Result = checkExistingDetector(ctx, p, report)
	return results
}

func configProblem(err error) Result {
	if pe, ok := err.(*ProfileNotFoundError); ok {
		return fail(fmt.Sprintf("The AWS profile %q does not exist in ~/.aws/config or ~/.aws/credentials.", pe.Profile),
			fmt.Sprintf("Create it with `aws configure --profile %s` (or `aws configure sso`), pick another with --profile, or run offline with `gdlab --sandbox`.", pe.Profile),
			"aws configure list-profiles")
	}
	return fail("The AWS configuration could not be read: "+rootCause(err)+".",
		"Check ~/.aws/config and the AWS_* environment variables.", "aws configure list")
}

func checkRegionEnabled(ctx context.Context, p *Prober, region string) Result {
	command := fmt.Sprintf("aws ec2 describe-regions --all-regions --region-names %s", region)
	out, err := p.ec2.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
	if err != nil {
		sentence, fix := explain(err, "")
		return fail("The region list could not be read: "+sentence, fix, command)
	}
	for _, r := range out.Regions {
		if aws.ToString(r.RegionName) != region {
			continue
		}
		switch status := aws.ToString(r.OptInStatus); status {
		case "not-opted-in":
			return fail(fmt.Sprintf("Region %s is not enabled for this account.", region),
				"Enable it under Account → AWS Regions, or pick an enabled one with --region (the tutorial uses us-west-2).", command)
		default:
			return pass(fmt.Sprintf("Region %s is enabled (%s).", region, status), command)
		}
	}
	return fail(fmt.Sprintf("Region %q does not exist.", region),
		"Pick a real region with --region, e.g. us-west-2 (`aws ec2 describe-regions` lists them).", command)
}

func checkExistingDetector(ctx context.Context, p *Prober, report *PreflightReport) Result {
	command := "aws guardduty list-detectors --region " + p.region
	out, err := p.gd.ListDetectors(ctx, &guardduty.ListDetectorsInput{})
	if err != nil {
		return errResult(err, command)
	}
	if len(out.DetectorIds) == 0 {
		return pass("No detector yet: the lab will create one and delete it at cleanup (GuardDuty's 30-day trial starts if this region never had it).", command)
	}
	report.ExistingDetectorID = out.DetectorIds[0]
	detail := fmt.Sprintf("Detector %s already exists: the lab will reuse it, and cleanup will leave it (and its findings) alone.", report.ExistingDetectorID)
	d, err := p.gd.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(report.ExistingDetectorID)})
	if err != nil {
		return pass(detail, command)
	}
	if d.Status != "ENABLED" {
		return warn(detail+" It is "+string(d.Status)+".",
			"Enable it (`aws guardduty update-detector --detector-id "+report.ExistingDetectorID+" --enable`) or no finding will appear.", command)
	}
	return pass(detail, command)
}
