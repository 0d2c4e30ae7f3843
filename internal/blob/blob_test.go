package blob_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/blob/blobtest"
	"github.com/floehq/floe/internal/blob/s3test"
	"github.com/floehq/floe/internal/config"
)

func TestLocal(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		l, err := blob.NewLocal(filepath.Join(t.TempDir(), "storage"))
		if err != nil {
			t.Fatalf("NewLocal: %v", err)
		}
		return l
	})
}

// TestLocalStaysInRoot tries every unsafe key against a storage root with
// a secret file beside it and a symlink to that secret inside it, then
// checks on disk that nothing was created, changed or read outside the
// root.
func TestLocalStaysInRoot(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "storage")
	l, err := blob.NewLocal(root)
	if err != nil {
		t.Fatalf("NewLocal: %v", err)
	}
	defer l.Close()
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	flowDir := filepath.Join(root, blobtest.FlowA)
	if err := os.MkdirAll(flowDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(flowDir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(flowDir, "linkdir")); err != nil {
		t.Fatal(err)
	}

	for _, u := range blobtest.UnsafeKeys() {
		blobtest.CheckRefused(t, l, u)
	}
	// Valid keys that resolve through a symlink out of the root.
	for _, k := range []blob.Key{
		{ChatflowID: blobtest.FlowA, Name: "link.txt"},
		{ChatflowID: blobtest.FlowA, ChatID: "linkdir", Name: "secret.txt"},
	} {
		if data, err := l.ReadFile(t.Context(), k); err == nil || string(data) == "secret" {
			t.Errorf("ReadFile(%+v): got %q, %v; want an error", k, data, err)
		}
		if err := l.Put(t.Context(), k, []byte("overwritten")); err == nil && k.ChatID != "" {
			t.Errorf("Put(%+v) through a symlinked folder: got nil error", k)
		}
	}
	if err := l.DeleteChat(t.Context(), blobtest.FlowA, "linkdir"); err != nil {
		t.Errorf("DeleteChat(symlinked folder): %v", err)
	}

	var got []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		got = append(got, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Put on link.txt may replace the link itself with a regular file
	// inside the root; either way nothing else exists.
	want := []string{".", "secret.txt", "storage", "storage/" + blobtest.FlowA, "storage/" + blobtest.FlowA + "/link.txt"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files on disk (-want +got):\n%s", diff)
	}
	if data, _ := os.ReadFile(secret); string(data) != "secret" {
		t.Errorf("the file outside the root was changed to %q", data)
	}
}

// newS3 returns an S3 store on a fresh fake.
func newS3(t *testing.T, o s3test.Options, pathStyle bool, prefix string) (*blob.S3, *s3test.Server) {
	t.Helper()
	srv := s3test.New(t, o)
	o = srv.Options()
	endpoint := srv.URL
	if !pathStyle {
		// Any host name: the fake's client dials the fake for every host.
		endpoint = strings.Replace(srv.URL, "127.0.0.1", "s3.test", 1)
	}
	s, err := blob.NewS3(blob.S3Config{
		Bucket: o.Bucket, Region: o.Region, Endpoint: endpoint, ForcePathStyle: pathStyle, Prefix: prefix,
		AccessKeyID: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, SessionToken: o.SessionToken,
		HTTPClient: srv.Client(),
	})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	return s, srv
}

func TestS3(t *testing.T) {
	tests := []struct {
		name      string
		opts      s3test.Options
		pathStyle bool
		prefix    string
	}{
		{name: "path style", pathStyle: true},
		{name: "virtual hosted", pathStyle: false, prefix: "floe/uploads"},
		{name: "paged listing", opts: s3test.Options{MaxKeys: 4}, pathStyle: true, prefix: "/p/"},
		{name: "no DeleteObjects", opts: s3test.Options{NoMultiDelete: true, MaxKeys: 7}, pathStyle: true},
		{name: "session token", opts: s3test.Options{SessionToken: "FwoGZXIvYXdzEXAMPLE"}, pathStyle: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			blobtest.Run(t, func(t *testing.T) blob.Store {
				s, _ := newS3(t, tc.opts, tc.pathStyle, tc.prefix)
				return s
			})
		})
	}
}

// TestS3Layout checks the object keys: prefix, lower-cased chatflow id,
// chat id, name.
func TestS3Layout(t *testing.T) {
	s, srv := newS3(t, s3test.Options{}, true, "floe")
	flow := strings.ToUpper(blobtest.FlowA)
	for _, k := range []blob.Key{{ChatflowID: flow, Name: "a b.txt"}, {ChatflowID: flow, ChatID: "c1", Name: "x.png"}} {
		if err := s.Put(t.Context(), k, []byte("x")); err != nil {
			t.Fatalf("Put: %v", err)
		}
	}
	want := []string{"floe/" + blobtest.FlowA + "/a b.txt", "floe/" + blobtest.FlowA + "/c1/x.png"}
	if diff := cmp.Diff(want, srv.Keys()); diff != "" {
		t.Errorf("object keys (-want +got):\n%s", diff)
	}
}

func TestS3Errors(t *testing.T) {
	k := blob.Key{ChatflowID: blobtest.FlowA, ChatID: "c1", Name: "a.txt"}
	srv := s3test.New(t, s3test.Options{DenyDelete: "deny/"})
	o := srv.Options()
	open := func(t *testing.T, mod func(*blob.S3Config)) *blob.S3 {
		cfg := blob.S3Config{Bucket: o.Bucket, Region: o.Region, Endpoint: srv.URL, ForcePathStyle: true,
			AccessKeyID: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, HTTPClient: srv.Client()}
		mod(&cfg)
		s, err := blob.NewS3(cfg)
		if err != nil {
			t.Fatalf("NewS3: %v", err)
		}
		return s
	}
	tests := []struct {
		name     string
		mod      func(*blob.S3Config)
		op       func(*blob.S3) error
		wantCode string
	}{
		{"wrong secret", func(c *blob.S3Config) { c.SecretAccessKey = "wrong" },
			func(s *blob.S3) error { return s.Put(t.Context(), k, []byte("x")) }, "SignatureDoesNotMatch"},
		{"wrong secret on read", func(c *blob.S3Config) { c.SecretAccessKey = "wrong" },
			func(s *blob.S3) error { _, err := s.ReadFile(t.Context(), k); return err }, "SignatureDoesNotMatch"},
		{"unknown access key", func(c *blob.S3Config) { c.AccessKeyID = "AKIDOTHER" },
			func(s *blob.S3) error { return s.Delete(t.Context(), k) }, "InvalidAccessKeyId"},
		{"wrong region", func(c *blob.S3Config) { c.Region = "eu-west-1" },
			func(s *blob.S3) error { return s.DeleteChat(t.Context(), k.ChatflowID, k.ChatID) }, "AuthorizationHeaderMalformed"},
		{"no such bucket", func(c *blob.S3Config) { c.Bucket = "other-bucket" },
			func(s *blob.S3) error { _, _, err := s.Open(t.Context(), k); return err }, "NoSuchBucket"},
		{"delete denied", func(c *blob.S3Config) { c.Prefix = "deny" },
			func(s *blob.S3) error {
				if err := s.Put(t.Context(), k, []byte("x")); err != nil {
					return err
				}
				return s.DeleteChatflow(t.Context(), k.ChatflowID)
			}, "AccessDenied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.op(open(t, tc.mod))
			e, ok := errors.AsType[*blob.S3Error](err)
			if !ok || e.Code != tc.wantCode {
				t.Fatalf("got %v, want an S3Error with code %s", err, tc.wantCode)
			}
			if errors.Is(err, blob.ErrNotFound) || strings.Contains(err.Error(), "failed to") || !strings.Contains(err.Error(), tc.wantCode) {
				t.Errorf("got %q, want a plain error naming %s", err, tc.wantCode)
			}
		})
	}
}

func TestNewS3Invalid(t *testing.T) {
	ok := blob.S3Config{Bucket: "bucket", Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "s"}
	tests := []struct {
		name string
		mod  func(*blob.S3Config)
	}{
		{"no bucket", func(c *blob.S3Config) { c.Bucket = "" }},
		{"bucket with slash", func(c *blob.S3Config) { c.Bucket = "a/b" }},
		{"no region", func(c *blob.S3Config) { c.Region = "" }},
		{"region with dot", func(c *blob.S3Config) { c.Region = "evil.com/x" }},
		{"no secret", func(c *blob.S3Config) { c.SecretAccessKey = "" }},
		{"endpoint without scheme", func(c *blob.S3Config) { c.Endpoint = "minio:9000" }},
		{"endpoint with query", func(c *blob.S3Config) { c.Endpoint = "http://minio:9000/?x=1" }},
		{"prefix with ..", func(c *blob.S3Config) { c.Prefix = "a/../b" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.mod(&c)
			if _, err := blob.NewS3(c); err == nil {
				t.Errorf("NewS3(%+v): got nil error", c)
			}
		})
	}
	if _, err := blob.NewS3(ok); err != nil {
		t.Errorf("NewS3(valid): %v", err)
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		env     []string
		want    string // the store's type
		wantErr bool
	}{
		{"default", nil, "*blob.Local", false},
		{"local", []string{"STORAGE_TYPE=local"}, "*blob.Local", false},
		{"s3", []string{"STORAGE_TYPE=s3", "S3_STORAGE_BUCKET_NAME=bucket", "S3_STORAGE_REGION=us-east-1",
			"S3_STORAGE_ACCESS_KEY_ID=a", "S3_STORAGE_SECRET_ACCESS_KEY=s", "S3_ENDPOINT_URL=http://127.0.0.1:9000", "S3_FORCE_PATH_STYLE=true"}, "*blob.S3", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.FromEnv(append([]string{"DATABASE_PATH=" + dir}, tc.env...))
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			s, err := blob.Open(cfg)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if got := typeName(s); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if _, err := blob.Open(&config.Config{StorageType: "gcs"}); err == nil || !strings.Contains(err.Error(), "gcs") {
		t.Errorf("Open(gcs): got %v, want an error naming gcs", err)
	}
}

func typeName(s blob.Store) string {
	switch s.(type) {
	case *blob.Local:
		return "*blob.Local"
	case *blob.S3:
		return "*blob.S3"
	}
	return "other"
}

// TestFileReader checks the node.FileReader adapter reads chatflow-level
// files.
func TestFileReader(t *testing.T) {
	l, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Put(t.Context(), blob.Key{ChatflowID: blobtest.FlowA, Name: "a.txt"}, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	fr := blob.FileReader{Store: l}
	if got, err := fr.ReadFile(t.Context(), blobtest.FlowA, "a.txt"); err != nil || string(got) != "hi" {
		t.Errorf("ReadFile: got %q, %v; want hi", got, err)
	}
	if _, err := fr.ReadFile(t.Context(), blobtest.FlowA, "../a.txt"); !errors.Is(err, blob.ErrInvalidName) {
		t.Errorf("ReadFile(../a.txt): got %v, want ErrInvalidName", err)
	}
}
