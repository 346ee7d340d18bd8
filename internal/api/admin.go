package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/interviewcoach/coach/internal/coach"
)

// Admin changes the bank on an administrator's request.
type Admin interface {
	// ImportDocuments imports documents as `coach ingest` does. A document that cannot be read fails
	// the whole request with an EINVALID error naming it, before anything is stored.
	ImportDocuments(ctx context.Context, docs []coach.Document) (*coach.ImportSummary, error)
	// EnqueueImport checks documents as ImportDocuments does and queues them as a background job.
	EnqueueImport(ctx context.Context, docs []coach.Document) (*coach.ImportJob, error)
	// ImportJob returns an import job with its progress and, once done, its report.
	ImportJob(ctx context.Context, id int64) (*coach.ImportJob, error)
	// Reindex embeds every passage and question again with the configured embedder.
	Reindex(ctx context.Context) (*coach.ReindexSummary, error)
	// DeleteQuestion deletes a question with its references, key points and passages.
	DeleteQuestion(ctx context.Context, id string) error
	// Review returns what waits for an admin's review: drafts, questions without an approved
	// rubric, unsorted questions and suspected duplicates.
	Review(ctx context.Context) (*coach.ReviewReport, error)
}

// review answers what waits for review.
func (s *Server) review(c echo.Context) error {
	rep, err := s.Admin.Review(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// DefaultMaxImportBytes limits uploads to POST /api/v1/bank/import when Limits.MaxImportBytes is 0.
const DefaultMaxImportBytes = 10 << 20

// importField is the multipart form field that carries each uploaded document.
const importField = "file"

// maxUploadName is the longest file name an upload may have, in bytes.
const maxUploadName = 255

// importBank imports the documents uploaded as multipart fields named "file".
func (s *Server) importBank(c echo.Context) error {
	limit := s.Limits.MaxImportBytes
	if limit <= 0 {
		limit = DefaultMaxImportBytes
	}
	req := c.Request()
	if req.ContentLength > limit {
		return coach.Errorf(coach.ETOOLARGE, "the upload is over the %d-byte limit", limit)
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
	mr, err := req.MultipartReader()
	if err != nil {
		return coach.Errorf(coach.EINVALID, "the body must be multipart/form-data with each document in a field named %q", importField)
	}
	var docs []coach.Document
	names := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return coach.Errorf(coach.ETOOLARGE, "the upload is over the %d-byte limit", limit)
		} else if err != nil {
			return coach.Errorf(coach.EINVALID, "malformed multipart body: %v", err)
		}
		if part.FormName() != importField {
			return coach.Errorf(coach.EINVALID, "unknown form field %q: send each document in a field named %q", part.FormName(), importField)
		}
		name, err := uploadName(part.FileName(), len(docs)+1)
		if err != nil {
			return err
		}
		if names[name] {
			return coach.Errorf(coach.EINVALID, "two files are named %q: the name identifies the source of what is imported", name)
		}
		names[name] = true
		data, err := io.ReadAll(part)
		if errors.As(err, &maxErr) {
			return coach.Errorf(coach.ETOOLARGE, "the upload is over the %d-byte limit", limit)
		} else if err != nil {
			return coach.Errorf(coach.EINVALID, "%s: read: %v", name, err)
		}
		docs = append(docs, coach.Document{Name: name, Data: data})
	}
	if len(docs) == 0 {
		return coach.Errorf(coach.EINVALID, "no file: send each document in a multipart field named %q", importField)
	}
	size := 0
	for _, d := range docs {
		size += len(d.Data)
	}
	if size > AsyncImportBytes || strings.Contains(req.Header.Get("Prefer"), "respond-async") {
		job, err := s.Admin.EnqueueImport(req.Context(), docs)
		if err != nil {
			return err
		}
		s.audit(c, "bank import queued", "job", job.ID, "files", len(docs), "bytes", size)
		c.Response().Header().Set("Location", "/api/v1/bank/jobs/"+strconv.FormatInt(job.ID, 10))
		return c.JSON(http.StatusAccepted, job)
	}
	sum, err := s.Admin.ImportDocuments(req.Context(), docs)
	if err != nil {
		return err
	}
	s.audit(c, "bank imported", "files", sum.Files, "questions", sum.Questions, "references", sum.References)
	return c.JSON(http.StatusOK, sum)
}

// AsyncImportBytes is the upload size over which POST /api/v1/bank/import answers 202 with a job
// rather than import within the request (a client may ask for a job at any size with the header
// "Prefer: respond-async").
const AsyncImportBytes = 1 << 20

// importJob answers an import job's progress and, once it is done, its report.
func (s *Server) importJob(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return coach.Errorf(coach.ENOTFOUND, "import job %s not found", coach.Echo(c.Param("id")))
	}
	job, err := s.Admin.ImportJob(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, job)
}

// uploadName is the source name of the n-th uploaded file: its base name, or "upload-n" when it has
// none.
func uploadName(name string, n int) (string, error) {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return "upload-" + strconv.Itoa(n), nil
	}
	if !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 || len(name) > maxUploadName {
		return "", coach.Errorf(coach.EINVALID, "file name %q must be one line of at most %d bytes", name, maxUploadName)
	}
	return name, nil
}

func (s *Server) deleteQuestion(c echo.Context) error {
	id := c.Param("id")
	if err := s.Admin.DeleteQuestion(c.Request().Context(), id); err != nil {
		return err
	}
	s.audit(c, "question deleted", "question_id", id)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) reindex(c echo.Context) error {
	sum, err := s.Admin.Reindex(c.Request().Context())
	if err != nil {
		return err
	}
	s.audit(c, "bank reindexed", "model", sum.Model, "passages", sum.Passages, "questions", sum.Questions)
	return c.JSON(http.StatusOK, sum)
}

// keyRequest asks for a new API key.
type keyRequest struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

// keyCreated is the answer to POST /api/v1/keys: the key's record and, this once, the key.
type keyCreated struct {
	*coach.APIKey
	Key string `json:"key"`
}

func (s *Server) createKey(c echo.Context) error {
	var req keyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	k, key, err := s.Keys.Create(c.Request().Context(), req.Role, req.Name)
	if err != nil {
		return err
	}
	s.audit(c, "api key created", "new_key_id", k.ID, "role", k.Role, "name", k.Name)
	noStore(c)
	return c.JSON(http.StatusCreated, keyCreated{APIKey: k, Key: key})
}

func (s *Server) listKeys(c echo.Context) error {
	keys, err := s.Keys.List(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"keys": keys})
}

func (s *Server) revokeKey(c echo.Context) error {
	k, err := s.Keys.Revoke(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	s.audit(c, "api key revoked", "revoked_key_id", k.ID)
	return c.JSON(http.StatusOK, k)
}

// audit logs a change to the bank, the keys or a session with the key that made it.
func (s *Server) audit(c echo.Context, msg string, args ...any) {
	if p := principal(c); p != nil {
		args = append(args, "key_id", p.KeyID, "key_name", p.Name)
	}
	s.Logger.InfoContext(c.Request().Context(), msg, args...)
}
