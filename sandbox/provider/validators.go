package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	fwattr "github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Validators for values the real provider rejects before calling AWS, worded like the real
// provider's "expected X to be one of [...], got Y".

type oneOfValidator struct{ allowed []string }

func (v oneOfValidator) Description(context.Context) string {
	return "value must be one of " + quoteList(v.allowed)
}
func (v oneOfValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v oneOfValidator) check(got string) error {
	if slices.Contains(v.allowed, got) {
		return nil
	}
	return fmt.Errorf("expected value to be one of %s, got %s", quoteList(v.allowed), got)
}

func (v oneOfValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", err.Error())
	}
}

func (v oneOfValidator) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(strconv.FormatInt(req.ConfigValue.ValueInt64(), 10)); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", err.Error())
	}
}

func (v oneOfValidator) checkElements(elems []fwattr.Value) error {
	for _, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if err := v.check(s.ValueString()); err != nil {
			return err
		}
	}
	return nil
}

func (v oneOfValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.checkElements(req.ConfigValue.Elements()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", err.Error())
	}
}

func (v oneOfValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.checkElements(req.ConfigValue.Elements()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", err.Error())
	}
}

// blockCountValidator enforces a block's MinItems/MaxItems, which framework blocks leave to
// validators.
type blockCountValidator struct {
	name     string
	min, max int
}

func (v blockCountValidator) Description(context.Context) string {
	return fmt.Sprintf("between %d and %d blocks", v.min, v.max)
}
func (v blockCountValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v blockCountValidator) check(n int) error {
	if v.max > 0 && n > v.max {
		return fmt.Errorf("No more than %d %q blocks are allowed", v.max, v.name)
	}
	if n < v.min {
		return fmt.Errorf("At least %d %q blocks are required.", v.min, v.name)
	}
	return nil
}

func (v blockCountValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(len(req.ConfigValue.Elements())); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Block", err.Error())
	}
}

func (v blockCountValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(len(req.ConfigValue.Elements())); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Block", err.Error())
	}
}

func quoteList(vals []string) string {
	return "[" + strings.Join(vals, " ") + "]"
}
