package offline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"

	"context"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/eval"
)

func TestZZDebug(t *testing.T) {
	qid := os.Getenv("DQ")
	if qid == "" {
		t.Skip()
	}
	qs, _ := eval.BundledQuestions()
	fn := os.Getenv("DF")
	if fn == "" {
		fn = "../../../shared/grading/right-wrong-dev.jsonl"
	}
	f, _ := os.Open(fn)
	sc := bufio.NewScanner(f)
	g := New(nil)
	for sc.Scan() {
		var p eval.Pair
		json.Unmarshal(sc.Bytes(), &p)
		if p.QuestionID != qid {
			continue
		}
		q := qs[qid]
		question := tokenSet(q.Text)
		var points []point
		for _, kp := range q.References[0].KeyPoints {
			points = append(points, point{kp: kp, units: dedupe(analyze(kp.Text, question, 0.1))})
		}
		ent := rubricEntities(points, q.Text)
		var ks []string
		for e := range ent {
			ks = append(ks, e)
		}
		sort.Strings(ks)
		fmt.Println("entities", ks)
		var kpc []clause
		for i := range points {
			points[i].clauses = clausesOf(points[i].kp.Text, -1, -1, question, 0.1, ent)
			kpc = append(kpc, points[i].clauses...)
			for _, c := range points[i].clauses {
				fmt.Printf("K%d %q subj=%v\n", i, c.text, c.subjects)
			}
		}
		for _, ans := range []string{p.Wrong, p.Right} {
			_, cls := g.stretches(ans, question, map[string]bool{}, ent)
			for ai := range cls {
				a := &cls[ai]
				fmt.Printf("  A %q subj=%v\n", a.text, a.subjects)
				for i := range points {
					for ki := range points[i].clauses {
						k := &points[i].clauses[ki]
						al := align(k.units, a.units, a.present)
						pr := align(k.predicate, a.units, a.present)
						w, r := g.reversal(k, a, kpc)
						if al.recall > 0.3 || pr.recall > 0.3 || w != "" {
							fmt.Printf("     K%d.%d rec=%.2f pred=%.2f flip=%.2f sw=%d rev=%s %.2f\n", i, ki, al.recall, pr.recall, pr.flipped, swaps(k.tokens, a.tokens), w, r)
						}
					}
				}
			}
			fmt.Println("----")
		}
	}
}

func TestZZMohler(t *testing.T) {
	if os.Getenv("DM") == "" {
		t.Skip()
	}
	f, _ := os.Open("../../../shared/asag/" + os.Getenv("DM"))
	items, _, _ := eval.Load(f, 0)
	g := New(nil)
	n := 0
	for _, it := range items {
		refs := eval.BuildReferences(it)
		j, _ := g.Grade(context.Background(), coach.GradeInput{Question: it.Question, Answer: it.Answer, References: refs})
		for _, m := range j.Judgements {
			if m.Status == coach.StatusContradicted {
				var raw struct {
					KP []kpScore `json:"key_points"`
				}
				json.Unmarshal([]byte(j.Raw), &raw)
				why := ""
				for _, k := range raw.KP {
					if k.ID == m.KeyPointID {
						why = k.Why
					}
				}
				n++
				if n < 40 {
					fmt.Printf("%.1f %s %s\n  KP: %s\n  EV: %s\n", it.Score, it.Label, why, m.Text, m.Evidence)
				}
			}
		}
	}
}
