package main

import (
	"bufio"
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// askProxyCredentials asks the person at the terminal for the user name
// (unless the proxy URL names one) and the password of a proxy that wants
// NTLM or Basic and got none in its URL. trust calls it at most once per run.
func (a *app) askProxyCredentials(ctx context.Context, proxy *url.URL) (string, string, error) {
	if _, _, tty := a.terminal(); !tty || a.env.readPassword == nil || a.common.json {
		return "", "", errors.New(`no terminal to ask for the proxy password: put it in the proxy URL as http://USER:PASSWORD@PROXY:PORT (DOMAIN\USER as DOMAIN%5CUSER)`)
	}
	if err := ctx.Err(); err != nil {
		return "", "", err
	}
	user := ""
	if proxy.User != nil {
		user = proxy.User.Username()
	}
	if user == "" {
		a.ui.printf("proxy %s asks who you are; user name (DOMAIN\\user or user@domain): ", proxy.Host)
		line, err := bufio.NewReader(a.env.stdin).ReadString('\n')
		if user = strings.TrimSpace(line); user == "" {
			return "", "", errors.Join(errors.New("no proxy user name given"), err)
		}
	}
	a.ui.printf("password of %s for proxy %s: ", user, proxy.Host)
	pass, err := a.env.readPassword()
	a.ui.printf("\n")
	if err != nil {
		return "", "", err
	}
	a.ui.redact.add(pass) // the one redactor knows every secret the run handled
	return user, pass, nil
}

// readTerminalPassword is env.readPassword for the real process: a line
// of stdin, not echoed.
func readTerminalPassword() (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("stdin is not a terminal")
	}
	b, err := term.ReadPassword(fd)
	return string(b), err
}

// logProxyScheme says with -v how the proxy to the issuer was authenticated to.
func (a *app) logProxyScheme(issuer string) {
	u, err := url.Parse(issuer)
	if err != nil || a.client == nil {
		return
	}
	proxy := a.client.ProxyFor(u)
	if proxy == nil {
		return
	}
	scheme := a.client.ProxyScheme(proxy)
	as, took := a.client.ProxyHandshake(proxy)
	switch {
	case scheme == "":
		a.ui.logf("proxy authentication: none")
	case took == 0:
		a.ui.logf("proxy authentication: %s", scheme)
	case as == "":
		a.ui.logf("proxy authentication: %s, handshake in %v", scheme, took.Round(time.Millisecond))
	default:
		a.ui.logf("proxy authentication: %s as %s, handshake in %v", scheme, as, took.Round(time.Millisecond))
	}
}
