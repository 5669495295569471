// Package checkpoint stores checkpoints: their metadata (format in docs/format/checkpoint.md),
// the state files of every operator subtask, incremental uploads, verification, retention and
// restore downloads, over a blob.Store.
package checkpoint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"strconv"
	"time"
)

// FormatVersion is the version of the metadata format this package writes. Readers refuse
// newer versions; fields are only ever added.
const FormatVersion = 1

// Kinds of checkpoints.
const (
	// KindCheckpoint is a periodic checkpoint, removed by retention.
	KindCheckpoint = "checkpoint"
	// KindSavepoint is taken on request (stop with savepoint) and never removed by retention.
	KindSavepoint = "savepoint"
	// KindFinal records that a bounded job finished: only its sinks' last pre-commits.
	KindFinal = "final"
)

// Metadata describes one checkpoint.
type Metadata struct {
	FormatVersion int       `json:"format_version"`
	JobID         string    `json:"job_id"`
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	Timestamp     time.Time `json:"timestamp"`
	PlanDigest    string    `json:"plan_digest"`
	// Operators, sorted by UID.
	Operators []Operator `json:"operators"`
}

// Operator is the checkpointed state of one dataflow node.
type Operator struct {
	// UID is the node's stable identity (see the planner).
	UID string `json:"uid"`
	// Name is the node's name, for messages.
	Name        string    `json:"name"`
	Parallelism int       `json:"parallelism"`
	Subtasks    []Subtask `json:"subtasks"`
}

// HasState reports whether the operator holds anything a restore would lose without it: state
// files, split positions or sink tokens.
func (op *Operator) HasState() bool {
	for _, s := range op.Subtasks {
		if len(s.Files) > 0 || len(s.Splits) > 0 || len(s.SinkTokens) > 0 {
			return true
		}
	}
	return false
}

// Subtask is the checkpointed state of one node subtask.
type Subtask struct {
	Index int `json:"index"`
	// Files are the state files (state backend checkpoint and timers), by path relative to
	// the subtask's state directory.
	Files []File `json:"files,omitempty"`
	// Splits are a source subtask's split positions.
	Splits []SplitPosition `json:"splits,omitempty"`
	// SinkTokens are a two-phase sink's pre-commit tokens to commit with this checkpoint: its
	// own and those of earlier checkpoints that were abandoned after the sink pre-committed.
	SinkTokens [][]byte `json:"sink_tokens,omitempty"`
	// Watermark is the subtask's input watermark (a source's output watermark).
	Watermark int64 `json:"watermark"`
	Stats     Stats `json:"stats"`
}

// File is one state file of a subtask, stored as a content-addressed blob.
type File struct {
	Path   string `json:"path"`
	Blob   string `json:"blob"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// SplitPosition is where a source split was at the checkpoint.
type SplitPosition struct {
	SplitID  string `json:"split_id"`
	Position []byte `json:"position,omitempty"`
	// Watermark is the split's watermark.
	Watermark int64 `json:"watermark"`
	// Finished means the split had been read to its end.
	Finished bool `json:"finished,omitempty"`
}

// Stats are a subtask's checkpoint measurements.
type Stats struct {
	AlignmentMicros  int64 `json:"alignment_us"`
	SyncMicros       int64 `json:"sync_us"`
	Bytes            int64 `json:"bytes"`
	IncrementalBytes int64 `json:"incremental_bytes"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crcPrefix starts the metadata file's last line.
const crcPrefix = "crc32c "

// Encode renders m as its metadata file: JSON, a newline, then "crc32c <8 hex digits>\n" over
// everything before that line.
func (m *Metadata) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	b = append(b, '\n')
	return fmt.Appendf(b, "%s%08x\n", crcPrefix, crc32.Checksum(b, castagnoli)), nil
}

// Decode parses and verifies a metadata file.
func Decode(b []byte) (*Metadata, error) {
	body := bytes.TrimSuffix(b, []byte("\n"))
	i := bytes.LastIndexByte(body, '\n')
	if i < 0 || !bytes.HasPrefix(body[i+1:], []byte(crcPrefix)) {
		return nil, fmt.Errorf("metadata has no checksum line (truncated?)")
	}
	want, err := strconv.ParseUint(string(body[i+1+len(crcPrefix):]), 16, 32)
	if err != nil {
		return nil, fmt.Errorf("metadata has a malformed checksum line")
	}
	if got := crc32.Checksum(body[:i+1], castagnoli); got != uint32(want) {
		return nil, fmt.Errorf("metadata checksum mismatch (stored %08x, computed %08x): the file is corrupt", want, got)
	}
	var head struct {
		FormatVersion int `json:"format_version"`
	}
	if err := json.Unmarshal(body[:i], &head); err != nil {
		return nil, fmt.Errorf("metadata is not valid JSON: %w", err)
	}
	if head.FormatVersion < 1 || head.FormatVersion > FormatVersion {
		return nil, fmt.Errorf("metadata has format version %d; this Floe reads versions 1 to %d", head.FormatVersion, FormatVersion)
	}
	m := &Metadata{}
	if err := json.Unmarshal(body[:i], m); err != nil {
		return nil, fmt.Errorf("metadata is not valid: %w", err)
	}
	return m, nil
}

// DirName is the directory of a checkpoint in the store: sp-<id> for savepoints, chk-<id>
// otherwise.
func DirName(kind string, id int64) string {
	if kind == KindSavepoint {
		return fmt.Sprintf("sp-%d", id)
	}
	return fmt.Sprintf("chk-%d", id)
}
