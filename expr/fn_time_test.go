package expr

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

func shanghaiCtx() *Context { return &Context{Location: shanghai, Now: time.Now} }

func aTime(h, m, s int64) ta {
	return ta{t: types.TimeType(0), d: chunk.Int((h*3600 + m*60 + s) * tfMicrosPerSecond)}
}

func TestDateFormat(t *testing.T) {
	ts := aTS("2020-04-15 08:05:07.123")
	runCases(t, utcCtx(), []fcase{
		c("DATE_FORMAT", "2020-04-15 08:05:07.123", ts, lit(aStr("yyyy-MM-dd HH:mm:ss.SSS"))),
		c("DATE_FORMAT", "2020/04/15", ts, lit(aStr("yyyy/MM/dd"))),
		c("DATE_FORMAT", "20-4-15 8:5:7", ts, lit(aStr("yy-M-d H:m:s"))),
		c("DATE_FORMAT", "08 AM|8", ts, lit(aStr("hh a|h"))),
		c("DATE_FORMAT", "Wed, Apr 15", ts, lit(aStr("EEE, MMM d"))),
		c("DATE_FORMAT", "Wednesday April", ts, lit(aStr("EEEE MMMM"))),
		c("DATE_FORMAT", "'2020' at 08", ts, lit(aStr("''yyyy'' 'at' HH"))),
		c("DATE_FORMAT", "106", ts, lit(aStr("D"))),
		c("DATE_FORMAT", "1|123000", ts, lit(aStr("S|SSSSSS"))),
		c("DATE_FORMAT", "2020-04-15T08:05", ts, lit(aStr("yyyy-MM-dd'T'HH:mm"))),
		c("DATE_FORMAT", "2020-04-15", ts, aStr("yyyy-MM-dd")),
		c("DATE_FORMAT", "null", ts, aStr("yyyy-Q")),
		c("DATE_FORMAT", "20:00 PM", aTS("2020-04-15 20:00:00"), lit(aStr("HH:mm a"))),
		c("DATE_FORMAT", "12 AM", aTS("2020-04-15 00:30:00"), lit(aStr("hh a"))),
		c("DATE_FORMAT", "2020-04-15 00", aDate("2020-04-15"), lit(aStr("yyyy-MM-dd HH"))),
		c("DATE_FORMAT", "1969-12-31 23:59:59.999", aTS("1969-12-31 23:59:59.999"), lit(aStr("yyyy-MM-dd HH:mm:ss.SSS"))),
		// A string is read as 'yyyy-MM-dd HH:mm:ss' (SimpleDateFormat, trailing text ignored).
		c("DATE_FORMAT", "20200415 0805", aStr("2020-04-15 08:05:07"), lit(aStr("yyyyMMdd HHmm"))),
		c("DATE_FORMAT", "20200415", aStr("2020-04-15 08:05:07.999"), lit(aStr("yyyyMMdd"))),
		c("DATE_FORMAT", "null", aStr("2020-04-15"), lit(aStr("yyyyMMdd"))),
	})
	// TIMESTAMP_LTZ is formatted in the session time zone.
	runCases(t, shanghaiCtx(), []fcase{
		c("DATE_FORMAT", "2020-04-16 04:05", aLTZ("2020-04-15 20:05:00"), lit(aStr("yyyy-MM-dd HH:mm"))),
		c("DATE_FORMAT", "2020-04-15 20:05", aTS("2020-04-15 20:05:00"), lit(aStr("yyyy-MM-dd HH:mm"))),
	})
	wantErr(t, "DATE_FORMAT", "unsupported pattern letter 'Q'", ts, lit(aStr("yyyy-Q")))
	wantErr(t, "DATE_FORMAT", "need a time zone", ts, lit(aStr("yyyy X")))
	wantErr(t, "DATE_FORMAT", "unterminated quote", ts, lit(aStr("yyyy 'x")))
	wantErr(t, "DATE_FORMAT", "DATE_FORMAT expects (TIMESTAMP, STRING) or (STRING, STRING), got (INT, STRING)",
		aInt(1), aStr("x"))
}

// TestDateFormatBuckets checks the reuse of results across rows of one bucket and across
// bucket boundaries, including negative times.
func TestDateFormatBuckets(t *testing.T) {
	var rows [][]chunk.Datum
	var want []string
	base, _ := tfParseDefault("1969-12-31 23:59:58")
	fmtr, _ := tfCompile("yyyy-MM-dd HH:mm:ss", tfDTF)
	for k := int64(0); k < 40; k++ {
		v := base + k*250_000
		rows = append(rows, []chunk.Datum{chunk.Int(v), chunk.Str("")})
		want = append(want, string(fmtr.appendFormat(nil, v, 0)))
	}
	got, _, err := evalRows(utcCtx(), "DATE_FORMAT", []ta{aTS("2020-01-01 00:00:00"), lit(aStr("yyyy-MM-dd HH:mm:ss"))}, rows)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
	if want[0] != "1969-12-31 23:59:58" || want[39] != "1970-01-01 00:00:07" {
		t.Fatalf("unexpected formatting %q .. %q", want[0], want[39])
	}
}

func TestExtractFunctions(t *testing.T) {
	d := aDate("1994-09-27")
	ts := aTS("1994-09-27 13:14:15.678")
	runCases(t, utcCtx(), []fcase{
		// Examples from Flink's documentation.
		c("YEAR", "1994", d),
		c("QUARTER", "3", d),
		c("MONTH", "9", d),
		c("WEEK", "39", d),
		c("DAYOFYEAR", "270", d),
		c("DAYOFMONTH", "27", d),
		c("DAYOFWEEK", "3", d),
		c("HOUR", "13", ts),
		c("MINUTE", "14", ts),
		c("SECOND", "15", ts),
		c("EXTRACT", "5", lit(aStr("DAY")), aDate("2006-06-05")),

		c("YEAR", "1994", ts),
		c("DAYOFWEEK", "1", aDate("2020-04-12")), // a Sunday
		c("WEEK", "53", aDate("2021-01-01")),     // ISO week of the previous year
		c("WEEK", "1", aDate("2019-12-30")),
		c("HOUR", "23", aTS("1969-12-31 23:59:59")),
		c("HOUR", "13", aTime(13, 14, 15)),
		c("EXTRACT", "15678", lit(aStr("MILLISECOND")), ts),
		c("EXTRACT", "15678000", lit(aStr("MICROSECOND")), ts),
		c("EXTRACT", "86400", lit(aStr("EPOCH")), aTS("1970-01-02 00:00:00")),
		c("EXTRACT", "-1", lit(aStr("EPOCH")), aTS("1969-12-31 23:59:59")),
		c("EXTRACT", "86400", lit(aStr("EPOCH")), aDate("1970-01-02")),
		c("EXTRACT", "3", lit(aStr("dow")), d),
		c("EXTRACT", "2", lit(aStr("ISODOW")), d),
		c("EXTRACT", "270", lit(aStr("DOY")), d),
		c("EXTRACT", "199", lit(aStr("DECADE")), d),
		c("EXTRACT", "20", lit(aStr("CENTURY")), d),
		c("EXTRACT", "21", lit(aStr("CENTURY")), aDate("2001-01-01")),
		c("EXTRACT", "2", lit(aStr("MILLENNIUM")), d),
		c("EXTRACT", "14", lit(aStr("MINUTE")), aTime(13, 14, 15)),
		c("EXTRACT", "1", lit(aStr("DAY")), aTyped(types.IntervalDT, chunk.Int(tfMicrosPerDay+2*tfMicrosPerHour+3*tfMicrosPerMinute))),
		c("EXTRACT", "2", lit(aStr("HOUR")), aTyped(types.IntervalDT, chunk.Int(tfMicrosPerDay+2*tfMicrosPerHour+3*tfMicrosPerMinute))),
		c("EXTRACT", "1", lit(aStr("YEAR")), aTyped(types.IntervalYM, chunk.Int(15))),
		c("EXTRACT", "3", lit(aStr("MONTH")), aTyped(types.IntervalYM, chunk.Int(15))),
	})
	// TIMESTAMP_LTZ fields are read in the session time zone.
	runCases(t, shanghaiCtx(), []fcase{
		c("HOUR", "4", aLTZ("2020-04-15 20:05:00")),
		c("DAYOFMONTH", "16", aLTZ("2020-04-15 20:05:00")),
		c("EXTRACT", "1586981100", lit(aStr("EPOCH")), aLTZ("2020-04-15 20:05:00")),
		c("HOUR", "20", aTS("2020-04-15 20:05:00")),
	})
	wantErr(t, "EXTRACT", "cannot extract HOUR from DATE", lit(aStr("HOUR")), d)
	wantErr(t, "EXTRACT", "cannot extract YEAR from TIME(0)", lit(aStr("YEAR")), aTime(1, 2, 3))
	wantErr(t, "EXTRACT", `unsupported time unit "FORTNIGHT"`, lit(aStr("FORTNIGHT")), ts)
	wantErr(t, "EXTRACT", "must be a literal", aStr("DAY"), ts)
	wantErr(t, "HOUR", "HOUR expects (TIMESTAMP or TIME), got (DATE)", d)
	wantErr(t, "YEAR", "YEAR expects (TIMESTAMP or DATE), got (STRING)", aStr("2020"))
}

func TestFloorCeil(t *testing.T) {
	ts := aTS("2020-04-15 08:05:07.123")
	runCases(t, utcCtx(), []fcase{
		c("FLOOR_TIME", "2020-04-15T08:05:07", ts, lit(aStr("SECOND"))),
		c("FLOOR_TIME", "2020-04-15T08:05", ts, lit(aStr("MINUTE"))),
		c("FLOOR_TIME", "2020-04-15T08:00", ts, lit(aStr("HOUR"))),
		c("FLOOR_TIME", "2020-04-15T00:00", ts, lit(aStr("DAY"))),
		c("FLOOR_TIME", "2020-04-12T00:00", ts, lit(aStr("WEEK"))),
		c("FLOOR_TIME", "2020-04-01T00:00", ts, lit(aStr("MONTH"))),
		c("FLOOR_TIME", "2020-04-01T00:00", ts, lit(aStr("QUARTER"))),
		c("FLOOR_TIME", "2020-01-01T00:00", ts, lit(aStr("YEAR"))),
		c("FLOOR_TIME", "2020-01-01T00:00", ts, lit(aStr("DECADE"))),
		c("FLOOR_TIME", "2001-01-01T00:00", ts, lit(aStr("CENTURY"))),
		c("FLOOR_TIME", "1969-12-31T23:00", aTS("1969-12-31 23:59:59"), lit(aStr("HOUR"))),
		c("CEIL_TIME", "2020-04-15T09:00", ts, lit(aStr("HOUR"))),
		c("CEIL_TIME", "2020-04-15T08:00", aTS("2020-04-15 08:00:00"), lit(aStr("HOUR"))),
		c("CEIL_TIME", "2020-04-16T00:00", ts, lit(aStr("DAY"))),
		c("CEIL_TIME", "2020-04-19T00:00", ts, lit(aStr("WEEK"))),
		c("CEIL_TIME", "2020-05-01T00:00", ts, lit(aStr("MONTH"))),
		c("CEIL_TIME", "2020-05-01T00:00", aTS("2020-04-01 00:00:01"), lit(aStr("MONTH"))),
		c("CEIL_TIME", "2020-04-01T00:00", aTS("2020-04-01 00:00:00"), lit(aStr("MONTH"))),
		c("CEIL_TIME", "2020-07-01T00:00", ts, lit(aStr("QUARTER"))),
		c("CEIL_TIME", "2021-01-01T00:00", ts, lit(aStr("YEAR"))),
		c("FLOOR_TIME", "2020-04-01", aDate("2020-04-15"), lit(aStr("MONTH"))),
		c("CEIL_TIME", "2020-05-01", aDate("2020-04-15"), lit(aStr("MONTH"))),
		c("CEIL_TIME", "2020-04-15", aDate("2020-04-15"), lit(aStr("DAY"))),
	})
	runCases(t, shanghaiCtx(), []fcase{
		// 20:05 UTC is 04:05 on the 16th in Shanghai: the local day starts at 16:00 UTC.
		c("FLOOR_TIME", "2020-04-15T16:00Z", aLTZ("2020-04-15 20:05:00"), lit(aStr("DAY"))),
		c("CEIL_TIME", "2020-04-16T16:00Z", aLTZ("2020-04-15 20:05:00"), lit(aStr("DAY"))),
		c("FLOOR_TIME", "2020-04-15T20:00Z", aLTZ("2020-04-15 20:05:00"), lit(aStr("HOUR"))),
		c("FLOOR_TIME", "2020-03-31T16:00Z", aLTZ("2020-04-15 20:05:00"), lit(aStr("MONTH"))),
	})
	wantErr(t, "FLOOR_TIME", "unsupported time unit", aDate("2020-01-01"), lit(aStr("HOUR")))
	f, _ := LookupFunction("FLOOR_TIME")
	_, r, _ := f.Check([]types.Type{types.TimestampLTZType(3).WithNotNull(true), types.StringType.WithNotNull(true)})
	if r != types.TimestampLTZType(3).WithNotNull(true) {
		t.Errorf("FLOOR_TIME result type %v", r)
	}
}

func TestParseFunctions(t *testing.T) {
	runCases(t, utcCtx(), []fcase{
		c("TO_TIMESTAMP", "2020-04-15T08:05", aStr("2020-04-15 08:05:00")),
		c("TO_TIMESTAMP", "1999-09-10T05:20:10", aStr("1999-9-10 05:20:10")),
		c("TO_TIMESTAMP", "1999-09-10T00:00", aStr("1999-9-10")),
		c("TO_TIMESTAMP", "2020-04-15T08:05:00.123", aStr("2020-04-15 08:05:00.123456")),
		c("TO_TIMESTAMP", "null", aStr("2020-02-30 00:00:00")),
		c("TO_TIMESTAMP", "null", aStr("not a time")),
		c("TO_TIMESTAMP", "2020-04-15T08:05", aStr("15/04/2020 08:05"), lit(aStr("dd/MM/yyyy HH:mm"))),
		c("TO_TIMESTAMP", "2020-04-15T00:00", aStr("20200415"), lit(aStr("yyyyMMdd"))),
		c("TO_TIMESTAMP", "2020-04-15T20:05:00.120", aStr("2020-04-15 08:05:00.12 PM"), aStr("yyyy-MM-dd hh:mm:ss.SS a")),
		c("TO_TIMESTAMP", "1970-01-01T10:30", aStr("10:30"), lit(aStr("HH:mm"))),
		c("TO_TIMESTAMP", "null", aStr("2020-13-01"), lit(aStr("yyyy-MM-dd"))),
		c("TO_TIMESTAMP", "2020-04-15T08:05", aStr("2020-04-15 08:05"), lit(aStr("yyyy-MM-dd HH:mm[:ss]"))),
		c("TO_TIMESTAMP", "2020-04-15T08:05:09", aStr("2020-04-15 08:05:09"), lit(aStr("yyyy-MM-dd HH:mm[:ss]"))),

		c("TO_DATE", "2020-04-15", aStr("2020-04-15")),
		c("TO_DATE", "2020-04-05", aStr("2020-4-5 10:00")),
		c("TO_DATE", "2020-01-01", aStr("2020")),
		c("TO_DATE", "null", aStr("2020-02-30")),
		c("TO_DATE", "2020-04-15", aStr("15.04.2020"), lit(aStr("dd.MM.yyyy"))),
		c("TO_DATE", "null", aStr("abc"), lit(aStr("dd.MM.yyyy"))),

		c("TO_TIMESTAMP_LTZ", "2020-04-15T08:05Z", aBig(1586937900), lit(aInt(0))),
		c("TO_TIMESTAMP_LTZ", "2020-04-15T08:05:00.123Z", aBig(1586937900123), lit(aInt(3))),
		c("TO_TIMESTAMP_LTZ", "2020-04-15T08:05:00.123Z", aBig(1586937900123)),
		c("TO_TIMESTAMP_LTZ", "2020-04-15T08:05:00.500Z", aDbl(1586937900.5), lit(aInt(0))),
		c("TO_TIMESTAMP_LTZ", "1970-01-01T00:00:01.500Z", aTyped(types.DecimalType(10, 1), chunk.Dec(types.DecimalFromInt64(15005))), lit(aInt(3))),
		c("TO_TIMESTAMP_LTZ", "null", aBig(1e15), lit(aInt(0))),

		c("FROM_UNIXTIME", "2020-04-15 08:05:00", aBig(1586937900)),
		c("FROM_UNIXTIME", "2020-04-15", aBig(1586937900), lit(aStr("yyyy-MM-dd"))),
		c("FROM_UNIXTIME", "08:05:00 +0000", aBig(1586937900), aStr("HH:mm:ss Z")),
		c("UNIX_TIMESTAMP", "1586937900", aStr("2020-04-15 08:05:00")),
		c("UNIX_TIMESTAMP", "1586937900", aStr("2020-04-15 16:05:00 +08:00"), lit(aStr("yyyy-MM-dd HH:mm:ss XXX"))),
		c("UNIX_TIMESTAMP", "1586908800", aStr("20200415"), lit(aStr("yyyyMMdd"))),
		c("UNIX_TIMESTAMP", "-9223372036854775808", aStr("garbage")),

		// Flink's documentation example.
		c("CONVERT_TZ", "1969-12-31 16:00:00", aStr("1970-01-01 00:00:00"), lit(aStr("UTC")), lit(aStr("America/Los_Angeles"))),
		c("CONVERT_TZ", "2020-04-15 00:00:00", aStr("2020-04-15 08:00:00"), aStr("Asia/Shanghai"), aStr("UTC")),
		c("CONVERT_TZ", "2020-04-15 10:00:00", aStr("2020-04-15 08:00:00"), aStr("GMT+08:00"), aStr("+10:00")),
		c("CONVERT_TZ", "null", aStr("2020-04-15 08:00:00"), aStr("Mars/Olympus"), aStr("UTC")),
	})
	runCases(t, shanghaiCtx(), []fcase{
		c("FROM_UNIXTIME", "2020-04-15 16:05:00", aBig(1586937900)),
		c("UNIX_TIMESTAMP", "1586909100", aStr("2020-04-15 08:05:00")),
		c("HOUR", "16", aTS("2020-04-15 16:05:00")),
	})
	wantErr(t, "TO_TIMESTAMP_LTZ", "unsupported precision 6", aBig(1), lit(aInt(6)))
	wantErr(t, "CONVERT_TZ", `unknown time zone "Mars/Olympus"`, aStr("x"), lit(aStr("Mars/Olympus")), aStr("UTC"))
}

func TestTimestampArithmetic(t *testing.T) {
	ts := aTS("2020-01-31 10:00:00")
	runCases(t, utcCtx(), []fcase{
		c("TIMESTAMPADD", "2020-02-01T10:00", lit(aStr("DAY")), aInt(1), ts),
		c("TIMESTAMPADD", "2020-02-29T10:00", lit(aStr("MONTH")), aInt(1), ts),
		c("TIMESTAMPADD", "2019-01-31T10:00", lit(aStr("YEAR")), aInt(-1), ts),
		c("TIMESTAMPADD", "2020-04-30T10:00", lit(aStr("QUARTER")), aInt(1), ts),
		c("TIMESTAMPADD", "2020-02-01T11:00", lit(aStr("HOUR")), aInt(25), ts),
		c("TIMESTAMPADD", "2020-02-14T10:00", lit(aStr("WEEK")), aInt(2), ts),
		c("TIMESTAMPADD", "2020-01-31T09:59:59.999", lit(aStr("MILLISECOND")), aInt(-1), ts),
		c("TIMESTAMPADD", "2020-02-29", lit(aStr("MONTH")), aInt(1), aDate("2020-01-31")),
		c("TIMESTAMPADD", "2020-02-07", lit(aStr("SQL_TSI_WEEK")), aInt(1), aDate("2020-01-31")),

		// Flink's documentation example.
		c("TIMESTAMPDIFF", "1", lit(aStr("DAY")), aTS("2003-01-02 10:00:00"), aTS("2003-01-03 10:00:00")),
		c("TIMESTAMPDIFF", "0", lit(aStr("DAY")), aTS("2020-01-01 10:00:00"), aTS("2020-01-02 09:00:00")),
		c("TIMESTAMPDIFF", "47", lit(aStr("HOUR")), aTS("2020-01-01 10:00:00"), aTS("2020-01-03 09:00:00")),
		c("TIMESTAMPDIFF", "-47", lit(aStr("HOUR")), aTS("2020-01-03 09:00:00"), aTS("2020-01-01 10:00:00")),
		c("TIMESTAMPDIFF", "1", lit(aStr("MONTH")), aTS("2020-01-31 00:00:00"), aTS("2020-02-29 00:00:00")),
		c("TIMESTAMPDIFF", "0", lit(aStr("MONTH")), aTS("2020-01-15 10:00:00"), aTS("2020-02-15 09:00:00")),
		c("TIMESTAMPDIFF", "1", lit(aStr("MONTH")), aTS("2020-01-15 10:00:00"), aTS("2020-02-15 10:00:00")),
		c("TIMESTAMPDIFF", "-2", lit(aStr("MONTH")), aTS("2020-03-01 00:00:00"), aTS("2020-01-01 00:00:00")),
		c("TIMESTAMPDIFF", "0", lit(aStr("YEAR")), aTS("2019-06-01 00:00:00"), aTS("2020-05-31 00:00:00")),
		c("TIMESTAMPDIFF", "1", lit(aStr("QUARTER")), aDate("2020-01-01"), aDate("2020-04-01")),
		c("TIMESTAMPDIFF", "31", lit(aStr("DAY")), aDate("2020-01-01"), aDate("2020-02-01")),
	})
	runCases(t, shanghaiCtx(), []fcase{
		// Months move in local time: 2020-01-31 20:00 UTC is 2020-02-01 04:00 in Shanghai.
		c("TIMESTAMPADD", "2020-02-29T20:00Z", lit(aStr("MONTH")), aInt(1), aLTZ("2020-01-31 20:00:00")),
		c("TIMESTAMPDIFF", "8", lit(aStr("HOUR")), aTS("2020-01-01 00:00:00"), aLTZ("2020-01-01 00:00:00")),
	})
	wantErr(t, "TIMESTAMPADD", "cannot add HOUR to a DATE", lit(aStr("HOUR")), aInt(1), aDate("2020-01-01"))
	wantErr(t, "TIMESTAMPDIFF", "must be a literal", aStr("DAY"), aDate("2020-01-01"), aDate("2020-01-01"))
}

func TestClockFunctions(t *testing.T) {
	now := time.Date(2020, 4, 15, 20, 5, 0, 123456789, time.UTC)
	ctx := &Context{Location: shanghai, Now: func() time.Time { return now }}
	for _, tc := range []struct{ name, want, typ string }{
		{"CURRENT_TIMESTAMP", "2020-04-15T20:05:00.123Z", "TIMESTAMP_LTZ(3) NOT NULL"},
		{"NOW", "2020-04-15T20:05:00.123Z", "TIMESTAMP_LTZ(3) NOT NULL"},
		{"PROCTIME", "2020-04-15T20:05:00.123Z", "TIMESTAMP_LTZ(3) NOT NULL"},
		{"CURRENT_ROW_TIMESTAMP", "2020-04-15T20:05:00.123Z", "TIMESTAMP_LTZ(3) NOT NULL"},
		{"LOCALTIMESTAMP", "2020-04-16T04:05:00.123", "TIMESTAMP(3) NOT NULL"},
		{"CURRENT_DATE", "2020-04-16", "DATE NOT NULL"},
		{"CURRENT_TIME", "04:05", "TIME(0) NOT NULL"},
		{"LOCALTIME", "04:05", "TIME(0) NOT NULL"},
		{"UNIX_TIMESTAMP", "1586981100", "BIGINT NOT NULL"},
	} {
		out, r, err := evalRows(ctx, tc.name, nil, [][]chunk.Datum{{}, {}})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if out[0] != tc.want || out[1] != tc.want || r.String() != tc.typ {
			t.Errorf("%s() = %q of %s, want %q of %s", tc.name, out, r, tc.want, tc.typ)
		}
		if f, _ := LookupFunction(tc.name); f.Deterministic {
			t.Errorf("%s must not be deterministic", tc.name)
		}
	}
}

func TestCalendarArithmetic(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for k := 0; k < 20000; k++ {
		days := r.Int63n(3_000_000) - 1_500_000
		y, m, d := tfCivil(days)
		g := time.Unix(days*86400, 0).UTC()
		if y != int64(g.Year()) || m != int64(g.Month()) || d != int64(g.Day()) {
			t.Fatalf("tfCivil(%d) = %d-%d-%d, want %s", days, y, m, d, g.Format("2006-01-02"))
		}
		if back := tfDays(y, m, d); back != days {
			t.Fatalf("tfDays(%d-%d-%d) = %d, want %d", y, m, d, back, days)
		}
		if wd := tfWeekdayOf(days); wd != int64(g.Weekday()) {
			t.Fatalf("weekday of %d = %d, want %d", days, wd, g.Weekday())
		}
		w, _ := tfISOWeek(days)
		if _, gw := g.ISOWeek(); w != int64(gw) {
			t.Fatalf("ISO week of %s = %d, want %d", g.Format("2006-01-02"), w, gw)
		}
	}
	if got := tfDays(2020, 13, 1); got != tfDays(2021, 1, 1) {
		t.Errorf("month carry: %d", got)
	}
}

func TestZoneConversions(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	micros := func(s string) int64 { v, _ := tfParseDefault(s); return v }
	// 2021-03-14 02:30 does not exist in New York: it moves forward to 03:30 EDT (07:30 UTC).
	if got := tfInstant(ny, micros("2021-03-14 02:30:00")); got != micros("2021-03-14 07:30:00") {
		t.Errorf("gap: %s", chunk.FormatJavaLocalDateTime(got))
	}
	if got := tfInstant(ny, micros("2021-07-01 12:00:00")); got != micros("2021-07-01 16:00:00") {
		t.Errorf("summer: %s", chunk.FormatJavaLocalDateTime(got))
	}
	z := &tfZone{}
	// Crossing zone periods must refresh the cached offset.
	for _, tc := range []struct{ utc, local string }{
		{"2021-03-14 06:59:59", "2021-03-14 01:59:59"},
		{"2021-03-14 07:00:00", "2021-03-14 03:00:00"},
		{"2021-01-01 00:00:00", "2020-12-31 19:00:00"},
	} {
		if got := z.local(ny, micros(tc.utc)); got != micros(tc.local) {
			t.Errorf("local(%s) = %s, want %s", tc.utc, chunk.FormatJavaLocalDateTime(got), tc.local)
		}
	}
	for _, id := range []string{"UTC", "GMT+08:00", "+05:30", "UTC-3", "Europe/Paris"} {
		if _, err := tfLoadZone(id); err != nil {
			t.Errorf("zone %q: %v", id, err)
		}
	}
	if _, err := tfLoadZone("Nowhere/Special"); err == nil || !strings.Contains(err.Error(), "unknown time zone") {
		t.Errorf("unknown zone: %v", err)
	}
}

func TestPatternRoundTrip(t *testing.T) {
	for _, pat := range []string{"yyyy-MM-dd HH:mm:ss.SSS", "yyyyMMddHHmmss", "dd/MM/yy hh:mm a", "EEE, d MMM yyyy HH:mm:ss"} {
		p, err := tfCompile(pat, tfDTF)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewSource(2))
		for k := 0; k < 500; k++ {
			v := (r.Int63n(50*365*tfMicrosPerDay) + 30*365*tfMicrosPerDay) / 1000 * 1000
			if !strings.Contains(pat, "SSS") {
				v = v / tfMicrosPerSecond * tfMicrosPerSecond
			}
			if !strings.Contains(pat, "ss") {
				v = v / tfMicrosPerMinute * tfMicrosPerMinute
			}
			text := string(p.appendFormat(nil, v, 0))
			back, _, _, ok := p.parse(text)
			if !ok || back != v {
				t.Fatalf("%q: %q parsed back to %d (ok %v), want %d", pat, text, back, ok, v)
			}
		}
	}
}

func BenchmarkDateFormat(b *testing.B) {
	for _, bc := range []struct{ name, pattern string }{
		{"day", "yyyy-MM-dd"},
		{"millis", "yyyy-MM-dd HH:mm:ss.SSS"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ts := chunk.NewVector(types.TimestampType(3), 1024)
			base, _ := tfParseDefault("2020-04-15 08:05:00")
			for i := 0; i < 1024; i++ {
				ts.Append(chunk.Int(base + int64(i)*7_919_000)) // ~8 s apart
			}
			benchKernel(b, "DATE_FORMAT", []ta{aTS("2020-01-01 00:00:00"), lit(aStr(bc.pattern))},
				[]*chunk.Vector{ts, constVec(types.StringType, chunk.Str(bc.pattern), 1024)})
		})
	}
}

func BenchmarkHourLTZ(b *testing.B) {
	ts := chunk.NewVector(types.TimestampLTZType(3), 1024)
	base, _ := tfParseDefault("2020-04-15 08:05:00")
	for i := 0; i < 1024; i++ {
		ts.Append(chunk.Int(base + int64(i)*7_919_000))
	}
	_, k, _, _, err := prepare("HOUR", []ta{aLTZ("2020-01-01 00:00:00")})
	if err != nil {
		b.Fatal(err)
	}
	ctx := shanghaiCtx()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := k(ctx, []*chunk.Vector{ts}, 1024); err != nil {
			b.Fatal(err)
		}
	}
}
