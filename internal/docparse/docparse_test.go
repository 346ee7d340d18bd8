package docparse

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	utf16Invalid := []byte{0xFF, 0xFE, 'Q', 0, ':'} // odd number of bytes after the BOM
	tests := []struct {
		name    string
		file    string
		data    []byte
		want    error
		message string // substring of the error text
	}{
		{"empty", "a.txt", nil, ErrEmpty, "empty file"},
		{"white space only", "a.md", []byte(" \n\t\r\n "), ErrEmpty, "empty file"},
		{"empty yaml", "a.yaml", []byte("\n\n"), ErrEmpty, "empty file"},
		{"NUL bytes", "a.txt", []byte("Question: x?\x00\x00Answer: y"), ErrBinary, "binary file"},
		{"png header", "image.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrBinary, "binary file"},
		{"control characters", "a.txt", bytes.Repeat([]byte("ab\x01\x02\x03\x04"), 50), ErrBinary, "binary file"},
		{"too large", "big.txt", bytes.Repeat([]byte("a"), MaxSize+1), ErrTooLarge, "file too large: 10485761 bytes, limit 10485760"},
		{"invalid utf-8", "a.txt", bytes.Repeat([]byte{0xC3, 0x28, 0xE2, 0x82}, 40), ErrEncoding, "unreadable encoding"},
		{"undefined windows-1252 byte", "a.txt", []byte("Question: caf\x81?\nAnswer: \xe9"), ErrEncoding, "unreadable encoding"},
		{"odd utf-16", "a.txt", utf16Invalid, ErrEncoding, "unreadable encoding"},
		{"page without questions", "notes.txt", []byte("Just some notes.\n\nNothing to ask here."), ErrNoQuestions, "no questions found"},
		{"yaml without questions", "bank.yaml", []byte("source: nothing here\n"), ErrNoQuestions, "no questions found"},
		{"bad yaml", "bank.yaml", []byte("questions:\n  - question: a\n    answer: b: c\n"), ErrSyntax, "invalid yaml at line 3: mapping values are not allowed"},
		{"bad json", "bank.json", []byte("{\n  \"questions\": [\n    {\"question\": \"a\",}\n  ]\n}"), ErrSyntax, "invalid json at line 3"},
		{"truncated json", "bank.json", []byte(`{"questions": [`), ErrSyntax, "invalid json"},
		{"json questions not a list", "bank.json", []byte(`{"questions": "none"}`), ErrSyntax, `"questions" must be a list`},
		{"csv missing columns", "bank.csv", []byte("prompt,response\nWhat?,That.\n"), ErrColumns, "missing required columns: question, answer"},
		{"csv missing answer column", "bank.csv", []byte("Question;Topic\nWhat?;x\n"), ErrColumns, "missing required columns: answer"},
		{"csv bad quote", "bank.csv", []byte("question,answer\n\"What?\"x,\"That.\"\n"), ErrSyntax, "invalid csv at line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.file, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.file, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not contain %q", err, tt.message)
			}
		})
	}
}

func TestSyntaxErrorLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, data string
		line             int
	}{
		{"yaml colon in plain value", "bank.yml", "source: x\nquestions:\n  - question: a\n    answer: b: c\n", 4},
		{"yaml unterminated quote", "bank.yaml", "questions:\n  - question: a\n    answer: b\n  - question: \"open\n    answer: c\n", 4},
		{"yaml tab", "bank.yaml", "questions:\n\t- question: a\n", 2},
		{"json trailing comma", "bank.json", "{\n  \"questions\": [\n    {\"question\": \"a\",}\n  ]\n}", 3},
		{"json trailing data", "bank.json", "[\n1,\n{\"question\": \"a\", \"answer\": \"b\"}\n]\n]", 5},
		{"csv stray quote", "bank.csv", "question,answer\nok,fine\n\"bad\"x,y\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.file, []byte(tt.data))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error = %v, want a *SyntaxError", err)
			}
			if se.Line != tt.line {
				t.Errorf("SyntaxError.Line = %d, want %d (%v)", se.Line, tt.line, err)
			}
		})
	}
}

func TestParseNoQuestionsReturnsDocument(t *testing.T) {
	t.Parallel()
	doc, err := Parse("ad.txt", []byte("Follow Us\n\nHire Now\n\nLeave a Reply\n"))
	if !errors.Is(err, ErrNoQuestions) {
		t.Fatalf("error = %v, want ErrNoQuestions", err)
	}
	if doc == nil || len(doc.Skipped) == 0 {
		t.Fatalf("want the document with its skipped blocks, got %+v", doc)
	}
}

func TestEncodings(t *testing.T) {
	t.Parallel()
	const text = "Question: What is a café?\nAnswer: A place that serves “coffee” — and more.\n"
	utf16le := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFF, 0xFE)
		}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	utf16be := func(s string) []byte {
		b := []byte{0xFE, 0xFF}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return b
	}
	tests := []struct {
		name       string
		data       []byte
		wantAnswer string
	}{
		{"utf-8", []byte(text), "A place that serves “coffee” — and more."},
		{"utf-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), "A place that serves “coffee” — and more."},
		{"utf-16 LE with BOM", utf16le(text, true), "A place that serves “coffee” — and more."},
		{"utf-16 BE with BOM", utf16be(text), "A place that serves “coffee” — and more."},
		{"CRLF line ends", []byte(strings.ReplaceAll(text, "\n", "\r\n")), "A place that serves “coffee” — and more."},
		{"utf-8 with a stray byte", []byte("Question: What is a café?\nAnswer: A place that serves “coffee” — and more.\xff\n"), "A place that serves “coffee” — and more.\uFFFD"},
		{"windows-1252", []byte("Question: What is a caf\xe9?\nAnswer: A place that serves \x93coffee\x94 \x97 and more.\n"), "A place that serves “coffee” — and more."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Parse("cafe.txt", tt.data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(doc.Drafts) != 1 {
				t.Fatalf("got %d drafts, want 1", len(doc.Drafts))
			}
			d := doc.Drafts[0]
			if d.Question != "What is a café?" || d.Answer != tt.wantAnswer {
				t.Errorf("got %q / %q", d.Question, d.Answer)
			}
		})
	}
}

const yamlBank = `# A small bank.
source: "Team notes"
topics:
  - {id: orm, name: "ORM and QuerySets"}
  - id: security
    name: Security
questions:
  - id: orm-select-related
    topic: orm
    difficulty: Medium
    tags: [orm, performance]
    question: >
      When do you use select_related
      rather than prefetch_related?
    answer: |
      select_related follows foreign keys with a SQL join.

          Book.objects.select_related("author")

      prefetch_related runs a second query.
    key_points:
      - "select_related joins in SQL."
      - "prefetch_related runs a separate query."
  - id: csrf
    topic: security
    question: What does the CSRF token protect against?
    answer: Cross-site request forgery.
    tags: "security; forms"
  - question: A question nobody answered
  - answer: An answer without a question
  - id: csrf
    question: Same id again?
    answer: Yes.
  - question: How hard?
    answer: Very.
    difficulty: extreme
  - question: [not, text]
    answer: x
  - just a string
  - q: Short form?
    a: Also accepted.
    unknown_field: ignored
    key_points: "one | two"
`

func TestParseYAML(t *testing.T) {
	t.Parallel()
	doc, err := Parse("bank.yaml", []byte(yamlBank))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if doc.Format != FormatYAML || doc.Title != "Team notes" || doc.Source != "bank.yaml" {
		t.Errorf("format/title/source = %q/%q/%q", doc.Format, doc.Title, doc.Source)
	}
	wantTopics := []TopicDef{{"orm", "ORM and QuerySets"}, {"security", "Security"}}
	if !reflect.DeepEqual(doc.Topics, wantTopics) {
		t.Errorf("topics = %+v, want %+v", doc.Topics, wantTopics)
	}
	want := []Draft{
		{
			ID: "orm-select-related", Topic: "orm", Difficulty: "medium", Tags: []string{"orm", "performance"},
			Question:  "When do you use select_related rather than prefetch_related?",
			Answer:    "select_related follows foreign keys with a SQL join.\n\n    Book.objects.select_related(\"author\")\n\nprefetch_related runs a second query.",
			KeyPoints: []string{"select_related joins in SQL.", "prefetch_related runs a separate query."},
			Location:  "questions[0]",
		},
		{
			ID: "csrf", Topic: "security", Tags: []string{"security", "forms"},
			Question: "What does the CSRF token protect against?", Answer: "Cross-site request forgery.",
			Location: "questions[1]",
		},
		{Question: "Short form?", Answer: "Also accepted.", KeyPoints: []string{"one", "two"}, Location: "questions[8]"},
	}
	if !reflect.DeepEqual(doc.Drafts, want) {
		t.Errorf("drafts:\n got %#v\nwant %#v", doc.Drafts, want)
	}
	wantSkipped := []struct{ loc, reason string }{
		{"questions[2]", "missing answer"},
		{"questions[3]", "missing question"},
		{"questions[4]", `duplicate id "csrf" (first at questions[1])`},
		{"questions[5]", `unknown difficulty "extreme"`},
		{"questions[6]", "question is a list, not text"},
		{"questions[7]", "item is text, not a mapping"},
	}
	if len(doc.Skipped) != len(wantSkipped) {
		t.Fatalf("skipped = %+v, want %d entries", doc.Skipped, len(wantSkipped))
	}
	for i, w := range wantSkipped {
		if got := doc.Skipped[i]; got.Location != w.loc || !strings.Contains(got.Reason, w.reason) {
			t.Errorf("skipped[%d] = %+v, want %s: %s", i, got, w.loc, w.reason)
		}
	}
}

func TestParseJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		data      string
		want      []Draft
		wantSkips int
		topics    int
	}{
		{
			name: "object with questions",
			data: `{"source": "s", "topics": [{"id": "go", "name": "Go"}], "questions": [
				{"id": 7, "topic": "go", "difficulty": "easy", "tags": ["a", "b"],
				 "question": "What is a goroutine?", "answer": "A function running concurrently.\n\nStarted with go f().",
				 "key_points": ["Runs concurrently.", "Started with the go keyword."], "extra": {"x": 1}},
				{"question": "No answer"}]}`,
			want: []Draft{{
				ID: "7", Topic: "go", Difficulty: "easy", Tags: []string{"a", "b"},
				Question: "What is a goroutine?", Answer: "A function running concurrently.\n\nStarted with go f().",
				KeyPoints: []string{"Runs concurrently.", "Started with the go keyword."}, Location: "questions[0]",
			}},
			wantSkips: 1,
			topics:    1,
		},
		{
			name: "bare array with aliases",
			data: `[{"q": "What is a channel?", "a": "A typed pipe.", "tags": "go, concurrency", "difficulty": "hard"},
				{"question": "Bad level", "answer": "x", "difficulty": "trivial"}]`,
			want: []Draft{{
				Question: "What is a channel?", Answer: "A typed pipe.", Tags: []string{"go", "concurrency"},
				Difficulty: "hard", Location: "[0]",
			}},
			wantSkips: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Parse("bank.JSON", []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if doc.Format != FormatJSON {
				t.Errorf("format = %q", doc.Format)
			}
			if !reflect.DeepEqual(doc.Drafts, tt.want) {
				t.Errorf("drafts:\n got %#v\nwant %#v", doc.Drafts, tt.want)
			}
			if len(doc.Skipped) != tt.wantSkips || len(doc.Topics) != tt.topics {
				t.Errorf("skipped = %+v, topics = %+v", doc.Skipped, doc.Topics)
			}
		})
	}
}

func TestParseCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		file  string
		data  string
		want  []Draft
		skips []Skipped
	}{
		{
			name: "comma separated with every column",
			file: "bank.csv",
			data: "ID, Question ,Answer,Topic,Difficulty,Tags,Key Points\n" +
				"q1,What is WSGI?,\"The Python web server interface.\n\nSynchronous.\",deploy,EASY,wsgi;servers,\"Standard interface.\nSynchronous only.\"\n" +
				",,,,,,\n" +
				"q2,What is ASGI?,The async successor.,deploy,,\"asgi, async\",Async interface. | Supports websockets.\n" +
				"q3,Missing answer?,,deploy,,,\n" +
				"q4,Odd level?,Yes.,,expert,,\n",
			want: []Draft{
				{ID: "q1", Question: "What is WSGI?", Answer: "The Python web server interface.\n\nSynchronous.", Topic: "deploy", Difficulty: "easy",
					Tags: []string{"wsgi", "servers"}, KeyPoints: []string{"Standard interface.", "Synchronous only."}, Location: "row 2"},
				{ID: "q2", Question: "What is ASGI?", Answer: "The async successor.", Topic: "deploy",
					Tags: []string{"asgi", "async"}, KeyPoints: []string{"Async interface.", "Supports websockets."}, Location: "row 4"},
			},
			skips: []Skipped{
				{Location: "row 5", Reason: "missing answer", Excerpt: "Missing answer?"},
				{Location: "row 6", Reason: `unknown difficulty "expert" (want easy, medium or hard)`, Excerpt: "Odd level?"},
			},
		},
		{
			name: "semicolon separated, short rows",
			file: "export.csv",
			data: "answer;question\nA pointer to a value.;What is a reference?\nonly one cell\n",
			want: []Draft{{Question: "What is a reference?", Answer: "A pointer to a value.", Location: "row 2"}},
			skips: []Skipped{
				{Location: "row 3", Reason: "missing question", Excerpt: "only one cell"},
			},
		},
		{
			name: "tab separated",
			file: "bank.tsv",
			data: "question\tanswer\nWhat is a slice?\tA view of an array.\n",
			want: []Draft{{Question: "What is a slice?", Answer: "A view of an array.", Location: "row 2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Parse(tt.file, []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if doc.Format != FormatCSV {
				t.Errorf("format = %q", doc.Format)
			}
			if !reflect.DeepEqual(doc.Drafts, tt.want) {
				t.Errorf("drafts:\n got %#v\nwant %#v", doc.Drafts, tt.want)
			}
			if !reflect.DeepEqual(doc.Skipped, tt.skips) {
				t.Errorf("skipped:\n got %#v\nwant %#v", doc.Skipped, tt.skips)
			}
		})
	}
}
