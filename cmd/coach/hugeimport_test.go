package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/keypoints"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// hugeAnswerCSV writes a CSV bank whose one answer is size bytes of words without a sentence break,
// and returns its path.
func hugeAnswerCSV(t *testing.T, size int) string {
	t.Helper()
	words := strings.Fields("django queryset model view template middleware request response cache database index migration signal form admin field manager")
	var b strings.Builder
	b.WriteString("question,answer,topic\n\"What does a huge answer do to the importer?\",\"")
	for i := 0; b.Len() < size; i++ {
		b.WriteString(words[(i*7+i/3)%len(words)])
		b.WriteByte(' ')
	}
	b.WriteString("\",orm\n")
	path := filepath.Join(t.TempDir(), "huge.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A 9.5 MB answer without sentence breaks imports as passages and key points of bounded size, the
// report says the answer was cut, and grading its question then takes normal time and returns a
// normal-sized response.
func TestHugeAnswerImportsBounded(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	vars := map[string]string{"DATABASE_URL": url, "COACH_LOG_LEVEL": "warn"}
	out, _, err := program(t, vars, "", "ingest", hugeAnswerCSV(t, 9_500_000))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("characters were imported (the limit is %d)", ingest.MaxReferenceChars)
	if !strings.Contains(out, "Imported in part 1 block(s)") || !strings.Contains(out, want) {
		t.Errorf("the report does not warn of the cut answer:\n%s", out)
	}
	var passage, point, ref int
	queryRow(t, url, `SELECT max(length(p.text)) FROM passages p JOIN reference_answers r ON r.id = p.reference_id
		WHERE r.text LIKE 'django%'`, &passage)
	queryRow(t, url, `SELECT max(length(k.text)) FROM key_points k JOIN reference_answers r ON r.id = k.reference_id
		WHERE r.text LIKE 'django%'`, &point)
	queryRow(t, url, `SELECT max(length(text)) FROM reference_answers`, &ref)
	if passage == 0 || passage > ingest.MaxPassageChars || point == 0 || point > keypoints.MaxChars || ref > ingest.MaxReferenceChars {
		t.Errorf("longest passage %d, key point %d, reference %d characters", passage, point, ref)
	}

	vars["COACH_ADDR"], vars["COACH_RATE_LIMIT"] = freeAddr(t), "off"
	s := startServe(t, vars)
	code, body, err := callJSON(t, http.DefaultClient, "GET", s.base+"/api/v1/questions?limit=1&q=huge", "")
	if err != nil || code != 200 || len(body["questions"].([]any)) == 0 {
		t.Fatalf("questions: %d %v %v", code, body, err)
	}
	id := body["questions"].([]any)[0].(map[string]any)["id"].(string)
	start := time.Now()
	resp, err := http.Post(s.base+"/api/v1/grade", "application/json",
		strings.NewReader(`{"question_id": "`+id+`", "answer": "A queryset is evaluated lazily and the cache middleware stores responses."}`))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != 200 {
		t.Fatalf("grade = %d %s", resp.StatusCode, data)
	}
	// Before the limits: 41.8 s and 28.5 MB.
	if took > 10*time.Second || len(data) > 256<<10 {
		t.Errorf("grading took %v and returned %d bytes", took, len(data))
	}
	t.Logf("grading the question took %v and returned %d bytes", took, len(data))
}
