package grading

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"strconv"
	"sync"

	"github.com/interviewcoach/coach/internal/coach"
)

// ReusedWarning is the warning of an attempt whose grade was reused.
const ReusedWarning = "this grade reuses an earlier grading of the same answer to the same question, against the same references and by the same grader; no model was asked again"

// Cache keeps recent grades in memory, so that grading the same answer to the same question, against
// the same rubric, with the same grader again returns the earlier grade without asking the model.
// Its key covers everything the grader is given (question, answer, each reference with its key points
// and their weights, the related questions follow-ups may come from, how many follow-ups) and the
// grader's identity (kind, model, prompt version and settings), so editing a rubric or changing the
// model or a prompt never reuses a grade made under the old one. Fallback grades are never kept: the
// model should be asked again once it is back. The cache lives in the process, so a new build (whose
// offline grader may score differently) starts empty. A container/list LRU is a few lines; a library
// would add a dependency for them.
type Cache struct {
	grader string
	size   int

	mu      sync.Mutex
	entries map[[32]byte]*list.Element
	order   *list.List // front: most recently used
}

type cacheEntry struct {
	key [32]byte
	as  *Assessment
}

// DefaultCacheSize is how many grades a cache keeps unless told otherwise.
const DefaultCacheSize = 10000

// NewCache returns a cache of up to size grades by the grader named by grader, which must name the
// grader's kind, model, prompt version and any setting that changes its grades.
func NewCache(grader string, size int) *Cache {
	if size < 1 {
		size = DefaultCacheSize
	}
	return &Cache{grader: grader, size: size, entries: map[[32]byte]*list.Element{}, order: list.New()}
}

// key returns the cache key of grading in; a nil cache has none.
func (c *Cache) key(in coach.GradeInput) [32]byte {
	if c == nil {
		return [32]byte{}
	}
	h := sha256.New()
	field(h, c.grader)
	field(h, in.Question)
	field(h, in.Answer)
	field(h, strconv.Itoa(in.FollowUps))
	refs := func(label string, rs []coach.Reference) {
		field(h, label+strconv.Itoa(len(rs)))
		for _, r := range rs {
			field(h, r.ID)
			field(h, r.Text)
			field(h, strconv.Itoa(len(r.KeyPoints)))
			for _, kp := range r.KeyPoints {
				field(h, kp.ID)
				field(h, kp.Text)
				field(h, strconv.FormatFloat(kp.Weight, 'g', -1, 64))
			}
		}
	}
	refs("references", in.References)
	field(h, "related"+strconv.Itoa(len(in.Related)))
	for _, q := range in.Related {
		field(h, q.ID)
		field(h, q.Text)
		refs("related references", q.References)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// field writes s to h after its length, so that no two lists of fields hash alike.
func field(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}

// get returns the grade kept under k, if any; a nil cache keeps none.
func (c *Cache) get(k [32]byte) (*Assessment, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).as, true
}

// put keeps as under k, forgetting the least recently used grade when full.
func (c *Cache) put(k [32]byte, as *Assessment) {
	if c == nil || as == nil || as.Fallback {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		e.Value.(*cacheEntry).as = as
		c.order.MoveToFront(e)
		return
	}
	c.entries[k] = c.order.PushFront(&cacheEntry{key: k, as: as})
	if c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*cacheEntry).key)
	}
}

// Len returns how many grades the cache keeps.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
