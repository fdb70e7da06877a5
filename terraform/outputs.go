package terraform

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// Outputs are the root module outputs by name, as `terraform output -json`
// gives them.
type Outputs map[string]tfexec.OutputMeta

// Decode unmarshals the output's value into v.
func (o Outputs) Decode(name string, v any) error {
	m, ok := o[name]
	if !ok {
		return fmt.Errorf("terraform output %q: not in state", name)
	}
	if err := json.Unmarshal(m.Value, v); err != nil {
		return fmt.Errorf("terraform output %q: %w", name, err)
	}
	return nil
}

// String is a string output's value.
func (o Outputs) String(name string) (string, error) {
	var s string
	return s, o.Decode(name, &s)
}

// Bool is a bool output's value.
func (o Outputs) Bool(name string) (bool, error) {
	var b bool
	return b, o.Decode(name, &b)
}
