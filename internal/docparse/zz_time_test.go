package docparse

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZZTime(t *testing.T) {
	dir := os.Getenv("CORPUS")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		lines := strings.Split(string(raw), "\n")
		// format: go test fuzz v1 / uint8(N) / []byte("...")
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(lines[1], "uint8("), ")"))
		s := strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")")
		data, err := strconv.Unquote(s)
		if err != nil {
			fmt.Println("unquote", f, err)
			continue
		}
		for _, name := range fuzzNames {
			start := time.Now()
			Parse(name, []byte(data))
			if d := time.Since(start); d > 50*time.Millisecond {
				fmt.Println(filepath.Base(f), n, name, len(data), d)
			}
		}
	}
}
