package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// genericDataSource is every data source type: computed locally when its spec says so (pure
// functions like aws_iam_policy_document), otherwise answered by the world.
type genericDataSource struct {
	spec dataSpec
	data *providerData
}

var (
	_ datasource.DataSourceWithConfigure      = (*genericDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*genericDataSource)(nil)
)

func (d *genericDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = d.spec.typeName
}

func (d *genericDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema(d.spec)
}

func (d *genericDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	if pd, ok := req.ProviderData.(*providerData); ok {
		d.data = pd
	}
}

func (d *genericDataSource) ValidateConfig(_ context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if d.spec.validate == nil {
		return
	}
	view, err := objectToJSON(req.Config.Raw, true)
	if err != nil {
		resp.Diagnostics.AddError("reading the configuration", err.Error())
		return
	}
	for _, problem := range d.spec.validate(configView(view)) {
		resp.Diagnostics.AddError("Invalid configuration", problem)
	}
}

func (d *genericDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.AddError("the sandbox AWS provider is not configured", "the provider block could not be read")
		return
	}
	args, err := objectToJSON(req.Config.Raw, false)
	if err != nil {
		resp.Diagnostics.AddError("reading "+d.spec.what, err.Error())
		return
	}
	o := d.spec.full()
	fillDefaults(o, args)
	if d.spec.regional {
		if _, ok := args["region"]; !ok {
			args["region"] = d.data.region
		}
	}
	var attrs map[string]any
	if d.spec.local != nil {
		attrs, err = d.spec.local(ctx, d.data, args)
	} else {
		attrs, err = d.data.world.data(ctx, d.spec.typeName, args)
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading %s: %s", d.spec.what, err), "")
		return
	}
	// The world's answer fills what the configuration leaves open; what is configured stays
	// exactly as configured, as terraform requires of a data source.
	for k, v := range args {
		if _, ok := attrs[k]; !ok {
			if attrs == nil {
				attrs = map[string]any{}
			}
			attrs[k] = v
		}
	}
	world, err := objectFromJSON(o, attrs)
	if err != nil {
		resp.Diagnostics.AddError("reading "+d.spec.what, "the answer does not fit the schema: "+err.Error())
		return
	}
	resp.State.Raw = unknownsToNull(keepConfigured(req.Config.Raw, world))
}

// keepConfigured takes every non-null configured value from config and the rest from result.
func keepConfigured(config, result tftypes.Value) tftypes.Value {
	if config.IsNull() || !config.IsKnown() {
		return result
	}
	if !config.Type().Is(tftypes.Object{}) {
		return config
	}
	var cf, rf map[string]tftypes.Value
	_ = config.As(&cf)
	_ = result.As(&rf)
	out := map[string]tftypes.Value{}
	for k, rv := range rf {
		cv, ok := cf[k]
		switch {
		case !ok || cv.IsNull():
			out[k] = rv
		case cv.Type().Is(tftypes.List{}) || cv.Type().Is(tftypes.Set{}):
			out[k] = keepConfiguredElems(cv, rv)
		default:
			out[k] = keepConfigured(cv, rv)
		}
	}
	return tftypes.NewValue(result.Type(), out)
}

// keepConfiguredElems handles blocks: element by element when the shapes agree, so computed
// attributes inside blocks (an effect's default) can still come from the result.
func keepConfiguredElems(config, result tftypes.Value) tftypes.Value {
	var ce, re []tftypes.Value
	_ = config.As(&ce)
	_ = result.As(&re)
	if len(ce) != len(re) || result.Type().Is(tftypes.Set{}) {
		return config
	}
	out := make([]tftypes.Value, len(ce))
	for i := range ce {
		out[i] = keepConfigured(ce[i], re[i])
	}
	return tftypes.NewValue(result.Type(), out)
}

// fillDefaults adds the real provider's defaults for arguments the configuration leaves out.
func fillDefaults(o objectSpec, args map[string]any) {
	for _, a := range o.attrs {
		if _, ok := args[a.name]; !ok && a.defaultVal != nil {
			args[a.name] = a.defaultVal
		}
	}
	for _, b := range o.blocks {
		for _, item := range blockItems(args[b.name]) {
			fillDefaults(b.object(), item)
		}
	}
}
