// Package ingest imports question-bank documents: it parses them, merges questions that several
// sources share, splits references into key points and passages, embeds the passages and stores it all.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/docparse"
	"github.com/interviewcoach/coach/internal/keypoints"
	"github.com/interviewcoach/coach/internal/text"
)

// Store is what the importer needs of the database.
type Store interface {
	// StoredReferences returns which of hashes are content hashes of stored references.
	StoredReferences(ctx context.Context, hashes []string) (map[string]bool, error)
	// QuestionsByKeys returns the stored questions whose normalised texts are among keys, by key.
	QuestionsByKeys(ctx context.Context, keys []string) (map[string]*coach.Question, error)
	// NearestQuestionsMany returns, for each of vecs, the k stored questions nearest to it.
	NearestQuestionsMany(ctx context.Context, model string, vecs [][]float32, k int) ([][]coach.QuestionMatch, error)
	// KeyPointsOf returns the key points of the given questions, by question id.
	KeyPointsOf(ctx context.Context, ids []string) (map[string][]coach.KeyPoint, error)
	// SaveReferences stores records in one transaction (see postgres.DB.SaveReferences).
	SaveReferences(ctx context.Context, recs []*coach.ImportRecord) ([]bool, error)
	Search(ctx context.Context, model string, vec []float32, k int, topic string) ([]coach.SearchResult, error)
	EnsureVectorIndex(ctx context.Context, model string, dims int) error
}

// DocumentLocker is what a Store offers when imports of one document may run at once (several
// requests, several instances): LockDocument waits for any other import of a document with that
// content hash, so the later import finds everything stored and says so.
type DocumentLocker interface {
	LockDocument(ctx context.Context, contentHash string) (unlock func(), err error)
}

// Thresholds of cosine similarity the importer decides by. They suit the local embedder; the
// defaults were chosen on the seed pages against the bundled bank (see ingest_test.go). Another
// embedder takes its own through Importer.Thresholds (see Thresholds).
const (
	// MergeSimilarity: a question at least this close to a stored one is the same question.
	MergeSimilarity = 0.86
	// AttachSimilarity: an orphan answer at least this close to a stored reference is attached to
	// that reference's question.
	AttachSimilarity = 0.62
	// TopicSimilarity: a question without a topic takes the topic of its nearest stored questions
	// when the nearest is at least this close and the match is clear (see topicFor).
	TopicSimilarity = 0.45
	// TopicMargin: the match is clear when the nearest question of another topic is at least this
	// much further than the nearest one, or when two of the three nearest share one topic.
	TopicMargin = 0.05
)

// DefaultTopic is the topic of questions whose topic is neither named nor clear from the bank: they
// wait, visible as such, for an admin to sort them.
const DefaultTopic = "unsorted"

// DefaultTopicName is DefaultTopic's name.
const DefaultTopicName = "Unsorted"

// Importer imports documents into the bank.
type Importer struct {
	Store    Store
	Embedder coach.Embedder
	// Extractor, when set, writes key points of references that have no authored ones; the
	// deterministic splitter is used otherwise, or when it fails.
	Extractor coach.KeyPointExtractor
	Logger    *slog.Logger
	// Observer, when set, is told what each document's import did.
	Observer Observer

	// Thresholds, when set, replace Local: the similarities that suit another embedder.
	Thresholds *Thresholds

	// BulkIndexMin is how many new drafts make an import a bulk load, which leaves the passage
	// vectors' index out and builds it afterwards when they are more than the model's stored
	// passages (see bulkIndex): 0 is DefaultBulkIndexMin, a negative number never.
	BulkIndexMin int

	// progress, when set, is given each document's summary as its import starts, to read its counts
	// as they grow (in the step callback).
	progress func(*Summary)
}

// Summary counts what an import did.
type Summary = coach.ImportSummary

// Skipped is a block of a document that was not imported, and why.
type Skipped = coach.ImportSkipped

// Failure is a document that could not be imported.
type Failure = coach.ImportFailure

// Import parses one document and stores what it holds. Each batch of references (ImportBatch, or
// fewer: an answer without a question is stored alone) is stored in one transaction, so a failure
// part way keeps the batches stored before it, and importing the same document again stores
// nothing new. step, when set, is called after each draft with the number
// done and the total.
func (im *Importer) Import(ctx context.Context, name string, data []byte, step func(done, total int)) (*Summary, error) {
	return im.ImportAs(ctx, SourceInfo{Name: name}, data, step)
}

// SourceInfo names a document to import. Name is its identity in the bank; only its base name is
// kept (a path on the importing machine is nobody's business). Title and URL, when set, override
// what the document says of itself (an HTML page's title and canonical link).
type SourceInfo struct {
	Name  string
	Title string
	URL   string
}

// SourceName returns the name a document is stored and reported under: the base name of name, so
// that no path on the server reaches the bank or its responses.
func SourceName(name string) string {
	if strings.HasPrefix(name, "builtin:") {
		return name
	}
	name = strings.TrimRight(strings.ReplaceAll(name, "\\", "/"), "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return "unnamed"
	}
	return name
}

// ImportAs is Import with the source named by src.
func (im *Importer) ImportAs(ctx context.Context, src SourceInfo, data []byte, step func(done, total int)) (*Summary, error) {
	src.Name = SourceName(src.Name)
	doc, err := parse(src.Name, data)
	if err != nil {
		im.observe(nil, err)
		return nil, err
	}
	if src.Title != "" {
		doc.Title = src.Title
	}
	if src.URL != "" {
		doc.URL = src.URL
	}
	var sum *Summary
	err = im.bulk(ctx, len(doc.Drafts), func() error {
		var err error
		sum, err = im.importParsed(ctx, src.Name, data, doc, step)
		return err
	})
	return sum, err
}

// bulk makes sure the vector indexes exist and runs load, as a bulk load when about incoming new
// passages make it one (see bulkIndex): the passage vectors' index is dropped before load and built
// once it returns, whether it succeeded or not. Every import stores through it.
func (im *Importer) bulk(ctx context.Context, incoming int, load func() error) (err error) {
	model, dims := im.Embedder.Model(), im.Embedder.Dimensions()
	if err := im.Store.EnsureVectorIndex(ctx, model, dims); err != nil {
		return err
	}
	rebuild, err := bulkIndex(ctx, im.Logger, im.Store, model, dims, incoming, im.BulkIndexMin)
	if err != nil {
		return err
	}
	if rebuild != nil {
		defer func() {
			if rerr := rebuild(); rerr != nil && err == nil {
				err = rerr
			}
		}()
	}
	return load()
}

// parse parses one document; the error, meant for the user, names it.
func parse(name string, data []byte) (*docparse.Document, error) {
	doc, err := docparse.Parse(name, data)
	if err != nil {
		return nil, coach.Errorf(coach.EINVALID, "%s: %s", name, strings.TrimPrefix(err.Error(), "docparse: "))
	}
	return doc, nil
}

func (im *Importer) importParsed(ctx context.Context, name string, data []byte, doc *docparse.Document, step func(done, total int)) (sum *Summary, err error) {
	defer func() { im.observe(sum, err) }()
	sum = &Summary{Files: 1, Drafts: len(doc.Drafts)}
	if im.progress != nil {
		im.progress(sum)
	}
	for _, s := range doc.Skipped {
		sum.Skipped = append(sum.Skipped, Skipped{Source: name, Location: s.Location, Reason: s.Reason})
	}
	topicNames := map[string]string{}
	for _, t := range doc.Topics {
		topicNames[t.ID] = t.Name
	}
	source := coach.Source{Name: name, Format: doc.Format, Title: doc.Title, URL: doc.URL, ContentHash: hashOf(string(data))}
	if locker, ok := im.Store.(DocumentLocker); ok {
		unlock, err := locker.LockDocument(ctx, source.ContentHash)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	for start := 0; start < len(doc.Drafts); start += ImportBatch {
		batch := doc.Drafts[start:min(start+ImportBatch, len(doc.Drafts))]
		prepared, err := im.prepare(ctx, source, batch, sum)
		if err != nil {
			return sum, fmt.Errorf("ingest: %s: %w", name, err)
		}
		// A run of drafts with questions is decided and stored together; an answer without a
		// question is looked for among the passages stored before it, so it goes alone.
		for lo := 0; lo < len(batch); {
			hi := lo + 1
			for batch[lo].Question != "" && hi < len(batch) && batch[hi].Question != "" {
				hi++
			}
			done, err := im.importRun(ctx, source, batch[lo:hi], prepared[lo:hi], topicNames, sum)
			if step != nil {
				for i := range done {
					step(start+lo+i+1, len(doc.Drafts))
				}
			}
			if err != nil {
				return sum, fmt.Errorf("ingest: %s %s: %w", name, batch[lo+done].Location, err)
			}
			lo = hi
		}
	}
	return sum, nil
}

// ImportBatch is how many drafts are looked up, embedded and stored together: one query finds which
// are stored already, one call to the embedder embeds the rest, and (see importRun) a few queries
// find their questions and one transaction stores them.
const ImportBatch = 128

// prepared is what a draft's import needs that is worked out for a whole batch at once.
type prepared struct {
	questionKey, contentHash string
	stored                   bool // a reference of the same content is stored already
	passages                 []string
	vecs                     [][]float32 // the passages', then the answer's, then the question's (when it has one)
}

// prepare hashes batch's drafts, finds with one query those already stored, bounds the others'
// answers (with a warning in sum) and embeds all their texts with one call.
func (im *Importer) prepare(ctx context.Context, source coach.Source, batch []docparse.Draft, sum *Summary) ([]prepared, error) {
	out := make([]prepared, len(batch))
	hashes := make([]string, len(batch))
	for i := range batch {
		d := &batch[i]
		out[i].questionKey = text.Normalize(d.Question)
		out[i].contentHash = hashOf(out[i].questionKey + "\x00" + text.Normalize(d.Answer))
		hashes[i] = out[i].contentHash
	}
	stored, err := im.Store.StoredReferences(ctx, hashes)
	if err != nil {
		return nil, err
	}
	var inputs []string
	for i := range batch {
		d, p := &batch[i], &out[i]
		if p.stored = stored[p.contentHash]; p.stored {
			continue
		}
		// The content hash is of the whole answer, so importing it again is a duplicate; what is
		// stored and embedded is bounded.
		if bounded, cut := boundReference(d.Answer); cut {
			sum.Warnings = append(sum.Warnings, coach.ImportSkipped{Source: source.Name, Location: d.Location,
				Reason: fmt.Sprintf("the answer is %d characters long: only its first %d characters were imported (the limit is %d)",
					utf8.RuneCountInString(d.Answer), utf8.RuneCountInString(bounded), MaxReferenceChars)})
			d.Answer = bounded
		}
		p.passages = Chunk(d.Answer)
		for _, passage := range p.passages {
			inputs = append(inputs, coach.EmbeddingInput(d.Question, passage))
		}
		inputs = append(inputs, d.Answer)
		if d.Question != "" {
			inputs = append(inputs, d.Question)
		}
	}
	if len(inputs) == 0 {
		return out, nil
	}
	vecs, err := im.Embedder.Embed(ctx, inputs)
	if err != nil {
		return nil, err
	}
	if len(vecs) != len(inputs) {
		return nil, fmt.Errorf("ingest: the embedder returned %d vectors for %d texts", len(vecs), len(inputs))
	}
	for i := range batch {
		p := &out[i]
		if p.stored {
			continue
		}
		n := len(p.passages) + 1
		if batch[i].Question != "" {
			n++
		}
		p.vecs, vecs = vecs[:n:n], vecs[n:]
	}
	return out, nil
}

// ClearTopic returns the topic of the nearest of matches (most similar first; unsorted questions
// left out, as they tell nothing) when it is clear: the nearest is at least TopicSimilarity close,
// and either two of the three nearest share its topic or the nearest question of another topic is
// TopicMargin further. It returns "" otherwise. The local embedder's thresholds apply;
// Thresholds.ClearTopic takes others.
func ClearTopic(matches []coach.QuestionMatch) string {
	return clearTopic(matches, TopicSimilarity, TopicMargin)
}

func clearTopic(matches []coach.QuestionMatch, similarity, margin float64) string {
	var sorted []coach.QuestionMatch
	for _, m := range matches {
		if m.Question.TopicID != DefaultTopic {
			sorted = append(sorted, m)
		}
	}
	if len(sorted) == 0 || sorted[0].Similarity < similarity {
		return ""
	}
	top := sorted[0]
	agree := 0
	for i, m := range sorted {
		if i < 3 && m.Question.TopicID == top.Question.TopicID {
			agree++
		}
	}
	if agree >= 2 {
		return top.Question.TopicID
	}
	for _, m := range sorted[1:] {
		if m.Question.TopicID != top.Question.TopicID {
			if top.Similarity-m.Similarity >= margin {
				return top.Question.TopicID
			}
			return ""
		}
	}
	return top.Question.TopicID
}

func (im *Importer) keyPoints(ctx context.Context, d *docparse.Draft) ([]string, string) {
	if len(d.KeyPoints) > 0 {
		return d.KeyPoints, coach.KeyPointAuthored
	}
	if im.Extractor != nil {
		points, err := im.Extractor.ExtractKeyPoints(ctx, d.Question, d.Answer)
		if err == nil && len(points) > 0 {
			return points, coach.KeyPointLLM
		}
		if im.Logger != nil {
			im.Logger.WarnContext(ctx, "key point extraction failed; splitting the answer instead", "location", d.Location, "error", err)
		}
	}
	points := keypoints.Split(d.Answer)
	if len(points) == 0 {
		points = []string{strings.TrimSpace(d.Answer)}
	}
	return points, coach.KeyPointExtracted
}

// ErrNoInput is returned for an import given nothing to read.
var ErrNoInput = errors.New("nothing to import")

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func titleCase(id string) string {
	words := strings.Fields(strings.ReplaceAll(id, "-", " "))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// Size limits of what an import stores, in characters. A reference answer is a few paragraphs; a
// multi-megabyte one (a pasted log, a page without sentence breaks) would otherwise become one huge
// passage and key point that every grading of its question drags along.
const (
	// MaxPassageChars is the longest passage Chunk returns.
	MaxPassageChars = 2000
	// MaxReferenceChars is the longest reference answer stored: a longer one is cut at a boundary
	// (see keypoints.Pieces) and the import report warns of it.
	MaxReferenceChars = 20000
)

// boundReference returns answer cut to MaxReferenceChars characters, and whether it was cut.
func boundReference(answer string) (string, bool) {
	if utf8.RuneCountInString(answer) <= MaxReferenceChars {
		return answer, false
	}
	return keypoints.Pieces(answer, MaxReferenceChars)[0], true
}

// Chunk splits an answer into passages of about maxWords words at paragraph boundaries, keeping code
// blocks whole, so each passage is a retrievable unit. No passage is longer than MaxPassageChars
// characters: a longer paragraph (or code block) is cut at sentence, clause or word boundaries.
func Chunk(answer string) []string {
	const maxWords = 160
	var paragraphs []string
	for _, p := range strings.Split(strings.TrimSpace(answer), "\n\n") {
		if utf8.RuneCountInString(p) > MaxPassageChars {
			paragraphs = append(paragraphs, keypoints.Pieces(p, MaxPassageChars)...)
		} else {
			paragraphs = append(paragraphs, p)
		}
	}
	var (
		out   []string
		cur   []string
		words int
		chars int
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n\n"))
			cur, words, chars = nil, 0, 0
		}
	}
	inFence := false
	for _, p := range paragraphs {
		n, c := len(strings.Fields(p)), utf8.RuneCountInString(p)
		if len(cur) > 0 && (!inFence && words+n > maxWords || chars+2+c > MaxPassageChars) {
			flush()
		}
		cur = append(cur, p)
		words += n
		chars += c + 2
		if strings.Count(p, "```")%2 == 1 {
			inFence = !inFence
		}
	}
	flush()
	return out
}
