package vars

import "strings"

// Masked replaces a secret-looking variable's value in printed output.
const Masked = "*****"

// secretWords mark a variable as secret when they appear anywhere in its upper-cased name.
var secretWords = []string{
	"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "PRIVATE", "AUTH",
	"SALT", "SIGNATURE", "CERT",
}

// secretSegments mark a variable as secret when they are a whole '_'-, '-'- or '.'-separated part of it.
var secretSegments = map[string]bool{"PASS": true, "PWD": true, "PW": true, "PSK": true, "DSN": true}

// notSecret are names that contain a secret word but hold nothing secret.
var notSecret = map[string]bool{"PWD": true, "OLDPWD": true}

// LooksSecret reports whether a variable's name suggests its value must not be printed
// (DB_PASSWORD, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, api_key, SMTP_PASS ...). It errs on the side of masking.
func LooksSecret(name string) bool {
	upper := strings.ToUpper(name)
	if notSecret[upper] {
		return false
	}
	for _, w := range secretWords {
		if strings.Contains(upper, w) {
			return true
		}
	}
	for _, seg := range strings.FieldsFunc(upper, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if secretSegments[seg] {
			return true
		}
	}
	return false
}

// Display returns the value to print for a variable: Masked when its name looks secret and it has a value.
func Display(name, value string) string {
	if value != "" && LooksSecret(name) {
		return Masked
	}
	return value
}
