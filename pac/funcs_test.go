package pac

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// fakeDNS answers names of the test network and nothing else.
func fakeDNS(_ context.Context, host string) ([]net.IP, error) {
	switch host {
	case "intranet.corp.test":
		return []net.IP{net.ParseIP("10.1.2.3")}, nil
	case "dual.corp.test":
		return []net.IP{net.ParseIP("fd00::5"), net.ParseIP("192.168.7.9")}, nil
	case "v6only.corp.test":
		return []net.IP{net.ParseIP("2001:db8::1")}, nil
	}
	return nil, errors.New("no such host")
}

func testOptions(now time.Time) Options {
	return Options{
		Timeout: 2 * time.Second,
		Resolve: fakeDNS,
		MyIPs: func() []net.IP {
			return []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("fd00::2"), net.ParseIP("10.9.8.7")}
		},
		Now: func() time.Time { return now },
	}
}

// eval runs expr inside FindProxyForURL and gives back what it returned,
// as a string.
func eval(t *testing.T, expr string, o Options) string {
	t.Helper()
	r, err := Compile("function FindProxyForURL(url, host) { return 'DIRECT'; }\nvar out = String("+expr+");", "test.pac")
	if err != nil {
		t.Fatal(err)
	}
	v, err := r.evalGlobal(context.Background(), "out", o)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func TestFunctions(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 45, 0, 0, time.UTC) // a Monday
	o := testOptions(now)
	tests := []struct{ expr, want string }{
		{`isPlainHostName("www")`, "true"},
		{`isPlainHostName("www.corp.test")`, "false"},
		{`isPlainHostName("::1")`, "false"},
		{`dnsDomainIs("www.corp.test", ".corp.test")`, "true"},
		{`dnsDomainIs("corp.test", ".corp.test")`, "false"},
		{`dnsDomainIs("www.CORP.test", ".corp.test")`, "false"},
		{`localHostOrDomainIs("www.corp.test", "www.corp.test")`, "true"},
		{`localHostOrDomainIs("www", "www.corp.test")`, "true"},
		{`localHostOrDomainIs("www.other.test", "www.corp.test")`, "false"},
		{`localHostOrDomainIs("home", "www.corp.test")`, "false"},
		{`dnsDomainLevels("www")`, "0"},
		{`dnsDomainLevels("www.corp.test")`, "2"},
		{`isResolvable("intranet.corp.test")`, "true"},
		{`isResolvable("v6only.corp.test")`, "false"},
		{`isResolvable("nowhere.test")`, "false"},
		{`isResolvableEx("v6only.corp.test")`, "true"},
		{`dnsResolve("intranet.corp.test")`, "10.1.2.3"},
		{`dnsResolve("dual.corp.test")`, "192.168.7.9"},
		{`dnsResolve("nowhere.test")`, "null"},
		{`dnsResolve("10.0.0.1")`, "10.0.0.1"},
		{`dnsResolveEx("dual.corp.test")`, "fd00::5;192.168.7.9"},
		{`dnsResolveEx("nowhere.test")`, ""},
		{`isInNet("intranet.corp.test", "10.0.0.0", "255.0.0.0")`, "true"},
		{`isInNet("10.1.2.3", "10.1.0.0", "255.255.0.0")`, "true"},
		{`isInNet("10.2.2.3", "10.1.0.0", "255.255.0.0")`, "false"},
		{`isInNet("192.168.7.9", "192.168.7.0", "255.255.255.248")`, "false"},
		{`isInNet("192.168.7.9", "192.168.7.8", "255.255.255.248")`, "true"},
		{`isInNet("1.2.3.4", "0.0.0.0", "0.0.0.0")`, "true"},
		{`isInNet("nowhere.test", "0.0.0.0", "0.0.0.0")`, "false"},
		{`isInNet("10.1.2.3", "10.1.0.0", "bogus")`, "false"},
		{`isInNet("10.1.2.3", "10.1", "255.255.0.0")`, "false"},
		{`isInNetEx("10.1.2.3", "10.0.0.0/8")`, "true"},
		{`isInNetEx("dual.corp.test", "fd00::/8")`, "true"},
		{`isInNetEx("2001:db8::1", "2001:db8::/32")`, "true"},
		{`isInNetEx("2001:db9::1", "2001:db8::/32")`, "false"},
		{`isInNetEx("10.1.2.3", "10.0.0.0")`, "false"},
		{`myIpAddress()`, "10.9.8.7"},
		{`myIpAddressEx()`, "127.0.0.1;fd00::2;10.9.8.7"},
		{`sortIpAddressList("10.2.0.1;fd00::1;10.1.0.1;::1")`, "::1;fd00::1;10.1.0.1;10.2.0.1"},
		{`sortIpAddressList("10.2.0.1;nope")`, "false"},
		{`getClientVersion()`, "1.0"},
		{`alert("hello")`, "undefined"},
		{`"ab".repeat(3)`, "ababab"},
		{`[1,2,3].join("-")`, "1-2-3"},
	}
	for _, tt := range tests {
		if got := eval(t, tt.expr, o); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestMyIpAddressWithoutNetwork(t *testing.T) {
	o := testOptions(time.Now())
	o.MyIPs = func() []net.IP { return []net.IP{net.ParseIP("::1"), net.ParseIP("127.0.0.1")} }
	if got := eval(t, "myIpAddress()", o); got != "127.0.0.1" {
		t.Errorf("myIpAddress() = %q, want 127.0.0.1", got)
	}
}

func TestShExpMatch(t *testing.T) {
	tests := []struct {
		s, pattern string
		want       bool
	}{
		{"www.corp.test", "*.corp.test", true},
		{"corp.test", "*.corp.test", false},
		{"a.b.corp.test", "*.corp.test", true},
		{"xcorp.test", "*.corp.test", false},
		{"http://www.corp.test/path", "*/path", true},
		{"http://www.corp.test/path", "*corp*", true},
		{"abc", "a?c", true},
		{"ac", "a?c", false},
		{"abbc", "a?c", false},
		{"a.c", "a.c", true},
		{"abc", "a.c", false}, // the dot is a dot, not any character
		{"a+b", "a+b", true},
		{"aab", "a+b", false},
		{"f(x)", "f(x)", true},
		{"f(x)", "f(*)", true},
		{"[x]", "[x]", true},
		{"x", "[x]", false},
		{"$^|\\", "$^|\\", true},
		{"WWW.CORP.TEST", "*.corp.test", false}, // case-sensitive, like browsers
		{"", "*", true},
		{"", "", true},
		{"a", "", false},
		{"anything", "*", true},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*c", false},
		{"日本.test", "??.test", true},
	}
	for _, tt := range tests {
		if got := shExpMatch(tt.s, tt.pattern); got != tt.want {
			t.Errorf("shExpMatch(%q, %q) = %v, want %v", tt.s, tt.pattern, got, tt.want)
		}
	}
	// And from the script, with quoting.
	o := testOptions(time.Now())
	if got := eval(t, `shExpMatch("www.corp.test", "*.corp.test") && !shExpMatch("corp.test", "*.corp.test")`, o); got != "true" {
		t.Errorf("shExpMatch from the script = %s", got)
	}
}

func TestWeekdayRange(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	mon := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	sunLocal := time.Date(2026, 11, 30, 1, 0, 0, 0, tokyo) // Monday 1:00 in Tokyo is Sunday in UTC
	tests := []struct {
		now  time.Time
		args []string
		want bool
	}{
		{mon, []string{"MON"}, true},
		{mon, []string{"TUE"}, false},
		{mon, []string{"MON", "FRI"}, true},
		{mon, []string{"TUE", "FRI"}, false},
		{mon, []string{"SAT", "TUE"}, true},  // wraps over the weekend
		{mon, []string{"WED", "SUN"}, false}, // wraps, Monday outside
		{mon.AddDate(0, 0, 3), []string{"SAT", "TUE"}, false},
		{mon.AddDate(0, 0, 5), []string{"SAT", "TUE"}, true},
		{sunLocal, []string{"MON"}, true},
		{sunLocal, []string{"MON", "GMT"}, false},
		{sunLocal, []string{"SUN", "GMT"}, true},
		{mon, []string{"mon"}, false}, // names are upper case
		{mon, []string{"XYZ"}, false},
		{mon, nil, false},
		{mon, []string{"MON", "TUE", "WED"}, false},
	}
	for _, tt := range tests {
		if got := weekdayRange(tt.now, tt.args); got != tt.want {
			t.Errorf("weekdayRange(%v) at %v = %v, want %v", tt.args, tt.now, got, tt.want)
		}
	}
}

func TestDateRange(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 12, 0, 0, 0, time.UTC) }
	now := d(2026, time.November, 30)
	tests := []struct {
		now  time.Time
		args []string
		want bool
	}{
		{now, []string{"30"}, true},
		{now, []string{"1"}, false},
		{now, []string{"NOV"}, true},
		{now, []string{"DEC"}, false},
		{now, []string{"2026"}, true},
		{now, []string{"2025"}, false},
		{now, []string{"1", "15"}, false},
		{now, []string{"15", "31"}, true},
		{now, []string{"25", "5"}, true}, // days wrap over the month's end
		{now, []string{"JUN", "NOV"}, true},
		{now, []string{"DEC", "FEB"}, false},
		{d(2027, time.January, 10), []string{"DEC", "FEB"}, true}, // wraps across the new year
		{now, []string{"2025", "2027"}, true},
		{now, []string{"2027", "2025"}, false}, // years never wrap
		{now, []string{"1", "NOV", "30", "NOV"}, true},
		{now, []string{"1", "NOV", "29", "NOV"}, false},
		{d(2026, time.December, 28), []string{"20", "DEC", "5", "JAN"}, true},
		{d(2027, time.January, 3), []string{"20", "DEC", "5", "JAN"}, true},
		{d(2027, time.January, 6), []string{"20", "DEC", "5", "JAN"}, false},
		{now, []string{"OCT", "2026", "DEC", "2026"}, true},
		{now, []string{"DEC", "2026", "JAN", "2027"}, false},
		{d(2027, time.January, 2), []string{"DEC", "2026", "JAN", "2027"}, true},
		{now, []string{"1", "JAN", "2026", "31", "DEC", "2026"}, true},
		{now, []string{"1", "DEC", "2026", "31", "DEC", "2026"}, false},
		{now, []string{"30", "NOV", "2026", "30", "NOV", "2026"}, true},
		// 23:30 on 30 Nov at UTC-2 is 1 Dec in UTC.
		{time.Date(2026, 11, 30, 23, 30, 0, 0, time.FixedZone("", -2*3600)), []string{"DEC"}, false},
		{time.Date(2026, 11, 30, 23, 30, 0, 0, time.FixedZone("", -2*3600)), []string{"DEC", "GMT"}, true},
		{time.Date(2026, 11, 30, 23, 30, 0, 0, time.FixedZone("", -2*3600)), []string{"1", "GMT"}, true},
		{now, nil, false},
		{now, []string{"GMT"}, false},
		{now, []string{"NOV", "30"}, false},            // kinds differ
		{now, []string{"1", "NOV", "DEC"}, false},      // odd count
		{now, []string{"32"}, false},                   // neither day nor year
		{now, []string{"Nov"}, false},                  // names are upper case
		{now, []string{"NOV", "1", "DEC", "1"}, false}, // month day is not a form
	}
	for _, tt := range tests {
		if got := dateRange(tt.now, tt.args); got != tt.want {
			t.Errorf("dateRange(%v) at %v = %v, want %v", tt.args, tt.now, got, tt.want)
		}
	}
}

func TestTimeRange(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 30, h, m, s, 0, time.UTC) }
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		now  time.Time
		args []string
		want bool
	}{
		{at(12, 0, 0), []string{"12"}, true},
		{at(12, 59, 59), []string{"12"}, true},
		{at(13, 0, 0), []string{"12"}, false},
		{at(9, 0, 0), []string{"9", "17"}, true},
		{at(17, 59, 0), []string{"9", "17"}, true}, // the end hour is inclusive
		{at(18, 0, 0), []string{"9", "17"}, false},
		{at(8, 59, 0), []string{"9", "17"}, false},
		{at(23, 0, 0), []string{"22", "6"}, true}, // wraps over midnight
		{at(3, 0, 0), []string{"22", "6"}, true},
		{at(12, 0, 0), []string{"22", "6"}, false},
		{at(8, 30, 0), []string{"8", "30", "17", "0"}, true},
		{at(8, 29, 59), []string{"8", "30", "17", "0"}, false},
		{at(17, 0, 59), []string{"8", "30", "17", "0"}, true},
		{at(17, 1, 0), []string{"8", "30", "17", "0"}, false},
		{at(0, 0, 0), []string{"0", "0", "0", "0", "0", "0"}, true},
		{at(0, 0, 1), []string{"0", "0", "0", "0", "0", "0"}, false},
		{at(23, 59, 30), []string{"23", "59", "0", "0", "0", "30"}, true},
		{at(0, 0, 31), []string{"23", "59", "0", "0", "0", "30"}, false},
		{time.Date(2026, 11, 30, 12, 30, 0, 0, cet), []string{"12"}, true},
		{time.Date(2026, 11, 30, 12, 30, 0, 0, cet), []string{"12", "GMT"}, false},
		{time.Date(2026, 11, 30, 12, 30, 0, 0, cet), []string{"11", "GMT"}, true},
		{at(12, 0, 0), nil, false},
		{at(12, 0, 0), []string{"1", "2", "3"}, false},
		{at(12, 0, 0), []string{"noon"}, false},
	}
	for _, tt := range tests {
		if got := timeRange(tt.now, tt.args); got != tt.want {
			t.Errorf("timeRange(%v) at %v = %v, want %v", tt.args, tt.now, got, tt.want)
		}
	}
	// Numbers from the script arrive as numbers.
	o := testOptions(at(10, 0, 0))
	if got := eval(t, `timeRange(9, 17) && weekdayRange("MON") && dateRange(1, "NOV", 30, "NOV") && !timeRange(11, 12, "GMT")`, o); got != "true" {
		t.Errorf("time functions from the script = %s", got)
	}
}
