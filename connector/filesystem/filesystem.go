package filesystem

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

// Name is the connector's name.
const Name = "filesystem"

func spec() connector.Spec {
	return connector.Spec{
		{Key: "path", Type: connector.String, Required: true, Doc: "A file or a directory. A source reads every file of a directory (sorted by name; names starting with '.' or '_' are skipped), one split per file. A sink writes `<path>/part-<subtask>-0.<format>` per subtask, creating the directory, or the file itself when the path ends with the format's extension and the sink has one subtask."},
		{Key: "format", Type: connector.Enum, Enum: []string{"json", "csv", "debezium-json"}, Required: true, Doc: "File format: 'json' (one JSON object per line), 'csv' (RFC 4180 records without a header) or, for sinks of updating queries, 'debezium-json' (one change per line: `{\"before\":null,\"after\":{...},\"op\":\"c\"}` for an insert or the new row of an update, `{\"before\":{...},\"after\":null,\"op\":\"d\"}` for a delete or the old row of an update, as Flink writes it; files end in `.json`)."},
		{Key: "json.ignore-parse-errors", Type: connector.Bool, Default: "false", Doc: "Skip lines that cannot be parsed (they are counted and logged) instead of failing."},
		{Key: "json.fail-on-missing-field", Type: connector.Bool, Default: "false", Doc: "Fail when a column's key is missing from an object; otherwise the column is NULL."},
		{Key: "json.timestamp-format.standard", Type: connector.Enum, Enum: []string{"SQL", "ISO-8601"}, Default: "SQL", Doc: "How the sink writes timestamps: 'SQL' (`2026-01-01 00:00:01.250`) or 'ISO-8601' (`2026-01-01T00:00:01.250`). The source reads both."},
		{Key: "csv.field-delimiter", Type: connector.String, Default: ",", Doc: "Field delimiter, one character ('\\t' for a tab)."},
		{Key: "csv.quote-character", Type: connector.String, Default: "\"", Doc: "Character that encloses fields holding delimiters, quotes or line breaks."},
		{Key: "csv.disable-quote-character", Type: connector.Bool, Default: "false", Doc: "Read quote characters as data, and fail on writing a value that needs quoting."},
		{Key: "csv.allow-comments", Type: connector.Bool, Default: "false", Doc: "Skip lines starting with '#'."},
		{Key: "csv.ignore-parse-errors", Type: connector.Bool, Default: "false", Doc: "Skip records that cannot be parsed (they are counted and logged) instead of failing."},
		{Key: "csv.null-literal", Type: connector.String, Doc: "Text that stands for NULL. Without it, an empty unquoted field is NULL and NULL is written as an empty field; a quoted empty field is an empty string."},
	}
}

// Factory returns the filesystem connector's factory.
func Factory() *connector.Factory {
	return &connector.Factory{
		Name: Name,
		Doc: "Reads and writes files of JSON lines or CSV records. Values use Flink's text forms: JSON numbers for " +
			"numeric columns (DECIMAL read exactly from the number's text; DECIMAL wider than 15 digits is written as a " +
			"string so that readers parsing numbers as doubles keep it exact), strings for text, `2026-01-01 00:00:01.250` for " +
			"TIMESTAMP (the ISO form with 'T' is also read), `2026-01-01 00:00:01.250Z` for TIMESTAMP_LTZ, `2026-01-01` " +
			"for DATE, `12:34:56.789` for TIME, base64 for BYTES, and in JSON an object for MAP<STRING, STRING>. JSON keys " +
			"match column names case-sensitively. A malformed line fails the query with its file and line number unless " +
			"the format's ignore-parse-errors option is set. The sink accepts insert-only input with the json and csv " +
			"formats and changelogs with debezium-json. Without checkpoints it writes each subtask's rows to a hidden " +
			"in-progress file and renames it into place when the subtask finishes. With checkpoints it writes exactly " +
			"once: one file per subtask and checkpoint, `part-<subtask>-<checkpoint>.<ext>`, renamed into place when the " +
			"checkpoint completes (the path must then be a directory; see docs/checkpoints.md). Sources resume at the " +
			"file and byte offset of a checkpoint. The files read back unchanged with DuckDB's read_json and read_csv.",
		Spec:      spec(),
		NewSource: newSource,
		NewSink:   newSink,
		SinkUpdates: func(o connector.Options) bool {
			return strings.EqualFold(o.String("format"), "debezium-json")
		},
	}
}

// table holds what source and sink share: the validated options and columns.
type table struct {
	name          string
	path          string
	format        string
	cols          []connector.Column
	csv           csvOptions
	ignoreErrors  bool
	failOnMissing bool
	iso           bool
	logger        *slog.Logger
	// changelog: the debezium-json format (format is then "json"); ext is the files' extension.
	changelog bool
	ext       string
}

func parseChar(key, v string) (byte, error) {
	switch v {
	case `\t`:
		return '\t', nil
	case `\|`:
		return '|', nil
	}
	if len(v) != 1 || v[0] == '\n' || v[0] == '\r' {
		return 0, &connector.OptionError{Key: key, Msg: fmt.Sprintf("'%s' is not a single character", v)}
	}
	return v[0], nil
}

func newTable(cc connector.CreateContext) (*table, error) {
	o := cc.Options
	t := &table{name: cc.Table, path: o.String("path"), format: strings.ToLower(o.String("format")), cols: cc.Columns, logger: cc.Logger}
	if t.logger == nil {
		t.logger = slog.New(slog.DiscardHandler)
	}
	if t.path == "" {
		return nil, &connector.OptionError{Key: "path", Msg: "must not be empty"}
	}
	t.ext = t.format
	if t.format == "debezium-json" {
		t.changelog, t.format, t.ext = true, "json", "json"
	}
	other := "csv."
	if t.format == "csv" {
		other = "json."
	}
	defaults := map[string]string{}
	for _, sp := range spec() {
		defaults[sp.Key] = sp.Default
	}
	for _, k := range o.WithPrefix(other) {
		// Validation fills in the other format's defaults; only values set to something else
		// are mistakes.
		if d, ok := defaults[k]; ok && d == o.String(k) && d != "" {
			continue
		}
		return nil, &connector.OptionError{Key: k, Msg: fmt.Sprintf("applies to format '%s', but the format is '%s'", strings.TrimSuffix(other, "."), t.format)}
	}
	for _, c := range cc.Columns {
		if !supported(c.Type, t.format) {
			return nil, fmt.Errorf("table '%s': column '%s' has type %s, which the %s format does not support", cc.Table, c.Name, c.Type, t.format)
		}
	}
	var err error
	if t.csv.delim, err = parseChar("csv.field-delimiter", o.String("csv.field-delimiter")); err != nil {
		return nil, err
	}
	if !o.Bool("csv.disable-quote-character") {
		if t.csv.quote, err = parseChar("csv.quote-character", o.String("csv.quote-character")); err != nil {
			return nil, err
		}
		if t.csv.quote == t.csv.delim {
			return nil, &connector.OptionError{Key: "csv.quote-character", Msg: "must differ from the field delimiter"}
		}
	}
	t.csv.hasNull = o.Has("csv.null-literal")
	t.csv.nullLiteral = o.String("csv.null-literal")
	t.csv.allowComments = o.Bool("csv.allow-comments")
	t.csv.blankIsRecord = len(cc.Columns) == 1
	t.ignoreErrors = o.Bool(t.format + ".ignore-parse-errors")
	t.failOnMissing = o.Bool("json.fail-on-missing-field")
	t.iso = o.String("json.timestamp-format.standard") == "ISO-8601"
	return t, nil
}

// ---- source ----

type source struct{ t *table }

func newSource(cc connector.CreateContext) (connector.Source, error) {
	t, err := newTable(cc)
	if err != nil {
		return nil, err
	}
	if t.changelog {
		return nil, &connector.OptionError{Key: "format", Msg: "'debezium-json' can be written but not read yet"}
	}
	return &source{t: t}, nil
}

type fileSplit struct{ path string }

func (s fileSplit) ID() string { return s.path }

// Splits lists the files: the path itself, or the visible files of the directory, sorted.
func (s *source) Splits(parallelism int) ([]connector.Split, error) {
	info, err := os.Stat(s.t.path)
	if err != nil {
		return nil, fmt.Errorf("table '%s': cannot read path: %w", s.t.name, err)
	}
	if !info.IsDir() {
		return []connector.Split{fileSplit{s.t.path}}, nil
	}
	entries, err := os.ReadDir(s.t.path)
	if err != nil {
		return nil, fmt.Errorf("table '%s': cannot list directory: %w", s.t.name, err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || e.IsDir() {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]connector.Split, len(names))
	for i, n := range names {
		out[i] = fileSplit{filepath.Join(s.t.path, n)}
	}
	return out, nil
}

func (s *source) Bounded() bool { return true }

func (s *source) Open(ctx context.Context, sp connector.Split, projection []int) (connector.SplitReader, error) {
	return s.OpenAt(ctx, sp, projection, nil)
}

// positionVersion is the first byte of an encoded position, followed by the uvarint byte
// offset of the next record and the uvarint number of lines before it.
const positionVersion = 1

// Position implements connector.PositionedReader.
func (r *reader) Position() ([]byte, error) {
	off, line := r.off, r.line
	if r.csv != nil {
		off, line = r.csv.off, r.csv.line
	}
	b := binary.AppendUvarint([]byte{positionVersion}, uint64(off))
	return binary.AppendUvarint(b, uint64(line)), nil
}

// OpenAt implements connector.ResumableSource: reading resumes at the byte offset of the
// position (line numbers in error messages continue from it).
func (s *source) OpenAt(ctx context.Context, sp connector.Split, projection []int, position []byte) (connector.SplitReader, error) {
	fs, ok := sp.(fileSplit)
	if !ok {
		return nil, fmt.Errorf("filesystem: split %s does not belong to this source", sp.ID())
	}
	var off, line uint64
	if position != nil {
		var n, m int
		if len(position) > 0 && position[0] == positionVersion {
			off, n = binary.Uvarint(position[1:])
			if n > 0 {
				line, m = binary.Uvarint(position[1+n:])
			}
		}
		if n <= 0 || m <= 0 || 1+n+m != len(position) {
			return nil, fmt.Errorf("table '%s': invalid position %x for file %s", s.t.name, position, fs.path)
		}
	}
	f, err := os.Open(fs.path)
	if err != nil {
		return nil, fmt.Errorf("table '%s': %w", s.t.name, err)
	}
	if off > 0 {
		if info, err := f.Stat(); err != nil || uint64(info.Size()) < off {
			f.Close()
			return nil, fmt.Errorf("table '%s': file %s is shorter than its checkpointed position %d (was it replaced?)", s.t.name, fs.path, off)
		}
		if _, err := f.Seek(int64(off), io.SeekStart); err != nil {
			f.Close()
			return nil, fmt.Errorf("table '%s': %w", s.t.name, err)
		}
	}
	r := &reader{t: s.t, path: fs.path, f: f, br: bufio.NewReaderSize(f, 1<<20), proj: projection}
	for _, p := range projection {
		if p < 0 || p >= len(s.t.cols) {
			f.Close()
			return nil, fmt.Errorf("filesystem: projection column %d is out of range", p)
		}
		r.types = append(r.types, s.t.cols[p].Type)
		r.names = append(r.names, s.t.cols[p].Name)
	}
	if s.t.format == "json" {
		r.json = &jsonDecoder{names: r.names, types: r.types, failOnMissing: s.t.failOnMissing}
		r.off, r.line = int64(off), int(line)
	} else {
		r.csv = &csvReader{r: r.br, o: s.t.csv, off: int64(off), line: int(line)}
	}
	r.row = make([]chunk.Datum, len(projection))
	return r, nil
}

// reader reads one file.
type reader struct {
	t       *table
	path    string
	f       *os.File
	br      *bufio.Reader
	proj    []int
	types   []types.Type
	names   []string
	json    *jsonDecoder
	csv     *csvReader
	line    int
	off     int64 // json: bytes read (the offset of the next line)
	row     []chunk.Datum
	eof     bool
	skipped int64
}

// Skipped returns the number of malformed lines skipped so far (with ignore-parse-errors).
func (r *reader) Skipped() int64 { return r.skipped }

func (r *reader) parseError(line int, err error) error {
	if r.t.ignoreErrors {
		if r.skipped == 0 {
			r.t.logger.Warn("skipping malformed input", "table", r.t.name, "file", r.path, "line", line, "error", err.Error())
		}
		r.skipped++
		return nil
	}
	return fmt.Errorf("%s:%d: %v", r.path, line, err)
}

func (r *reader) Next(ctx context.Context, maxRows int) (*chunk.Chunk, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.eof {
		return nil, io.EOF
	}
	maxRows = max(maxRows, 1)
	c := chunk.New(r.types, min(maxRows, 1024))
	for c.Len() < maxRows {
		ok, err := r.readRow()
		if err != nil {
			return nil, err
		}
		if !ok {
			r.eof = true
			break
		}
		c.AppendRow(chunk.Insert, r.row)
	}
	if c.Len() == 0 {
		return nil, io.EOF
	}
	return c, nil
}

// readRow reads the next valid row into r.row; ok is false at the end of the file.
func (r *reader) readRow() (ok bool, err error) {
	for {
		if r.csv != nil {
			line, err := r.csv.next()
			if err == io.EOF {
				return false, nil
			}
			if err != nil {
				if _, bad := err.(*errRecord); !bad {
					return false, fmt.Errorf("%s: %w", r.path, err)
				}
			} else {
				err = r.csv.decode(r.proj, r.types, len(r.t.cols), r.row)
			}
			if err != nil {
				if err := r.parseError(line, err); err != nil {
					return false, err
				}
				continue
			}
			return true, nil
		}
		raw, err := r.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			buf := append([]byte(nil), raw...)
			for err == bufio.ErrBufferFull {
				raw, err = r.br.ReadSlice('\n')
				buf = append(buf, raw...)
			}
			raw = buf
		}
		if len(raw) == 0 && err != nil {
			if err == io.EOF {
				return false, nil
			}
			return false, fmt.Errorf("%s: %w", r.path, err)
		}
		r.line++
		r.off += int64(len(raw))
		line := trimEOL(raw)
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if err := r.json.decode(line, r.row); err != nil {
			if err := r.parseError(r.line, err); err != nil {
				return false, err
			}
			continue
		}
		return true, nil
	}
}

func (r *reader) Close() error {
	if r.skipped > 0 {
		r.t.logger.Warn("skipped malformed input", "table", r.t.name, "file", r.path, "count", r.skipped)
	}
	return r.f.Close()
}

// ---- sink ----

type sink struct{ t *table }

func newSink(cc connector.CreateContext) (connector.Sink, error) {
	t, err := newTable(cc)
	if err != nil {
		return nil, err
	}
	return &sink{t: t}, nil
}

// target returns the file subtask writes.
func (s *sink) target(subtask, parallelism int) (string, error) {
	p := s.t.path
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		return filepath.Join(p, "part-"+strconv.Itoa(subtask)+"-0."+s.t.ext), nil
	}
	if strings.HasSuffix(strings.ToLower(p), "."+s.t.ext) {
		if parallelism != 1 {
			return "", fmt.Errorf("table '%s': path '%s' names one file, but the sink has %d subtasks; use a directory", s.t.name, p, parallelism)
		}
		if dir := filepath.Dir(p); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return "", fmt.Errorf("table '%s': cannot create directory: %w", s.t.name, err)
			}
		}
		return p, nil
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		return "", fmt.Errorf("table '%s': cannot create directory: %w", s.t.name, err)
	}
	return filepath.Join(p, "part-"+strconv.Itoa(subtask)+"-0."+s.t.ext), nil
}

func (s *sink) Open(ctx context.Context, subtask, parallelism int) (connector.SinkWriter, error) {
	final, err := s.target(subtask, parallelism)
	if err != nil {
		return nil, err
	}
	tmp := filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".inprogress")
	w := s.newWriter()
	if err := w.create(tmp); err != nil {
		return nil, err
	}
	w.final = final
	return w, nil
}

func (s *sink) newWriter() *writer {
	w := &writer{t: s.t}
	ts := make([]types.Type, len(s.t.cols))
	names := make([]string, len(s.t.cols))
	for i, c := range s.t.cols {
		ts[i], names[i] = c.Type, c.Name
	}
	if s.t.format == "json" {
		w.json = newJSONEncoder(names, ts, s.t.iso)
	} else {
		w.csv = &csvEncoder{o: s.t.csv, types: ts}
	}
	return w
}

type writer struct {
	t          *table
	f          *os.File
	bw         *bufio.Writer
	tmp, final string
	json       *jsonEncoder
	csv        *csvEncoder
	buf        []byte
	failed     bool
}

// create opens the in-progress file path.
func (w *writer) create(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("table '%s': %w", w.t.name, err)
	}
	w.f, w.tmp = f, path
	if w.bw == nil {
		w.bw = bufio.NewWriterSize(f, 256<<10)
	} else {
		w.bw.Reset(f)
	}
	return nil
}

func (w *writer) Write(ctx context.Context, c *chunk.Chunk) error {
	if !w.t.changelog {
		for _, k := range c.Kinds {
			if k != chunk.Insert {
				w.failed = true
				return fmt.Errorf("table '%s': the %s format only accepts insert-only input (got %s); use 'debezium-json' for updating queries", w.t.name, w.t.format, k)
			}
		}
	}
	var err error
	for i := range c.Len() {
		b := w.buf[:0]
		switch {
		case w.t.changelog:
			if k := c.Kinds[i]; k == chunk.Insert || k == chunk.UpdateAfter {
				b = append(b, `{"before":null,"after":`...)
				b = w.json.appendRow(b, c, i)
				b = append(b[:len(b)-1], `,"op":"c"}`...) // the row's newline goes at the end
			} else {
				b = append(b, `{"before":`...)
				b = w.json.appendRow(b, c, i)
				b = append(b[:len(b)-1], `,"after":null,"op":"d"}`...)
			}
			b = append(b, '\n')
		case w.json != nil:
			b = w.json.appendRow(b, c, i)
		default:
			if b, err = w.csv.appendRow(b, c, i); err != nil {
				w.failed = true
				return fmt.Errorf("table '%s': %w", w.t.name, err)
			}
		}
		w.buf = b
		if _, err := w.bw.Write(b); err != nil {
			w.failed = true
			return fmt.Errorf("table '%s': cannot write %s: %w", w.t.name, w.tmp, err)
		}
	}
	return nil
}

// Close flushes the rows and renames the in-progress file into place; after a failed Write
// the in-progress file is removed instead.
func (w *writer) Close() error {
	ferr := w.bw.Flush()
	cerr := w.f.Close()
	if w.failed {
		os.Remove(w.tmp)
		return nil
	}
	if ferr != nil || cerr != nil {
		os.Remove(w.tmp)
		return fmt.Errorf("table '%s': cannot write %s: %w", w.t.name, w.final, firstErr(ferr, cerr))
	}
	if err := os.Rename(w.tmp, w.final); err != nil {
		return fmt.Errorf("table '%s': cannot commit %s: %w", w.t.name, w.final, err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
