package sim

import "net/http"

// apiError is Cattle's error resource (§3.5).
type apiError struct {
	Status    int
	Code      string
	Message   string // "" renders as null
	FieldName string
	Detail    string
	validated bool // validation errors carry fieldName
}

func (e *apiError) Error() string { return e.Code + " " + e.FieldName + e.Message }

// reasons are Cattle's api/messages.properties phrases, used as code and message of generic errors.
var reasons = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
	405: "Method not allowed", 409: "Conflict", 422: "Unprocessable Entity",
	500: "Internal Server Error", 503: "Service Unavailable",
}

// httpErr is a generic error: code and message are the reason phrase.
func httpErr(status int) *apiError {
	return &apiError{Status: status, Code: reasons[status], Message: reasons[status]}
}

// httpErrMsg is a generic error with its own message (e.g. 403 "Cannot update system stack").
func httpErrMsg(status int, msg string) *apiError {
	return &apiError{Status: status, Code: reasons[status], Message: msg}
}

// invalid is a 422 validation error; Cattle often puts a human message in fieldName.
func invalid(code, field string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: code, FieldName: field, validated: true}
}

func (e *apiError) body() map[string]any {
	b := map[string]any{
		"id": newUUID(), "type": "error", "baseType": "error", "links": map[string]any{}, "actions": map[string]any{},
		"status": e.Status, "code": e.Code, "message": nil, "detail": nil,
	}
	if e.Message != "" {
		b["message"] = e.Message
	}
	if e.Detail != "" {
		b["detail"] = e.Detail
	}
	if e.validated {
		b["fieldName"] = e.FieldName
	}
	return b
}

// Validation error codes (gdapi ValidationErrorCodes).
const (
	codeMissingRequired    = "MissingRequired"
	codeNotUnique          = "NotUnique"
	codeInvalidOption      = "InvalidOption"
	codeInvalidCharacters  = "InvalidCharacters"
	codeInvalidFormat      = "InvalidFormat"
	codeInvalidReference   = "InvalidReference"
	codeMaxLengthExceeded  = "MaxLengthExceeded"
	codeMinLimitExceeded   = "MinLimitExceeded"
	codeMaxLimitExceeded   = "MaxLimitExceeded"
	codeInvalidAction      = "InvalidAction"
	codeActionNotAvailable = "ActionNotAvailable"
	codeInvalidState       = "InvalidState"
	codeInvalidBodyContent = "InvalidBodyContent"
)
