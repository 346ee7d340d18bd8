package ingest

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/docparse"
	"github.com/interviewcoach/coach/internal/keypoints"
)

// nearestK is how many nearest questions a new question's topic is chosen from (see ClearTopic).
const nearestK = 10

// plan is what one draft of a run becomes.
type plan struct {
	rec     *coach.ImportRecord // nil: a duplicate, nothing to store
	dropped int                 // key points dropped as saying what the question's rubric says
	// orphan: an answer without a question; attached: it joins a stored question.
	orphan, attached bool
}

// pendingQuestion is a question a run creates, which the run's later drafts may join.
type pendingQuestion struct {
	q   *coach.Question
	vec []float32
}

// importRun imports drafts (with their prepared hashes and vectors) in order, deciding each as if
// the ones before it were stored already, and stores them in one transaction. The lookups are one
// query each for the whole run: questions by text, nearest stored questions, and the key points of
// the questions the references join; what the run itself creates (questions, key points) is looked
// up in memory. A draft without a question is searched for among the stored passages, so such a
// draft comes as a run of its own. It returns how many drafts, from the first, were imported or
// found to be duplicates, and counts them in sum.
func (im *Importer) importRun(ctx context.Context, source coach.Source, drafts []docparse.Draft, preps []prepared,
	topicNames map[string]string, sum *Summary) (int, error) {
	model := im.Embedder.Model()
	questionVec := func(i int) []float32 { return preps[i].vecs[len(preps[i].passages)+1] }
	var keys []string
	for i := range drafts {
		if !preps[i].stored && drafts[i].Question != "" {
			keys = append(keys, preps[i].questionKey)
		}
	}
	byKey, err := im.Store.QuestionsByKeys(ctx, keys)
	if err != nil {
		return 0, err
	}
	var near [][]coach.QuestionMatch
	var nearOf []int // draft index of near[j]
	{
		var vecs [][]float32
		for i := range drafts {
			if !preps[i].stored && drafts[i].Question != "" && byKey[preps[i].questionKey] == nil {
				vecs, nearOf = append(vecs, questionVec(i)), append(nearOf, i)
			}
		}
		if near, err = im.Store.NearestQuestionsMany(ctx, model, vecs, nearestK); err != nil {
			return 0, err
		}
	}
	nearest := make(map[int][]coach.QuestionMatch, len(nearOf))
	for j, i := range nearOf {
		nearest[i] = near[j]
	}

	// Questions and duplicates, in order.
	plans := make([]plan, len(drafts))
	var created []pendingQuestion
	createdByKey := map[string]*coach.Question{}
	hashes := map[string]bool{}
	for i := range drafts {
		d, p := &drafts[i], preps[i]
		if p.stored {
			continue
		}
		rec := &coach.ImportRecord{
			Source:   source,
			Passages: p.passages,
			Vectors:  p.vecs[:len(p.passages)],
			Model:    model,
			Reference: coach.Reference{
				ID:          "r-" + p.contentHash[:12],
				Text:        d.Answer,
				Location:    d.Location,
				ContentHash: p.contentHash,
			},
		}
		if d.Question == "" {
			q, err := im.attachOrphan(ctx, p.vecs[len(p.passages)])
			if err != nil {
				return 0, err
			}
			rec.Question = q
			plans[i].orphan, plans[i].attached = true, q != nil
		} else {
			if hashes[p.contentHash] {
				continue // stored by an earlier draft of the run
			}
			q := byKey[p.questionKey]
			if q == nil {
				q = createdByKey[p.questionKey]
			}
			var matches []coach.QuestionMatch
			if q == nil {
				matches = withCreated(nearest[i], created, questionVec(i))
				if len(matches) > 0 && matches[0].Similarity >= im.thresholds().Merge {
					q = &matches[0].Question
				}
			}
			if q != nil {
				rec.Question = q
			} else {
				im.newQuestion(rec, d, p.questionKey, questionVec(i), im.topicFor(d.Topic, matches), topicNames)
				createdByKey[p.questionKey] = rec.Question
				created = append(created, pendingQuestion{rec.Question, questionVec(i)})
			}
		}
		hashes[p.contentHash] = true
		plans[i].rec = rec
	}

	// Key points, reviewed against the rubric of the question each reference joins: what is stored,
	// in one query, and what the run's earlier references add.
	var joined []string
	for _, pl := range plans {
		if pl.rec != nil && pl.rec.Question != nil && !pl.rec.NewQuestion && pl.rec.Question.ID != "" {
			joined = append(joined, pl.rec.Question.ID)
		}
	}
	storedKPs, err := im.Store.KeyPointsOf(ctx, joined)
	if err != nil {
		return 0, err
	}
	added := map[string][]coach.KeyPoint{}
	var recs []*coach.ImportRecord
	var recDraft []int
	for i := range plans {
		rec := plans[i].rec
		if rec == nil {
			continue
		}
		statements, origin := im.keyPoints(ctx, &drafts[i])
		for j, st := range statements {
			statements[j] = keypoints.Bound(st, keypoints.MaxChars)
		}
		var existing []coach.KeyPoint
		if q := rec.Question; q != nil && !rec.NewQuestion && q.ID != "" {
			existing = append(slices.Clone(storedKPs[q.ID]), added[q.ID]...)
		}
		kps, dropped, err := im.reviewKeyPoints(ctx, existing, statements, origin)
		if err != nil {
			return 0, err
		}
		for j, kp := range kps {
			kp.ID, kp.ReferenceID, kp.Ordinal = fmt.Sprintf("%s-k%d", rec.Reference.ID, j+1), rec.Reference.ID, j+1
			rec.Reference.KeyPoints = append(rec.Reference.KeyPoints, kp)
		}
		if q := rec.Question; q != nil {
			added[q.ID] = append(added[q.ID], rec.Reference.KeyPoints...)
		}
		plans[i].dropped = dropped
		recs, recDraft = append(recs, rec), append(recDraft, i)
	}

	stored, saveErr := im.Store.SaveReferences(ctx, recs)
	if saveErr != nil && len(stored) == 0 {
		return 0, saveErr
	}
	// Count what was done, in order, up to the record whose save failed.
	done := len(drafts)
	if len(stored) < len(recs) {
		done = recDraft[len(stored)]
	}
	createdFlag := make(map[int]bool, len(stored))
	for j, ok := range stored {
		createdFlag[recDraft[j]] = ok
	}
	for i := range done {
		pl := plans[i]
		if pl.orphan {
			if pl.attached {
				sum.OrphansAttached++
			} else {
				sum.OrphansKept++
			}
		}
		if pl.rec == nil || !createdFlag[i] {
			sum.Duplicates++
			continue
		}
		rec := pl.rec
		sum.References++
		sum.KeyPoints += len(rec.Reference.KeyPoints)
		sum.DuplicateKeyPoints += pl.dropped
		for _, kp := range rec.Reference.KeyPoints {
			if kp.Status == coach.KeyPointDraft {
				sum.DraftKeyPoints++
			}
		}
		sum.Passages += len(rec.Passages)
		if rec.NewQuestion {
			sum.Questions++
		} else if drafts[i].Question != "" {
			sum.Merged++
		}
	}
	return done, saveErr
}

// newQuestion makes rec create the question of draft d in topic.
func (im *Importer) newQuestion(rec *coach.ImportRecord, d *docparse.Draft, key string, vec []float32, topic string, topicNames map[string]string) {
	name := topicNames[topic]
	if name == "" && topic == DefaultTopic {
		name = DefaultTopicName
	} else if name == "" {
		name = titleCase(topic)
	}
	id := d.ID
	if id == "" {
		id = "q-" + hashOf(key)[:10]
	}
	// A difficulty is only stored when the document states one.
	rec.Question = &coach.Question{ID: id, TopicID: topic, Text: d.Question, Difficulty: d.Difficulty, Tags: d.Tags}
	rec.NewQuestion = true
	rec.QuestionKey = key
	rec.QuestionVector = vec
	rec.Topic = coach.Topic{ID: topic, Name: name}
}

// withCreated returns the nearestK questions nearest to vec among stored (the stored questions
// nearest to it, most similar first) and those the run created, most similar first.
func withCreated(stored []coach.QuestionMatch, created []pendingQuestion, vec []float32) []coach.QuestionMatch {
	out := slices.Clone(stored)
	for _, c := range created {
		out = append(out, coach.QuestionMatch{Question: *c.q, Similarity: cosine(vec, c.vec)})
	}
	if len(created) > 0 {
		slices.SortStableFunc(out, func(a, b coach.QuestionMatch) int { return cmp.Compare(b.Similarity, a.Similarity) })
	}
	return out[:min(len(out), nearestK)]
}

// topicFor is the topic of a new question: the one its document names, else the one its nearest
// questions make clear (see ClearTopic), else DefaultTopic.
func (im *Importer) topicFor(topic string, nearest []coach.QuestionMatch) string {
	if topic != "" {
		return slug(topic)
	}
	if t := im.thresholds().ClearTopic(nearest); t != "" {
		return t
	}
	return DefaultTopic
}

// attachOrphan returns the question of the stored reference closest to an answer whose question was
// lost, when it is close enough to be the same question.
func (im *Importer) attachOrphan(ctx context.Context, vec []float32) (*coach.Question, error) {
	results, err := im.Store.Search(ctx, im.Embedder.Model(), vec, 1, "")
	if err != nil {
		return nil, err
	}
	if len(results) == 0 || results[0].QuestionID == "" || results[0].Similarity < im.thresholds().Attach {
		return nil, nil
	}
	return &coach.Question{ID: results[0].QuestionID, Text: results[0].Question}, nil
}
