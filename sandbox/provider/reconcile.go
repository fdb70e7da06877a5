package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The real provider is built on the older SDK, where an unset argument and its zero value
// (false, 0, "", an empty list) are the same thing: AWS answering `hibernation = false` for an
// instance whose configuration never mentioned hibernation is no change. The framework tells
// null from zero, so a value read back from the world is reconciled with the prior state: where
// the two differ only by null against zero, the prior spelling is kept. Real changes still show.

// reconcileZero returns world, with every part that is zero-equivalent to prior replaced by
// prior's spelling.
func reconcileZero(prior, world tftypes.Value) tftypes.Value {
	if !prior.IsKnown() || !world.IsKnown() || !prior.Type().Equal(world.Type()) {
		return world
	}
	if zeroEquivalent(prior, world) {
		return prior
	}
	if prior.IsNull() || world.IsNull() {
		return world
	}
	switch t := world.Type().(type) {
	case tftypes.Object:
		var pf, wf map[string]tftypes.Value
		_ = prior.As(&pf)
		_ = world.As(&wf)
		out := map[string]tftypes.Value{}
		for k, wv := range wf {
			out[k] = reconcileZero(pf[k], wv)
		}
		return tftypes.NewValue(t, out)
	case tftypes.List:
		var pe, we []tftypes.Value
		_ = prior.As(&pe)
		_ = world.As(&we)
		out := make([]tftypes.Value, len(we))
		for i, wv := range we {
			if i < len(pe) {
				wv = reconcileZero(pe[i], wv)
			}
			out[i] = wv
		}
		return tftypes.NewValue(t, out)
	case tftypes.Set:
		// Set elements have no position: each element read back takes the spelling of a prior
		// element it matches up to zero values.
		var pe, we []tftypes.Value
		_ = prior.As(&pe)
		_ = world.As(&we)
		used := make([]bool, len(pe))
		out := make([]tftypes.Value, len(we))
		for i, wv := range we {
			out[i] = wv
			for j, pv := range pe {
				if !used[j] && zeroEquivalent(pv, wv) {
					out[i], used[j] = pv, true
					break
				}
			}
		}
		return tftypes.NewValue(t, out)
	}
	return world
}

// zeroEquivalent reports whether a and b are equal when null counts as the zero value.
func zeroEquivalent(a, b tftypes.Value) bool {
	if !a.IsKnown() || !b.IsKnown() {
		return false
	}
	if a.IsNull() && b.IsNull() {
		return true
	}
	if a.IsNull() {
		return isZero(b)
	}
	if b.IsNull() {
		return isZero(a)
	}
	switch a.Type().(type) {
	case tftypes.Object, tftypes.Map:
		var af, bf map[string]tftypes.Value
		_ = a.As(&af)
		_ = b.As(&bf)
		for k, av := range af {
			bv, ok := bf[k]
			if !ok {
				if !isZero(av) {
					return false
				}
				continue
			}
			if !zeroEquivalent(av, bv) {
				return false
			}
		}
		for k, bv := range bf {
			if _, ok := af[k]; !ok && !isZero(bv) {
				return false
			}
		}
		return true
	case tftypes.List:
		var ae, be []tftypes.Value
		_ = a.As(&ae)
		_ = b.As(&be)
		if len(ae) != len(be) {
			return false
		}
		for i := range ae {
			if !zeroEquivalent(ae[i], be[i]) {
				return false
			}
		}
		return true
	case tftypes.Set:
		var ae, be []tftypes.Value
		_ = a.As(&ae)
		_ = b.As(&be)
		if len(ae) != len(be) {
			return false
		}
		used := make([]bool, len(be))
	next:
		for _, av := range ae {
			for j, bv := range be {
				if !used[j] && zeroEquivalent(av, bv) {
					used[j] = true
					continue next
				}
			}
			return false
		}
		return true
	}
	return a.Equal(b)
}

// isZero: null, false, 0, "", or an empty collection (an object is zero when all its
// attributes are).
func isZero(v tftypes.Value) bool {
	if v.IsNull() {
		return true
	}
	if !v.IsKnown() {
		return false
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s == ""
	case t.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return !b
	case t.Is(tftypes.Number):
		var f big.Float
		_ = v.As(&f)
		return f.Sign() == 0
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		var e []tftypes.Value
		_ = v.As(&e)
		return len(e) == 0
	case t.Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		return len(m) == 0
	case t.Is(tftypes.Object{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		for _, e := range m {
			if !isZero(e) {
				return false
			}
		}
		return true
	}
	return false
}
