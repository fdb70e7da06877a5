package provider

import (
	"fmt"
	"os"
	"strings"
)

// providerData is what the configured provider hands to its resources and data sources.
type providerData struct {
	world       *worldClient
	region      string
	defaultTags map[string]string
	ignoreKeys  []string
	ignorePfx   []string
	cwd         string
}

// newProviderData reads the provider block (as JSON) and the environment. The endpoint comes
// from AWS_ENDPOINT_URL only: the lab's HCL holds nothing sandbox-specific. It returns a problem
// description for the user instead of data when the provider cannot work.
func newProviderData(cfg map[string]any, getenv func(string) string) (*providerData, string) {
	endpoint := strings.TrimSpace(getenv("AWS_ENDPOINT_URL"))
	if endpoint == "" {
		return nil, "AWS_ENDPOINT_URL is not set. This provider is gdlab's sandbox stand-in for " +
			"hashicorp/aws; it only works inside gdlab's sandbox (`gdlab --sandbox`, `gdlab run --sandbox`), " +
			"which starts the sandbox endpoint and passes its address to terraform. To use real AWS, " +
			"run terraform without gdlab's sandbox CLI configuration (TF_CLI_CONFIG_FILE)."
	}
	world, err := newWorldClient(endpoint)
	if err != nil {
		return nil, err.Error()
	}
	d := &providerData{world: world, defaultTags: map[string]string{}}
	d.cwd, _ = os.Getwd()

	d.region, _ = cfg["region"].(string)
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if d.region == "" {
			d.region = getenv(env)
		}
	}
	if d.region == "" {
		return nil, "The region must be set: give `region` in the provider block or set AWS_REGION."
	}
	for _, b := range blockItems(cfg["default_tags"]) {
		if tags, ok := b["tags"].(map[string]any); ok {
			for k, v := range tags {
				if s, ok := v.(string); ok {
					d.defaultTags[k] = s
				}
			}
		}
	}
	for _, b := range blockItems(cfg["ignore_tags"]) {
		d.ignoreKeys = append(d.ignoreKeys, stringItems(b["keys"])...)
		d.ignorePfx = append(d.ignorePfx, stringItems(b["key_prefixes"])...)
	}
	if ids := stringItems(cfg["allowed_account_ids"]); len(ids) > 0 && !contains(ids, sandboxAccountID) {
		return nil, fmt.Sprintf("AWS account ID not allowed: %s", sandboxAccountID)
	}
	if contains(stringItems(cfg["forbidden_account_ids"]), sandboxAccountID) {
		return nil, fmt.Sprintf("AWS account ID not allowed: %s", sandboxAccountID)
	}
	return d, ""
}

// sandboxAccountID is the sandbox world's fixed account (sandbox/API.md).
const sandboxAccountID = "123456789012"

// mergedTags is tags_all: the provider's default tags overridden by the resource's own, less
// the ignored keys — what the real provider computes.
func (d *providerData) mergedTags(own map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range d.defaultTags {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	for k := range out {
		if d.ignored(k) {
			delete(out, k)
		}
	}
	return out
}

func (d *providerData) ignored(key string) bool {
	if contains(d.ignoreKeys, key) {
		return true
	}
	for _, p := range d.ignorePfx {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

func blockItems(v any) []map[string]any {
	var out []map[string]any
	switch x := v.(type) {
	case []any:
		for _, it := range x {
			if m, ok := it.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, x)
	}
	return out
}

func stringItems(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, it := range l {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
