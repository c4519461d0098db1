package pac

// shExpMatch matches s against a shell expression: * is any run of
// characters, ? is one character, everything else is itself, and the
// whole of s must match. Like browsers it is case-sensitive. Browsers build
// a regular expression and escape only the dot, so there "+" is a
// quantifier and "(" throws; here every other character is literal, which
// is what an author writing a glob means.
func shExpMatch(s, pattern string) bool {
	str, pat := []rune(s), []rune(pattern)
	// Iterative matching with one backtrack point: linear in practice,
	// never exponential however many stars.
	si, pi, star, mark := 0, 0, -1, 0
	for si < len(str) {
		switch {
		case pi < len(pat) && (pat[pi] == '?' || pat[pi] == str[si]) && pat[pi] != '*':
			si++
			pi++
		case pi < len(pat) && pat[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			mark++
			si, pi = mark, star+1
		default:
			return false
		}
	}
	for pi < len(pat) && pat[pi] == '*' {
		pi++
	}
	return pi == len(pat)
}
