package probe

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
)

func init() {
	register(
		Check{ID: "incident.finding", Step: StepIncident, Title: "GuardDuty found the compromised instance",
			Needs: []string{"detector_id", "compromised_instance_id"}, run: checkFindingExists},
		Check{ID: "incident.isolated", Step: StepIncident, Title: "The instance was moved to the forensic group",
			Needs: []string{"compromised_instance_id", "forensic_sg_id"}, run: checkIsolated},
	)
}

// labFindingCriteria selects real (not sample) findings of the lab's type
// about the compromised instance; samples name a placeholder instance.
func labFindingCriteria(instanceID string) *gdtypes.FindingCriteria {
	return &gdtypes.FindingCriteria{Criterion: map[string]gdtypes.Condition{
		"type":                                {Equals: []string{EC2FindingType}},
		"resource.instanceDetails.instanceId": {Equals: []string{instanceID}},
	}}
}

func findingsCommand(detectorID, instanceID string) string {
	return fmt.Sprintf(`aws guardduty list-findings --detector-id %s --finding-criteria '{"Criterion":{"type":{"Eq":["%s"]},"resource.instanceDetails.instanceId":{"Eq":["%s"]}}}'`,
		detectorID, EC2FindingType, instanceID)
}

func checkFindingExists(ctx context.Context, p *Prober, out Outputs) Result {
	command := findingsCommand(out.DetectorID, out.CompromisedInstanceID)
	resp, err := p.gd.ListFindings(ctx, &guardduty.ListFindingsInput{
		DetectorId: aws.String(out.DetectorID), FindingCriteria: labFindingCriteria(out.CompromisedInstanceID), MaxResults: aws.Int32(10),
	})
	if err != nil {
		return errResult(err, command)
	}
	if len(resp.FindingIds) == 0 {
		return pending("No finding about "+out.CompromisedInstanceID+" yet.",
			"GuardDuty needs roughly 10–30 minutes after the pings start; `gdlab` step 9 shows an estimate.", command)
	}
	return pass(fmt.Sprintf("GuardDuty reported %s about %s (finding %s).", EC2FindingType, out.CompromisedInstanceID, resp.FindingIds[0]), command)
}

func checkIsolated(ctx context.Context, p *Prober, out Outputs) Result {
	command := instanceCommand(out.CompromisedInstanceID)
	inst, err := p.describeInstance(ctx, out.CompromisedInstanceID)
	if err != nil {
		return errResult(err, command)
	}
	if inst == nil {
		return fail("Instance "+out.CompromisedInstanceID+" does not exist.", "Re-apply step 2.", command)
	}
	groups := instanceGroupIDs(inst)
	if slices.Equal(groups, []string{out.ForensicSGID}) {
		return pass(fmt.Sprintf("Instance %s is isolated: its only group is %s.", out.CompromisedInstanceID, out.ForensicSGID), command)
	}
	return pending(fmt.Sprintf("Instance %s is still in %v.", out.CompromisedInstanceID, groups),
		"The Lambda moves it once the finding reaches EventBridge; check its logs if the finding exists but the groups do not change.", command)
}
