package transform

import "fmt"

// Error is a rejection of a transform request, carrying what the simulator needs to render the
// Rancher error JSON of rancher-api.md §3.5.
type Error struct {
	// Status is the HTTP status code (400 or 422).
	Status int
	// Code is the Rancher error code, e.g. "InvalidOption" or "InvalidBodyContent".
	Code string
	// Message is the error's "message" field; empty means JSON null.
	Message string
	// Detail is the error's "detail" field (here: where the body is wrong); empty means JSON null.
	Detail string
}

// Error implements error.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Detail
	}
	if msg == "" {
		return fmt.Sprintf("transform: %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("transform: %d %s: %s", e.Status, e.Code, msg)
}

// Status codes and error codes used by this package.
const (
	CodeInvalidOption      = "InvalidOption"
	CodeInvalidBodyContent = "InvalidBodyContent"
)

// Messages Cattle answers with (DockerTransformerImpl.setNetworkMode), verbatim.
const (
	MsgContainerNetworkMode = "Transformer API does not support container network mode."
	msgUnrecognizedNetwork  = "Unrecognized network mode: "
)

func invalidOption(msg string) *Error {
	return &Error{Status: 422, Code: CodeInvalidOption, Message: msg}
}

func invalidBody(detail string) *Error {
	return &Error{Status: 400, Code: CodeInvalidBodyContent, Detail: detail}
}
