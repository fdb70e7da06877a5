package lambda

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Config is what the function is told through its environment by the lab's
// Terraform (aws_lambda_function.environment).
type Config struct {
	InstanceID  string // INSTANCE_ID: the lab's compromised instance
	ForensicsSG string // FORENSICS_SG: the group that isolates it
	TopicARN    string // TOPIC_ARN: where the notification goes
}

// ConfigFromEnv reads INSTANCE_ID, FORENSICS_SG and TOPIC_ARN.
func ConfigFromEnv() (Config, error) {
	c := Config{
		InstanceID:  strings.TrimSpace(os.Getenv("INSTANCE_ID")),
		ForensicsSG: strings.TrimSpace(os.Getenv("FORENSICS_SG")),
		TopicARN:    strings.TrimSpace(os.Getenv("TOPIC_ARN")),
	}
	return c, c.Validate()
}

// Validate rejects a configuration the function cannot act on, so a typo in
// the Terraform shows at the first invoke instead of as a silent skip.
func (c Config) Validate() error {
	var errs []error
	check := func(name, value, prefix string) {
		switch {
		case value == "":
			errs = append(errs, fmt.Errorf("%s is not set", name))
		case !strings.HasPrefix(value, prefix):
			errs = append(errs, fmt.Errorf("%s=%q does not start with %q", name, value, prefix))
		}
	}
	check("INSTANCE_ID", c.InstanceID, "i-")
	check("FORENSICS_SG", c.ForensicsSG, "sg-")
	check("TOPIC_ARN", c.TopicARN, "arn:")
	return errors.Join(errs...)
}
