package s3test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// authError is a rejected request: the status and the S3 error code to
// answer with.
type authError struct {
	status  int
	code    string
	message string
}

func (e *authError) Error() string { return e.code + ": " + e.message }

func deny(status int, code, format string, args ...any) *authError {
	return &authError{status, code, fmt.Sprintf(format, args...)}
}

// verify checks the AWS Signature Version 4 Authorization header of r,
// whose body is body, the way S3 does: it rebuilds the canonical request
// from what arrived, recomputes the signature with the configured secret
// and compares. It is written independently of the client's signer, so
// that the two only agree when both follow the published algorithm.
func (s *Server) verify(r *http.Request, body []byte) *authError {
	o := s.opts
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ")
	if !ok {
		return deny(http.StatusForbidden, "AccessDenied", "the request has no AWS4-HMAC-SHA256 Authorization header")
	}
	parts := map[string]string{}
	for p := range strings.SplitSeq(auth, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		parts[k] = v
	}
	cred := strings.Split(parts["Credential"], "/")
	if len(cred) != 5 || parts["SignedHeaders"] == "" || parts["Signature"] == "" {
		return deny(http.StatusBadRequest, "AuthorizationHeaderMalformed", "the authorization header is malformed")
	}
	accessKey, day, region, service, term := cred[0], cred[1], cred[2], cred[3], cred[4]
	switch {
	case accessKey != o.AccessKeyID:
		return deny(http.StatusForbidden, "InvalidAccessKeyId", "the access key id %q does not exist", accessKey)
	case region != o.Region:
		return deny(http.StatusBadRequest, "AuthorizationHeaderMalformed", "the region %q is wrong; expecting %q", region, o.Region)
	case service != "s3" || term != "aws4_request":
		return deny(http.StatusBadRequest, "AuthorizationHeaderMalformed", "the credential scope must end in s3/aws4_request")
	}

	amzDate := r.Header.Get("X-Amz-Date")
	at, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || amzDate[:8] != day {
		return deny(http.StatusForbidden, "AccessDenied", "x-amz-date %q is missing or does not match the credential date", amzDate)
	}
	if skew := o.Now().Sub(at); skew > 15*time.Minute || skew < -15*time.Minute {
		return deny(http.StatusForbidden, "RequestTimeTooSkewed", "the difference between the request time and the server's time is too large")
	}

	signed := strings.Split(parts["SignedHeaders"], ";")
	if !slices.IsSorted(signed) || !slices.Contains(signed, "host") {
		return deny(http.StatusBadRequest, "AuthorizationHeaderMalformed", "SignedHeaders must be sorted and include host")
	}
	for name := range r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-amz-") && !slices.Contains(signed, n) {
			return deny(http.StatusForbidden, "AccessDenied", "there were headers present in the request which were not signed: %s", n)
		}
	}
	contentHash := r.Header.Get("X-Amz-Content-Sha256")
	if contentHash == "" {
		return deny(http.StatusBadRequest, "InvalidRequest", "missing required header for this request: x-amz-content-sha256")
	}
	if sum := sha256.Sum256(body); contentHash != "UNSIGNED-PAYLOAD" && contentHash != hex.EncodeToString(sum[:]) {
		return deny(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "the provided x-amz-content-sha256 header does not match what was computed")
	}
	if o.SessionToken != "" && r.Header.Get("X-Amz-Security-Token") != o.SessionToken {
		return deny(http.StatusForbidden, "InvalidToken", "the provided token is malformed or otherwise invalid")
	}

	var headers strings.Builder
	for _, n := range signed {
		var v string
		if n == "host" {
			v = r.Host
		} else {
			vals := r.Header.Values(n)
			for i := range vals {
				vals[i] = strings.Join(strings.Fields(vals[i]), " ")
			}
			v = strings.Join(vals, ",")
		}
		headers.WriteString(n + ":" + v + "\n")
	}
	path, err := url.PathUnescape(r.URL.EscapedPath())
	if err != nil {
		return deny(http.StatusBadRequest, "InvalidURI", "the path cannot be parsed")
	}
	query, err := canonQuery(r.URL.RawQuery)
	if err != nil {
		return deny(http.StatusBadRequest, "InvalidURI", "the query cannot be parsed")
	}
	creq := r.Method + "\n" + awsEscape(path, "/") + "\n" + query + "\n" + headers.String() + "\n" +
		parts["SignedHeaders"] + "\n" + contentHash
	crHash := sha256.Sum256([]byte(creq))
	stringToSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + day + "/" + region + "/s3/aws4_request\n" + hex.EncodeToString(crHash[:])

	k := mac([]byte("AWS4"+o.SecretAccessKey), day)
	for _, step := range []string{region, "s3", "aws4_request"} {
		k = mac(k, step)
	}
	want := hex.EncodeToString(mac(k, stringToSign))
	if !hmac.Equal([]byte(want), []byte(parts["Signature"])) {
		return deny(http.StatusForbidden, "SignatureDoesNotMatch",
			"the request signature we calculated does not match the signature you provided; canonical request:\n%s", creq)
	}
	return nil
}

// canonQuery decodes the raw query (no '+' for space: S3 clients send
// %20) and re-encodes it sorted by name, then value.
func canonQuery(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	var pairs []string
	for p := range strings.SplitSeq(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		dk, err := url.PathUnescape(k)
		if err != nil {
			return "", err
		}
		dv, err := url.PathUnescape(v)
		if err != nil {
			return "", err
		}
		// "\x00" sorts below every character, so pairs order by name first.
		pairs = append(pairs, awsEscape(dk, "")+"\x00"+awsEscape(dv, ""))
	}
	slices.Sort(pairs)
	for i, p := range pairs {
		pairs[i] = strings.Replace(p, "\x00", "=", 1)
	}
	return strings.Join(pairs, "&"), nil
}

// awsEscape percent-encodes s in upper-case hex, leaving the unreserved
// characters and those in keep as they are.
func awsEscape(s, keep string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~"+keep, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func mac(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
