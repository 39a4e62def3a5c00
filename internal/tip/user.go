package tip

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Role is what a desk user may do. A user may hold several.
type Role string

const (
	// RoleAdmin manages users, offers, recipients, lists and settings — and
	// never reads report content.
	RoleAdmin Role = "admin"
	// RoleAnalyst reads and works the reports of the offers they receive.
	RoleAnalyst Role = "analyst"
	// RoleCommittee decides rewards, reading the reports shared with it.
	RoleCommittee Role = "committee"
	// RoleAuditor reads the audit log only.
	RoleAuditor Role = "auditor"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleCommittee, RoleAuditor}

// User is a desk user as stored in the clear.
type User struct {
	ID           string
	Name         string
	Roles        []Role
	PublicKey    string
	Disabled     bool
	TOTPEnrolled bool
	CreatedAt    time.Time
	LastLogin    time.Time // to the hour; zero for never
	Email        string    // where notifications go; "" for none
	// Removed is when the user was off-boarded (tipline user remove); zero
	// for a current user. A removed user holds nothing and cannot log in;
	// the record stays so that the audit log and the records naming them
	// still say who.
	Removed time.Time
}

// AwaitsPassphrase reports whether the user's passphrase was reset and they
// have not chosen a new one: they have no key pair until they do.
func (u User) AwaitsPassphrase() bool { return u.PublicKey == "" && u.Removed.IsZero() }

// Has reports whether the user holds role r.
func (u User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// Holder is the name under which tip keys are wrapped to the user.
func (u User) Holder() string { return HolderOf(u.ID) }

// HolderOf returns the tip-key holder name of a user id.
func HolderOf(userID string) string { return userHolderPrefix + userID }

// IsUserHolder reports whether a tip-key holder name is a desk user's, not
// the source's receipt or the offline recovery key.
func IsUserHolder(holder string) bool { return strings.HasPrefix(holder, userHolderPrefix) }

const userHolderPrefix = "user:"

var userName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// ValidateEmail checks a notification address: empty (none), or one plain
// address (name@domain, no display name, no list).
func ValidateEmail(email string) error {
	if email == "" {
		return nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return Errorf(CodeInvalid, "%q is not an email address such as kim@example.org", email)
	}
	return nil
}

// ValidateUser checks a new user's name and roles.
func ValidateUser(name string, roles []Role) error {
	if !userName.MatchString(name) {
		return Errorf(CodeInvalid, "user name %q: use 2-63 lower-case letters, digits, dots, dashes or underscores", name)
	}
	if len(roles) == 0 {
		return Errorf(CodeInvalid, "give the user at least one --role (%v)", Roles)
	}
	for _, r := range roles {
		if !slices.Contains(Roles, r) {
			return Errorf(CodeInvalid, "unknown role %q: choose from %v", r, Roles)
		}
	}
	return nil
}

// ErrReplayedCode means a second-factor code was already used.
var ErrReplayedCode = errors.New("this code was already used: wait for the next one")

// StatusDef is a status with the public state its source sees.
type StatusDef struct {
	Code     Status
	Public   PublicState
	Position int
	Builtin  bool
}

// String is for logs.
func (d StatusDef) String() string { return fmt.Sprintf("%s→%s", d.Code, d.Public) }
