package blob

import (
	"errors"
	"testing"
)

func TestNormalizePrefix(t *testing.T) {
	for in, want := range map[string]string{"": "", "/": "", "floe": "floe/", "/a/b/": "a/b/"} {
		got, err := normalizePrefix(in)
		if err != nil || got != want {
			t.Errorf("normalizePrefix(%q): got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"a//b", "..", "a/./b", `a\b`, "a%2fb", "a\x00"} {
		if _, err := normalizePrefix(in); !errors.Is(err, ErrInvalidName) {
			t.Errorf("normalizePrefix(%q): got %v, want ErrInvalidName", in, err)
		}
	}
}

// TestS3Addressing checks where the bucket goes: the host name by
// default, the path when forced or when the bucket or endpoint cannot
// take a host name.
func TestS3Addressing(t *testing.T) {
	tests := []struct {
		name, bucket, endpoint string
		force                  bool
		want                   string
	}{
		{"aws default", "my-bucket", "", false, "https://my-bucket.s3.eu-west-1.amazonaws.com/f/k%201.txt"},
		{"forced", "my-bucket", "https://minio.example.com", true, "https://minio.example.com/my-bucket/f/k%201.txt"},
		{"endpoint path", "my-bucket", "https://x.supabase.co/storage/v1/s3/", true, "https://x.supabase.co/storage/v1/s3/my-bucket/f/k%201.txt"},
		{"dotted bucket over https", "my.bucket", "", false, "https://s3.eu-west-1.amazonaws.com/my.bucket/f/k%201.txt"},
		{"upper-case bucket", "MyBucket", "", false, "https://s3.eu-west-1.amazonaws.com/MyBucket/f/k%201.txt"},
		{"ip endpoint", "my-bucket", "http://127.0.0.1:9000", false, "http://127.0.0.1:9000/my-bucket/f/k%201.txt"},
		{"localhost endpoint", "my-bucket", "http://localhost:9000", false, "http://localhost:9000/my-bucket/f/k%201.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewS3(S3Config{Bucket: tc.bucket, Region: "eu-west-1", Endpoint: tc.endpoint, ForcePathStyle: tc.force,
				AccessKeyID: "a", SecretAccessKey: "s"})
			if err != nil {
				t.Fatalf("NewS3: %v", err)
			}
			if got := s.url("f/k 1.txt", "").String(); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
