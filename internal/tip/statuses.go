package tip

import "regexp"

var statusCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// ValidateStatus checks a status an admin adds.
func ValidateStatus(code Status, public PublicState) error {
	if !statusCode.MatchString(string(code)) {
		return Errorf(CodeInvalid, "status %q: use 2-32 lower-case letters, digits or underscores, starting with a letter", code)
	}
	switch public {
	case PublicReceived, PublicUnderReview, PublicClosed:
		return nil
	}
	return Errorf(CodeInvalid, "the source must see one of: received, under_review, closed")
}
