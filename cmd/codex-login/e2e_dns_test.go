//go:build e2e

package main_test

import (
	"errors"
	"net"
	"testing"
)

// e2eServeNXDOMAIN answers every DNS query on 127.0.0.1:53 (the sandbox's
// only nameserver) with NXDOMAIN, so a name that resolves nowhere fails the
// way it does on a real network ("no such host") rather than with a refused
// UDP packet. Names that resolve come from /etc/hosts and squid's hosts_file.
func e2eServeNXDOMAIN(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:53")
	if err != nil {
		t.Logf("no NXDOMAIN responder (%v): lookups will fail with a refused packet instead", err)
		return
	}
	done := make(chan struct{})
	t.Cleanup(func() { conn.Close(); <-done })
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, addr, err := conn.ReadFrom(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			if reply := e2eNXDOMAIN(buf[:n]); reply != nil {
				_, _ = conn.WriteTo(reply, addr)
			}
		}
	}()
}

// e2eNXDOMAIN builds the answer to one query (RFC 1035 section 4.1): the
// query's ID and question, QR=1, RD copied, RA=1, RCODE=3 (name error), no
// records. It returns nil for anything that is not a one-question query.
func e2eNXDOMAIN(q []byte) []byte {
	if len(q) < 12 || q[2]&0x80 != 0 || q[4] != 0 || q[5] != 1 {
		return nil
	}
	end := 12
	for end < len(q) && q[end] != 0 { // QNAME labels
		if q[end]&0xc0 != 0 {
			return nil
		}
		end += 1 + int(q[end])
	}
	end += 1 + 4 // root label, QTYPE, QCLASS
	if end > len(q) {
		return nil
	}
	reply := append([]byte(nil), q[:end]...)
	reply[2] = 0x80 | q[2]&0x79 // QR, opcode, RD
	reply[3] = 0x80 | 3         // RA, RCODE name error
	for i := 6; i < 12; i++ {   // ANCOUNT, NSCOUNT, ARCOUNT
		reply[i] = 0
	}
	return reply
}
