package blob

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	pathpkg "path"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
)

// S3Config configures an [S3] store. Bucket, Region and the key pair are
// required.
type S3Config struct {
	// Bucket is the bucket name.
	Bucket string
	// Region is the bucket's region, part of every signature ("auto" for
	// Cloudflare R2, any value MinIO accepts).
	Region string
	// Endpoint is the service URL, e.g. http://localhost:9000 for MinIO; a
	// path (https://host/storage/v1/s3) is kept in front of every request
	// path. Empty means AWS: https://s3.<region>.amazonaws.com.
	Endpoint string
	// ForcePathStyle addresses the bucket in the path
	// (https://host/bucket/key) instead of the host name
	// (https://bucket.host/key). Buckets that cannot be a host name
	// (upper case, underscores, or dots over https) and endpoints that are
	// an IP address or localhost always use the path.
	ForcePathStyle bool
	// Prefix is put in front of every object key ("floe" stores
	// floe/<chatflowId>/<name>); empty for none.
	Prefix string
	// AccessKeyID, SecretAccessKey and, for temporary credentials,
	// SessionToken sign the requests.
	AccessKeyID, SecretAccessKey, SessionToken string
	// HTTPClient sends the requests; nil means a dedicated pooled client.
	HTTPClient *http.Client
}

// S3 is a [Store] in a bucket of Amazon S3 or an S3-compatible service
// (MinIO, Cloudflare R2, Backblaze B2, ...), spoken to over its REST API
// with AWS Signature Version 4. Object keys are the [Key] paths behind an
// optional prefix. It is safe for concurrent use.
//
// The credentials need s3:PutObject, s3:GetObject, s3:DeleteObject and
// s3:ListBucket; without ListBucket, AWS answers a read of a missing
// object with AccessDenied instead of NoSuchKey. Requests are not
// retried.
type S3 struct {
	client    *http.Client
	ownClient bool
	scheme    string
	host      string // endpoint host[:port]
	basePath  string // endpoint path without a trailing slash
	bucket    string
	region    string
	pathStyle bool
	prefix    string // "" or ending in "/"
	creds     credentials
	// noMultiDelete is set once the service has answered DeleteObjects
	// with NotImplemented; deletes then go one key at a time.
	noMultiDelete atomic.Bool
}

var (
	bucketRE  = regexp.MustCompile(`^[A-Za-z0-9._-]{3,255}$`)
	dnsNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	regionRE  = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
)

// NewS3 checks cfg and returns a store for it. It sends no request.
func NewS3(cfg S3Config) (*S3, error) {
	if !bucketRE.MatchString(cfg.Bucket) {
		return nil, fmt.Errorf("s3 storage: bucket name %q must be 3 to 255 characters of A-Z a-z 0-9 . _ -", cfg.Bucket)
	}
	if !regionRE.MatchString(cfg.Region) {
		return nil, fmt.Errorf("s3 storage: region %q must be letters, digits and dashes", cfg.Region)
	}
	if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
		return nil, errors.New("s3 storage: an access key id and a secret access key are required")
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "https://s3." + cfg.Region + ".amazonaws.com"
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("s3 storage: endpoint %q is not a URL like https://s3.example.com", cfg.Endpoint)
	}
	prefix, err := normalizePrefix(cfg.Prefix)
	if err != nil {
		return nil, err
	}
	s := &S3{
		client:   cfg.HTTPClient,
		scheme:   u.Scheme,
		host:     u.Host,
		basePath: strings.TrimSuffix(u.Path, "/"),
		bucket:   cfg.Bucket,
		region:   cfg.Region,
		prefix:   prefix,
		creds:    credentials{cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken},
	}
	s.pathStyle = cfg.ForcePathStyle || !dnsNameRE.MatchString(cfg.Bucket) ||
		(u.Scheme == "https" && strings.Contains(cfg.Bucket, ".")) ||
		net.ParseIP(u.Hostname()) != nil || u.Hostname() == "localhost"
	if s.client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		t.ResponseHeaderTimeout = time.Minute
		s.client, s.ownClient = &http.Client{Transport: t}, true
	}
	return s, nil
}

// normalizePrefix checks an object key prefix and returns it without
// leading slashes and with one trailing slash ("" stays ""). Each element
// must be a safe name: no "." or "..", no backslash, no control
// characters.
func normalizePrefix(p string) (string, error) {
	p = strings.Trim(p, "/")
	if p == "" {
		return "", nil
	}
	for el := range strings.SplitSeq(p, "/") {
		if el == "" || el == "." || el == ".." || strings.ContainsAny(el, `\%`) || strings.ContainsFunc(el, unicode.IsControl) {
			return "", fmt.Errorf("%w: key prefix %q: each element must be a plain name", ErrInvalidName, p)
		}
	}
	return p + "/", nil
}

// Close releases idle connections of the store's own HTTP client.
func (s *S3) Close() error {
	if s.ownClient {
		s.client.CloseIdleConnections()
	}
	return nil
}

// Put uploads data with PutObject, which replaces an object atomically.
func (s *S3) Put(ctx context.Context, key Key, data []byte) error {
	p, err := key.path()
	if err != nil {
		return err
	}
	ct := mime.TypeByExtension(pathpkg.Ext(key.Name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	if data == nil {
		data = []byte{}
	}
	resp, err := s.do(ctx, http.MethodPut, s.url(s.prefix+p, ""), data, http.Header{"Content-Type": {ct}})
	if err != nil {
		return fmt.Errorf("storing %s: %w", key.Name, err)
	}
	drain(resp)
	return nil
}

// ReadFile downloads an object.
func (s *S3) ReadFile(ctx context.Context, key Key) ([]byte, error) {
	body, size, err := s.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	buf := bytes.NewBuffer(make([]byte, 0, max(size, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(body); err != nil {
		return nil, fmt.Errorf("reading %s: %w", key.Name, err)
	}
	return buf.Bytes(), nil
}

// Open streams an object with GetObject; the reader is the response body.
func (s *S3) Open(ctx context.Context, key Key) (io.ReadCloser, int64, error) {
	p, err := key.path()
	if err != nil {
		return nil, 0, err
	}
	resp, err := s.do(ctx, http.MethodGet, s.url(s.prefix+p, ""), nil, nil)
	if isNoSuchKey(err) {
		return nil, 0, fmt.Errorf("%w: %s", ErrNotFound, key.Name)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s: %w", key.Name, err)
	}
	return resp.Body, resp.ContentLength, nil
}

// Delete removes an object with DeleteObject.
func (s *S3) Delete(ctx context.Context, key Key) error {
	p, err := key.path()
	if err != nil {
		return err
	}
	if err := s.deleteOne(ctx, s.prefix+p); err != nil {
		return fmt.Errorf("deleting %s: %w", key.Name, err)
	}
	return nil
}

// DeleteChat removes every object under <chatflowId>/<chatId>/.
func (s *S3) DeleteChat(ctx context.Context, chatflowID, chatID string) error {
	dir, err := chatDir(chatflowID, chatID)
	if err != nil {
		return err
	}
	if err := s.deletePrefix(ctx, s.prefix+dir+"/"); err != nil {
		return fmt.Errorf("deleting files of chat %s: %w", chatID, err)
	}
	return nil
}

// DeleteChatflow removes every object under <chatflowId>/.
func (s *S3) DeleteChatflow(ctx context.Context, chatflowID string) error {
	dir, err := chatflowDir(chatflowID)
	if err != nil {
		return err
	}
	if err := s.deletePrefix(ctx, s.prefix+dir+"/"); err != nil {
		return fmt.Errorf("deleting files of chatflow %s: %w", dir, err)
	}
	return nil
}

// url addresses an object, or the bucket when objectKey is empty.
func (s *S3) url(objectKey, rawQuery string) *url.URL {
	host, p := s.host, s.basePath+"/"
	switch {
	case !s.pathStyle:
		host = s.bucket + "." + s.host
	case objectKey == "":
		p += s.bucket
	default:
		p += s.bucket + "/"
	}
	p += objectKey
	return &url.URL{Scheme: s.scheme, Host: host, Path: p, RawPath: uriEncode(p, false), RawQuery: rawQuery}
}

// do signs and sends one request. A response status of 300 or more is
// returned as an *[S3Error] (the body read and closed).
func (s *S3) do(ctx context.Context, method string, u *url.URL, body []byte, header http.Header) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	signV4(req, hexSHA256(body), s.creds, s.region, time.Now())
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		return nil, readS3Error(resp)
	}
	return resp, nil
}

// drain reads what is left of a response body and closes it, so the
// connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
}

func (s *S3) deleteOne(ctx context.Context, objectKey string) error {
	resp, err := s.do(ctx, http.MethodDelete, s.url(objectKey, ""), nil, nil)
	if isNoSuchKey(err) {
		return nil
	}
	if err != nil {
		return err
	}
	drain(resp)
	return nil
}

// deletePrefix deletes every object whose key starts with prefix, a page
// of ListObjectsV2 at a time.
func (s *S3) deletePrefix(ctx context.Context, prefix string) error {
	token := ""
	for {
		page, err := s.list(ctx, prefix, token)
		if err != nil {
			return err
		}
		if err := s.deleteKeys(ctx, page.keys()); err != nil {
			return err
		}
		if !page.IsTruncated {
			return nil
		}
		if page.NextContinuationToken == "" {
			return fmt.Errorf("listing %s: truncated answer without a continuation token", prefix)
		}
		token = page.NextContinuationToken
	}
}

// listResult is the part of a ListObjectsV2 answer the store reads.
type listResult struct {
	IsTruncated           bool
	NextContinuationToken string
	Contents              []struct{ Key string }
}

func (r *listResult) keys() []string {
	keys := make([]string, len(r.Contents))
	for i, c := range r.Contents {
		keys[i] = c.Key
	}
	return keys
}

// list fetches one page (up to 1000 keys) of ListObjectsV2.
func (s *S3) list(ctx context.Context, prefix, token string) (*listResult, error) {
	q := url.Values{"list-type": {"2"}, "prefix": {prefix}}
	if token != "" {
		q.Set("continuation-token", token)
	}
	resp, err := s.do(ctx, http.MethodGet, s.url("", canonicalQuery(q.Encode())), nil, nil)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", prefix, err)
	}
	defer resp.Body.Close()
	var res listResult
	if err := xml.NewDecoder(resp.Body).Decode(&res); err != nil {
		return nil, fmt.Errorf("listing %s: decoding the answer: %w", prefix, err)
	}
	return &res, nil
}

// deleteKeys deletes objects with DeleteObjects (or one by one where that
// is not implemented).
func (s *S3) deleteKeys(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if !s.noMultiDelete.Load() {
		err := s.deleteObjects(ctx, keys)
		if e, ok := errors.AsType[*S3Error](err); !ok || (e.Code != "NotImplemented" && e.StatusCode != http.StatusNotImplemented) {
			return err
		}
		s.noMultiDelete.Store(true)
	}
	for _, k := range keys {
		if err := s.deleteOne(ctx, k); err != nil {
			return fmt.Errorf("deleting %s: %w", k, err)
		}
	}
	return nil
}

// deleteRequest is the body of DeleteObjects.
type deleteRequest struct {
	XMLName xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Delete"`
	Quiet   bool       `xml:"Quiet"`
	Objects []objectID `xml:"Object"`
}

type objectID struct {
	Key string `xml:"Key"`
}

// deleteResult is the answer of DeleteObjects; in quiet mode it lists only
// the keys that could not be deleted.
type deleteResult struct {
	Errors []struct{ Key, Code, Message string } `xml:"Error"`
}

// deleteObjects deletes up to 1000 keys in one DeleteObjects request.
func (s *S3) deleteObjects(ctx context.Context, keys []string) error {
	req := deleteRequest{Quiet: true}
	for _, k := range keys {
		req.Objects = append(req.Objects, objectID{k})
	}
	body, err := xml.Marshal(req)
	if err != nil {
		return fmt.Errorf("deleting %d objects: %w", len(keys), err)
	}
	sum := md5.Sum(body)
	h := http.Header{"Content-Type": {"application/xml"}, "Content-Md5": {base64.StdEncoding.EncodeToString(sum[:])}}
	resp, err := s.do(ctx, http.MethodPost, s.url("", "delete="), body, h)
	if err != nil {
		return fmt.Errorf("deleting %d objects: %w", len(keys), err)
	}
	defer resp.Body.Close()
	var res deleteResult
	if err := xml.NewDecoder(resp.Body).Decode(&res); err != nil {
		return fmt.Errorf("deleting %d objects: decoding the answer: %w", len(keys), err)
	}
	if n := len(res.Errors); n > 0 {
		e := res.Errors[0]
		return fmt.Errorf("deleting %d objects: %d not deleted, first %s: %w", len(keys), n, e.Key,
			&S3Error{StatusCode: resp.StatusCode, Code: e.Code, Message: e.Message})
	}
	return nil
}

var _ Store = (*S3)(nil)
