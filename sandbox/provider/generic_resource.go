package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// genericResource is every managed resource type: its spec gives the schema, the world does the
// rest through the private API.
type genericResource struct {
	spec resourceSpec
	data *providerData
}

var (
	_ resource.ResourceWithConfigure      = (*genericResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*genericResource)(nil)
	_ resource.ResourceWithImportState    = (*genericResource)(nil)
	_ resource.ResourceWithValidateConfig = (*genericResource)(nil)
)

func (r *genericResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.spec.typeName
}

func (r *genericResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(r.spec)
}

func (r *genericResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if d, ok := req.ProviderData.(*providerData); ok {
		r.data = d
	}
}

func (r *genericResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if r.spec.validate == nil {
		return
	}
	view, err := objectToJSON(req.Config.Raw, true)
	if err != nil {
		resp.Diagnostics.AddError("reading the configuration", err.Error())
		return
	}
	for _, problem := range r.spec.validate(configView(view)) {
		resp.Diagnostics.AddError("Invalid configuration", problem)
	}
}

func (r *genericResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil { // destroying, or the provider is not configured yet
		return
	}
	edit, err := newPlanEdit(req.Plan.Raw, req.State.Raw, req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("planning "+r.spec.what, err.Error())
		return
	}
	if r.spec.regional {
		if region := edit.fields["region"]; !region.IsKnown() || region.IsNull() {
			edit.setString("region", r.data.region)
		}
	}
	if r.spec.tagged {
		tags := edit.fields["tags"]
		if tags.IsFullyKnown() {
			own := map[string]string{}
			if j, _ := toJSON(tags, false); j != nil {
				for k, v := range j.(map[string]any) {
					own[k], _ = v.(string)
				}
			}
			edit.setStringMap("tags_all", r.data.mergedTags(own))
		} else {
			edit.markUnknown("tags_all")
		}
	}
	if r.spec.planHook != nil {
		r.spec.planHook(edit)
	}
	resp.Plan.Raw = edit.value(req.Plan.Raw.Type())
	for _, name := range edit.replace {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root(name))
	}
}

func (r *genericResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.configured(&resp.Diagnostics) {
		return
	}
	attrs, err := objectToJSON(req.Plan.Raw, false)
	if err != nil {
		resp.Diagnostics.AddError("creating "+r.spec.what, err.Error())
		return
	}
	delete(attrs, "timeouts")
	ans, err := r.data.world.create(ctx, r.spec.typeName, attrs, r.data.cwd)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("creating %s%s: %s", r.spec.what, subject(attrs), err), "")
		return
	}
	result, err := r.applied(req.Plan.Raw, ans)
	if err != nil {
		resp.Diagnostics.AddError("creating "+r.spec.what, err.Error())
		return
	}
	resp.State.Raw = result
}

func (r *genericResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.configured(&resp.Diagnostics) {
		return
	}
	id := stringField(req.State.Raw, "id")
	attrs, err := objectToJSON(req.Plan.Raw, false)
	if err != nil {
		resp.Diagnostics.AddError("updating "+r.spec.what, err.Error())
		return
	}
	delete(attrs, "timeouts")
	ans, err := r.data.world.update(ctx, r.spec.typeName, id, attrs, r.data.cwd)
	if errors.Is(err, errNotFound) {
		err = &apiError{Status: 404, Code: "NotFound", Message: "the resource no longer exists"}
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("updating %s (%s): %s", r.spec.what, id, err), "")
		return
	}
	if ans.ID == "" {
		ans.ID = id
	}
	result, err := r.applied(req.Plan.Raw, ans)
	if err != nil {
		resp.Diagnostics.AddError("updating "+r.spec.what, err.Error())
		return
	}
	resp.State.Raw = result
}

// applied is the state after create or update: the plan, with what it left unknown filled in
// from the world's answer (or null).
func (r *genericResource) applied(planned tftypes.Value, ans *resourceAnswer) (tftypes.Value, error) {
	if ans.Attrs == nil {
		ans.Attrs = map[string]any{}
	}
	if ans.ID != "" {
		ans.Attrs["id"] = ans.ID
	}
	if _, ok := ans.Attrs["id"].(string); !ok {
		return tftypes.Value{}, errors.New("the sandbox world answered without an id")
	}
	world, err := objectFromJSON(r.spec.full(), ans.Attrs)
	if err != nil {
		return tftypes.Value{}, fmt.Errorf("the sandbox world's answer does not fit the schema: %w", err)
	}
	return unknownsToNull(fillUnknowns(planned, world)), nil
}

func (r *genericResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !r.configured(&resp.Diagnostics) {
		return
	}
	id := stringField(req.State.Raw, "id")
	ans, err := r.data.world.read(ctx, r.spec.typeName, id)
	if errors.Is(err, errNotFound) {
		// Gone from the world: terraform drops it from state and plans to create it again.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading %s (%s): %s", r.spec.what, id, err), "")
		return
	}
	if ans.Attrs == nil {
		ans.Attrs = map[string]any{}
	}
	if ans.ID != "" {
		ans.Attrs["id"] = ans.ID
	}
	result, err := readBack(r.spec.full(), req.State.Raw, ans.Attrs)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading %s (%s)", r.spec.what, id), err.Error())
		return
	}
	resp.State.Raw = result
}

func (r *genericResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.configured(&resp.Diagnostics) {
		return
	}
	id := stringField(req.State.Raw, "id")
	err := deleteRetrying(ctx, func() error { return r.data.world.delete(ctx, r.spec.typeName, id) }, deleteRetryTimeout)
	if err != nil && !errors.Is(err, errNotFound) {
		resp.Diagnostics.AddError(fmt.Sprintf("deleting %s (%s): %s", r.spec.what, id, err), "")
	}
}

// deleteRetryTimeout bounds the wait for a dependency to go away. The real provider waits up to
// its delete timeout (15 minutes for a security group); in the sandbox a dependency that is
// being destroyed in parallel goes within moments, and one that is not never will.
var deleteRetryTimeout = time.Minute

// deleteRetrying retries a delete refused with DependencyViolation, as the real provider does:
// terraform destroys independent resources in parallel, so a security group may be deleted
// while the instance the remediation Lambda moved into it is still terminating.
func deleteRetrying(ctx context.Context, del func() error, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	wait := 100 * time.Millisecond
	for {
		err := del()
		var apiErr *apiError
		if !errors.As(err, &apiErr) || apiErr.Code != "DependencyViolation" || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		if wait < time.Second {
			wait *= 2
		}
	}
}

func (r *genericResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

func (r *genericResource) configured(diags interface{ AddError(string, string) }) bool {
	if r.data == nil {
		diags.AddError("the sandbox AWS provider is not configured", "the provider block could not be read")
		return false
	}
	return true
}

// readBack is the state after a read: what the world holds now, so drift shows. Attributes the
// world does not mention keep their prior value (provider-side arguments like force_destroy),
// JSON documents equivalent to the prior one keep the prior spelling, and blocks AWS fills in by
// itself stay empty when the configuration left them out.
func readBack(o objectSpec, prior tftypes.Value, attrs map[string]any) (tftypes.Value, error) {
	var priorFields map[string]tftypes.Value
	if !prior.IsNull() && prior.IsKnown() {
		_ = prior.As(&priorFields)
	}
	fields := map[string]tftypes.Value{}
	for _, a := range o.attrs {
		old, hasOld := priorFields[a.name]
		j, present := attrs[a.name]
		if !present && hasOld && !old.IsNull() {
			fields[a.name] = old
			continue
		}
		v, err := attrFromJSON(a, j)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", a.name, err)
		}
		if hasOld {
			v = reconcileZero(old, v)
		}
		if a.jsonDoc && hasOld && !old.IsNull() && !v.IsNull() {
			var was, now string
			_ = old.As(&was)
			_ = v.As(&now)
			if equivalentJSON(was, now) {
				v = old
			}
		}
		fields[a.name] = v
	}
	for _, b := range o.blocks {
		old, hasOld := priorFields[b.name]
		j, present := attrs[b.name]
		if hasOld && (!present || (b.serverFilled && collectionEmpty(old))) {
			fields[b.name] = old
			continue
		}
		v, err := blockFromJSON(b, j)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", b.name, err)
		}
		if hasOld {
			v = reconcileZero(old, v)
		}
		fields[b.name] = v
	}
	return unknownsToNull(tftypes.NewValue(o.tfType(), fields)), nil
}

func collectionEmpty(v tftypes.Value) bool {
	if v.IsNull() {
		return true
	}
	var elems []tftypes.Value
	if v.As(&elems) != nil {
		return false
	}
	return len(elems) == 0
}

func stringField(obj tftypes.Value, name string) string {
	var fields map[string]tftypes.Value
	if obj.IsNull() || obj.As(&fields) != nil {
		return ""
	}
	var s string
	if v, ok := fields[name]; ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&s)
	}
	return s
}

// subject names the resource in an error message the way the real provider does: "(name)".
func subject(attrs map[string]any) string {
	for _, k := range []string{"bucket", "function_name", "name", "key"} {
		if s, ok := attrs[k].(string); ok && s != "" {
			return " (" + s + ")"
		}
	}
	return ""
}
