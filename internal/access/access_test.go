package access_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/access"
	"github.com/interviewcoach/coach/internal/coach"
)

// memStore keeps keys in memory.
type memStore struct {
	mu   sync.Mutex
	keys map[string]*coach.APIKey
}

func (m *memStore) CreateAPIKey(_ context.Context, k *coach.APIKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k.CreatedAt = time.Now()
	c := *k
	m.keys[k.ID] = &c
	return nil
}

func (m *memStore) APIKey(_ context.Context, id string) (*coach.APIKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return nil, coach.Errorf(coach.ENOTFOUND, "API key %q not found", id)
	}
	c := *k
	return &c, nil
}

func (m *memStore) APIKeys(context.Context) ([]coach.APIKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []coach.APIKey
	for _, k := range m.keys {
		out = append(out, *k)
	}
	return out, nil
}

func (m *memStore) RevokeAPIKey(_ context.Context, id string) (*coach.APIKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return nil, coach.Errorf(coach.ENOTFOUND, "API key %q not found", id)
	}
	if k.RevokedAt == nil {
		now := time.Now()
		k.RevokedAt = &now
	}
	c := *k
	return &c, nil
}

func newService(adminKey string) (*access.Service, *memStore) {
	m := &memStore{keys: map[string]*coach.APIKey{}}
	return &access.Service{Store: m, AdminKey: adminKey}, m
}

var keyFormat = regexp.MustCompile(`^coach_[0-9a-f]{12}[A-Za-z0-9_-]{43}$`)

func TestCreateAndAuthenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, m := newService("")
	seen := map[string]bool{}
	for _, role := range coach.Roles() {
		k, key, err := s.Create(ctx, role, "  Ada  ")
		if err != nil {
			t.Fatal(err)
		}
		if !keyFormat.MatchString(key) || !strings.HasPrefix(key, access.Prefix+k.ID) || seen[key] {
			t.Errorf("key %q (id %s) is not coach_, its id and 43 random characters, or is not new", key, k.ID)
		}
		seen[key] = true
		sum := sha256.Sum256([]byte(key))
		stored := m.keys[k.ID]
		if !bytes.Equal(stored.Hash, sum[:]) || bytes.Contains(stored.Hash, []byte(key)) || stored.Name != "Ada" || stored.Role != role {
			t.Errorf("stored %+v: want the key's SHA-256 only, the trimmed name and the role", stored)
		}
		p, err := s.Authenticate(ctx, key)
		if err != nil || p.KeyID != k.ID || p.Role != role || p.Name != "Ada" {
			t.Errorf("Authenticate = %+v, %v", p, err)
		}
	}
}

func TestCreateInvalid(t *testing.T) {
	t.Parallel()
	s, _ := newService("")
	for _, tt := range []struct{ role, name, message string }{
		{"root", "x", "root"},
		{"", "x", "role"},
		{"admin", "  ", "name"},
		{"admin", "two\nlines", "one line"},
		{"admin", strings.Repeat("n", access.MaxNameRunes+1), "longer"},
	} {
		_, _, err := s.Create(context.Background(), tt.role, tt.name)
		if coach.ErrorCode(err) != coach.EINVALID || !strings.Contains(coach.ErrorMessage(err), tt.message) {
			t.Errorf("Create(%q, %q) = %v, want invalid naming %s", tt.role, tt.name, err, tt.message)
		}
	}
}

func TestAuthenticateRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const admin = "bootstrap-admin-key-1234"
	s, _ := newService(admin)
	k, key, err := s.Create(ctx, coach.RoleInterviewer, "Grace")
	if err != nil {
		t.Fatal(err)
	}
	revoked, revokedKey, _ := s.Create(ctx, coach.RoleAdmin, "Gone")
	if _, err := s.Revoke(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] = map[bool]byte{true: 'B', false: 'A'}[b[i] == 'A']
		return string(b)
	}
	for _, tt := range []struct{ name, key, message string }{
		{"empty", "", "malformed"},
		{"no prefix", strings.TrimPrefix(key, access.Prefix), "malformed"},
		{"too short", key[:len(key)-1], "malformed"},
		{"too long", key + "A", "malformed"},
		{"upper-case id", access.Prefix + strings.ToUpper(k.ID) + key[len(access.Prefix)+12:], "malformed"},
		{"not base64url", key[:len(key)-1] + "=", "malformed"},
		{"secret changed", flip(key, len(key)-2), "invalid API key"},
		{"unknown id", access.Prefix + "000000000000" + key[len(access.Prefix)+12:], "invalid API key"},
		{"revoked", revokedKey, "invalid API key"},
		{"bootstrap key changed", admin[:len(admin)-1], "malformed"},
	} {
		p, err := s.Authenticate(ctx, tt.key)
		if p != nil || coach.ErrorCode(err) != coach.EUNAUTHORIZED || !strings.Contains(coach.ErrorMessage(err), tt.message) {
			t.Errorf("%s: Authenticate = %+v, %v; want unauthorized %q", tt.name, p, err, tt.message)
		}
	}
	p, err := s.Authenticate(ctx, admin)
	if err != nil || p.Role != coach.RoleAdmin || p.KeyID != access.AdminKeyID {
		t.Errorf("bootstrap key: %+v, %v", p, err)
	}
	if _, err := s.Revoke(ctx, access.AdminKeyID); coach.ErrorCode(err) != coach.EINVALID {
		t.Errorf("revoking the bootstrap key: %v", err)
	}
	if _, err := s.Revoke(ctx, "000000000000"); coach.ErrorCode(err) != coach.ENOTFOUND {
		t.Errorf("revoking an unknown key: %v", err)
	}
	// Without a bootstrap key configured, no string is the bootstrap key.
	none, _ := newService("")
	if _, err := none.Authenticate(ctx, ""); coach.ErrorCode(err) != coach.EUNAUTHORIZED {
		t.Errorf("empty key without a bootstrap key: %v", err)
	}
}

func TestHasRole(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		have, want string
		ok         bool
	}{
		{coach.RoleAdmin, coach.RoleAdmin, true},
		{coach.RoleAdmin, coach.RoleCandidate, true},
		{coach.RoleInterviewer, coach.RoleCandidate, true},
		{coach.RoleInterviewer, coach.RoleAdmin, false},
		{coach.RoleCandidate, coach.RoleInterviewer, false},
		{"", coach.RoleCandidate, false},
		{"root", coach.RoleCandidate, false},
		{coach.RoleAdmin, "", false},
	} {
		if got := coach.HasRole(tt.have, tt.want); got != tt.ok {
			t.Errorf("HasRole(%q, %q) = %v", tt.have, tt.want, got)
		}
	}
}
