package login

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"time"
)

// listenCallback binds 127.0.0.1 on the first port it can. When the first
// port is busy it asks whoever holds it to stop (an older login waiting
// there answers GET /cancel), retries every 200ms for 2s, then moves on.
func listenCallback(ctx context.Context, ports []int, logf func(string, ...any)) (net.Listener, int, error) {
	var firstErr error
	for i, port := range ports {
		ln, err := net.Listen("tcp", loopback(port))
		if err == nil {
			return ln, port, nil
		}
		if !isAddrInUse(err) {
			return nil, 0, &PortBusyError{Ports: ports, Err: err}
		}
		if i > 0 {
			continue
		}
		firstErr = err
		logf("port %d is busy: asking the login waiting there to stop", port)
		askToCancel(ctx, port)
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
			select {
			case <-ctx.Done():
				return nil, 0, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
			if ln, err = net.Listen("tcp", loopback(port)); err == nil {
				return ln, port, nil
			}
		}
		if len(ports) > 1 {
			logf("port %d is still busy: using port %d", port, ports[1])
		}
	}
	return nil, 0, &PortBusyError{Ports: ports, Holder: portHolder(ports[0]), Err: firstErr}
}

// askToCancel sends GET /cancel to the port, directly and never through a proxy.
func askToCancel(ctx context.Context, port int) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+loopback(port)+"/cancel", nil)
	if err != nil {
		return
	}
	direct := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	if resp, err := direct.Do(req); err == nil {
		resp.Body.Close()
	}
}

func loopback(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// CheckPort reports whether the callback port can be bound on 127.0.0.1
// now: nil when it is free, else a *PortBusyError naming who holds it.
func CheckPort(port int) error {
	ln, err := net.Listen("tcp", loopback(port))
	if err == nil {
		return ln.Close()
	}
	e := &PortBusyError{Ports: []int{port}, Err: err}
	if isAddrInUse(err) {
		e.Holder = portHolder(port)
	}
	return e
}
