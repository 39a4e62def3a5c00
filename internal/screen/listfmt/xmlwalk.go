package listfmt

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"tipline/internal/screen"
)

// xmlParser streams an XML list: it walks the elements near the root itself
// and lets the caller decode each record whole, so memory stays bounded by
// one record plus the entries built so far, and every error can say where
// in the document it happened.
type xmlParser struct {
	format   string
	dec      *xml.Decoder
	path     []xmlStep
	consumed bool // the callback decoded the element it was given, end tag included
}

// xmlStep is one element on the path from the root, with its position among
// consecutive siblings of the same name, counted from 1.
type xmlStep struct {
	name      string
	n         int
	lastChild string
	children  int
}

// decode reads the element start opened, end tag included.
func (p *xmlParser) decode(v any, start *xml.StartElement) error {
	p.consumed = true
	return p.dec.DecodeElement(v, start)
}

// walk calls fn for every element start it reads; fn may consume the element
// with p.decode. walk fails if the document ends before the root is closed,
// or if anything but white space follows the root.
func (p *xmlParser) walk(fn func(path []string, start xml.StartElement) error) error {
	var names []string
	rootClosed := false
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if rootClosed {
				return p.fail(errors.New("a second element after the root element ends"))
			}
			step := xmlStep{name: t.Name.Local, n: 1}
			if len(p.path) > 0 {
				parent := &p.path[len(p.path)-1]
				if parent.lastChild == t.Name.Local {
					parent.children++
				} else {
					parent.lastChild, parent.children = t.Name.Local, 1
				}
				step.n = parent.children
			}
			p.path = append(p.path, step)
			names = append(names, t.Name.Local)
			p.consumed = false
			if err := fn(names, t); err != nil {
				return p.fail(err)
			}
			if p.consumed {
				p.path, names = p.path[:len(p.path)-1], names[:len(names)-1]
			}
		case xml.EndElement:
			p.path, names = p.path[:len(p.path)-1], names[:len(names)-1]
			rootClosed = len(p.path) == 0
		case xml.CharData:
			if rootClosed && strings.TrimSpace(string(t)) != "" {
				return p.fail(errors.New("text after the root element ends"))
			}
		}
	}
	if !rootClosed {
		return p.fail(truncated("the document ends before its elements are closed"))
	}
	return nil
}

// fail wraps err with the line, byte offset and element path it happened at.
// The decoder's own "unexpected EOF" is reported as ErrTruncated.
func (p *xmlParser) fail(err error) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) && strings.Contains(syn.Msg, "unexpected EOF") || errors.Is(err, io.ErrUnexpectedEOF) {
		err = truncated("the document ends before its elements are closed")
	} else if errors.As(err, &syn) {
		// The line is already in our position prefix.
		err = errors.New("malformed XML: " + syn.Msg)
	}
	line, _ := p.dec.InputPos()
	where := fmt.Sprintf("line %d, byte %d", line, p.dec.InputOffset())
	if len(p.path) > 0 {
		var b strings.Builder
		for i, s := range p.path {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(s.name)
			if s.n > 1 {
				fmt.Fprintf(&b, "[%d]", s.n)
			}
		}
		where += ", in " + b.String()
	}
	return &ParseError{Format: p.format, Where: where, Err: err}
}

func attr(start xml.StartElement, name string) string {
	for _, a := range start.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// finishList hashes the rest of the input and refuses a list that cannot be
// real: no entries at all, or entries that break the model's invariants.
func finishList(format string, list *screen.List, hr *hashingReader) (*screen.List, error) {
	sum, err := hr.finish()
	if err != nil {
		return nil, &ParseError{Format: format, Where: fmt.Sprintf("byte %d", hr.n), Err: err}
	}
	list.SHA256 = sum
	if len(list.Entries) == 0 {
		return nil, &ParseError{Format: format, Err: fmt.Errorf("%w: no entries", ErrImplausible)}
	}
	if err := list.Validate(); err != nil {
		return nil, &ParseError{Format: format, Err: fmt.Errorf("%w: %w", ErrImplausible, err)}
	}
	return list, nil
}
