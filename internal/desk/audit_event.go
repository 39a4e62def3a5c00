package desk

import "tipline/internal/audit"

func auditEvent(actor, action, tipID, detail string) audit.Event {
	return audit.Event{Actor: actor, Action: action, TipID: tipID, Detail: detail}
}
