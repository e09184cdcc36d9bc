package resources

// Certificate is an SSL certificate stored in the environment, referred to by name from load balancers.
type Certificate struct {
	Resource

	AccountId               string   `json:"accountId,omitempty"`
	Algorithm               string   `json:"algorithm,omitempty"`
	Cert                    string   `json:"cert,omitempty"`
	CertChain               string   `json:"certChain,omitempty"`
	CertFingerprint         string   `json:"certFingerprint,omitempty"`
	CN                      string   `json:"CN,omitempty"`
	Created                 string   `json:"created,omitempty"`
	Description             string   `json:"description,omitempty"`
	ExpiresAt               string   `json:"expiresAt,omitempty"`
	IssuedAt                string   `json:"issuedAt,omitempty"`
	Issuer                  string   `json:"issuer,omitempty"`
	Key                     string   `json:"key,omitempty"`
	KeySize                 int64    `json:"keySize,omitempty"`
	Kind                    string   `json:"kind,omitempty"`
	Name                    string   `json:"name,omitempty"`
	Removed                 string   `json:"removed,omitempty"`
	RemoveTime              string   `json:"removeTime,omitempty"`
	SerialNumber            string   `json:"serialNumber,omitempty"`
	State                   string   `json:"state,omitempty"`
	SubjectAlternativeNames []string `json:"subjectAlternativeNames,omitempty"`
	Transitioning           string   `json:"transitioning,omitempty"`
	TransitioningMessage    string   `json:"transitioningMessage,omitempty"`
	TransitioningProgress   int64    `json:"transitioningProgress,omitempty"`
	Uuid                    string   `json:"uuid,omitempty"`
	Version                 string   `json:"version,omitempty"`
}
