package config

import "strconv"

// Error is a bad configuration: a file that cannot be read or parsed (a
// directory, a named pipe, one over the size limit, bad TOML, a bad line in
// $CODEX_HOME/.env), an unknown key in [login], or a value of the wrong type
// or out of range, in a file, the environment or a flag.
//
//	/home/u/.codex/config.toml:7: unknown key "ca_certficate" in [login]
type Error struct {
	// File is the config file or .env file, "built-in defaults", or "" when
	// the value came from the environment or a flag.
	File string
	// Line is the 1-based line in File, 0 when unknown.
	Line int
	// Key is the offending key: a dotted TOML key such as
	// "login.ca_certficate" or "forced_login_method", an environment variable
	// such as "CODEX_HOME" (in the environment or a .env file), a flag such as
	// "--port", or "" when the whole file or line is at fault.
	Key string
	// Msg says what is wrong; it names the key.
	Msg string
	// Err is the underlying error (reading the file, for one), or nil.
	Err error
}

// Error returns "file:line: msg", "file: msg" or "msg".
func (e *Error) Error() string {
	switch {
	case e.File == "":
		return e.Msg
	case e.Line > 0:
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	default:
		return e.File + ": " + e.Msg
	}
}

// Unwrap returns the underlying error, if any, so that errors.Is(err,
// fs.ErrNotExist) works for a missing --config file.
func (e *Error) Unwrap() error { return e.Err }
