package expr

// Java date-time patterns ("yyyy-MM-dd HH:mm:ss.SSS") for DATE_FORMAT, TO_TIMESTAMP, TO_DATE,
// FROM_UNIXTIME, UNIX_TIMESTAMP and CONVERT_TZ, plus the calendar arithmetic on Floe's
// representations (days since the epoch, microseconds since the epoch).
//
// Flink formats and parses TIMESTAMP values with java.time's DateTimeFormatter and strings and
// epoch seconds with java.text.SimpleDateFormat. The two agree on the common letters; they
// differ on 'S' (a fraction of the second for DateTimeFormatter, a count of milliseconds for
// SimpleDateFormat), on 'u' and on parsing leniency, so a pattern is compiled in one of two
// modes.

import (
	"fmt"
	"strings"
	"time"
)

const (
	tfMicrosPerSecond = int64(1e6)
	tfMicrosPerMinute = 60 * tfMicrosPerSecond
	tfMicrosPerHour   = 60 * tfMicrosPerMinute
	tfMicrosPerDay    = 24 * tfMicrosPerHour
)

// tfMode selects the Java formatter whose behaviour a pattern follows.
type tfMode uint8

const (
	tfDTF tfMode = iota // java.time.format.DateTimeFormatter: strict parsing, 'S' is a fraction
	tfSDF               // java.text.SimpleDateFormat: lenient parsing, 'S' is milliseconds
)

// tfField is one element of a compiled pattern.
type tfField uint8

const (
	tfLiteral    tfField = iota
	tfEra                // G
	tfYear               // y (and u in DTF mode)
	tfMonth              // M, L
	tfDay                // d
	tfDayOfYear          // D
	tfWeekday            // E (text)
	tfWeekdayNum         // u in SDF mode: 1 = Monday .. 7 = Sunday
	tfAmPm               // a
	tfHour24             // H: 0-23
	tfHour12             // h: 1-12
	tfHour24k            // k: 1-24
	tfHour12K            // K: 0-11
	tfMinute             // m
	tfSecond             // s
	tfFraction           // S in DTF mode: the first n digits of the fraction
	tfMillis             // S in SDF mode: milliseconds as a number
	tfZoneRFC            // Z: +0800
	tfZoneISO            // X: Z, +08, +0800, +08:00
	tfOptStart           // [ (DTF optional section)
	tfOptEnd             // ]
)

type tfOp struct {
	f   tfField
	n   int    // count of pattern letters
	lit string // tfLiteral text
}

// tfPattern is a compiled Java date-time pattern.
type tfPattern struct {
	src  string
	mode tfMode
	ops  []tfOp
	// gran is the width in microseconds of the buckets of local time within which the
	// formatted text cannot change (0 when it depends on the zone), used to reuse results.
	gran int64
	// hasZone is set when the pattern has an offset field (Z, X).
	hasZone bool
	// hasDate, hasTime: the pattern has date or time-of-day fields.
	hasDate, hasTime bool
}

var tfMonthShort = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var tfMonthLong = [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}
var tfDayShort = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
var tfDayLong = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// tfCompile compiles a Java date-time pattern.
func tfCompile(pattern string, mode tfMode) (*tfPattern, error) {
	p := &tfPattern{src: pattern, mode: mode, gran: tfMicrosPerDay * 366 * 400}
	lit := func(s string) {
		if k := len(p.ops); k > 0 && p.ops[k-1].f == tfLiteral {
			p.ops[k-1].lit += s
			return
		}
		p.ops = append(p.ops, tfOp{f: tfLiteral, lit: s})
	}
	gran := func(g int64) {
		if g < p.gran {
			p.gran = g
		}
	}
	depth := 0
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c == '\'':
			if i+1 < len(pattern) && pattern[i+1] == '\'' {
				lit("'")
				i += 2
				continue
			}
			end := i + 1
			var b strings.Builder
			for {
				if end >= len(pattern) {
					return nil, fmt.Errorf("unterminated quote in date format %q", pattern)
				}
				if pattern[end] == '\'' {
					if end+1 < len(pattern) && pattern[end+1] == '\'' {
						b.WriteByte('\'')
						end += 2
						continue
					}
					break
				}
				b.WriteByte(pattern[end])
				end++
			}
			if b.Len() > 0 {
				lit(b.String())
			}
			i = end + 1
			continue
		case mode == tfDTF && c == '[':
			depth++
			p.ops = append(p.ops, tfOp{f: tfOptStart})
			i++
			continue
		case mode == tfDTF && c == ']':
			if depth == 0 {
				return nil, fmt.Errorf("unmatched ']' in date format %q", pattern)
			}
			depth--
			p.ops = append(p.ops, tfOp{f: tfOptEnd})
			i++
			continue
		case mode == tfDTF && (c == '#' || c == '{' || c == '}'):
			return nil, fmt.Errorf("reserved character %q in date format %q", c, pattern)
		case !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
			lit(string(c))
			i++
			continue
		}
		n := 1
		for i+n < len(pattern) && pattern[i+n] == c {
			n++
		}
		i += n
		var f tfField
		switch c {
		case 'G':
			f = tfEra
			gran(tfMicrosPerDay)
			p.hasDate = true
		case 'y':
			f = tfYear
			gran(tfMicrosPerDay)
			p.hasDate = true
		case 'u':
			if mode == tfDTF {
				f = tfYear
			} else {
				f = tfWeekdayNum
			}
			gran(tfMicrosPerDay)
			p.hasDate = true
		case 'M', 'L':
			f = tfMonth
			gran(tfMicrosPerDay)
			p.hasDate = true
		case 'd':
			f = tfDay
			gran(tfMicrosPerDay)
			p.hasDate = true
		case 'D':
			f = tfDayOfYear
			gran(tfMicrosPerDay)
			p.hasDate = true
		case 'E':
			f = tfWeekday
			gran(tfMicrosPerDay)
			p.hasDate = true
		case 'a':
			f = tfAmPm
			gran(tfMicrosPerHour)
			p.hasTime = true
		case 'H':
			f = tfHour24
		case 'h':
			f = tfHour12
		case 'k':
			f = tfHour24k
		case 'K':
			f = tfHour12K
		case 'm':
			f = tfMinute
			gran(tfMicrosPerMinute)
			p.hasTime = true
		case 's':
			f = tfSecond
			gran(tfMicrosPerSecond)
			p.hasTime = true
		case 'S':
			p.hasTime = true
			if mode == tfDTF {
				f = tfFraction
				g := tfMicrosPerSecond
				for k := 0; k < n && g > 1; k++ {
					g /= 10
				}
				gran(g)
			} else {
				f = tfMillis
				gran(1000)
			}
		case 'Z':
			f = tfZoneRFC
			p.hasZone = true
		case 'X':
			if n > 3 {
				return nil, fmt.Errorf("too many pattern letters X in date format %q", pattern)
			}
			f = tfZoneISO
			p.hasZone = true
		default:
			return nil, fmt.Errorf("unsupported pattern letter %q in date format %q", c, pattern)
		}
		if f >= tfHour24 && f <= tfHour12K {
			gran(tfMicrosPerHour)
			p.hasTime = true
		}
		p.ops = append(p.ops, tfOp{f: f, n: n})
	}
	if depth != 0 {
		return nil, fmt.Errorf("unmatched '[' in date format %q", pattern)
	}
	if p.hasZone {
		p.gran = 0
	}
	return p, nil
}

// ---- calendar arithmetic ----

func tfFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func tfFloorMod(a, b int64) int64 { return a - tfFloorDiv(a, b)*b }

// tfCivil converts days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
// algorithm).
func tfCivil(days int64) (year, month, day int64) {
	z := days + 719468
	era := tfFloorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// tfDays converts a proleptic Gregorian date to days since 1970-01-01. month may be outside
// 1..12 and day outside the month; both are carried over.
func tfDays(year, month, day int64) int64 {
	month--
	year += tfFloorDiv(month, 12)
	month = tfFloorMod(month, 12) + 1
	y := year
	if month <= 2 {
		y--
	}
	era := tfFloorDiv(y, 400)
	yoe := y - era*400
	mp := (month + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func tfIsLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func tfDaysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if tfIsLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// tfWeekdayOf returns 0 = Sunday .. 6 = Saturday.
func tfWeekdayOf(days int64) int64 { return tfFloorMod(days+4, 7) }

// ---- formatting ----

func tfAppendInt(dst []byte, v int64, width int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	var buf [20]byte
	i := len(buf)
	for v >= 10 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = byte('0' + v)
	for k := len(buf) - i; k < width; k++ {
		dst = append(dst, '0')
	}
	return append(dst, buf[i:]...)
}

// appendFormat renders local (wall-clock microseconds since the epoch) with the pattern;
// offsetSec is the zone offset printed by Z and X.
func (p *tfPattern) appendFormat(dst []byte, local int64, offsetSec int) []byte {
	days := tfFloorDiv(local, tfMicrosPerDay)
	tod := local - days*tfMicrosPerDay
	var y, mo, d int64
	civil := false
	for _, op := range p.ops {
		if !civil && op.f >= tfEra && op.f <= tfWeekdayNum {
			y, mo, d = tfCivil(days)
			civil = true
		}
		switch op.f {
		case tfLiteral:
			dst = append(dst, op.lit...)
		case tfEra:
			if y > 0 {
				dst = append(dst, "AD"...)
			} else {
				dst = append(dst, "BC"...)
			}
		case tfYear:
			yy := y
			if yy <= 0 {
				yy = 1 - yy
			}
			if op.n == 2 {
				dst = tfAppendInt(dst, yy%100, 2)
			} else {
				dst = tfAppendInt(dst, yy, op.n)
			}
		case tfMonth:
			switch {
			case op.n >= 4:
				dst = append(dst, tfMonthLong[mo-1]...)
			case op.n == 3:
				dst = append(dst, tfMonthShort[mo-1]...)
			default:
				dst = tfAppendInt(dst, mo, op.n)
			}
		case tfDay:
			dst = tfAppendInt(dst, d, op.n)
		case tfDayOfYear:
			dst = tfAppendInt(dst, days-tfDays(y, 1, 1)+1, op.n)
		case tfWeekday:
			if op.n >= 4 {
				dst = append(dst, tfDayLong[tfWeekdayOf(days)]...)
			} else {
				dst = append(dst, tfDayShort[tfWeekdayOf(days)]...)
			}
		case tfWeekdayNum:
			w := tfWeekdayOf(days)
			if w == 0 {
				w = 7
			}
			dst = tfAppendInt(dst, w, op.n)
		case tfAmPm:
			if tod < 12*tfMicrosPerHour {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		case tfHour24:
			dst = tfAppendInt(dst, tod/tfMicrosPerHour, op.n)
		case tfHour12:
			h := tod / tfMicrosPerHour % 12
			if h == 0 {
				h = 12
			}
			dst = tfAppendInt(dst, h, op.n)
		case tfHour24k:
			h := tod / tfMicrosPerHour
			if h == 0 {
				h = 24
			}
			dst = tfAppendInt(dst, h, op.n)
		case tfHour12K:
			dst = tfAppendInt(dst, tod/tfMicrosPerHour%12, op.n)
		case tfMinute:
			dst = tfAppendInt(dst, tod/tfMicrosPerMinute%60, op.n)
		case tfSecond:
			dst = tfAppendInt(dst, tod/tfMicrosPerSecond%60, op.n)
		case tfFraction:
			frac := tod % tfMicrosPerSecond
			var digits [6]byte
			for k := 5; k >= 0; k-- {
				digits[k] = byte('0' + frac%10)
				frac /= 10
			}
			for k := 0; k < op.n; k++ {
				if k < 6 {
					dst = append(dst, digits[k])
				} else {
					dst = append(dst, '0')
				}
			}
		case tfMillis:
			dst = tfAppendInt(dst, tod%tfMicrosPerSecond/1000, op.n)
		case tfZoneRFC:
			dst = tfAppendOffset(dst, offsetSec, false, false)
		case tfZoneISO:
			if offsetSec == 0 {
				dst = append(dst, 'Z')
			} else {
				dst = tfAppendOffset(dst, offsetSec, op.n == 3, op.n == 1)
			}
		}
	}
	return dst
}

func tfAppendOffset(dst []byte, off int, colon, hoursOnly bool) []byte {
	if off < 0 {
		dst = append(dst, '-')
		off = -off
	} else {
		dst = append(dst, '+')
	}
	dst = tfAppendInt(dst, int64(off/3600), 2)
	if hoursOnly {
		return dst
	}
	if colon {
		dst = append(dst, ':')
	}
	return tfAppendInt(dst, int64(off/60%60), 2)
}

// ---- parsing ----

type tfParsed struct {
	year, month, day, doy       int64
	hour, minute, second, micro int64
	hourKind                    tfField // which hour field was set (0 when none)
	pm, hasAmPm, bc             bool
	hasYear, hasMonth, hasDay   bool
	offset                      int
	hasOffset                   bool
}

// tfDigits reads between min and max ASCII digits at s[i:].
func tfDigits(s string, i, min, max int) (v int64, next int, ok bool) {
	j := i
	for j < len(s) && j-i < max && s[j] >= '0' && s[j] <= '9' {
		v = v*10 + int64(s[j]-'0')
		j++
	}
	if j-i < min || j-i > 18 {
		return 0, i, false
	}
	return v, j, true
}

// fixedWidth is the number of digits a numeric op takes when the next op is an adjacent
// numeric field (0: variable width).
func (p *tfPattern) numericWidth(op tfOp) (min, max int) {
	switch op.f {
	case tfFraction:
		return op.n, op.n
	case tfYear:
		if op.n == 2 {
			return 2, 2
		}
		if p.mode == tfDTF {
			return op.n, 10
		}
		return 1, 10
	case tfDayOfYear:
		if p.mode == tfDTF {
			return op.n, 3
		}
		return 1, 3
	}
	if p.mode == tfDTF && op.n >= 2 {
		return op.n, op.n
	}
	return 1, 10
}

func tfIsNumeric(op tfOp) bool {
	switch op.f {
	case tfLiteral, tfEra, tfWeekday, tfAmPm, tfZoneRFC, tfZoneISO, tfOptStart, tfOptEnd:
		return false
	case tfMonth:
		return op.n <= 2
	}
	return true
}

// tfMatchWord matches one of words (case-insensitively) at s[i:], longest first.
func tfMatchWord(s string, i int, words []string) (int, int, bool) {
	best, bestLen := -1, 0
	for k, w := range words {
		if len(w) > bestLen && len(s)-i >= len(w) && strings.EqualFold(s[i:i+len(w)], w) {
			best, bestLen = k, len(w)
		}
	}
	if best < 0 {
		return 0, i, false
	}
	return best, i + bestLen, true
}

// tfParseOffset reads a zone offset: Z, ±hh, ±hhmm, ±hh:mm, optionally after GMT/UTC.
func tfParseOffset(s string, i int) (int, int, bool) {
	if i < len(s) && (s[i] == 'Z' || s[i] == 'z') {
		return 0, i + 1, true
	}
	for _, pre := range []string{"GMT", "UTC"} {
		if len(s)-i >= 3 && strings.EqualFold(s[i:i+3], pre) {
			i += 3
			if i >= len(s) || (s[i] != '+' && s[i] != '-') {
				return 0, i, true
			}
		}
	}
	if i >= len(s) || (s[i] != '+' && s[i] != '-') {
		return 0, i, false
	}
	sign := 1
	if s[i] == '-' {
		sign = -1
	}
	h, j, ok := tfDigits(s, i+1, 1, 2)
	if !ok {
		return 0, i, false
	}
	var m int64
	if j < len(s) && s[j] == ':' {
		if m, j, ok = tfDigits(s, j+1, 2, 2); !ok {
			return 0, i, false
		}
	} else if mm, k, ok2 := tfDigits(s, j, 2, 2); ok2 {
		m, j = mm, k
	}
	if h > 23 || m > 59 {
		return 0, i, false
	}
	return sign * int(h*3600+m*60), j, true
}

// parse reads s with the pattern and returns wall-clock microseconds since the epoch (and
// the offset when the pattern has one). DTF mode needs the whole input and valid field values;
// SDF mode ignores trailing text and carries out-of-range values over (lenient).
func (p *tfPattern) parse(s string) (local int64, offset int, hasOffset bool, ok bool) {
	var r tfParsed
	pos := 0
	type save struct {
		pos, op int
		r       tfParsed
	}
	var stack []save
	skipSection := func(k int) int {
		depth := 0
		for ; k < len(p.ops); k++ {
			switch p.ops[k].f {
			case tfOptStart:
				depth++
			case tfOptEnd:
				depth--
				if depth == 0 {
					return k
				}
			}
		}
		return k
	}
	for k := 0; k < len(p.ops); k++ {
		op := p.ops[k]
		good := true
		switch op.f {
		case tfOptStart:
			stack = append(stack, save{pos, k, r})
			continue
		case tfOptEnd:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		case tfLiteral:
			if strings.HasPrefix(s[pos:], op.lit) {
				pos += len(op.lit)
			} else {
				good = false
			}
		case tfEra:
			var w int
			if w, pos, good = tfMatchWord(s, pos, []string{"AD", "BC"}); good {
				r.bc = w == 1
			}
		case tfWeekday:
			words := append(tfDayLong[:], tfDayShort[:]...)
			_, pos, good = tfMatchWord(s, pos, words)
		case tfAmPm:
			var w int
			if w, pos, good = tfMatchWord(s, pos, []string{"AM", "PM"}); good {
				r.hasAmPm, r.pm = true, w == 1
			}
		case tfZoneRFC, tfZoneISO:
			r.offset, pos, good = tfParseOffset(s, pos)
			r.hasOffset = good
		case tfMonth:
			if op.n >= 3 {
				var w int
				words := append(tfMonthLong[:], tfMonthShort[:]...)
				if w, pos, good = tfMatchWord(s, pos, words); good {
					r.month, r.hasMonth = int64(w%12+1), true
				}
				break
			}
			fallthrough
		default:
			min, max := p.numericWidth(op)
			// Adjacent numeric fields: leave room for the fixed widths that follow.
			if max > min {
				reserve := 0
				for j := k + 1; j < len(p.ops) && tfIsNumeric(p.ops[j]); j++ {
					mn, _ := p.numericWidth(p.ops[j])
					reserve += mn
				}
				if reserve > 0 {
					avail := 0
					for pos+avail < len(s) && s[pos+avail] >= '0' && s[pos+avail] <= '9' {
						avail++
					}
					if avail-reserve < max {
						max = avail - reserve
					}
					if p.mode == tfSDF && op.n > 1 && op.n < max {
						max = op.n
					}
				}
			}
			var v int64
			if v, pos, good = tfDigits(s, pos, min, max); good {
				good = r.set(op, v)
			}
		}
		if !good {
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				pos, r = top.pos, top.r
				k = skipSection(top.op)
				continue
			}
			return 0, 0, false, false
		}
	}
	if p.mode == tfDTF && pos != len(s) {
		return 0, 0, false, false
	}
	local, ok = r.resolve(p.mode == tfSDF)
	return local, r.offset, r.hasOffset, ok
}

func (r *tfParsed) set(op tfOp, v int64) bool {
	switch op.f {
	case tfYear:
		if op.n == 2 {
			v += 2000
		}
		r.year, r.hasYear = v, true
	case tfMonth:
		r.month, r.hasMonth = v, true
	case tfDay:
		r.day, r.hasDay = v, true
	case tfDayOfYear:
		r.doy = v
	case tfWeekdayNum:
	case tfHour24, tfHour12, tfHour24k, tfHour12K:
		r.hour, r.hourKind = v, op.f
	case tfMinute:
		r.minute = v
	case tfSecond:
		r.second = v
	case tfFraction:
		for k := op.n; k < 6; k++ {
			v *= 10
		}
		for k := op.n; k > 6; k-- {
			v /= 10
		}
		r.micro = v
	case tfMillis:
		r.micro = v * 1000
	}
	return true
}

// resolve turns parsed fields into wall-clock microseconds; missing fields default to
// 1970-01-01 00:00:00 as Flink does.
func (r *tfParsed) resolve(lenient bool) (int64, bool) {
	y, mo, d := int64(1970), int64(1), int64(1)
	if r.hasYear {
		y = r.year
		if r.bc {
			y = 1 - y
		}
	}
	if r.hasMonth {
		mo = r.month
	}
	if r.hasDay {
		d = r.day
	}
	h := r.hour
	switch r.hourKind {
	case tfHour12:
		if !lenient && (h < 1 || h > 12) {
			return 0, false
		}
		h %= 12
		if r.pm {
			h += 12
		}
	case tfHour12K:
		if !lenient && h > 11 {
			return 0, false
		}
		if r.pm {
			h += 12
		}
	case tfHour24k:
		if !lenient && (h < 1 || h > 24) {
			return 0, false
		}
		h %= 24
	case tfHour24:
		if r.hasAmPm && r.pm && h < 12 && lenient {
			h += 12
		}
	}
	if !lenient {
		if mo < 1 || mo > 12 || d < 1 || d > tfDaysInMonth(y, mo) || h > 23 || r.minute > 59 || r.second > 59 {
			return 0, false
		}
	}
	var days int64
	if r.doy > 0 && !r.hasMonth && !r.hasDay {
		if !lenient && r.doy > 365 && !(r.doy == 366 && tfIsLeap(y)) {
			return 0, false
		}
		days = tfDays(y, 1, 1) + r.doy - 1
	} else {
		days = tfDays(y, mo, 1) + d - 1
	}
	return days*tfMicrosPerDay + h*tfMicrosPerHour + r.minute*tfMicrosPerMinute +
		r.second*tfMicrosPerSecond + r.micro, true
}

// tfParseDefault parses Flink's default timestamp text "yyyy-[M]M-[d]d[ [H]H:[m]m:[s]s[.f...]]"
// (surrounding spaces allowed), as TO_TIMESTAMP without a format does.
func tfParseDefault(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	y, i, ok := tfDigits(s, 0, 4, 9)
	if !ok || i >= len(s) || s[i] != '-' {
		return 0, false
	}
	mo, i, ok := tfDigits(s, i+1, 1, 2)
	if !ok || i >= len(s) || s[i] != '-' {
		return 0, false
	}
	d, i, ok := tfDigits(s, i+1, 1, 2)
	if !ok {
		return 0, false
	}
	var h, mi, sec, micro int64
	if i < len(s) {
		if s[i] != ' ' && s[i] != 'T' {
			return 0, false
		}
		if h, i, ok = tfDigits(s, i+1, 1, 2); !ok || i >= len(s) || s[i] != ':' {
			return 0, false
		}
		if mi, i, ok = tfDigits(s, i+1, 1, 2); !ok || i >= len(s) || s[i] != ':' {
			return 0, false
		}
		if sec, i, ok = tfDigits(s, i+1, 1, 2); !ok {
			return 0, false
		}
		if i < len(s) {
			if s[i] != '.' {
				return 0, false
			}
			j := i + 1
			scale := int64(100000)
			for j < len(s) && s[j] >= '0' && s[j] <= '9' && j-i <= 9 {
				micro += int64(s[j]-'0') * scale
				scale /= 10
				j++
			}
			if j != len(s) {
				return 0, false
			}
			i = j
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > tfDaysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	return tfDays(y, mo, d)*tfMicrosPerDay + h*tfMicrosPerHour + mi*tfMicrosPerMinute +
		sec*tfMicrosPerSecond + micro, true
}

// ---- time zones ----

// tfZone converts instants to wall-clock time in one location, remembering the offset of the
// last zone period it saw (time.Location lookups are comparatively slow). One per kernel.
type tfZone struct {
	loc        *time.Location
	start, end int64 // unix seconds of the cached period [start, end)
	offset     int64 // seconds east of UTC
}

// offsetAt returns the offset of loc, in seconds, at the instant micros (UTC).
func (z *tfZone) offsetAt(loc *time.Location, micros int64) int64 {
	sec := tfFloorDiv(micros, tfMicrosPerSecond)
	if loc == z.loc && sec >= z.start && sec < z.end {
		return z.offset
	}
	t := time.Unix(sec, 0).In(loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	z.loc, z.offset = loc, int64(off)
	z.start, z.end = -1<<63, 1<<63-1
	if !start.IsZero() {
		z.start = start.Unix()
	}
	if !end.IsZero() {
		z.end = end.Unix()
	}
	return z.offset
}

// local converts an instant (UTC microseconds) to wall-clock microseconds in loc.
func (z *tfZone) local(loc *time.Location, micros int64) int64 {
	return micros + z.offsetAt(loc, micros)*tfMicrosPerSecond
}

// tfInstant converts wall-clock microseconds in loc to an instant (UTC microseconds). A time
// in a daylight-saving gap moves forward by the gap, as in Java.
func tfInstant(loc *time.Location, local int64) int64 {
	if loc == time.UTC {
		return local
	}
	_, off := time.UnixMicro(local).In(loc).Zone()
	guess := local - int64(off)*tfMicrosPerSecond
	_, off2 := time.UnixMicro(guess).In(loc).Zone()
	if off2 == off {
		return guess
	}
	guess2 := local - int64(off2)*tfMicrosPerSecond
	if _, off3 := time.UnixMicro(guess2).In(loc).Zone(); off3 == off2 {
		return guess2
	}
	// In a gap: apply the offset from before the transition (the smaller one).
	return local - int64(min(off, off2))*tfMicrosPerSecond
}

// tfLoadZone resolves a Java time zone ID: IANA names, UTC/GMT/Z, and fixed offsets such as
// "GMT+08:00", "UTC-3" or "+05:30".
func tfLoadZone(id string) (*time.Location, error) {
	switch strings.ToUpper(id) {
	case "UTC", "GMT", "Z", "UT":
		return time.UTC, nil
	}
	if off, next, ok := tfParseOffset(id, 0); ok && next == len(id) {
		return time.FixedZone(id, off), nil
	}
	loc, err := time.LoadLocation(id)
	if err != nil || id == "" || id == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", id)
	}
	return loc, nil
}

// tfZoneCache caches tfLoadZone per kernel.
type tfZoneCache struct {
	m map[string]*time.Location
}

// get returns the location, or nil for an unknown zone.
func (c *tfZoneCache) get(id string) *time.Location {
	if loc, ok := c.m[id]; ok {
		return loc
	}
	if c.m == nil || len(c.m) >= 256 {
		c.m = map[string]*time.Location{}
	}
	loc, err := tfLoadZone(id)
	if err != nil {
		loc = nil
	}
	c.m[id] = loc
	return loc
}
