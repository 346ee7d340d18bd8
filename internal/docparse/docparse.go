// Package docparse reads question-bank documents into drafts: question and answer pairs that have
// not been stored yet. It understands structured banks (YAML, JSON, CSV) and unstructured pages
// (plain text, Markdown, HTML) saved from the web, where it finds the questions by their layout and
// drops the page furniture around them. It does no I/O: callers hand it bytes and a name.
package docparse

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// MaxSize is the largest input Parse accepts, in bytes. Question banks are text; anything bigger
// is almost certainly the wrong file, and the page heuristics are not meant for unbounded input.
const MaxSize = 10 << 20

// Formats reported in Document.Format.
const (
	FormatYAML = "yaml"
	FormatJSON = "json"
	FormatCSV  = "csv"
	FormatPage = "page"
)

// Draft is one question/answer pair read from a document, before it is stored.
type Draft struct {
	ID       string // authored id (structured banks only), optional
	Question string // empty for an orphan answer whose question was lost; never holds a newline
	// Answer keeps bullet lists and code, paragraphs separated by blank lines. From pages, list
	// items become "- item" lines and code fenced blocks; structured banks keep the author's
	// text as written (indented code included). It is never empty.
	Answer     string
	Topic      string   // optional
	Difficulty string   // optional: easy, medium or hard
	Tags       []string // optional
	KeyPoints  []string // authored rubric statements, optional
	Location   string   // where in the document: "line 42" (pages, HTML included), "row 3" (CSV), "questions[5]"
}

// Skipped is a block of the document that was not turned into a draft, and why.
type Skipped struct {
	Location string // same forms as Draft.Location
	Reason   string // short, human readable: "advertisement", "missing answer", ...
	Excerpt  string // the start of the block, on one line, so a person can find it
}

// TopicDef is a topic a structured bank declares.
type TopicDef struct {
	ID   string
	Name string
}

// Document is the result of parsing one input.
type Document struct {
	Source  string     // the name given to Parse
	Format  string     // FormatYAML, FormatJSON, FormatCSV or FormatPage
	Title   string     // page title if one is evident, or the source a structured bank names
	URL     string     // the page's canonical address (HTML <link rel="canonical"> or og:url), or the url a structured bank names
	Topics  []TopicDef // topics a structured bank declares
	Drafts  []Draft
	Skipped []Skipped
}

// Sentinel errors returned (wrapped) by Parse; test for them with errors.Is.
var (
	// ErrEmpty: the input holds nothing but white space.
	ErrEmpty = errors.New("empty file")
	// ErrTooLarge: the input is bigger than MaxSize.
	ErrTooLarge = errors.New("file too large")
	// ErrBinary: the input is not text (NUL bytes or many control characters).
	ErrBinary = errors.New("binary file")
	// ErrEncoding: the input is neither UTF-8, UTF-16 with a byte order mark, nor Latin-1 text.
	ErrEncoding = errors.New("unreadable encoding")
	// ErrSyntax: a structured file does not decode. The error is a *SyntaxError.
	ErrSyntax = errors.New("invalid structured file")
	// ErrColumns: a CSV file lacks a required column.
	ErrColumns = errors.New("missing required columns")
	// ErrNoQuestions: the document decoded but holds no usable question/answer pair.
	ErrNoQuestions = errors.New("no questions found")
	// ErrDocumentation: the page is a documentation build's page (Sphinx or MkDocs output), whose
	// headings are sections, not questions: it is imported as documentation (ParseDocumentation,
	// `coach docs`), never as questions and answers.
	ErrDocumentation = errors.New("documentation page (Sphinx or MkDocs output), not questions and answers: import its build with `coach docs --dir DIR --name NAME --base-url URL`, which keeps each section as a reference")
)

// SyntaxError reports a structured file that does not decode, with the line when the decoder
// knows it. It matches ErrSyntax under errors.Is.
type SyntaxError struct {
	Format string // "yaml", "json" or "csv"
	Line   int    // 1-based; 0 when unknown
	Msg    string // the decoder's explanation
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("invalid %s at line %d: %s", e.Format, e.Line, e.Msg)
	}
	return fmt.Sprintf("invalid %s: %s", e.Format, e.Msg)
}

// Is makes errors.Is(err, ErrSyntax) hold for every SyntaxError.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// Parse reads one document. name gives the format (by its extension) and becomes Document.Source;
// data is the content. Structured banks are ".yaml", ".yml", ".json", ".csv" and ".tsv"; anything
// else is read as a page, as HTML when it is named ".html"/".htm" or starts like an HTML document.
//
// Problems with single items (a question without an answer, an unknown difficulty, page noise)
// are reported in Document.Skipped, not as errors. When Parse returns ErrNoQuestions it also
// returns the Document, so the caller can show what was skipped and why.
func Parse(name string, data []byte) (*Document, error) {
	doc, err := parse(name, data)
	if err != nil {
		// The caller knows which file it passed and names it; repeating it here would double it.
		return doc, fmt.Errorf("docparse: %w", err)
	}
	return doc, nil
}

func parse(name string, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxSize)
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmpty
	}
	doc := &Document{Source: name}
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".yaml", ".yml":
		doc.Format = FormatYAML
		err = parseYAML(doc, text)
	case ".json":
		doc.Format = FormatJSON
		err = parseJSON(doc, text)
	case ".csv", ".tsv":
		doc.Format = FormatCSV
		err = parseCSV(doc, text, ext == ".tsv")
	default:
		doc.Format = FormatPage
		isHTML := ext == ".html" || ext == ".htm" || ext == ".xhtml" || looksLikeHTML(text)
		if isHTML && IsDocumentation([]byte(text)) {
			// Read as a Q&A page, its headings would become invented questions ("How it works¶").
			return nil, ErrDocumentation
		}
		parsePage(doc, text, isHTML, ext == ".md" || ext == ".markdown")
	}
	if err != nil {
		return nil, err
	}
	if len(doc.Drafts) == 0 {
		return doc, ErrNoQuestions
	}
	return doc, nil
}

// excerpt shortens s to one line a person can recognise in the source.
func excerpt(s string) string {
	const limit = 80
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
