package probe

import (
	"fmt"
	"time"
)

// PriceTable holds the hourly prices the running estimate uses. They are
// us-east-1/us-west-2 on-demand list prices (Linux) and change rarely; the
// estimate is labelled as one.
type PriceTable struct {
	InstanceHourly   map[string]float64
	PublicIPv4Hourly float64
}

// DefaultPrices is the table the header uses.
var DefaultPrices = PriceTable{
	InstanceHourly: map[string]float64{"t3.micro": 0.0104, "t2.micro": 0.0116, "t3.small": 0.0208},
	// Every public IPv4 address, in use or idle, since February 2024.
	PublicIPv4Hourly: 0.005,
}

// LabFootprint is what the lab runs that costs by the hour.
type LabFootprint struct {
	InstanceTypes []string
	// PublicIPv4 counts addresses: the compromised instance's public IP
	// and the malicious instance's Elastic IP.
	PublicIPv4 int
	// DetectorManaged is true when the lab created the GuardDuty detector.
	DetectorManaged bool
}

// FootprintForStep is the lab's footprint once step has been applied.
func FootprintForStep(step int, detectorManaged bool) LabFootprint {
	if step < StepNetwork {
		return LabFootprint{}
	}
	return LabFootprint{InstanceTypes: []string{"t3.micro", "t3.micro"}, PublicIPv4: 2, DetectorManaged: detectorManaged && step >= StepGuardDuty}
}

// CostEstimate is a running estimate of what the lab has cost so far.
type CostEstimate struct {
	Dollars float64    `json:"dollars"`
	Lines   []CostLine `json:"lines"`
	// GuardDutyNote explains why GuardDuty is not in Dollars.
	GuardDutyNote string `json:"guardduty_note,omitempty"`
}

// CostLine is one priced item.
type CostLine struct {
	What    string  `json:"what"`
	Hours   float64 `json:"hours"`
	Hourly  float64 `json:"hourly"`
	Dollars float64 `json:"dollars"`
}

// String is the header's label, e.g. "est. $0.04".
func (c CostEstimate) String() string { return fmt.Sprintf("est. $%.2f", c.Dollars) }

// EstimateCost prices the footprint from since to now. S3, SNS, SQS,
// EventBridge, Lambda and the flow log's few kilobytes round to zero and
// are left out.
func EstimateCost(f LabFootprint, since, now time.Time, prices PriceTable) CostEstimate {
	hours := 0.0
	if !since.IsZero() && now.After(since) {
		hours = now.Sub(since).Hours()
	}
	var est CostEstimate
	counts := map[string]int{}
	for _, t := range f.InstanceTypes {
		counts[t]++
	}
	for _, t := range sortedKeys(counts) {
		hourly, ok := prices.InstanceHourly[t]
		if !ok {
			continue
		}
		n := counts[t]
		est.add(CostLine{What: fmt.Sprintf("%d × %s instance", n, t), Hours: hours, Hourly: hourly * float64(n)})
	}
	if f.PublicIPv4 > 0 {
		est.add(CostLine{What: fmt.Sprintf("%d public IPv4 addresses (incl. the Elastic IP)", f.PublicIPv4), Hours: hours, Hourly: prices.PublicIPv4Hourly * float64(f.PublicIPv4)})
	}
	if f.DetectorManaged {
		est.GuardDutyNote = "GuardDuty: the first enablement in a region starts a 30-day free trial; after it, the lab's few MB of flow logs cost cents."
	} else if len(f.InstanceTypes) > 0 {
		est.GuardDutyNote = "GuardDuty: billed to the detector that already runs in this region; the lab adds cents of analysed flow logs."
	}
	return est
}

func (c *CostEstimate) add(line CostLine) {
	line.Dollars = line.Hours * line.Hourly
	c.Lines = append(c.Lines, line)
	c.Dollars += line.Dollars
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return sortedStrings(keys)
}
