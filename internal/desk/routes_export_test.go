package desk

import "tipline/internal/tip"

// RouteRoles exposes the route table to the matrix test, which holds it
// against a matrix written out on its own.
func RouteRoles(s *Server) map[string][]tip.Role {
	out := map[string][]tip.Role{}
	for _, r := range s.routes() {
		out[r.pattern] = r.roles
	}
	return out
}
