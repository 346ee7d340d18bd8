package coach

import "time"

// Roles of API keys, weakest first. Each role may do everything the roles before it may.
const (
	// RoleCandidate practises: with it a closed server lets one read the bank, search and start
	// sessions, whose own token then opens them.
	RoleCandidate = "candidate"
	// RoleInterviewer grades any answer, writes follow-ups, reads every attempt and session and
	// proposes key points, which arrive as drafts.
	RoleInterviewer = "interviewer"
	// RoleAdmin changes the bank (import, edit, review, delete, reindex) and manages keys.
	RoleAdmin = "admin"
)

var roleRank = map[string]int{RoleCandidate: 1, RoleInterviewer: 2, RoleAdmin: 3}

// Roles lists the roles, weakest first.
func Roles() []string { return []string{RoleCandidate, RoleInterviewer, RoleAdmin} }

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return roleRank[r] > 0 }

// HasRole reports whether a key of role have may do what role want may.
func HasRole(have, want string) bool {
	return ValidRole(have) && ValidRole(want) && roleRank[have] >= roleRank[want]
}

// APIKey is a stored API key. The key itself is shown once, when it is created; the store keeps only
// its SHA-256 hash.
type APIKey struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	Hash      []byte     `json:"-"`
}

// Principal is who a request's API key says its caller is.
type Principal struct {
	KeyID string
	Name  string
	Role  string
}
