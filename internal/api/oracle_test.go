package api_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/coach"
)

// followUpBody answers follow-up index of attempt, in session s (none when s.id is "").
func followUpBody(s session, attempt string, index int) string {
	b, _ := json.Marshal(map[string]any{
		"answer": "It checks a token.", "session_id": s.id,
		"followup": map[string]any{"attempt_id": attempt, "index": index},
	})
	return string(b)
}

// Answering a follow-up tells nobody whether an attempt they may not see exists, how many follow-ups
// it has, or what they ask: a missing attempt and another's get the same 404, whatever the index.
func TestFollowUpIsNoOracle(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	mine, theirs := w.newSession(t, `{"topic": "security"}`), w.newSession(t, `{"topic": "security"}`)
	attempt := w.gradeIn(t, mine, "security-csrf", "A token in a cookie.")
	free := w.do(t, w.open, request{method: "POST", path: "/api/v1/grade",
		body: `{"question_id": "security-xss", "answer": "Templates escape output.", "count": 3}`}).object(t)
	freeID := free["attempt_id"].(string)
	var secrets []string
	for _, f := range free["followups"].([]any) {
		secrets = append(secrets, f.(map[string]any)["question"].(string))
	}
	if len(secrets) == 0 {
		t.Fatal("the anonymous attempt has no follow-ups to keep secret")
	}
	const missing = "a-000000000000000000000000"

	// shape is a 404 body with the attempt's id taken out, so that bodies about different ids compare.
	shape := func(r response, id string) string {
		if r.code != 404 || r.errorCode(t) != "not_found" {
			t.Errorf("answer to a follow-up of %s = %d %s, want 404", id, r.code, r.body)
		}
		return strings.ReplaceAll(string(r.body), id, "ID")
	}
	for _, h := range []struct {
		name string
		do   func(body string) response
	}{
		{"their token", func(body string) response {
			return w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: body, token: theirs.token})
		}},
		{"their token, streaming", func(body string) response {
			return w.do(t, w.open, request{method: "POST", path: "/api/v1/grade?stream=true", body: body, token: theirs.token})
		}},
		{"their token, /followups", func(body string) response {
			return w.do(t, w.open, request{method: "POST", path: "/api/v1/followups", body: body, token: theirs.token})
		}},
	} {
		want := shape(h.do(followUpBody(theirs, missing, 0)), missing)
		for _, tc := range []struct {
			id    string
			index int
		}{{missing, 99}, {attempt, 0}, {attempt, 99}, {attempt, -1}, {freeID, 0}, {freeID, 99}} {
			r := h.do(followUpBody(theirs, tc.id, tc.index))
			if got := shape(r, tc.id); got != want {
				t.Errorf("%s, attempt %s index %d: %s, but a missing attempt gets %s", h.name, tc.id, tc.index, got, want)
			}
			for _, secret := range secrets {
				if bytes.Contains(r.body, []byte(secret)) {
					t.Errorf("%s: the anonymous attempt's follow-up %q leaks: %s", h.name, secret, r.body)
				}
			}
		}
	}
	// Anonymous callers cannot reach a session's attempt either.
	anon := session{}
	want := shape(w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: followUpBody(anon, missing, 0)}), missing)
	if got := shape(w.do(t, w.open, request{method: "POST", path: "/api/v1/grade", body: followUpBody(anon, attempt, 0)}), attempt); got != want {
		t.Errorf("anonymous caller, a session's attempt: %s, want %s", got, want)
	}

	// An interviewer sees every attempt, yet answering in one session (or in none) a follow-up of
	// another session's attempt is refused like a missing attempt on every route, naming nothing
	// about the other session, as it is for candidates.
	interviewer := bearer(w.key[coach.RoleInterviewer])
	for _, path := range []string{"/api/v1/grade", "/api/v1/grade?stream=true", "/api/v1/followups"} {
		for _, in := range []session{theirs, anon} {
			ask := func(id string, index int) response {
				return w.do(t, w.open, request{method: "POST", path: path, body: followUpBody(in, id, index), auth: interviewer})
			}
			want := shape(ask(missing, 0), missing)
			for _, index := range []int{0, 99} {
				r := ask(attempt, index)
				if got := shape(r, attempt); got != want {
					t.Errorf("interviewer on %s in session %q, another session's attempt, index %d: %s, but a missing attempt gets %s",
						path, in.id, index, got, want)
				}
				if bytes.Contains(r.body, []byte(mine.id)) || bytes.Contains(r.body, []byte("session")) {
					t.Errorf("interviewer on %s: the refusal names the other session: %s", path, r.body)
				}
			}
		}
	}

	// Whoever may see the attempt answers its follow-ups: its session, the anonymous caller who
	// graded an anonymous attempt, an interviewer; out-of-range indexes are then told as such.
	for _, tc := range []struct {
		name string
		r    request
		want int
	}{
		{"own session", request{body: followUpBody(mine, attempt, 0), token: mine.token}, 200},
		{"own session, index 99", request{body: followUpBody(mine, attempt, 99), token: mine.token}, 400},
		{"anonymous, anonymous attempt", request{body: followUpBody(anon, freeID, 0)}, 200},
		{"interviewer, in the session", request{body: followUpBody(mine, attempt, 1), auth: bearer(w.key[coach.RoleInterviewer])}, 200},
		{"interviewer, anonymous attempt", request{body: followUpBody(anon, freeID, 1), auth: bearer(w.key[coach.RoleInterviewer])}, 200},
	} {
		tc.r.method, tc.r.path = "POST", "/api/v1/grade"
		if r := w.do(t, w.open, tc.r); r.code != tc.want {
			t.Errorf("%s = %d %s, want %d", tc.name, r.code, r.body, tc.want)
		}
	}
}

// With practice closed the bank needs a key, so a session's token alone grades only what its session
// asks: questions of its topic and difficulty and the follow-ups of its own attempts.
func TestClosedPracticeTokenGradesItsSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	s := w.newSession(t, `{"topic": "security"}`)
	grade := func(h any, body map[string]any, auth string) response {
		body["session_id"] = s.id
		b, _ := json.Marshal(body)
		handler := w.closed
		if h == "open" {
			handler = w.open
		}
		return w.do(t, handler, request{method: "POST", path: "/api/v1/grade", body: string(b), token: s.token, auth: auth})
	}
	answer := "It compares a token with a cookie."
	own := grade("closed", map[string]any{"question_id": "security-csrf", "answer": answer}, "")
	if own.code != 200 {
		t.Fatalf("the session's own question = %d %s", own.code, own.body)
	}
	if r := grade("closed", map[string]any{"answer": answer, "followup": map[string]any{"attempt_id": own.object(t)["attempt_id"], "index": 0}}, ""); r.code != 200 {
		t.Errorf("a follow-up of the session's attempt = %d %s", r.code, r.body)
	}
	var refused []string
	for name, body := range map[string]map[string]any{
		"another topic's question":   {"question_id": "orm-select-related-prefetch", "answer": answer},
		"a question not in the bank": {"question_id": "no-such-question", "answer": answer},
		"a typed question":           {"question": "What does select_related do?", "answer": answer},
	} {
		r := grade("closed", body, "")
		if r.code != 403 || r.errorCode(t) != "forbidden" || bytes.Contains(r.body, []byte("select_related")) {
			t.Errorf("%s with the token alone = %d %s, want 403", name, r.code, r.body)
			continue
		}
		refused = append(refused, string(r.body))
	}
	if len(refused) == 3 && (refused[0] != refused[1] || refused[1] != refused[2]) {
		t.Errorf("the refusals differ, telling what the bank holds: %q", refused)
	}
	// A key opens the bank, and open practice opens it to everyone: the token then grades anything.
	if r := grade("closed", map[string]any{"question_id": "orm-select-related-prefetch", "answer": answer}, bearer(w.key[coach.RoleCandidate])); r.code != 200 {
		t.Errorf("another topic's question with a candidate key = %d %s", r.code, r.body)
	}
	if r := grade("open", map[string]any{"question_id": "orm-select-related-prefetch", "answer": answer}, ""); r.code != 200 {
		t.Errorf("another topic's question with practice open = %d %s", r.code, r.body)
	}
}
