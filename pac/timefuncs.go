package pac

import (
	"strconv"
	"strings"
	"time"
)

// The date and time functions read the clock in Options.Now's location,
// or in UTC when their last argument is "GMT". A range whose start comes
// after its end wraps around (SAT to TUE, DEC to JAN, 22 to 6 o'clock).

var weekdays = map[string]int{"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}

var months = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
	"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}

// gmt drops a trailing "GMT" and moves now to UTC when there was one.
func gmt(now time.Time, a []string) (time.Time, []string) {
	if n := len(a); n > 0 && a[n-1] == "GMT" {
		return now.UTC(), a[:n-1]
	}
	return now, a
}

// within is lo <= v <= hi, wrapping when lo > hi.
func within(v, lo, hi int) bool {
	if lo <= hi {
		return lo <= v && v <= hi
	}
	return v >= lo || v <= hi
}

// weekdayRange(wd1[, wd2][, "GMT"]).
func weekdayRange(now time.Time, a []string) bool {
	now, a = gmt(now, a)
	if len(a) < 1 || len(a) > 2 {
		return false
	}
	d1, ok := weekdays[a[0]]
	if !ok {
		return false
	}
	d2 := d1
	if len(a) == 2 {
		if d2, ok = weekdays[a[1]]; !ok {
			return false
		}
	}
	return within(int(now.Weekday()), d1, d2)
}

// dateField is one argument of dateRange: a day (1-31), a month name or a
// year (four digits).
type dateField struct {
	kind byte // 'd', 'm' or 'y'
	v    int
}

func parseDateField(s string) (dateField, bool) {
	if m, ok := months[s]; ok {
		return dateField{'m', m}, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	switch {
	case err != nil || n < 1:
		return dateField{}, false
	case n <= 31:
		return dateField{'d', n}, true
	case n >= 1000:
		return dateField{'y', n}, true
	}
	return dateField{}, false
}

// dateRange accepts every form browsers do: day, month or year alone;
// two of one kind; day month day month; month year month year; and
// day month year day month year. Either end is inclusive.
func dateRange(now time.Time, a []string) bool {
	now, a = gmt(now, a)
	if len(a) == 0 || len(a) > 6 || (len(a) > 1 && len(a)%2 == 1) {
		return false
	}
	fs := make([]dateField, len(a))
	for i, s := range a {
		f, ok := parseDateField(s)
		if !ok {
			return false
		}
		fs[i] = f
	}
	if len(fs) == 1 {
		fs = append(fs, fs[0])
	}
	start, end := fs[:len(fs)/2], fs[len(fs)/2:]
	var kinds string
	for i := range start {
		if start[i].kind != end[i].kind {
			return false
		}
		kinds += string(start[i].kind)
	}
	cur := map[byte]int{'d': now.Day(), 'm': int(now.Month()), 'y': now.Year()}
	// Each form becomes one comparable number, biggest unit first.
	key := func(get func(byte) (int, bool)) int {
		k := 0
		for _, unit := range []byte{'y', 'm', 'd'} {
			v, ok := get(unit)
			if !ok {
				continue
			}
			k = k*100 + v
		}
		return k
	}
	field := func(f []dateField) func(byte) (int, bool) {
		return func(unit byte) (int, bool) {
			for _, x := range f {
				if x.kind == unit {
					return x.v, true
				}
			}
			return 0, false
		}
	}
	switch kinds {
	case "d", "m", "y", "dm", "my", "dmy":
	default:
		return false
	}
	lo := key(field(start))
	hi := key(field(end))
	v := key(func(unit byte) (int, bool) {
		if !strings.ContainsRune(kinds, rune(unit)) {
			return 0, false
		}
		return cur[unit], true
	})
	if strings.Contains(kinds, "y") && lo > hi {
		return false // years do not wrap
	}
	return within(v, lo, hi)
}

// timeRange(hour), (hour1, hour2), (h1, m1, h2, m2) or
// (h1, m1, s1, h2, m2, s2). Like browsers, the end is inclusive to the
// end of its hour or minute.
func timeRange(now time.Time, a []string) bool {
	now, a = gmt(now, a)
	n := make([]int, len(a))
	for i, s := range a {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < 0 || v > 59 {
			return false
		}
		n[i] = v
	}
	sec := now.Hour()*3600 + now.Minute()*60 + now.Second()
	switch len(n) {
	case 1:
		return now.Hour() == n[0]
	case 2:
		return within(now.Hour(), n[0], n[1])
	case 4:
		return within(sec, n[0]*3600+n[1]*60, n[2]*3600+n[3]*60+59)
	case 6:
		return within(sec, n[0]*3600+n[1]*60+n[2], n[3]*3600+n[4]*60+n[5])
	}
	return false
}
