package lambda

import "testing"

var labConfig = Config{
	InstanceID:  "i-0abc1234def567890",
	ForensicsSG: "sg-0f0f0f0f0f0f0f0f0",
	TopicARN:    "arn:aws:sns:us-west-2:123456789012:gdlab-test",
}

// finding returns the lab's finding event with edit applied.
func finding(t testing.TB, edit func(*FindingEvent)) FindingEvent {
	t.Helper()
	ev, err := DecodeFindingEvent(readEvent(t, "finding_event.json"))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&ev)
	}
	return ev
}

func TestDecide(t *testing.T) {
	cases := []struct {
		name       string
		edit       func(*FindingEvent)
		wantTarget string
		wantReason string
	}{
		{"the lab's finding", nil, labConfig.InstanceID, ""},
		{"other source", func(e *FindingEvent) { e.Source = "aws.securityhub" }, "", ReasonNotFinding},
		{"other detail-type", func(e *FindingEvent) { e.DetailType = "Scheduled Event" }, "", ReasonNotFinding},
		{"sample flag", func(e *FindingEvent) { e.Detail.Service.AdditionalInfo.Sample = true }, "", ReasonSampleFlag},
		{"placeholder instance id", func(e *FindingEvent) { e.Detail.Resource.InstanceDetails.InstanceID = "i-99999999" }, "", ReasonSampleID},
		{"sample title", func(e *FindingEvent) { e.Detail.Title = "[SAMPLE] " + e.Detail.Title }, "", ReasonSampleTitle},
		{"IAM finding", func(e *FindingEvent) {
			e.Detail.Resource = Resource{ResourceType: "AccessKey"}
		}, "", ReasonNotEC2},
		{"empty instance id", func(e *FindingEvent) { e.Detail.Resource.InstanceDetails.InstanceID = "" }, "", ReasonNotEC2},
		{"another instance", func(e *FindingEvent) { e.Detail.Resource.InstanceDetails.InstanceID = "i-0123456789abcdef0" }, "", ReasonOtherInstance},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(finding(t, tc.edit), labConfig)
			if d.Target != tc.wantTarget || d.Reason != tc.wantReason {
				t.Errorf("Decide = %+v, want target %q reason %q", d, tc.wantTarget, tc.wantReason)
			}
		})
	}
}

func TestDecideRealSampleFinding(t *testing.T) {
	ev, err := DecodeFindingEvent(readEvent(t, "sample_finding_event.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Even when the lab were (wrongly) configured with the placeholder id,
	// a sample finding is never acted on.
	cfg := labConfig
	cfg.InstanceID = "i-99999999"
	if d := Decide(ev, cfg); d.Target != "" || d.Reason != ReasonSampleFlag {
		t.Errorf("Decide(sample) = %+v, want skipped as a sample", d)
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"complete", labConfig, true},
		{"empty", Config{}, false},
		{"group name instead of id", Config{InstanceID: "i-1", ForensicsSG: "FORENSIC_SG", TopicARN: "arn:aws:sns:x"}, false},
		{"topic name instead of arn", Config{InstanceID: "i-1", ForensicsSG: "sg-1", TopicARN: "gdlab"}, false},
		{"instance name", Config{InstanceID: "compromised", ForensicsSG: "sg-1", TopicARN: "arn:aws:sns:x"}, false},
	}
	for _, tc := range cases {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("INSTANCE_ID", " "+labConfig.InstanceID+"\n")
	t.Setenv("FORENSICS_SG", labConfig.ForensicsSG)
	t.Setenv("TOPIC_ARN", labConfig.TopicARN)
	cfg, err := ConfigFromEnv()
	if err != nil || cfg != labConfig {
		t.Fatalf("ConfigFromEnv = %+v, %v", cfg, err)
	}
	t.Setenv("TOPIC_ARN", "")
	if _, err := ConfigFromEnv(); err == nil {
		t.Fatal("ConfigFromEnv without TOPIC_ARN succeeded")
	}
}
