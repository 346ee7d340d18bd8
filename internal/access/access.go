// Package access creates, checks and revokes API keys. A key is "coach_" followed by twelve hex
// digits, the key's id, by which it is looked up, and 43 base64url characters, 256 random bits; only
// the SHA-256 hash of the whole key is stored, and compared in constant time. It depends on the domain
// only.
package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
)

// Store is what keys need of the database.
type Store interface {
	CreateAPIKey(ctx context.Context, k *coach.APIKey) error
	APIKey(ctx context.Context, id string) (*coach.APIKey, error)
	APIKeys(ctx context.Context) ([]coach.APIKey, error)
	RevokeAPIKey(ctx context.Context, id string) (*coach.APIKey, error)
}

// Prefix starts every API key, so that keys are easy to recognise in a leak scanner.
const Prefix = "coach_"

// Sizes of a key's parts.
const (
	idBytes     = 6  // 12 hex digits
	secretBytes = 32 // 43 base64url characters
	keyLength   = len(Prefix) + 2*idBytes + 43
)

// MaxNameRunes is the longest key name accepted.
const MaxNameRunes = 100

// AdminKeyID is the id under which the bootstrap admin key appears in logs and rate limits.
const AdminKeyID = "admin-env"

// Service manages API keys.
type Service struct {
	Store Store
	// AdminKey, when set, is a bootstrap key with the admin role that needs no database row: the
	// first admin uses it to create the others.
	AdminKey string
}

// Create validates role and name and stores a new key. It returns the key's record and the key
// itself, which is shown this once.
func (s *Service) Create(ctx context.Context, role, name string) (*coach.APIKey, string, error) {
	name = strings.TrimSpace(name)
	switch {
	case !coach.ValidRole(role):
		return nil, "", coach.Errorf(coach.EINVALID, "role %q is not one of %s", role, strings.Join(coach.Roles(), ", "))
	case name == "":
		return nil, "", coach.Errorf(coach.EINVALID, "a key needs a name that says whose it is")
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return nil, "", coach.Errorf(coach.EINVALID, "name must be one line of text")
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return nil, "", coach.Errorf(coach.EINVALID, "name is longer than %d characters", MaxNameRunes)
	}
	id := make([]byte, idBytes)
	secret := make([]byte, secretBytes)
	_, _ = rand.Read(id) // never fails (crypto/rand)
	_, _ = rand.Read(secret)
	k := &coach.APIKey{ID: hex.EncodeToString(id), Name: name, Role: role}
	key := Prefix + k.ID + base64.RawURLEncoding.EncodeToString(secret)
	k.Hash = hash(key)
	if err := s.Store.CreateAPIKey(ctx, k); err != nil {
		return nil, "", err
	}
	return k, key, nil
}

// Authenticate returns who key belongs to. A key that is malformed, unknown or revoked is
// EUNAUTHORIZED; the messages tell a mistyped key from one that no longer works, never whether an id
// exists.
func (s *Service) Authenticate(ctx context.Context, key string) (*coach.Principal, error) {
	if s.AdminKey != "" && subtle.ConstantTimeCompare(hash(key), hash(s.AdminKey)) == 1 {
		return &coach.Principal{KeyID: AdminKeyID, Name: "COACH_ADMIN_KEY", Role: coach.RoleAdmin}, nil
	}
	id, ok := keyID(key)
	if !ok {
		return nil, coach.Errorf(coach.EUNAUTHORIZED,
			"malformed API key: expected %s followed by %d characters, as `coach keys create` prints it", Prefix, keyLength-len(Prefix))
	}
	invalid := coach.Errorf(coach.EUNAUTHORIZED, "invalid API key: unknown or revoked")
	k, err := s.Store.APIKey(ctx, id)
	if coach.ErrorCode(err) == coach.ENOTFOUND {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(hash(key), k.Hash) != 1 || k.RevokedAt != nil {
		return nil, invalid
	}
	return &coach.Principal{KeyID: k.ID, Name: k.Name, Role: k.Role}, nil
}

// List returns every key, revoked ones included, oldest first.
func (s *Service) List(ctx context.Context) ([]coach.APIKey, error) {
	keys, err := s.Store.APIKeys(ctx)
	if err != nil {
		return nil, err
	}
	if keys == nil {
		keys = []coach.APIKey{}
	}
	return keys, nil
}

// Revoke revokes key id at once; it stays listed, with the time it was revoked.
func (s *Service) Revoke(ctx context.Context, id string) (*coach.APIKey, error) {
	if id == AdminKeyID {
		return nil, coach.Errorf(coach.EINVALID, "the bootstrap admin key is revoked by unsetting COACH_ADMIN_KEY")
	}
	return s.Store.RevokeAPIKey(ctx, id)
}

// keyID returns the id part of a well-formed key.
func keyID(key string) (string, bool) {
	if len(key) != keyLength || !strings.HasPrefix(key, Prefix) {
		return "", false
	}
	id, secret := key[len(Prefix):len(Prefix)+2*idBytes], key[len(Prefix)+2*idBytes:]
	if _, err := hex.DecodeString(id); err != nil || strings.ToLower(id) != id {
		return "", false
	}
	if raw, err := base64.RawURLEncoding.DecodeString(secret); err != nil || len(raw) != secretBytes {
		return "", false
	}
	return id, true
}

func hash(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}
