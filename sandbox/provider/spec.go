package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The schema table: every resource and data source type is described by a small spec that
// says what the real hashicorp/aws provider accepts (argument names, required/optional/computed,
// nested blocks, what forces replacement). One generic implementation serves them all; the
// framework schemas and the tftypes shapes are both derived from these specs.

type kind int

const (
	kString kind = iota
	kBool
	kInt
	kFloat
	kStringList
	kStringSet
	kStringMap
	kNestedList // computed list of objects (data source outputs), see attr.nested
	kNestedSet
)

// attr is one argument or attribute.
type attr struct {
	name       string
	kind       kind
	required   bool
	optional   bool
	computed   bool
	sensitive  bool
	forceNew   bool
	volatile   bool // computed value that changes on every update: planned unknown, not kept from state
	jsonDoc    bool // a JSON document: an equivalent value read back is not drift
	deprecated string
	defaultVal any      // string, bool, int64 or float64; makes the attribute optional+computed
	oneOf      []string // accepted values (strings, or the decimal form of ints)
	oneOfElem  []string // accepted values for the elements of a string list or set
	nested     []attr   // object attributes of kNestedList / kNestedSet
}

func str(name string) attr     { return attr{name: name, kind: kString} }
func boolean(name string) attr { return attr{name: name, kind: kBool} }
func integer(name string) attr { return attr{name: name, kind: kInt} }
func float(name string) attr   { return attr{name: name, kind: kFloat} }
func strList(name string) attr { return attr{name: name, kind: kStringList} }
func strSet(name string) attr  { return attr{name: name, kind: kStringSet} }
func strMap(name string) attr  { return attr{name: name, kind: kStringMap} }
func nestedList(name string, attrs ...attr) attr {
	return attr{name: name, kind: kNestedList, nested: attrs}
}
func nestedSet(name string, attrs ...attr) attr {
	return attr{name: name, kind: kNestedSet, nested: attrs}
}

func (a attr) req() attr     { a.required = true; return a }
func (a attr) opt() attr     { a.optional = true; return a }
func (a attr) comp() attr    { a.computed = true; return a }
func (a attr) optComp() attr { a.optional, a.computed = true, true; return a }
func (a attr) forceNewA() attr {
	a.forceNew = true
	return a
}
func (a attr) secret() attr            { a.sensitive = true; return a }
func (a attr) changing() attr          { a.volatile = true; return a }
func (a attr) policy() attr            { a.jsonDoc = true; return a }
func (a attr) deprecate(m string) attr { a.deprecated = m; return a }
func (a attr) def(v any) attr {
	a.defaultVal, a.optional, a.computed = v, true, true
	return a
}
func (a attr) values(v ...string) attr     { a.oneOf = v; return a }
func (a attr) elemValues(v ...string) attr { a.oneOfElem = v; return a }

type blockKind int

const (
	blockList blockKind = iota
	blockSet
	blockSingle // like the real provider's timeouts block: one optional object
)

// block is a nested configuration block (`route { … }`), kept in JSON as a list of objects.
type block struct {
	name       string
	kind       blockKind
	attrs      []attr
	blocks     []block
	minItems   int
	maxItems   int
	forceNew   bool
	deprecated string
	// serverFilled: the real provider treats the block as optional+computed (AWS fills it in
	// when it is left out); a value read back for a block the configuration leaves empty is
	// not reported as drift.
	serverFilled bool
}

func listBlock(name string, max int, attrs ...attr) block {
	return block{name: name, kind: blockList, maxItems: max, attrs: attrs}
}
func setBlock(name string, attrs ...attr) block {
	return block{name: name, kind: blockSet, attrs: attrs}
}
func (b block) with(blocks ...block) block { b.blocks = append(b.blocks, blocks...); return b }
func (b block) min(n int) block            { b.minItems = n; return b }
func (b block) forceNewB() block           { b.forceNew = true; return b }
func (b block) filled() block              { b.serverFilled = true; return b }
func (b block) deprecate(m string) block   { b.deprecated = m; return b }

func timeoutsBlock(ops ...string) block {
	b := block{name: "timeouts", kind: blockSingle}
	for _, op := range ops {
		b.attrs = append(b.attrs, str(op).opt())
	}
	return b
}

// objectSpec is the body of a resource, a data source or a block.
type objectSpec struct {
	attrs  []attr
	blocks []block
}

// resourceSpec describes one managed resource type.
type resourceSpec struct {
	typeName string
	what     string // as the real provider names it in errors: "EC2 VPC"
	regional bool   // has v6's optional `region` argument
	tagged   bool   // has `tags` and `tags_all`
	objectSpec
	// planHook adjusts a plan the way the real provider's CustomizeDiff does.
	planHook func(p *planEdit)
	// validate checks a configuration the way the real provider does before any API call.
	validate func(c configView) []string
}

// dataSpec describes one data source type.
type dataSpec struct {
	typeName string
	what     string
	regional bool
	objectSpec
	// local computes the result in the provider (nil: ask the world).
	local    func(ctx context.Context, d *providerData, args map[string]any) (map[string]any, error)
	validate func(c configView) []string
}

// full returns the resource's attributes with the common ones every type carries.
func (r resourceSpec) full() objectSpec {
	o := objectSpec{blocks: r.blocks}
	o.attrs = append(o.attrs, str("id").comp())
	if r.regional {
		o.attrs = append(o.attrs, str("region").optComp().forceNewA())
	}
	if r.tagged {
		o.attrs = append(o.attrs, strMap("tags").opt(), strMap("tags_all").comp().changing())
	}
	o.attrs = append(o.attrs, r.attrs...)
	return o
}

func (d dataSpec) full() objectSpec {
	o := objectSpec{blocks: d.blocks}
	if !d.has("id") {
		o.attrs = append(o.attrs, str("id").comp())
	}
	if d.regional {
		o.attrs = append(o.attrs, str("region").optComp())
	}
	o.attrs = append(o.attrs, d.attrs...)
	return o
}

func (o objectSpec) has(name string) bool {
	for _, a := range o.attrs {
		if a.name == name {
			return true
		}
	}
	for _, b := range o.blocks {
		if b.name == name {
			return true
		}
	}
	return false
}

func (o objectSpec) attr(name string) (attr, bool) {
	for _, a := range o.attrs {
		if a.name == name {
			return a, true
		}
	}
	return attr{}, false
}

func (o objectSpec) block(name string) (block, bool) {
	for _, b := range o.blocks {
		if b.name == name {
			return b, true
		}
	}
	return block{}, false
}

// tfType is the tftypes shape of an object with this spec, as terraform sends it.
func (o objectSpec) tfType() tftypes.Object {
	types := map[string]tftypes.Type{}
	for _, a := range o.attrs {
		types[a.name] = a.tfType()
	}
	for _, b := range o.blocks {
		types[b.name] = b.tfType()
	}
	return tftypes.Object{AttributeTypes: types}
}

func (a attr) tfType() tftypes.Type {
	switch a.kind {
	case kString:
		return tftypes.String
	case kBool:
		return tftypes.Bool
	case kInt, kFloat:
		return tftypes.Number
	case kStringList:
		return tftypes.List{ElementType: tftypes.String}
	case kStringSet:
		return tftypes.Set{ElementType: tftypes.String}
	case kStringMap:
		return tftypes.Map{ElementType: tftypes.String}
	case kNestedList:
		return tftypes.List{ElementType: objectSpec{attrs: a.nested}.tfType()}
	case kNestedSet:
		return tftypes.Set{ElementType: objectSpec{attrs: a.nested}.tfType()}
	}
	panic("unknown attribute kind")
}

func (b block) object() objectSpec { return objectSpec{attrs: b.attrs, blocks: b.blocks} }

func (b block) tfType() tftypes.Type {
	obj := b.object().tfType()
	switch b.kind {
	case blockSet:
		return tftypes.Set{ElementType: obj}
	case blockSingle:
		return obj
	}
	return tftypes.List{ElementType: obj}
}
