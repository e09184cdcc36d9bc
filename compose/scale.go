package compose

import "fmt"

// MaxScale is the largest scale accepted, in files (`scale`, `deploy.replicas`) and on the command line.
// Rancher's own schema bounds scale only from below (an int, min 0); 10,000 containers of one service is far
// beyond what a Rancher 1.6 environment runs, so anything larger is a typo (`scale: 1e9`), refused before
// it reaches the API rather than sent and waited for until the deadline.
const MaxScale = 10000

// ScaleProblem says what is wrong with a scale, or "" when it is within 0..MaxScale.
func ScaleProblem(n int64) string {
	switch {
	case n < 0:
		return fmt.Sprintf("scale must not be negative, got %d", n)
	case n > MaxScale:
		return fmt.Sprintf("scale must be at most %d, got %d", MaxScale, n)
	}
	return ""
}

// checkScale reports a scale outside 0..MaxScale at its node.
func (d *decoder) checkScale(n *node, path string, v *int64) {
	if v == nil {
		return
	}
	if msg := ScaleProblem(*v); msg != "" {
		d.diags.errorf(n.pos, path, "%s", msg)
	}
}
