package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// questionsCSV is a CSV bank of n questions numbered from first, each made of words of its own so
// that no two are similar enough to be merged: question i uses words 8i to 8i+7, distinct for the
// first 500,000 questions (7919 is prime to 4,000,000, so the numbering is a permutation).
func questionsCSV(first, n int) string {
	syllables := strings.Fields("ka lo mi nu pe ra si to vu za be do fi gu ha je ko li mo nar")
	word := func(x int) string {
		x = x*7919%4_000_000 + 1
		var w strings.Builder
		for ; x > 0; x /= len(syllables) {
			w.WriteString(syllables[x%len(syllables)])
		}
		return w.String()
	}
	var b strings.Builder
	b.WriteString("question,answer,topic\n")
	for i := first; i < first+n; i++ {
		w := func(k int) string { return word(i*8 + k) }
		fmt.Fprintf(&b, "\"What does %s %s do with %s?\",\"The %s %s turns %s into %s before %s runs.\",synthetic\n",
			w(0), w(1), w(2), w(3), w(4), w(5), w(6), w(7))
	}
	return b.String()
}

// pollJob polls an import job until it is done or failed and returns it.
func pollJob(t *testing.T, base, id string, limit time.Duration, stop func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		code, _, body := callAPI(t, "GET", base+"/api/v1/bank/jobs/"+id, testAdminKey, "")
		if code != 200 {
			t.Fatalf("job = %d %s", code, body)
		}
		var out map[string]any
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
		if stop(out) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("job not done after %v: %v", limit, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// An upload imported as a job: 202 with its id, progress while it runs, each file whole or not at
// all, and after a restart in the middle the job resumes where it stopped and reports all of it.
// Its 1,003 rows are more than the bundled bank's passages, so with COACH_BULK_INDEX_MIN at 500 it
// starts as a bulk load (the passage vector index built after it): it ends with the index.
func TestImportJobResumesAfterRestart(t *testing.T) {
	t.Parallel()
	const perFile = 500 // 1,000 questions in all: bounded time in make test on a busy machine
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	vars := func() map[string]string {
		return map[string]string{"DATABASE_URL": url, "COACH_ADDR": freeAddr(t), "COACH_LOG_LEVEL": "info",
			"COACH_ADMIN_KEY": testAdminKey, "COACH_RATE_LIMIT": "off", "COACH_BULK_INDEX_MIN": "500"}
	}
	s := startServe(t, vars())
	// The second file's third row takes the id of a bundled question: the file fails, and nothing of
	// it (not even its first two rows) is stored.
	bad := "id,question,answer\nq-bad-1,What is the first row of the bad file?,It is stored only if the whole file is.\n" +
		"q-bad-2,What is the second row of the bad file?,It is stored only if the whole file is.\n" +
		"signals-what-are,What is a row with a taken id?,Its id belongs to a bundled question.\n"
	code, body := importRequest(t, s.base, testAdminKey, map[string]string{
		"a.csv": questionsCSV(0, perFile), "b.csv": bad, "c.csv": questionsCSV(perFile, perFile)}, "Prefer", "respond-async")
	if code != http.StatusAccepted || body["state"] != "queued" {
		t.Fatalf("import = %d %v, want 202 and a queued job", code, body)
	}
	id := fmt.Sprint(int64(body["id"].(float64)))

	// Stop the server once a file is done, as a restart would.
	running := pollJob(t, s.base, id, 5*time.Minute, func(j map[string]any) bool {
		p := j["progress"].(map[string]any)
		return p["files_done"].(float64) >= 1 || j["state"] == "done"
	})
	if p := running["progress"].(map[string]any); p["files_total"].(float64) != 3 || p["drafts_total"].(float64) != 2*perFile+3 {
		t.Errorf("progress %v", p)
	}
	s.stop()
	if err := s.wait(t, 40*time.Second); err != nil {
		t.Logf("serve: %v", err)
	}
	if log := s.stderr.String(); !strings.Contains(log, "bulk load: the passage vector index is built after the import") ||
		!strings.Contains(log, "bulk load: passage vector index built") {
		t.Errorf("the job did not run as a bulk load that ends with the index built, even when stopped:\n%s", log)
	}
	// The stopped worker's heartbeat is old now, as after a minute's outage.
	mustExec(t, url, `UPDATE import_jobs SET heartbeat_at = now() - interval '2 minutes' WHERE state = 'running'`)

	s = startServe(t, vars())
	job := pollJob(t, s.base, id, 5*time.Minute, func(j map[string]any) bool { return j["state"] == "done" || j["state"] == "failed" })
	sum := job["summary"].(map[string]any)
	if job["state"] != "done" || sum["questions"].(float64) != 2*perFile || sum["references"].(float64) != 2*perFile {
		t.Errorf("job %v", job)
	}
	failed := sum["failed"].([]any)
	if len(failed) != 1 || !strings.Contains(fmt.Sprint(failed[0]), "signals-what-are") || !strings.Contains(fmt.Sprint(failed[0]), "b.csv") {
		t.Errorf("failed files %v", failed)
	}
	var stored, bads, attempts int
	queryRow(t, url, `SELECT count(*) FROM questions WHERE topic_id = 'synthetic'`, &stored)
	queryRow(t, url, `SELECT count(*) FROM questions WHERE id LIKE 'q-bad-%'`, &bads)
	queryRow(t, url, `SELECT attempts FROM import_jobs WHERE id = `+id, &attempts)
	if stored != 2*perFile || bads != 0 || attempts < 2 {
		t.Errorf("stored %d synthetic questions and %d of the failed file; the job ran %d times", stored, bads, attempts)
	}
	var indexes int
	queryRow(t, url, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'passage_embeddings'
		AND indexdef LIKE '%USING hnsw%'`, &indexes)
	if indexes != 1 {
		t.Errorf("%d HNSW indexes over the passage vectors after the job, want 1", indexes)
	}
	if code, _, body := callAPI(t, "GET", s.base+"/api/v1/bank/jobs/999999", testAdminKey, ""); code != 404 || !strings.Contains(body, "not found") {
		t.Errorf("unknown job = %d %s", code, body)
	}
}
