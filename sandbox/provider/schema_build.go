package provider

import (
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Framework schemas derived from the spec table.

func resourceSchema(r resourceSpec) rschema.Schema {
	o := r.full()
	return rschema.Schema{
		Attributes: resourceAttributes(o.attrs, true),
		Blocks:     resourceBlocks(o.blocks, true),
	}
}

// keepState: computed values may be carried over from state (not inside sets, whose elements
// have no stable identity).
func resourceAttributes(attrs []attr, keepState bool) map[string]rschema.Attribute {
	out := map[string]rschema.Attribute{}
	for _, a := range attrs {
		out[a.name] = resourceAttribute(a, keepState)
	}
	return out
}

func resourceAttribute(a attr, keepState bool) rschema.Attribute {
	useState := keepState && a.computed && !a.volatile
	oneOf := oneOfValidator{allowed: a.oneOf}
	elemOneOf := oneOfValidator{allowed: a.oneOfElem}
	switch a.kind {
	case kString:
		s := rschema.StringAttribute{Required: a.required, Optional: a.optional, Computed: a.computed,
			Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		if len(a.oneOf) > 0 {
			s.Validators = []validator.String{oneOf}
		}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, stringplanmodifier.UseStateForUnknown())
		}
		if a.forceNew {
			s.PlanModifiers = append(s.PlanModifiers, stringplanmodifier.RequiresReplace())
		}
		if d, ok := a.defaultVal.(string); ok {
			s.Default = stringdefault.StaticString(d)
		}
		return s
	case kBool:
		s := rschema.BoolAttribute{Required: a.required, Optional: a.optional, Computed: a.computed,
			Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, boolplanmodifier.UseStateForUnknown())
		}
		if a.forceNew {
			s.PlanModifiers = append(s.PlanModifiers, boolplanmodifier.RequiresReplace())
		}
		if d, ok := a.defaultVal.(bool); ok {
			s.Default = booldefault.StaticBool(d)
		}
		return s
	case kInt:
		s := rschema.Int64Attribute{Required: a.required, Optional: a.optional, Computed: a.computed,
			Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		if len(a.oneOf) > 0 {
			s.Validators = []validator.Int64{oneOf}
		}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, int64planmodifier.UseStateForUnknown())
		}
		if a.forceNew {
			s.PlanModifiers = append(s.PlanModifiers, int64planmodifier.RequiresReplace())
		}
		switch d := a.defaultVal.(type) {
		case int:
			s.Default = int64default.StaticInt64(int64(d))
		case int64:
			s.Default = int64default.StaticInt64(d)
		}
		return s
	case kFloat:
		s := rschema.Float64Attribute{Required: a.required, Optional: a.optional, Computed: a.computed,
			Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, float64planmodifier.UseStateForUnknown())
		}
		if a.forceNew {
			s.PlanModifiers = append(s.PlanModifiers, float64planmodifier.RequiresReplace())
		}
		if d, ok := a.defaultVal.(float64); ok {
			s.Default = float64default.StaticFloat64(d)
		}
		return s
	case kStringList:
		s := rschema.ListAttribute{ElementType: types.StringType, Required: a.required, Optional: a.optional,
			Computed: a.computed, Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		if len(a.oneOfElem) > 0 {
			s.Validators = []validator.List{elemOneOf}
		}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, listplanmodifier.UseStateForUnknown())
		}
		if a.forceNew {
			s.PlanModifiers = append(s.PlanModifiers, listplanmodifier.RequiresReplace())
		}
		return s
	case kStringSet:
		s := rschema.SetAttribute{ElementType: types.StringType, Required: a.required, Optional: a.optional,
			Computed: a.computed, Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		if len(a.oneOfElem) > 0 {
			s.Validators = []validator.Set{elemOneOf}
		}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, setplanmodifier.UseStateForUnknown())
		}
		if a.forceNew {
			s.PlanModifiers = append(s.PlanModifiers, setplanmodifier.RequiresReplace())
		}
		return s
	case kStringMap:
		s := rschema.MapAttribute{ElementType: types.StringType, Required: a.required, Optional: a.optional,
			Computed: a.computed, Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, mapplanmodifier.UseStateForUnknown())
		}
		if a.forceNew {
			s.PlanModifiers = append(s.PlanModifiers, mapplanmodifier.RequiresReplace())
		}
		return s
	case kNestedList:
		s := rschema.ListNestedAttribute{NestedObject: rschema.NestedAttributeObject{
			Attributes: resourceAttributes(a.nested, false)},
			Required: a.required, Optional: a.optional, Computed: a.computed, DeprecationMessage: a.deprecated}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, listplanmodifier.UseStateForUnknown())
		}
		return s
	case kNestedSet:
		s := rschema.SetNestedAttribute{NestedObject: rschema.NestedAttributeObject{
			Attributes: resourceAttributes(a.nested, false)},
			Required: a.required, Optional: a.optional, Computed: a.computed, DeprecationMessage: a.deprecated}
		if useState {
			s.PlanModifiers = append(s.PlanModifiers, setplanmodifier.UseStateForUnknown())
		}
		return s
	}
	panic("unknown attribute kind for " + a.name)
}

func resourceBlocks(blocks []block, keepState bool) map[string]rschema.Block {
	out := map[string]rschema.Block{}
	for _, b := range blocks {
		count := blockCountValidator{name: b.name, min: b.minItems, max: b.maxItems}
		switch b.kind {
		case blockSingle:
			s := rschema.SingleNestedBlock{
				Attributes:         resourceAttributes(b.attrs, keepState),
				Blocks:             resourceBlocks(b.blocks, keepState),
				DeprecationMessage: b.deprecated,
			}
			if b.forceNew {
				s.PlanModifiers = []planmodifier.Object{objectplanmodifier.RequiresReplace()}
			}
			out[b.name] = s
		case blockSet:
			s := rschema.SetNestedBlock{NestedObject: rschema.NestedBlockObject{
				Attributes: resourceAttributes(b.attrs, false),
				Blocks:     resourceBlocks(b.blocks, false),
			}, DeprecationMessage: b.deprecated, Validators: []validator.Set{count}}
			if b.forceNew {
				s.PlanModifiers = []planmodifier.Set{setplanmodifier.RequiresReplace()}
			}
			out[b.name] = s
		default:
			s := rschema.ListNestedBlock{NestedObject: rschema.NestedBlockObject{
				Attributes: resourceAttributes(b.attrs, keepState),
				Blocks:     resourceBlocks(b.blocks, keepState),
			}, DeprecationMessage: b.deprecated, Validators: []validator.List{count}}
			if b.forceNew {
				s.PlanModifiers = []planmodifier.List{listplanmodifier.RequiresReplace()}
			}
			out[b.name] = s
		}
	}
	return out
}

func dataSourceSchema(d dataSpec) dschema.Schema {
	o := d.full()
	return dschema.Schema{
		Attributes: dataAttributes(o.attrs),
		Blocks:     dataBlocks(o.blocks),
	}
}

func dataAttributes(attrs []attr) map[string]dschema.Attribute {
	out := map[string]dschema.Attribute{}
	for _, a := range attrs {
		// Data sources have no defaults: an argument with one is optional+computed and the
		// default is filled in when the data source is read.
		opt, comp := a.optional, a.computed
		oneOf := oneOfValidator{allowed: a.oneOf}
		elemOneOf := oneOfValidator{allowed: a.oneOfElem}
		switch a.kind {
		case kString:
			s := dschema.StringAttribute{Required: a.required, Optional: opt, Computed: comp,
				Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
			if len(a.oneOf) > 0 {
				s.Validators = []validator.String{oneOf}
			}
			out[a.name] = s
		case kBool:
			out[a.name] = dschema.BoolAttribute{Required: a.required, Optional: opt, Computed: comp,
				Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		case kInt:
			out[a.name] = dschema.Int64Attribute{Required: a.required, Optional: opt, Computed: comp,
				Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		case kFloat:
			out[a.name] = dschema.Float64Attribute{Required: a.required, Optional: opt, Computed: comp,
				Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		case kStringList:
			s := dschema.ListAttribute{ElementType: types.StringType, Required: a.required, Optional: opt,
				Computed: comp, Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
			if len(a.oneOfElem) > 0 {
				s.Validators = []validator.List{elemOneOf}
			}
			out[a.name] = s
		case kStringSet:
			s := dschema.SetAttribute{ElementType: types.StringType, Required: a.required, Optional: opt,
				Computed: comp, Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
			if len(a.oneOfElem) > 0 {
				s.Validators = []validator.Set{elemOneOf}
			}
			out[a.name] = s
		case kStringMap:
			out[a.name] = dschema.MapAttribute{ElementType: types.StringType, Required: a.required,
				Optional: opt, Computed: comp, Sensitive: a.sensitive, DeprecationMessage: a.deprecated}
		case kNestedList:
			out[a.name] = dschema.ListNestedAttribute{NestedObject: dschema.NestedAttributeObject{
				Attributes: dataAttributes(a.nested)}, Required: a.required, Optional: opt, Computed: comp}
		case kNestedSet:
			out[a.name] = dschema.SetNestedAttribute{NestedObject: dschema.NestedAttributeObject{
				Attributes: dataAttributes(a.nested)}, Required: a.required, Optional: opt, Computed: comp}
		default:
			panic("unknown attribute kind for " + a.name)
		}
	}
	return out
}

func dataBlocks(blocks []block) map[string]dschema.Block {
	out := map[string]dschema.Block{}
	for _, b := range blocks {
		count := blockCountValidator{name: b.name, min: b.minItems, max: b.maxItems}
		obj := dschema.NestedBlockObject{Attributes: dataAttributes(b.attrs), Blocks: dataBlocks(b.blocks)}
		switch b.kind {
		case blockSingle:
			out[b.name] = dschema.SingleNestedBlock{Attributes: obj.Attributes, Blocks: obj.Blocks}
		case blockSet:
			out[b.name] = dschema.SetNestedBlock{NestedObject: obj, Validators: []validator.Set{count}}
		default:
			out[b.name] = dschema.ListNestedBlock{NestedObject: obj, Validators: []validator.List{count}}
		}
	}
	return out
}
