package blob

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// S3Error is an error answer of an S3-compatible service: the HTTP status
// and the <Error> document's code (NoSuchBucket, AccessDenied,
// SignatureDoesNotMatch, ...), message and request id. Find it with
// errors.As; a missing object is reported as [ErrNotFound] instead.
type S3Error struct {
	StatusCode int
	Code       string
	Message    string
	RequestID  string
}

// Error returns e.g. "s3: NoSuchBucket: The specified bucket does not
// exist (HTTP 404)".
func (e *S3Error) Error() string {
	s := "s3: " + e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.StatusCode != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.StatusCode)
		if e.RequestID != "" {
			s += ", request id " + e.RequestID
		}
		s += ")"
	}
	return s
}

// readS3Error builds an *S3Error from a failed response. A body that is
// not an <Error> document (a proxy's page, a HEAD answer) leaves the code
// as the status text.
func readS3Error(resp *http.Response) *S3Error {
	e := &S3Error{StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Amz-Request-Id")}
	var doc struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if xml.Unmarshal(body, &doc) == nil && doc.Code != "" {
		e.Code, e.Message = doc.Code, doc.Message
		if doc.RequestID != "" {
			e.RequestID = doc.RequestID
		}
	} else {
		e.Code = http.StatusText(resp.StatusCode)
	}
	return e
}

// isNoSuchKey reports whether err is the service saying the object does
// not exist (NoSuchKey, or a bare 404 without a document).
func isNoSuchKey(err error) bool {
	e, ok := errors.AsType[*S3Error](err)
	return ok && (e.Code == "NoSuchKey" || e.StatusCode == http.StatusNotFound && e.Code == http.StatusText(http.StatusNotFound))
}
