//go:build !linux

package cli

// lowerPriority does nothing where per-thread priorities are not Linux's.
func lowerPriority() {}
