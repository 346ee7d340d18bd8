// Package migrations embeds the SQL migrations of the coach database, so the binary carries its schema.
package migrations

import "embed"

// FS holds the migrations as NNN_name.sql files in tern's format: the forward migration above the
// "---- create above / drop below ----" line, the rollback below it.
//
//go:embed *.sql
var FS embed.FS
