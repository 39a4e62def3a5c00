package metadata

import (
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// dropDanglingReferences replaces every reference to an object the document does not
// hold with null, which is what such a reference means (PDF 32000-1, 7.3.10): a
// dictionary entry is removed, an array element becomes null. This must happen before
// pdfcpu writes the document, because pdfcpu gives the objects it adds (the new
// information dictionary) the numbers of missing objects: a reference left dangling
// would then point at the added object — a catalog whose /Pages named a missing object
// came out with the information dictionary as its page tree.
func (s *pdfScan) dropDanglingReferences() {
	for _, e := range s.ctx.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		e.Object = s.withoutDangling(e.Object)
	}
	s.withoutDangling(s.ctx.RootDict)
	if s.ctx.Info != nil && !s.holds(*s.ctx.Info) {
		s.ctx.Info = nil
	}
}

// holds reports whether the document has the object ref refers to.
func (s *pdfScan) holds(ref types.IndirectRef) bool {
	e, ok := s.ctx.Table[ref.ObjectNumber.Value()]
	return ok && e != nil && !e.Free && e.Object != nil
}

// withoutDangling returns o with its dangling references dropped. Dictionaries and arrays
// are changed in place, so that objects shared between entries stay shared.
func (s *pdfScan) withoutDangling(o types.Object) types.Object {
	switch v := o.(type) {
	case types.IndirectRef:
		if !s.holds(v) {
			return nil
		}
	case types.Dict:
		for k, x := range v {
			if x = s.withoutDangling(x); x == nil {
				delete(v, k)
			} else {
				v[k] = x
			}
		}
	case types.StreamDict:
		s.withoutDangling(v.Dict)
	case types.Array:
		for i, x := range v {
			v[i] = s.withoutDangling(x)
		}
	}
	return o
}
