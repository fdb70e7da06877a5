package world

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func openTemp(t *testing.T) (*World, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := Open(dir, "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	return w, dir
}

func mustCreate(t *testing.T, w *World, typ string, attrs map[string]any) *Resource {
	t.Helper()
	r, err := w.CreateResource(typ, attrs)
	if err != nil {
		t.Fatalf("create %s: %v", typ, err)
	}
	return r
}

// labNetwork builds the lab's step-2 network and instances.
func labNetwork(t *testing.T, w *World) (vpc, subnet, sg, victim, eip *Resource) {
	vpc = mustCreate(t, w, "aws_vpc", map[string]any{"cidr_block": "10.0.0.0/24", "enable_dns_hostnames": true,
		"tags_all": map[string]any{"gdlab:lab": "abc12345"}})
	subnet = mustCreate(t, w, "aws_subnet", map[string]any{"vpc_id": vpc.ID, "cidr_block": "10.0.0.0/26", "map_public_ip_on_launch": true})
	sg = mustCreate(t, w, "aws_security_group", map[string]any{"name": "INITIAL_SG", "vpc_id": vpc.ID,
		"egress": []any{map[string]any{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": []any{"0.0.0.0/0"}}}})
	ami := Images("us-west-2")[0].ID
	victim = mustCreate(t, w, "aws_instance", map[string]any{"ami": ami, "instance_type": "t3.micro",
		"subnet_id": subnet.ID, "vpc_security_group_ids": []any{sg.ID}, "user_data": "#!/bin/bash\nping 203.0.113.10"})
	malicious := mustCreate(t, w, "aws_instance", map[string]any{"ami": ami, "instance_type": "t3.micro",
		"subnet_id": subnet.ID, "vpc_security_group_ids": []any{sg.ID}})
	eip = mustCreate(t, w, "aws_eip", map[string]any{"domain": "vpc", "instance": malicious.ID})
	return
}

func TestComputedAttributes(t *testing.T) {
	w, _ := openTemp(t)
	vpc, subnet, sg, victim, eip := labNetwork(t, w)
	hex17 := `[0-9a-f]{17}`
	checks := []struct {
		name, got, pattern string
	}{
		{"vpc id", vpc.ID, `^vpc-` + hex17 + `$`},
		{"vpc arn", Str(vpc.Attrs, "arn"), `^arn:aws:ec2:us-west-2:123456789012:vpc/vpc-` + hex17 + `$`},
		{"default sg", Str(vpc.Attrs, "default_security_group_id"), `^sg-` + hex17 + `$`},
		{"subnet id", subnet.ID, `^subnet-` + hex17 + `$`},
		{"subnet az", Str(subnet.Attrs, "availability_zone"), `^us-west-2a$`},
		{"subnet az id", Str(subnet.Attrs, "availability_zone_id"), `^usw2-az1$`},
		{"sg id", sg.ID, `^sg-` + hex17 + `$`},
		{"instance id", victim.ID, `^i-` + hex17 + `$`},
		{"instance arn", Str(victim.Attrs, "arn"), `^arn:aws:ec2:us-west-2:123456789012:instance/i-`},
		{"private ip", Str(victim.Attrs, "private_ip"), `^10\.0\.0\.([4-9]|[1-5][0-9]|6[0-2])$`},
		{"public ip", Str(victim.Attrs, "public_ip"), `^198\.51\.100\.\d+$`},
		{"eni", Str(victim.Attrs, "primary_network_interface_id"), `^eni-` + hex17 + `$`},
		{"state", Str(victim.Attrs, "instance_state"), `^running$`},
		{"eip id", eip.ID, `^eipalloc-` + hex17 + `$`},
		{"eip ip", Str(eip.Attrs, "public_ip"), `^203\.0\.113\.\d+$`},
		{"eip assoc", Str(eip.Attrs, "association_id"), `^eipassoc-` + hex17 + `$`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.pattern).MatchString(c.got) {
			t.Errorf("%s = %q, want %s", c.name, c.got, c.pattern)
		}
	}
	// The EIP becomes the malicious instance's public address.
	mal, err := w.ReadResource("aws_instance", Str(eip.Attrs, "instance"))
	if err != nil {
		t.Fatal(err)
	}
	if Str(mal.Attrs, "public_ip") != Str(eip.Attrs, "public_ip") {
		t.Errorf("instance public ip %q, want the EIP %q", Str(mal.Attrs, "public_ip"), Str(eip.Attrs, "public_ip"))
	}
	if Str(victim.Attrs, "private_ip") == Str(mal.Attrs, "private_ip") {
		t.Error("two instances got the same private ip")
	}
}

func TestValidationErrors(t *testing.T) {
	w, _ := openTemp(t)
	mustCreate(t, w, "aws_s3_bucket", map[string]any{"bucket": "gdlab-list-123456789012"})
	mustCreate(t, w, "aws_guardduty_detector", map[string]any{"enable": true})
	cases := []struct {
		typ   string
		attrs map[string]any
		code  string
	}{
		{"aws_s3_bucket", map[string]any{"bucket": "gdlab-list-123456789012"}, "BucketAlreadyOwnedByYou"},
		{"aws_s3_bucket", map[string]any{"bucket": "examplebucket"}, "BucketAlreadyExists"},
		{"aws_s3_bucket", map[string]any{"bucket": "Bad_Name"}, "InvalidBucketName"},
		{"aws_guardduty_detector", map[string]any{"enable": true}, "BadRequestException"},
		{"aws_subnet", map[string]any{"vpc_id": "vpc-00000000000000000", "cidr_block": "10.0.0.0/24"}, "InvalidVpcID.NotFound"},
		{"aws_eip", map[string]any{"domain": "standard"}, "InvalidParameterValue"},
		{"aws_sns_topic_subscription", map[string]any{"topic_arn": "arn:aws:sns:us-west-2:123456789012:nope", "protocol": "email", "endpoint": "a@b.c"}, "NotFound"},
		{"aws_cloudwatch_event_rule", map[string]any{"name": "r", "event_pattern": "{not json"}, "InvalidEventPatternException"},
		{"aws_lambda_function", map[string]any{"function_name": "f", "role": "arn:aws:iam::123456789012:role/none", "runtime": "provided.al2023", "handler": "bootstrap"}, "InvalidParameterValueException"},
		{"aws_iam_role", map[string]any{"name": "r", "assume_role_policy": "nope"}, "MalformedPolicyDocument"},
	}
	for _, c := range cases {
		_, err := w.CreateResource(c.typ, c.attrs)
		if err == nil || AsError(err).Code != c.code {
			t.Errorf("create %s %v: err %v, want code %s", c.typ, c.attrs, err, c.code)
		}
	}
	if got := AsError(mustFail(w.CreateResource("aws_guardduty_detector", nil))).Message; got != "The request is rejected because a detector already exists for the current account." {
		t.Errorf("second detector message %q", got)
	}
}

func mustFail(_ *Resource, err error) error { return err }

func TestThreatIntelSetActivation(t *testing.T) {
	w, _ := openTemp(t)
	mustCreate(t, w, "aws_s3_bucket", map[string]any{"bucket": "lists"})
	det := mustCreate(t, w, "aws_guardduty_detector", map[string]any{})
	if Str(det.Attrs, "finding_publishing_frequency") != "SIX_HOURS" || len(det.ID) != 32 {
		t.Errorf("detector %+v", det.Attrs)
	}
	mustCreate(t, w, "aws_s3_object", map[string]any{"bucket": "lists", "key": "MyThreatIntelSet", "content": "203.0.113.10\n"})
	set := mustCreate(t, w, "aws_guardduty_threatintelset", map[string]any{"detector_id": det.ID, "name": "MyThreatIntelSet",
		"format": "TXT", "location": "https://s3.amazonaws.com/lists/MyThreatIntelSet", "activate": true})
	if !strings.HasPrefix(set.ID, det.ID+":") || len(set.ID) != 65 {
		t.Errorf("set id %q", set.ID)
	}
	var status string
	var entries []string
	w.View(func(s *State) {
		r := s.Find("aws_guardduty_threatintelset", set.ID)
		status, entries = ThreatIntelSetStatus(r), ThreatIntelSetEntries(r)
	})
	if status != SetActive || len(entries) != 1 || entries[0] != "203.0.113.10" {
		t.Errorf("status %s entries %v", status, entries)
	}
	missing := mustCreate(t, w, "aws_guardduty_threatintelset", map[string]any{"detector_id": det.ID, "name": "Other",
		"format": "TXT", "location": "s3://lists/absent", "activate": true})
	w.View(func(s *State) { status = ThreatIntelSetStatus(s.Find("aws_guardduty_threatintelset", missing.ID)) })
	if status != SetError {
		t.Errorf("unreadable list: status %s, want ERROR", status)
	}
}

func TestPersistenceAcrossOpen(t *testing.T) {
	w, dir := openTemp(t)
	vpc, _, sg, victim, _ := labNetwork(t, w)
	if err := w.ModifyInstanceSecurityGroups(victim.ID, []string{Str(vpc.Attrs, "default_security_group_id")}); err != nil {
		t.Fatal(err)
	}
	w2, err := Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := w2.ReadResource("aws_instance", victim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if g := Strs(got.Attrs, "vpc_security_group_ids"); len(g) != 1 || g[0] == sg.ID {
		t.Errorf("drift not persisted: %v", g)
	}
	if w2.Region() != "us-west-2" {
		t.Errorf("region %s", w2.Region())
	}
	if _, err := Open(dir, "eu-west-1"); err == nil {
		t.Error("opening a non-empty world in another region should fail")
	}
	// A change by the second World is seen by the first (another process).
	if err := w2.DeleteResource("aws_eip", mustList(w2, "aws_eip")[0]); err != nil {
		t.Fatal(err)
	}
	if n := len(mustList(w, "aws_eip")); n != 0 {
		t.Errorf("first world still sees %d EIPs", n)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".gdlab", "sandbox", ".world-*"))
	if len(leftovers) != 0 {
		t.Errorf("temp files left: %v", leftovers)
	}
}

func mustList(w *World, typ string) []string {
	var ids []string
	w.View(func(s *State) {
		for _, r := range s.List(typ) {
			ids = append(ids, r.ID)
		}
	})
	return ids
}

func TestFailedUpdateLeavesNoTrace(t *testing.T) {
	w, _ := openTemp(t)
	before, _ := os.ReadFile(w.Path())
	err := w.Update(func(tx *Tx) error {
		tx.Findings = append(tx.Findings, &Finding{ID: "x"})
		return Invalid("no")
	})
	if err == nil {
		t.Fatal("want error")
	}
	after, _ := os.ReadFile(w.Path())
	if string(before) != string(after) || len(w.Snapshot().Findings) != 0 {
		t.Error("failed update changed the world")
	}
}

func TestConcurrentUpdates(t *testing.T) {
	w, dir := openTemp(t)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = w.CreateResource("aws_cloudwatch_log_group", map[string]any{})
		}()
	}
	wg.Wait()
	w2, err := Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(mustList(w2, "aws_cloudwatch_log_group")); n != 20 {
		t.Errorf("persisted %d log groups, want 20", n)
	}
}

func TestSubscriptionsAndPublish(t *testing.T) {
	w, _ := openTemp(t)
	w.SetEndpoint("http://127.0.0.1:4566")
	topic := mustCreate(t, w, "aws_sns_topic", map[string]any{"name": "gdlab-topic"})
	q := mustCreate(t, w, "aws_sqs_queue", map[string]any{"name": "tap"})
	if q.ID != "http://127.0.0.1:4566/123456789012/tap" {
		t.Errorf("queue url %s", q.ID)
	}
	email := mustCreate(t, w, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic.ID, "protocol": "email", "endpoint": "me@example.com"})
	mustCreate(t, w, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic.ID, "protocol": "sqs", "endpoint": Str(q.Attrs, "arn")})
	if !Bool(email.Attrs, "pending_confirmation", false) {
		t.Error("email subscription should start pending")
	}
	if _, err := w.Publish(topic.ID, "", "hello", nil); err != nil {
		t.Fatal(err)
	}
	snap := w.Snapshot()
	if len(snap.Mail) != 1 || snap.Mail[0].Kind != "confirmation" {
		t.Fatalf("mail before confirmation: %+v", snap.Mail)
	}
	// A queue on another port is the same queue.
	msgs, err := w.ReceiveMessages("http://127.0.0.1:9999/123456789012/tap", 10, -1)
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Body, `"Type":"Notification"`) {
		t.Fatalf("queue: %v %+v", err, msgs)
	}
	if err := w.DeleteMessage(q.ID, msgs[0].ReceiptHandle); err != nil {
		t.Fatal(err)
	}
	token := SubscriptionToken(snap.Find("aws_sns_topic_subscription", email.ID))
	if _, err := w.ConfirmSubscription(topic.ID, "wrong"); err == nil {
		t.Error("wrong token confirmed")
	}
	if _, err := w.ConfirmSubscription(topic.ID, token); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(topic.ID, "Subject", "after", nil); err != nil {
		t.Fatal(err)
	}
	snap = w.Snapshot()
	if len(snap.Mail) != 2 || snap.Mail[1].Body != "after" || snap.Mail[1].Subject != "Subject" {
		t.Errorf("notification mail: %+v", snap.Mail)
	}
}

func TestDataSources(t *testing.T) {
	w, _ := openTemp(t)
	cases := []struct {
		typ     string
		args    map[string]any
		key     string
		want    any
		wantErr bool
	}{
		{"aws_caller_identity", nil, "account_id", "123456789012", false},
		{"aws_region", nil, "region", "us-west-2", false},
		{"aws_region", nil, "description", "US West (Oregon)", false},
		{"aws_partition", nil, "partition", "aws", false},
		{"aws_ami", map[string]any{"most_recent": true, "owners": []any{"amazon"},
			"filter": []any{map[string]any{"name": "name", "values": []any{"al2023-ami-2023.*-x86_64"}}}},
			"name", "al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64", false},
		{"aws_ami", map[string]any{"owners": []any{"self"}}, "", nil, true},
		{"aws_guardduty_detector", nil, "", nil, true},
	}
	for _, c := range cases {
		got, err := w.ReadData(c.typ, c.args)
		if c.wantErr {
			if !IsNotFound(err) {
				t.Errorf("%s: err %v, want NotFound", c.typ, err)
			}
			continue
		}
		if err != nil || got[c.key] != c.want {
			t.Errorf("%s.%s = %v (%v), want %v", c.typ, c.key, got[c.key], err, c.want)
		}
	}
	zones, _ := w.ReadData("aws_availability_zones", map[string]any{"state": "available"})
	if names := Strs(zones, "names"); len(names) != 3 || names[0] != "us-west-2a" {
		t.Errorf("zones %v", zones)
	}
	det := mustCreate(t, w, "aws_guardduty_detector", nil)
	got, err := w.ReadData("aws_guardduty_detector", nil)
	if err != nil || got["id"] != det.ID || got["status"] != "ENABLED" {
		t.Errorf("detector data %v %v", got, err)
	}
}

func TestDeleteRules(t *testing.T) {
	w, _ := openTemp(t)
	b := mustCreate(t, w, "aws_s3_bucket", map[string]any{"bucket": "full-bucket"})
	if _, err := w.PutObject("full-bucket", "k", []byte("x"), "", nil); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteResource("aws_s3_bucket", b.ID); AsError(err).Code != "BucketNotEmpty" {
		t.Errorf("delete non-empty bucket: %v", err)
	}
	if _, err := w.UpdateResource("aws_s3_bucket", b.ID, map[string]any{"force_destroy": true}); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteResource("aws_s3_bucket", b.ID); err != nil {
		t.Errorf("force_destroy delete: %v", err)
	}
	if err := w.DeleteResource("aws_s3_bucket", b.ID); !IsNotFound(err) {
		t.Errorf("second delete: %v, want NotFound", err)
	}
	generic := mustCreate(t, w, "aws_something_new", map[string]any{"x": 1})
	if got, err := w.ReadResource("aws_something_new", generic.ID); err != nil || got.Attrs["x"] != float64(1) {
		t.Errorf("generic read %v %v", got, err)
	}
}
