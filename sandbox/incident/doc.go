// Package incident is the sandbox's incident engine: it wires the simulation
// components of sandbox/sim into the world and the endpoint so that the lab's
// own resources produce the incident, nothing scripted.
//
// The chain, on the world's simulated clock:
//
//   - every instance whose user data carries a beacon (sim/beacon) pings its
//     target from boot on; the instance's current security groups accept or
//     reject each ping (after the Lambda moves it into the rule-less forensic
//     group, egress is REJECT);
//   - each aws_flow_log covering the instance gets the records as gzip files
//     in its S3 bucket, one file per closed aggregation window (sim/flowlog);
//   - an enabled detector with an ACTIVE threat intel set listing the target
//     yields, after a detection delay, the finding
//     UnauthorizedAccess:EC2/MaliciousIPCaller.Custom, updated and
//     re-published per the publishing frequency (sim/finding; the tracker is
//     persisted in the world, so a restart neither duplicates nor loses it);
//   - findings (simulated ones and CreateSampleFindings') go to EventBridge as
//     "GuardDuty Finding" events, are matched against the world's rules and
//     transformed for each target (sim/transform);
//   - targets: SNS topics (the world's publish path: email to confirmed
//     subscriptions, SQS envelopes), SQS queues, and Lambda functions run
//     through the Lambda Runtime API (sim/runtimeapi) with async retries;
//     function output lands in CloudWatch Logs /aws/lambda/<name>;
//   - SNS mail (confirmation requests, notifications) is appended to the
//     lab's outbox .gdlab/sandbox/outbox.mbox (sim/snsmail).
//
// API for the sandbox integration:
//
//	eng, err := incident.Start(ctx, w, srv.URL, incident.Options{
//		TimeScale: 60,         // simulated seconds per real second (0: 60)
//		GdlabExe:  exe,        // runs `gdlab sandbox lambda` when the zip's bootstrap can't run here
//		LabDir:    dir,        // where .gdlab/sandbox/outbox.mbox goes (default: the world's lab folder)
//		Logger:    log,
//	})
//	defer eng.Close()
//	clk := eng.Clock()         // *SimClock: Now() and Sleep(ctx, d) in simulated time (probe.Clock's shape)
//	eng.ConfirmSubscription(ctx, subscriptionARN) // what the confirmation link does
//	eng.OutboxPath()           // the mbox file
//	eng.Timeline()             // milestones with real and simulated times, for the TUI and --json
//
// Deliveries are at least once, as in AWS: a delivery is recorded in the world
// before it is made and removed after, so a gdlab killed in between makes it
// again when restarted; the remediation handler is idempotent (it skips an
// instance already in the forensic group), so this never isolates twice.
//
// Differences from AWS are listed in each sim package; the engine adds: one
// engine per world (two processes running engines on one lab folder would both
// simulate); EventBridge delivers to SNS, SQS and Lambda targets only; resource
// policies are checked in their simple forms (service principal, action,
// aws:SourceArn / source_arn equality or wildcard).
package incident
