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
// normal-sized response. The hostile suite (TestHostileHugeAnswerImport) runs the same import as a
// process of its own to measure its memory.
func TestHugeAnswerImportsBounded(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	vars := map[string]string{"DATABASE_URL": url, "COACH_LOG_LEVEL": "warn"}
	out, _, err := program(t, vars, "", "ingest", hugeAnswerCSV(t, 9_500_000))
	if err != nil {
		t.Fatal(err)
	}
	checkHugeImport(t, url, out)
	vars["COACH_ADDR"], vars["COACH_RATE_LIMIT"] = freeAddr(t), "off"
	took, size := gradeHugeQuestion(t, startServe(t, vars).base)
	t.Logf("grading the question took %v and returned %d bytes", took, size)
}

// checkHugeImport checks what importing hugeAnswerCSV left, out being the import's report: the
// report warns of the cut answer, and passages, key points and references are within their limits.
// It returns the number of passages of the answer and the longest one's length.
func checkHugeImport(t *testing.T, url, out string) (passages, longest int) {
	t.Helper()
	want := fmt.Sprintf("characters were imported (the limit is %d)", ingest.MaxReferenceChars)
	if !strings.Contains(out, "Imported in part 1 block(s)") || !strings.Contains(out, want) {
		t.Errorf("the report does not warn of the cut answer:\n%s", out)
	}
	var point, ref int
	queryRow(t, url, `SELECT count(*), coalesce(max(length(p.text)), 0) FROM passages p JOIN reference_answers r ON r.id = p.reference_id
		WHERE r.text LIKE 'django%'`, &passages, &longest)
	queryRow(t, url, `SELECT coalesce(max(length(k.text)), 0) FROM key_points k JOIN reference_answers r ON r.id = k.reference_id
		WHERE r.text LIKE 'django%'`, &point)
	queryRow(t, url, `SELECT max(length(text)) FROM reference_answers`, &ref)
	if longest == 0 || longest > ingest.MaxPassageChars || point == 0 || point > keypoints.MaxChars || ref > ingest.MaxReferenceChars {
		t.Errorf("longest passage %d, key point %d, reference %d characters", longest, point, ref)
	}
	return passages, longest
}

// gradeHugeQuestion grades an answer to the question of hugeAnswerCSV on the server at base and
// returns how long that took and the response's size; over 10 s or 256 KiB is an error (before the
// limits: 41.8 s and 28.5 MB).
func gradeHugeQuestion(t *testing.T, base string) (time.Duration, int) {
	t.Helper()
	id := questionIDs(t, base, "limit=1&q=huge")[0]
	start := time.Now()
	resp, err := http.Post(base+"/api/v1/grade", "application/json",
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
	if took > 10*time.Second || len(data) > 256<<10 {
		t.Errorf("grading took %v and returned %d bytes", took, len(data))
	}
	return took, len(data)
}
