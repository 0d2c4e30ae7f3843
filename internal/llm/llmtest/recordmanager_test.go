package llmtest

import (
	"testing"

	"github.com/floehq/floe/internal/llm"
)

func TestMemoryRecordManager(t *testing.T) {
	TestRecordManager(t, func(*testing.T) llm.RecordManager { return &MemoryRecordManager{} })
}
