// Package tip holds Tipline's domain types — reports, offers, messages and
// their states — with the rules that keep them valid, and the coded
// application errors every other package returns.
//
// What a source wrote lives in [Report] and is only ever stored sealed. What
// the desk must sort and filter on (status, offer, category, coarse time,
// whether a reward was asked for) lives in [Tip] and is stored in the clear.
package tip
