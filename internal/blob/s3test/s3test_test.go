package s3test

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	exampleAuth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
	emptyHash   = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	putHash     = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072" // "Welcome to Amazon S3."
)

// example is one of the signed requests worked through in the Amazon S3
// API reference (Authorization header, single chunk, SigV4).
type example struct {
	name, method, url, body string
	header                  map[string]string
	signed, signature       string
	wantStatus              int
}

var examples = []example{
	{
		name: "GET Object", method: "GET", url: "http://examplebucket.s3.amazonaws.com/test.txt",
		header: map[string]string{"Range": "bytes=0-9", "X-Amz-Content-Sha256": emptyHash},
		signed: "host;range;x-amz-content-sha256;x-amz-date", signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
		wantStatus: http.StatusOK,
	},
	{
		name: "PUT Object", method: "PUT", url: "http://examplebucket.s3.amazonaws.com/test$file.text", body: "Welcome to Amazon S3.",
		header: map[string]string{"Date": "Fri, 24 May 2013 00:00:00 GMT", "X-Amz-Storage-Class": "REDUCED_REDUNDANCY", "X-Amz-Content-Sha256": putHash},
		signed: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
		wantStatus: http.StatusOK,
	},
	{
		name: "GET Bucket Lifecycle", method: "GET", url: "http://examplebucket.s3.amazonaws.com/?lifecycle",
		header: map[string]string{"X-Amz-Content-Sha256": emptyHash},
		signed: "host;x-amz-content-sha256;x-amz-date", signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
		wantStatus: http.StatusNotImplemented, // authenticated, then not implemented by the fake
	},
	{
		name: "Get Bucket (List Objects)", method: "GET", url: "http://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J",
		header: map[string]string{"X-Amz-Content-Sha256": emptyHash},
		signed: "host;x-amz-content-sha256;x-amz-date", signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
		wantStatus: http.StatusOK,
	},
}

func exampleServer(t *testing.T) *Server {
	s := New(t, Options{
		Bucket: "examplebucket", Region: "us-east-1",
		AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		Now: func() time.Time { return time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC) },
	})
	s.PutObject("test.txt", []byte("0123456789abc"))
	return s
}

// send serves ex through the fake, after mod (if any) changes the request.
func send(t *testing.T, s *Server, ex example, mod func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(ex.method, ex.url, strings.NewReader(ex.body))
	for k, v := range ex.header {
		req.Header.Set(k, v)
	}
	req.Header.Set("X-Amz-Date", "20130524T000000Z")
	req.Header.Set("Authorization", exampleAuth+"SignedHeaders="+ex.signed+",Signature="+ex.signature)
	if mod != nil {
		mod(req)
	}
	rec := httptest.NewRecorder()
	s.Config.Handler.ServeHTTP(rec, req)
	return rec
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var doc struct{ Code string }
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("decoding error document %q: %v", rec.Body.String(), err)
	}
	return doc.Code
}

// TestVerifyAWSExamples checks the fake's verifier, written apart from the
// client's signer, against AWS's published signatures.
func TestVerifyAWSExamples(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			s := exampleServer(t)
			if rec := send(t, s, ex, nil); rec.Code != ex.wantStatus {
				t.Errorf("got %d %s, want %d", rec.Code, rec.Body.String(), ex.wantStatus)
			}
		})
	}
	s := exampleServer(t)
	if got, _ := s.Object("test$file.text"); string(got) != "" {
		t.Errorf("unexpected object before PUT: %q", got)
	}
	send(t, s, examples[1], nil)
	if got, ok := s.Object("test$file.text"); !ok || string(got) != "Welcome to Amazon S3." {
		t.Errorf("PUT Object stored %q, %v", got, ok)
	}
}

// TestVerifyRejects changes one signed part of each example and expects
// the matching S3 error.
func TestVerifyRejects(t *testing.T) {
	tests := []struct {
		name     string
		ex       example
		mod      func(*http.Request)
		wantCode string
	}{
		{"signature", examples[0], func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=f0", "Signature=f1", 1))
		}, "SignatureDoesNotMatch"},
		{"signed header changed", examples[0], func(r *http.Request) { r.Header.Set("Range", "bytes=0-10") }, "SignatureDoesNotMatch"},
		{"path changed", examples[0], func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/test.txu", "" }, "SignatureDoesNotMatch"},
		{"query changed", examples[3], func(r *http.Request) { r.URL.RawQuery = "max-keys=3&prefix=J" }, "SignatureDoesNotMatch"},
		{"host changed", examples[3], func(r *http.Request) { r.Host = "examplebucket.s3.us-east-1.amazonaws.com" }, "SignatureDoesNotMatch"},
		{"body changed", examples[1], func(r *http.Request) {
			r.Body = httptest.NewRequest("PUT", "/", strings.NewReader("Welcome to Amazon S4.")).Body
		}, "XAmzContentSHA256Mismatch"},
		{"unsigned x-amz header", examples[0], func(r *http.Request) { r.Header.Set("X-Amz-Meta-Evil", "1") }, "AccessDenied"},
		{"no authorization", examples[0], func(r *http.Request) { r.Header.Del("Authorization") }, "AccessDenied"},
		{"other access key", examples[0], func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKIAIOSFODNN7EXAMPLE", "AKIAOTHER", 1))
		}, "InvalidAccessKeyId"},
		{"stale date", examples[0], func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "20130524", "20130523", 1))
			r.Header.Set("X-Amz-Date", "20130523T000000Z")
		}, "RequestTimeTooSkewed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := exampleServer(t)
			rec := send(t, s, tc.ex, tc.mod)
			if rec.Code < 400 {
				t.Fatalf("got %d, want an error", rec.Code)
			}
			if got := errorCode(t, rec); got != tc.wantCode {
				t.Errorf("got %s (%s), want %s", got, rec.Body.String(), tc.wantCode)
			}
		})
	}
}
