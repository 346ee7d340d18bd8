package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/coach"
)

// CreateAPIKey stores a new API key (its hash, never the key) and sets its creation time.
func (db *DB) CreateAPIKey(ctx context.Context, k *coach.APIKey) error {
	err := db.queryRow(ctx, `
		INSERT INTO api_keys (id, name, role, key_hash) VALUES ($1, $2, $3, $4) RETURNING created_at`,
		k.ID, k.Name, k.Role, k.Hash).Scan(&k.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create api key: %w", err)
	}
	return nil
}

const apiKeyColumns = `id, name, role, key_hash, created_at, revoked_at`

func scanAPIKey(row pgx.Row) (*coach.APIKey, error) {
	var k coach.APIKey
	if err := row.Scan(&k.ID, &k.Name, &k.Role, &k.Hash, &k.CreatedAt, &k.RevokedAt); err != nil {
		return nil, err
	}
	return &k, nil
}

// APIKey returns a stored key, revoked or not, with its hash.
func (db *DB) APIKey(ctx context.Context, id string) (*coach.APIKey, error) {
	k, err := scanAPIKey(db.queryRow(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: api key: %w", notFound(err, "API key %s not found", coach.Echo(id)))
	}
	return k, nil
}

// APIKeys lists every key, revoked ones included, oldest first.
func (db *DB) APIKeys(ctx context.Context) ([]coach.APIKey, error) {
	rows, err := db.query(ctx, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: api keys: %w", err)
	}
	keys, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (coach.APIKey, error) {
		k, err := scanAPIKey(row)
		if err != nil {
			return coach.APIKey{}, err
		}
		return *k, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: api keys: %w", err)
	}
	return keys, nil
}

// RevokeAPIKey revokes a key from now on and returns it; revoking a revoked key keeps its first
// revocation time.
func (db *DB) RevokeAPIKey(ctx context.Context, id string) (*coach.APIKey, error) {
	k, err := scanAPIKey(db.queryRow(ctx, `
		UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
		RETURNING `+apiKeyColumns, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: revoke api key: %w", notFound(err, "API key %s not found", coach.Echo(id)))
	}
	return k, nil
}
