// Package eventpattern evaluates Amazon EventBridge event patterns against
// events, with EventBridge's content-filtering semantics: exact values,
// prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists,
// cidr and $or, nested objects, and arrays that match when any element does.
//
// Patterns come from outside (a rule in the learner's account), so Compile
// validates them and neither it nor Match panics on any input.
package eventpattern
