package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// EC2API is the part of the EC2 client the function uses.
type EC2API interface {
	DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
	ModifyInstanceAttribute(ctx context.Context, in *ec2.ModifyInstanceAttributeInput, optFns ...func(*ec2.Options)) (*ec2.ModifyInstanceAttributeOutput, error)
}

// SNSAPI is the part of the SNS client the function uses.
type SNSAPI interface {
	Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// Outcome says what one invocation did.
type Outcome string

const (
	OutcomeIsolated        Outcome = "isolated"         // groups replaced by the forensic group
	OutcomeAlreadyIsolated Outcome = "already_isolated" // nothing to do (a repeated delivery)
	OutcomeSkipped         Outcome = "skipped"          // not an event to act on
	OutcomeFailed          Outcome = "failed"           // a permanent AWS error; not retried
)

// Result is the function's structured return value, also logged as one line.
type Result struct {
	Outcome      Outcome    `json:"outcome"`
	Reason       string     `json:"reason,omitempty"`
	FailedAction string     `json:"failedAction,omitempty"`
	Error        string     `json:"error,omitempty"`
	FindingID    string     `json:"findingId,omitempty"`
	FindingType  string     `json:"findingType,omitempty"`
	InstanceID   string     `json:"instanceId,omitempty"`
	GroupsLeft   []GroupRef `json:"groupsLeft,omitempty"`
	GroupNow     string     `json:"groupNow,omitempty"`
	Notified     bool       `json:"notified"`
	MessageID    string     `json:"messageId,omitempty"`
	NotifyError  string     `json:"notifyError,omitempty"`
	Time         string     `json:"time,omitempty"`
}

// Handler isolates the lab's compromised instance when GuardDuty reports it.
type Handler struct {
	Config Config
	EC2    EC2API
	SNS    SNSAPI
	Log    *slog.Logger     // nil: discard
	Now    func() time.Time // nil: time.Now
}

// Handle is the Lambda entry point. It returns an error only when running the
// function again may succeed (throttling, 5xx, out of time); anything else
// ends in a Result with a nil error, so a bad event never causes a retry storm.
func (h *Handler) Handle(ctx context.Context, event json.RawMessage) (Result, error) {
	log := h.logger(ctx)
	res, err := h.handle(ctx, log, event)
	attrs := []any{
		slog.String("outcome", string(res.Outcome)),
		slog.String("findingId", res.FindingID),
		slog.String("instanceId", res.InstanceID),
	}
	switch {
	case err != nil:
		log.Error("remediation will be retried", append(attrs, slog.String("error", err.Error()), slog.Bool("retryable", true))...)
	case res.Outcome == OutcomeSkipped:
		log.Info("skipped: "+res.Reason, append(attrs, slog.String("reason", res.Reason))...)
	case res.Outcome == OutcomeFailed:
		log.Error("remediation failed", append(attrs, slog.String("failedAction", res.FailedAction), slog.String("error", res.Error), slog.Bool("retryable", false))...)
	case res.Outcome == OutcomeAlreadyIsolated:
		log.Info("instance already isolated; nothing to do", append(attrs, slog.String("group", res.GroupNow))...)
	default:
		log.Info("instance isolated", append(attrs,
			slog.Any("groupsLeft", res.GroupsLeft), slog.String("groupNow", res.GroupNow),
			slog.Bool("notified", res.Notified), slog.String("messageId", res.MessageID))...)
	}
	return res, err
}

func (h *Handler) handle(ctx context.Context, log *slog.Logger, event json.RawMessage) (Result, error) {
	ev, err := DecodeFindingEvent(event)
	if err != nil {
		return Result{Outcome: OutcomeSkipped, Reason: "malformed event: " + truncate(err.Error(), 200)}, nil
	}
	f := ev.Detail
	res := Result{FindingID: f.ID, FindingType: f.Type, InstanceID: f.InstanceID()}
	d := Decide(ev, h.Config)
	if d.Target == "" {
		res.Outcome, res.Reason = OutcomeSkipped, d.Reason
		return res, nil
	}

	// Read the instance's current groups: they are what the message reports
	// as left behind, and they tell a repeated delivery from a first one.
	current, err := h.currentGroups(ctx, d.Target)
	if err != nil {
		return h.fail(res, "ec2:DescribeInstances", err)
	}
	if len(current) == 1 && current[0].ID == h.Config.ForensicsSG {
		res.Outcome, res.GroupNow = OutcomeAlreadyIsolated, h.Config.ForensicsSG
		return res, nil
	}

	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("before ec2:ModifyInstanceAttribute: %w", err)
	}
	// Groups replaces every group on the instance's primary interface.
	_, err = h.EC2.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{
		InstanceId: aws.String(d.Target),
		Groups:     []string{h.Config.ForensicsSG},
	})
	if err != nil {
		return h.fail(res, "ec2:ModifyInstanceAttribute", err)
	}
	res.Outcome = OutcomeIsolated
	res.GroupsLeft = without(current, h.Config.ForensicsSG)
	res.GroupNow = h.Config.ForensicsSG
	res.Time = h.now().UTC().Format(time.RFC3339)

	// A failed publish is reported but not returned: the instance is already
	// isolated, so a retry would find it so and send nothing. The EventBridge
	// rule's own SNS target still announces the finding.
	msgID, err := h.notify(ctx, f, res)
	if err != nil {
		res.NotifyError = err.Error()
		log.Error("notification failed; the instance stays isolated",
			slog.String("failedAction", "sns:Publish"), slog.String("error", err.Error()),
			slog.Bool("retryable", Retryable(err)))
		return res, nil
	}
	res.Notified, res.MessageID = true, msgID
	return res, nil
}

// fail turns an AWS error into a retry (returned) or a permanent failure
// (recorded in the result).
func (h *Handler) fail(res Result, action string, err error) (Result, error) {
	if Retryable(err) {
		return res, fmt.Errorf("%s: %w", action, err)
	}
	res.Outcome, res.FailedAction, res.Error = OutcomeFailed, action, err.Error()
	if code := errorCode(err); code != "" {
		res.Reason = code
	}
	return res, nil
}

func (h *Handler) currentGroups(ctx context.Context, instanceID string) ([]GroupRef, error) {
	out, err := h.EC2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{instanceID}})
	if err != nil {
		return nil, err
	}
	for _, r := range out.Reservations {
		for _, in := range r.Instances {
			if aws.ToString(in.InstanceId) == instanceID {
				return groupRefs(in.SecurityGroups), nil
			}
		}
	}
	return nil, fmt.Errorf("instance %s not found", instanceID)
}

func (h *Handler) notify(ctx context.Context, f Finding, res Result) (string, error) {
	n := Notification{
		FindingID:    f.ID,
		FindingType:  f.Type,
		Severity:     f.Severity,
		SeverityName: f.SeverityLabel(),
		InstanceID:   res.InstanceID,
		RemoteIP:     f.RemoteIP(),
		GroupsLeft:   res.GroupsLeft,
		GroupNow:     res.GroupNow,
		Time:         res.Time,
	}
	out, err := h.SNS.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(h.Config.TopicARN),
		Subject:  aws.String(n.Subject()),
		Message:  aws.String(n.Body()),
		// Attributes carry the same facts for machines (the SQS tap, tests).
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			"finding_id":   stringAttr(n.FindingID),
			"finding_type": stringAttr(n.FindingType),
			"instance_id":  stringAttr(n.InstanceID),
			"group_now":    stringAttr(n.GroupNow),
		},
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
}

func (h *Handler) logger(ctx context.Context) *slog.Logger {
	log := h.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		log = log.With(slog.String("requestId", lc.AwsRequestID))
	}
	return log
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func groupRefs(groups []ec2types.GroupIdentifier) []GroupRef {
	refs := make([]GroupRef, 0, len(groups))
	for _, g := range groups {
		refs = append(refs, GroupRef{ID: aws.ToString(g.GroupId), Name: aws.ToString(g.GroupName)})
	}
	return refs
}

func without(groups []GroupRef, id string) []GroupRef {
	out := make([]GroupRef, 0, len(groups))
	for _, g := range groups {
		if g.ID != id {
			out = append(out, g)
		}
	}
	return out
}

func stringAttr(v string) snstypes.MessageAttributeValue {
	if v == "" {
		v = "-" // SNS rejects empty attribute values
	}
	return snstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
