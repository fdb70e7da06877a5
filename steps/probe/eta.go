package probe

import "time"

// GuardDuty gives no official traffic-to-finding time (aws-lab-facts.md §2):
// a new list takes a few minutes to apply, flow records aggregate for up to
// 10 minutes, and EventBridge adds up to 5. These bounds frame the estimate.
const (
	etaEarliest = 5 * time.Minute
	etaLikely   = 15 * time.Minute
	etaLatest   = 35 * time.Minute
)

// ETAExplanation says where the estimate comes from.
const ETAExplanation = "GuardDuty publishes no traffic-to-finding time. A new threat list takes a few minutes to apply, " +
	"VPC flow records are aggregated for up to 10 minutes, and a new finding reaches EventBridge within about 5 minutes; " +
	"expect roughly 10 to 30 minutes after the pings start."

// EstimateFinding returns the finding's ETA for traffic that starts at
// trafficStart.
func EstimateFinding(trafficStart, now time.Time) FindingETA {
	return FindingETA{
		Earliest:    trafficStart.Add(etaEarliest),
		Likely:      trafficStart.Add(etaLikely),
		Latest:      trafficStart.Add(etaLatest),
		Explanation: ETAExplanation,
		Seen:        now,
	}
}
