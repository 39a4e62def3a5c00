package tip

// Status is where a report stands on the desk. It is internal: a source only
// ever sees its [PublicState].
type Status string

// The built-in statuses. An admin may add others (issue "The desk"); each
// maps to one public state.
const (
	StatusNew            Status = "new"
	StatusTriage         Status = "triage"
	StatusInvestigating  Status = "investigating"
	StatusCorroborated   Status = "corroborated"
	StatusReferred       Status = "referred"
	StatusClosedNoAction Status = "closed_no_action"
	StatusClosedDup      Status = "closed_duplicate"
)

// PublicState is the little a source is told: never "referred", never which
// agency, never a duplicate of whose report.
type PublicState string

const (
	PublicReceived    PublicState = "received"
	PublicUnderReview PublicState = "under_review"
	PublicClosed      PublicState = "closed"
)

var publicStates = map[Status]PublicState{
	StatusNew:            PublicReceived,
	StatusTriage:         PublicUnderReview,
	StatusInvestigating:  PublicUnderReview,
	StatusCorroborated:   PublicUnderReview,
	StatusReferred:       PublicUnderReview,
	StatusClosedNoAction: PublicClosed,
	StatusClosedDup:      PublicClosed,
}

// Public returns the state shown to the source. An unknown status reads as
// "under review", which reveals nothing.
func (s Status) Public() PublicState {
	if p, ok := publicStates[s]; ok {
		return p
	}
	return PublicUnderReview
}
