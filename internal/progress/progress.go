// Package progress draws a progress bar for long command-line work.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Bar is a progress bar written to a terminal. On anything that is not a terminal it writes a plain
// line at each tenth of the work instead, so logs stay readable. It is safe for concurrent use.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	total    int
	done     int
	tty      bool
	start    time.Time
	drawn    time.Time
	lastTick int
}

// New starts a bar of total steps. total may be 0 when it is not known yet; see SetTotal.
func New(w io.Writer, label string, total int) *Bar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &Bar{w: w, label: label, total: total, tty: tty, start: time.Now(), lastTick: -1}
}

// SetTotal changes the number of steps.
func (b *Bar) SetTotal(total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total = total
	b.draw(false)
}

// Add records n more steps done.
func (b *Bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	b.draw(false)
}

// Set records that done steps are done in all.
func (b *Bar) Set(done int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = done
	b.draw(false)
}

// Finish draws the bar complete and ends its line.
func (b *Bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.draw(true)
	if b.tty {
		fmt.Fprintln(b.w)
	}
}

func (b *Bar) draw(final bool) {
	elapsed := time.Since(b.start).Round(100 * time.Millisecond)
	if !b.tty {
		tick := 0
		if b.total > 0 {
			tick = b.done * 10 / b.total
		}
		if final || tick > b.lastTick {
			b.lastTick = tick
			fmt.Fprintf(b.w, "%s: %d/%d (%s)\n", b.label, b.done, b.total, elapsed)
		}
		return
	}
	if !final && time.Since(b.drawn) < 100*time.Millisecond {
		return
	}
	b.drawn = time.Now()
	const width = 30
	filled := 0
	if b.total > 0 {
		filled = min(width, b.done*width/b.total)
	}
	pct := 0
	if b.total > 0 {
		pct = b.done * 100 / b.total
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d %3d%% %s ", b.label, strings.Repeat("#", filled),
		strings.Repeat(".", width-filled), b.done, b.total, pct, elapsed)
}
