package docparse

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func FuzzZZHang(f *testing.F) {
	for _, prefix := range []string{"000_", "001_", "002_", "003_", "004_"} {
		_, data := readSeed(f, prefix)
		f.Add(uint8(0), data)
		f.Add(uint8(2), data)
	}
	f.Add(uint8(4), []byte("questions: &a [*a]"))
	f.Fuzz(func(t *testing.T, pick uint8, data []byte) {
		name := fuzzNames[int(pick)%len(fuzzNames)]
		done := make(chan bool)
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				os.WriteFile(fmt.Sprintf("/tmp/hang_%d.bin", time.Now().UnixNano()), append([]byte(name+"\n"), data...), 0o644)
			}
		}()
		Parse(name, data)
		close(done)
	})
}
