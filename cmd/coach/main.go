// Command coach is the interview coach server and its command-line tools.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/interviewcoach/coach/internal/coach"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "coach: "+message(err))
		}
		os.Exit(exitCode(err))
	}
}

// message is the one line a user sees for err: a coded error's message, or the whole chain.
func message(err error) string {
	if coach.ErrorCode(err) != coach.EINTERNAL {
		return coach.ErrorMessage(err)
	}
	return err.Error()
}

func exitCode(err error) int {
	if err == errUsage {
		return 2
	}
	return 1
}
