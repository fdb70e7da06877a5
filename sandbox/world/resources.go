package world

import (
	"encoding/json"
	"net/http"
	"strings"
)

// kind is what the world knows about one Terraform resource type: how to
// validate it and fill the computed attributes the real provider would.
// Types without a kind are stored generically.
type kind struct {
	// create validates r.Attrs, fills computed attributes and sets r.ID.
	create func(tx *Tx, r *Resource) error
	// update validates the merged attributes and re-derives computed ones;
	// old holds the attributes before the change.
	update func(tx *Tx, old map[string]any, r *Resource) error
	// read refreshes attributes that live elsewhere (the object store); it
	// returns a NotFound error when the resource has vanished.
	read func(s *State, r *Resource) error
	// remove validates the deletion and cleans up what depends on r.
	remove func(tx *Tx, r *Resource) error
	// singleton kinds (one per bucket, one per topic, ...) replace an existing
	// resource with the same id instead of failing.
	singleton bool
}

var kinds = map[string]*kind{}

func register(typ string, k *kind) { kinds[typ] = k }

// CreateResource creates a resource from the planned attributes and returns
// it with its id and every computed attribute filled.
func (w *World) CreateResource(typ string, attrs map[string]any) (*Resource, error) {
	if !validType(typ) {
		return nil, Invalid("unknown resource type %q", typ)
	}
	var out *Resource
	err := w.Update(func(tx *Tx) error {
		r := &Resource{Type: typ, Attrs: cloneAttrs(attrs), CreatedAt: tx.Now}
		k := kinds[typ]
		if k != nil && k.create != nil {
			if err := k.create(tx, r); err != nil {
				return err
			}
		} else {
			r.ID = genericID(typ, r.Attrs)
		}
		if r.ID == "" {
			return errorf(http.StatusInternalServerError, "InternalFailure", "%s: no id computed", typ)
		}
		if present(r.Attrs, "tags") {
			setDefault(r.Attrs, "tags_all", r.Attrs["tags"])
		}
		r.Attrs["id"] = r.ID
		if old := tx.Find(typ, r.ID); old != nil {
			if k == nil || !k.singleton {
				return errorf(http.StatusConflict, "ResourceAlreadyExists", "%s %q already exists", typ, r.ID)
			}
			tx.remove(old)
		}
		tx.add(r)
		out = cloneResource(r)
		tx.changed("create", r)
		return nil
	})
	return out, err
}

// ReadResource returns a resource as the world holds it now.
func (w *World) ReadResource(typ, id string) (*Resource, error) {
	var out *Resource
	var err error
	w.View(func(s *State) {
		r := s.Find(typ, id)
		if r == nil {
			err = NotFound("%s %q does not exist", typ, id)
			return
		}
		c := cloneResource(r)
		if k := kinds[typ]; k != nil && k.read != nil {
			if err = k.read(s, c); err != nil {
				return
			}
		}
		out = c
	})
	return out, err
}

// UpdateResource applies new planned attributes to a resource. Attributes not
// given keep their values (unknown computed values are omitted by the caller).
func (w *World) UpdateResource(typ, id string, attrs map[string]any) (*Resource, error) {
	var out *Resource
	err := w.Update(func(tx *Tx) error {
		r := tx.Find(typ, id)
		if r == nil {
			return NotFound("%s %q does not exist", typ, id)
		}
		old := cloneAttrs(r.Attrs)
		for k, v := range cloneAttrs(attrs) {
			r.Attrs[k] = v
		}
		r.Attrs["id"] = r.ID
		if present(attrs, "tags") && !present(attrs, "tags_all") {
			r.Attrs["tags_all"] = r.Attrs["tags"]
		}
		if k := kinds[typ]; k != nil && k.update != nil {
			if err := k.update(tx, old, r); err != nil {
				return err
			}
		}
		out = cloneResource(r)
		tx.changed("update", r)
		return nil
	})
	return out, err
}

// DeleteResource deletes a resource; NotFound when it is already gone.
func (w *World) DeleteResource(typ, id string) error {
	return w.Update(func(tx *Tx) error {
		r := tx.Find(typ, id)
		if r == nil {
			return NotFound("%s %q does not exist", typ, id)
		}
		if k := kinds[typ]; k != nil && k.remove != nil {
			if err := k.remove(tx, r); err != nil {
				return err
			}
		}
		tx.remove(r)
		tx.changed("delete", r)
		return nil
	})
}

func (tx *Tx) changed(op string, r *Resource) {
	if h := tx.w.hooks.ResourceChanged; h != nil {
		c := cloneResource(r)
		w := tx.w
		tx.After(func() { h(w, op, c) })
	}
}

// removeWhere deletes every resource of typ for which match is true.
func (tx *Tx) removeWhere(typ string, match func(r *Resource) bool) {
	for _, r := range append([]*Resource(nil), tx.List(typ)...) {
		if match(r) {
			tx.remove(r)
		}
	}
}

func validType(typ string) bool {
	if !strings.HasPrefix(typ, "aws_") || len(typ) > 100 {
		return false
	}
	for _, c := range typ {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// genericID gives an unknown type an id that looks like an AWS one.
func genericID(typ string, attrs map[string]any) string {
	short := strings.TrimPrefix(typ, "aws_")
	if i := strings.LastIndexByte(short, '_'); i >= 0 {
		short = short[i+1:]
	}
	return short + "-" + randomHex(17)
}

func cloneAttrs(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return map[string]any{}
	}
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

func cloneResource(r *Resource) *Resource {
	c := *r
	c.Attrs = cloneAttrs(r.Attrs)
	if r.Private != nil {
		c.Private = map[string]string{}
		for k, v := range r.Private {
			c.Private[k] = v
		}
	}
	return &c
}

func (r *Resource) setPrivate(k, v string) {
	if r.Private == nil {
		r.Private = map[string]string{}
	}
	r.Private[k] = v
}

// arn builds a regional ARN of this world.
func (tx *Tx) arn(service, resource string) string {
	return "arn:aws:" + service + ":" + tx.Region + ":" + tx.Account + ":" + resource
}

// globalARN builds an ARN of a global service (IAM, S3 has no account either).
func (tx *Tx) globalARN(service, resource string) string {
	return "arn:aws:" + service + "::" + tx.Account + ":" + resource
}

// nameOrPrefix resolves name / name_prefix the way the provider does.
func nameOrPrefix(attrs map[string]any, nameAttr string) string {
	if n := Str(attrs, nameAttr); n != "" {
		return n
	}
	name := uniqueName(Str(attrs, "name_prefix"))
	attrs[nameAttr] = name
	return name
}
