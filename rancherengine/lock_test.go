package rancherengine

import (
	"os"
	"testing"
)

func TestPidAliveOnThisHost(t *testing.T) {
	host, _ := os.Hostname()
	if alive, known := pidAlive(host, os.Getpid()); !known || !alive {
		t.Errorf("this process: alive %v known %v", alive, known)
	}
	if _, known := pidAlive("another-host", os.Getpid()); known {
		t.Error("a pid on another host cannot be known")
	}
	if alive, known := pidAlive(host, 1<<22+12345); !known || alive {
		t.Errorf("a pid that cannot exist: alive %v known %v", alive, known)
	}
}
