// Package s3test is an in-memory fake of the S3 REST API for tests:
// PutObject, GetObject, DeleteObject, ListObjectsV2 and DeleteObjects on
// one bucket, addressed path-style (http://host/bucket/key) or
// virtual-hosted (http://bucket.host/key). Every request must carry a
// valid AWS Signature Version 4 for the configured keys; anything else is
// answered with S3's XML error document (403 SignatureDoesNotMatch, ...).
package s3test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a [Server]. Zero fields get the defaults noted.
type Options struct {
	Bucket          string // "test-bucket"
	Region          string // "us-east-1"
	AccessKeyID     string // "AKIDS3TEST"
	SecretAccessKey string // "s3test-secret"
	// SessionToken, when set, must arrive as x-amz-security-token.
	SessionToken string
	// MaxKeys caps a ListObjectsV2 page (default 1000), to exercise
	// continuation tokens.
	MaxKeys int
	// NoMultiDelete answers DeleteObjects with 501 NotImplemented, as some
	// S3-compatible services do.
	NoMultiDelete bool
	// DenyDelete refuses, with AccessDenied, to delete keys with this
	// prefix (DeleteObject and DeleteObjects).
	DenyDelete string
	// Now is the server's clock for the request-time check (time.Now).
	Now func() time.Time
}

// Server is a running fake; Close it (New registers that with t.Cleanup).
type Server struct {
	*httptest.Server
	opts Options

	// guards objects
	mu      sync.Mutex
	objects map[string]object
}

type object struct {
	data        []byte
	contentType string
	modified    time.Time
}

// New starts a fake S3 server; it is closed when the test ends.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	s := NewUnstarted(o)
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// NewUnstarted returns a fake whose HTTP server is not started yet; its
// handler (Config.Handler) can also be driven directly.
func NewUnstarted(o Options) *Server {
	o.Bucket = cmp.Or(o.Bucket, "test-bucket")
	o.Region = cmp.Or(o.Region, "us-east-1")
	o.AccessKeyID = cmp.Or(o.AccessKeyID, "AKIDS3TEST")
	o.SecretAccessKey = cmp.Or(o.SecretAccessKey, "s3test-secret")
	if o.MaxKeys <= 0 || o.MaxKeys > 1000 {
		o.MaxKeys = 1000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{opts: o, objects: map[string]object{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	return s
}

// Options returns the options in effect, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Client returns an HTTP client that connects every request to the fake
// whatever its host, so virtual-hosted URLs such as
// http://test-bucket.s3.test:PORT/key reach it.
func (s *Server) Client() *http.Client {
	addr := s.Listener.Addr().String()
	t := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	return &http.Client{Transport: t}
}

// Keys returns the stored object keys, sorted.
func (s *Server) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.objects))
	for k := range s.objects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Object returns a stored object's content.
func (s *Server) Object(key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objects[key]
	return o.data, ok
}

// PutObject stores an object directly, without a request.
func (s *Server) PutObject(key string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[key] = object{data: bytes.Clone(data), contentType: "application/octet-stream", modified: s.opts.Now()}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "IncompleteBody", "reading the body: "+err.Error())
		return
	}
	if e := s.verify(r, body); e != nil {
		writeError(w, e.status, e.code, e.message)
		return
	}
	key, ok := s.objectKey(r)
	if !ok {
		writeError(w, http.StatusNotFound, "NoSuchBucket", "the specified bucket does not exist")
		return
	}
	q := r.URL.Query()
	switch {
	case key == "" && r.Method == http.MethodGet && isList(q):
		s.list(w, q)
	case key == "" && r.Method == http.MethodPost && q.Has("delete"):
		s.deleteObjects(w, r, body)
	case key == "":
		writeError(w, http.StatusNotImplemented, "NotImplemented", "this bucket operation is not implemented by the fake")
	case r.Method == http.MethodPut:
		s.mu.Lock()
		s.objects[key] = object{data: body, contentType: r.Header.Get("Content-Type"), modified: s.opts.Now()}
		s.mu.Unlock()
		w.Header().Set("ETag", etag(body))
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodGet:
		s.mu.Lock()
		o, found := s.objects[key]
		s.mu.Unlock()
		if !found {
			writeError(w, http.StatusNotFound, "NoSuchKey", "the specified key does not exist")
			return
		}
		w.Header().Set("Content-Type", o.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(o.data)))
		w.Header().Set("ETag", etag(o.data))
		w.Header().Set("Last-Modified", o.modified.UTC().Format(http.TimeFormat))
		_, _ = w.Write(o.data)
	case r.Method == http.MethodDelete:
		if s.opts.DenyDelete != "" && strings.HasPrefix(key, s.opts.DenyDelete) {
			writeError(w, http.StatusForbidden, "AccessDenied", "access denied")
			return
		}
		s.mu.Lock()
		delete(s.objects, key)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "the specified method is not allowed against this resource")
	}
}

// objectKey finds the bucket, virtual-hosted or in the path, and returns
// the object key ("" for the bucket itself).
func (s *Server) objectKey(r *http.Request) (string, bool) {
	path, err := url.PathUnescape(r.URL.EscapedPath())
	if err != nil {
		return "", false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.HasPrefix(host, s.opts.Bucket+".") {
		return strings.TrimPrefix(path, "/"), true
	}
	rest, ok := strings.CutPrefix(path, "/"+s.opts.Bucket)
	if !ok || rest != "" && !strings.HasPrefix(rest, "/") {
		return "", false
	}
	return strings.TrimPrefix(rest, "/"), true
}

// isList reports whether a bucket GET is a listing rather than a
// sub-resource (?lifecycle, ?acl, ...).
func isList(q url.Values) bool {
	for k := range q {
		switch k {
		case "list-type", "prefix", "continuation-token", "max-keys", "start-after":
		default:
			return false
		}
	}
	return true
}

type listResult struct {
	XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string
	Prefix                string
	KeyCount              int
	MaxKeys               int
	IsTruncated           bool
	ContinuationToken     string `xml:",omitempty"`
	NextContinuationToken string `xml:",omitempty"`
	Contents              []listEntry
}

type listEntry struct {
	Key          string
	LastModified string
	ETag         string
	Size         int
	StorageClass string
}

// list answers ListObjectsV2 (prefix, max-keys, continuation-token,
// start-after).
func (s *Server) list(w http.ResponseWriter, q url.Values) {
	limit := s.opts.MaxKeys
	if v := q.Get("max-keys"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n < limit {
			limit = n
		}
	}
	after := q.Get("start-after")
	if tok := q.Get("continuation-token"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			writeError(w, http.StatusBadRequest, "InvalidArgument", "the continuation token provided is incorrect")
			return
		}
		after = string(b)
	}
	prefix := q.Get("prefix")
	res := listResult{Name: s.opts.Bucket, Prefix: prefix, MaxKeys: limit, ContinuationToken: q.Get("continuation-token")}
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.objects))
	for k := range s.objects {
		if strings.HasPrefix(k, prefix) && k > after {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if len(keys) > limit {
		keys, res.IsTruncated = keys[:limit], true
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(keys[limit-1]))
	}
	for _, k := range keys {
		o := s.objects[k]
		res.Contents = append(res.Contents, listEntry{Key: k, LastModified: o.modified.UTC().Format(time.RFC3339),
			ETag: etag(o.data), Size: len(o.data), StorageClass: "STANDARD"})
	}
	res.KeyCount = len(res.Contents)
	writeXML(w, http.StatusOK, res)
}

type deleteRequest struct {
	Quiet   bool
	Objects []struct{ Key string } `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []struct{ Key string }
	Errors  []deleteError `xml:"Error"`
}

type deleteError struct{ Key, Code, Message string }

// deleteObjects answers DeleteObjects, which requires a Content-MD5 of
// the body.
func (s *Server) deleteObjects(w http.ResponseWriter, r *http.Request, body []byte) {
	if s.opts.NoMultiDelete {
		writeError(w, http.StatusNotImplemented, "NotImplemented", "a header you provided implies functionality that is not implemented")
		return
	}
	md := r.Header.Get("Content-Md5")
	if md == "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "missing required header for this request: Content-MD5")
		return
	}
	if sum := md5.Sum(body); md != base64.StdEncoding.EncodeToString(sum[:]) {
		writeError(w, http.StatusBadRequest, "InvalidDigest", "the Content-MD5 you specified did not match what we received")
		return
	}
	var req deleteRequest
	if err := xml.Unmarshal(body, &req); err != nil || len(req.Objects) == 0 || len(req.Objects) > 1000 {
		writeError(w, http.StatusBadRequest, "MalformedXML", "the XML you provided was not well-formed or did not validate")
		return
	}
	var res deleteResult
	s.mu.Lock()
	for _, o := range req.Objects {
		if s.opts.DenyDelete != "" && strings.HasPrefix(o.Key, s.opts.DenyDelete) {
			res.Errors = append(res.Errors, deleteError{o.Key, "AccessDenied", "Access Denied"})
			continue
		}
		delete(s.objects, o.Key)
		if !req.Quiet {
			res.Deleted = append(res.Deleted, struct{ Key string }{o.Key})
		}
	}
	s.mu.Unlock()
	writeXML(w, http.StatusOK, res)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeXML(w, status, struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}{Code: code, Message: message, RequestID: "S3TEST"})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("s3test: encoding %T: %v", v, err))
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("X-Amz-Request-Id", "S3TEST")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

func etag(data []byte) string {
	sum := md5.Sum(data)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}
