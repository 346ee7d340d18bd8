package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/interviewcoach/coach/internal/access"
	"github.com/interviewcoach/coach/internal/coach"
)

// runKeys manages API keys: create, list and revoke.
func runKeys(ctx context.Context, e *env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage:
  coach keys create --role candidate|interviewer|admin --name NAME [--json]
                            create a key and print it, this once
  coach keys list [--json]  list every key, revoked ones included
  coach keys revoke ID      revoke a key at once

A key is sent as "Authorization: Bearer coach_...". Roles: candidate (read the bank, start sessions
when practice is closed), interviewer (also grade any answer, follow-ups, read every attempt and
session), admin (also import, delete, reindex, manage keys).
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("coach keys "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { _ = usage() }
	asJSON := fs.Bool("json", false, "print JSON")
	var role, name *string
	switch sub {
	case "create":
		role = fs.String("role", "", "candidate, interviewer or admin")
		name = fs.String("name", "", "whose key it is, for the list")
	case "list", "revoke":
	case "-h", "--help", "help":
		_ = usage()
		return nil
	default:
		fmt.Fprintf(e.stderr, "coach keys: unknown subcommand %q\n\n", sub)
		return usage()
	}
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	wantArgs := map[string]int{"create": 0, "list": 0, "revoke": 1}[sub]
	if fs.NArg() != wantArgs {
		return usage()
	}

	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	keys := &access.Service{Store: db}
	switch sub {
	case "create":
		k, key, err := keys.Create(ctx, *role, *name)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e, struct {
				*coach.APIKey
				Key string `json:"key"`
			}{k, key})
		}
		fmt.Fprintf(e.stderr, "Created the %s key %s for %q. It is shown only this once:\n", k.Role, k.ID, k.Name)
		fmt.Fprintln(e.stdout, key)
	case "list":
		list, err := keys.List(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e, list)
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tROLE\tCREATED\tREVOKED\tNAME")
		for _, k := range list {
			revoked := "-"
			if k.RevokedAt != nil {
				revoked = k.RevokedAt.UTC().Format(time.DateTime)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, k.CreatedAt.UTC().Format(time.DateTime), revoked, k.Name)
		}
		return w.Flush()
	case "revoke":
		k, err := keys.Revoke(ctx, strings.TrimSpace(fs.Arg(0)))
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e, k)
		}
		fmt.Fprintf(e.stdout, "revoked the %s key %s of %q\n", k.Role, k.ID, k.Name)
	}
	return nil
}

// printJSON writes v to standard output as indented JSON.
func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
