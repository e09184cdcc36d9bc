package rancher

// PollPolicy returns how this client paces waits (Config.Poll with its defaults applied), so that other
// pollers built over the client (a stack-wide service poller) keep the same pace.
func (c *Client) PollPolicy() PollPolicy { return c.cfg.Poll }
