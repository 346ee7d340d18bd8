package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/api"
)

// POST /api/v1/sessions/lookup answers, in one request, each session a browser holds as the single
// route would: the session in brief for a good token, and that route's error in its place for a
// wrong token, a missing token or a session that does not exist, the others still answered.
func TestLookupSessions(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	mine := a.createSession(t, `{"topic": "security", "name": "Mine", "question_count": 3}`)
	other := a.createSession(t, `{"name": "Other"}`)
	q := a.next(t, mine)["question"].(map[string]any)["id"].(string)
	a.answer(t, mine, q, "A secret answer of mine about tokens and cookies.")
	a.answer(t, mine, q, a.strongAnswer(t, q))

	ghost := session{id: "s-000000000000000000000000", token: mine.token}
	long := session{id: "s-" + strings.Repeat("0", 5000), token: mine.token}
	items := []session{mine, other, {mine.id, wrongToken(mine.token)}, ghost, {other.id, ""}, {"", mine.token}, long}
	var list []map[string]string
	for _, s := range items {
		list = append(list, map[string]string{"id": s.id, "token": s.token})
	}
	body, _ := json.Marshal(map[string]any{"sessions": list})
	r := a.call(t, "POST", "/api/v1/sessions/lookup", "", string(body))
	if r.code != 200 || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("lookup = %d %v %s", r.code, r.header, r.body)
	}
	var out struct {
		Sessions []struct {
			ID      string
			Session map[string]any
			Error   *struct{ Code, Message string }
		}
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Sessions) != len(items) {
		t.Fatalf("lookup of %d sessions answered %d: %s", len(items), len(out.Sessions), r.body)
	}
	for i, s := range items[:2] {
		got := out.Sessions[i]
		single := a.call(t, "GET", "/api/v1/sessions/"+s.id, s.token, "").object(t)
		if got.ID != s.id || got.Error != nil || got.Session == nil {
			t.Errorf("lookup[%d] = %+v, want session %s", i, got, s.id)
			continue
		}
		// The brief is the single route's answer without the history and per-topic figures.
		for _, key := range []string{"id", "name", "topic", "topic_ids", "difficulty", "question_count", "answers", "mean_score", "asked", "done", "created_at"} {
			if fmt.Sprint(got.Session[key]) != fmt.Sprint(single[key]) {
				t.Errorf("lookup[%d].%s = %v, the session's own route says %v", i, key, got.Session[key], single[key])
			}
		}
		for _, key := range []string{"history", "topics", "token"} {
			if _, ok := got.Session[key]; ok {
				t.Errorf("lookup[%d] has %s", i, key)
			}
		}
	}
	if s := out.Sessions[0].Session; s["answers"] != 2.0 || s["asked"] != 2.0 || s["done"] != false {
		t.Errorf("my session in brief = %v, want 2 answers of a plan of 3", s)
	}
	// The failures are the single route's, item by item, and name nothing of the session.
	for i, s := range items[2:5] {
		got := out.Sessions[2+i]
		single := a.call(t, "GET", "/api/v1/sessions/"+s.id, s.token, "")
		want := single.object(t)["error"].(map[string]any)
		if got.ID != s.id || got.Session != nil || got.Error == nil || got.Error.Code != want["code"] || got.Error.Message != want["message"] {
			t.Errorf("lookup[%d] = %+v, the session's own route says %d %v", 2+i, got, single.code, want)
		}
	}
	for i, code := range map[int]string{2: "forbidden", 3: "forbidden", 4: "unauthorized", 5: "invalid", 6: "invalid"} {
		if e := out.Sessions[i].Error; e == nil || e.Code != code {
			t.Errorf("lookup[%d] error = %+v, want %s", i, e, code)
		}
	}
	if got := out.Sessions[6]; got.ID != "" || bytes.Count(r.body, []byte("0000000000")) > 10 {
		t.Errorf("a 5,002-character id is echoed: %q", got.ID)
	}
	if bytes.Count(r.body, []byte(`"Mine"`)) != 1 || bytes.Contains(r.body, []byte("secret answer")) {
		t.Errorf("the failed lookups leak the session: %s", r.body)
	}

	// Bounded: one more than the limit is refused whole, naming it; none at all is an empty list.
	many := make([]map[string]string, api.MaxLookupSessions+1)
	for i := range many {
		many[i] = map[string]string{"id": mine.id, "token": mine.token}
	}
	body, _ = json.Marshal(map[string]any{"sessions": many})
	if r := a.call(t, "POST", "/api/v1/sessions/lookup", "", string(body)); r.code != 400 || !strings.Contains(string(r.body), fmt.Sprint(api.MaxLookupSessions)) {
		t.Errorf("lookup of %d sessions = %d %s, want 400 naming the limit", len(many), r.code, r.body)
	}
	if r := a.call(t, "POST", "/api/v1/sessions/lookup", "", `{"sessions": []}`); r.code != 200 || string(bytes.TrimSpace(r.body)) != `{"sessions":[]}` {
		t.Errorf("lookup of none = %d %s", r.code, r.body)
	}
	if r := a.call(t, "POST", "/api/v1/sessions/lookup", "", `{"sessions": [{"id": 1}]}`); r.code != 400 {
		t.Errorf("lookup with a number for an id = %d %s", r.code, r.body)
	}
}
