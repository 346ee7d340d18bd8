package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/text"
)

// BankStore is what moving a whole bank needs of the database.
type BankStore interface {
	ExportBank(ctx context.Context) (*coach.BankFile, error)
	ImportBank(ctx context.Context, in *coach.BankImport) (*coach.BankImportSummary, error)
	EnsureVectorIndex(ctx context.Context, model string, dims int) error
}

// ExportBank writes the whole bank to w as one JSON document (see coach.BankFile). The same bank
// gives the same bytes.
func ExportBank(ctx context.Context, store BankStore, w io.Writer) error {
	f, err := store.ExportBank(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("ingest: write bank: %w", err)
	}
	return nil
}

// ReadBank decodes and checks a bank file written by ExportBank. Every problem is an EINVALID error
// that says where it is.
func ReadBank(r io.Reader) (*coach.BankFile, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f coach.BankFile
	if err := dec.Decode(&f); err != nil {
		var syntaxErr *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, coach.Errorf(coach.EINVALID, "bank file is empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, coach.Errorf(coach.EINVALID, "bank file: invalid JSON: it ends too early")
		case errors.As(err, &syntaxErr):
			return nil, coach.Errorf(coach.EINVALID, "bank file: invalid JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
		case errors.As(err, &typeErr):
			return nil, coach.Errorf(coach.EINVALID, "bank file: field %q must be %s", typeErr.Field, typeErr.Type)
		default:
			return nil, coach.Errorf(coach.EINVALID, "bank file: %v", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if dec.More() {
		return nil, coach.Errorf(coach.EINVALID, "bank file: data after the JSON document")
	}
	if err := checkBank(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// checkBank checks what the database would refuse, or accept wrongly, and names the culprit.
func checkBank(f *coach.BankFile) error {
	bad := func(format string, args ...any) error {
		return coach.Errorf(coach.EINVALID, "bank file: "+format, args...)
	}
	if f.Format != coach.BankFormat || f.Version < 1 || f.Version > coach.BankVersion {
		return bad("format %q version %d is not %s version %d (files of `coach export`)", f.Format, f.Version, coach.BankFormat, coach.BankVersion)
	}
	topics := map[string]bool{}
	for _, t := range f.Topics {
		if t.ID == "" || t.Name == "" {
			return bad("a topic lacks its id or name")
		}
		topics[t.ID] = true
	}
	sources := map[string]bool{}
	for _, s := range f.Sources {
		if s.Name == "" || s.Format == "" || s.ContentHash == "" {
			return bad("a source lacks its name, format or content_hash")
		}
		sources[s.Name] = true
	}
	ids := map[string]bool{}
	checkRef := func(r coach.BankReference) error {
		switch {
		case r.ID == "" || strings.TrimSpace(r.Text) == "" || r.ContentHash == "":
			return bad("reference %q lacks its id, text or content_hash", r.ID)
		case ids["r/"+r.ID]:
			return bad("reference %s appears twice", r.ID)
		case !sources[r.Source]:
			return bad("reference %s: source %q is not in the file's sources", r.ID, r.Source)
		}
		ids["r/"+r.ID] = true
		ordinals := map[int]bool{}
		for _, kp := range r.KeyPoints {
			switch {
			case kp.ID == "" || strings.TrimSpace(kp.Text) == "":
				return bad("reference %s: a key point lacks its id or text", r.ID)
			case ids["k/"+kp.ID]:
				return bad("key point %s appears twice", kp.ID)
			case kp.Origin != coach.KeyPointAuthored && kp.Origin != coach.KeyPointExtracted && kp.Origin != coach.KeyPointLLM:
				return bad("key point %s: origin %q is not authored, extracted or llm", kp.ID, kp.Origin)
			case kp.Status != "" && !coach.ValidKeyPointStatus(kp.Status):
				return bad("key point %s: status %q is not approved, draft or rejected", kp.ID, kp.Status)
			case kp.Weight < 0 || kp.Weight > 1:
				return bad("key point %s: weight %v is outside 0-1", kp.ID, kp.Weight)
			case kp.Ordinal < 1 || ordinals[kp.Ordinal]:
				return bad("key point %s: ordinal %d is not a new positive number", kp.ID, kp.Ordinal)
			}
			ids["k/"+kp.ID] = true
			ordinals[kp.Ordinal] = true
		}
		return nil
	}
	for _, q := range f.Questions {
		switch {
		case q.ID == "" || strings.TrimSpace(q.Text) == "":
			return bad("question %q lacks its id or text", q.ID)
		case ids["q/"+q.ID]:
			return bad("question %s appears twice", q.ID)
		case !topics[q.Topic]:
			return bad("question %s: topic %q is not in the file's topics", q.ID, q.Topic)
		case q.Difficulty != "" && !coach.ValidDifficulty(q.Difficulty):
			return bad("question %s: difficulty %q is not easy, medium or hard", q.ID, q.Difficulty)
		}
		ids["q/"+q.ID] = true
		for _, r := range q.References {
			if err := checkRef(r); err != nil {
				return err
			}
		}
	}
	for _, r := range f.Orphans {
		if err := checkRef(r); err != nil {
			return err
		}
	}
	return nil
}

// ImportBank stores a bank file read by ReadBank, all or nothing, with vectors computed by embedder
// (the file has none: they depend on the model). What the bank already holds is left as it was.
func ImportBank(ctx context.Context, store BankStore, embedder coach.Embedder, f *coach.BankFile) (*coach.BankImportSummary, error) {
	if err := checkBank(f); err != nil {
		return nil, err
	}
	in := &coach.BankImport{
		File: f, Model: embedder.Model(),
		QuestionKeys: map[string]string{}, QuestionVectors: map[string][]float32{}, PassageVectors: map[string][][]float32{},
	}
	// Texts are embedded in batches; each entry says where its vector goes.
	type target struct {
		question  string // question id, or
		reference string // reference id and passage index
		passage   int
	}
	var (
		texts   []string
		targets []target
	)
	addRef := func(question string, r coach.BankReference) {
		in.PassageVectors[r.ID] = make([][]float32, len(r.Passages))
		for i, p := range r.Passages {
			texts = append(texts, coach.EmbeddingInput(question, p))
			targets = append(targets, target{reference: r.ID, passage: i})
		}
	}
	for _, q := range f.Questions {
		in.QuestionKeys[q.ID] = text.Normalize(q.Text)
		texts = append(texts, q.Text)
		targets = append(targets, target{question: q.ID})
		for _, r := range q.References {
			addRef(q.Text, r)
		}
	}
	for _, r := range f.Orphans {
		addRef("", r)
	}
	if err := store.EnsureVectorIndex(ctx, embedder.Model(), embedder.Dimensions()); err != nil {
		return nil, err
	}
	for start := 0; start < len(texts); start += ReindexBatch {
		end := min(start+ReindexBatch, len(texts))
		vecs, err := embedder.Embed(ctx, texts[start:end])
		if err != nil {
			return nil, err
		}
		for i, vec := range vecs {
			if t := targets[start+i]; t.question != "" {
				in.QuestionVectors[t.question] = vec
			} else {
				in.PassageVectors[t.reference][t.passage] = vec
			}
		}
	}
	return store.ImportBank(ctx, in)
}
