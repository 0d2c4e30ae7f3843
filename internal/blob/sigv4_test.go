package blob

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// awsExample are the credentials and time of the worked examples in the
// Amazon S3 API reference, "Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk (AWS Signature Version
// 4)".
var (
	awsExample = credentials{accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	awsTime    = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
)

// TestSignV4AWSExamples signs the four documented example requests and
// compares with the published signatures.
func TestSignV4AWSExamples(t *testing.T) {
	tests := []struct {
		name        string
		method, url string
		header      map[string]string
		payloadHash string
		wantSigned  string
		wantSig     string
	}{
		{
			name: "GET Object", method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
			header:      map[string]string{"Range": "bytes=0-9"},
			payloadHash: emptySHA256,
			wantSigned:  "host;range;x-amz-content-sha256;x-amz-date",
			wantSig:     "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
		},
		{
			name: "PUT Object", method: "PUT", url: "https://examplebucket.s3.amazonaws.com/test$file.text",
			header:      map[string]string{"Date": "Fri, 24 May 2013 00:00:00 GMT", "X-Amz-Storage-Class": "REDUCED_REDUNDANCY"},
			payloadHash: hexSHA256([]byte("Welcome to Amazon S3.")),
			wantSigned:  "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
			wantSig:     "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
		},
		{
			name: "GET Bucket Lifecycle", method: "GET", url: "https://examplebucket.s3.amazonaws.com/?lifecycle",
			payloadHash: emptySHA256,
			wantSigned:  "host;x-amz-content-sha256;x-amz-date",
			wantSig:     "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
		},
		{
			name: "Get Bucket (List Objects)", method: "GET", url: "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J",
			payloadHash: emptySHA256,
			wantSigned:  "host;x-amz-content-sha256;x-amz-date",
			wantSig:     "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, tc.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			signV4(req, tc.payloadHash, awsExample, "us-east-1", awsTime)
			want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=" +
				tc.wantSigned + ", Signature=" + tc.wantSig
			if got := req.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization:\n got %s\nwant %s", got, want)
			}
			if got := req.Header.Get("X-Amz-Date"); got != "20130524T000000Z" {
				t.Errorf("x-amz-date: got %q, want 20130524T000000Z", got)
			}
			if got := req.Header.Get("X-Amz-Content-Sha256"); got != tc.payloadHash {
				t.Errorf("x-amz-content-sha256: got %q, want %q", got, tc.payloadHash)
			}
		})
	}
	if got := hexSHA256([]byte("Welcome to Amazon S3.")); got != "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072" {
		t.Errorf("payload hash: got %s", got)
	}
}

func TestSignV4SessionToken(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://b.s3.amazonaws.com/k", nil)
	c := awsExample
	c.sessionToken = "TOKEN"
	signV4(req, emptySHA256, c, "us-east-1", awsTime)
	if req.Header.Get("X-Amz-Security-Token") != "TOKEN" || !strings.Contains(req.Header.Get("Authorization"), ";x-amz-security-token,") {
		t.Errorf("session token not sent and signed: %v", req.Header)
	}
}

func TestURIEncode(t *testing.T) {
	tests := []struct {
		in          string
		encodeSlash bool
		want        string
	}{
		{"a b", true, "a%20b"},
		{"a+b=c&d", true, "a%2Bb%3Dc%26d"},
		{"A-Z_a.z~0", true, "A-Z_a.z~0"},
		{"/x/y z/", false, "/x/y%20z/"},
		{"/x/y", true, "%2Fx%2Fy"},
		{"résumé", false, "r%C3%A9sum%C3%A9"},
		{"100%", false, "100%25"},
	}
	for _, tc := range tests {
		if got := uriEncode(tc.in, tc.encodeSlash); got != tc.want {
			t.Errorf("uriEncode(%q, %v): got %q, want %q", tc.in, tc.encodeSlash, got, tc.want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"lifecycle", "lifecycle="},
		{"prefix=J&max-keys=2", "max-keys=2&prefix=J"},
		// Sorted by name first: "a" before "a-b" although '=' > '-'.
		{"a-b=1&a=2", "a=2&a-b=1"},
		{"prefix=a%2Fb%20c&list-type=2", "list-type=2&prefix=a%2Fb%20c"},
		{"k=b&k=a", "k=a&k=b"},
	}
	for _, tc := range tests {
		if got := canonicalQuery(tc.in); got != tc.want {
			t.Errorf("canonicalQuery(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}
