package launchconfig

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// dockerDevices parses devices as libcompose did: host[:container][:permissions], permissions rwm.
func dockerDevices(devices []string) ([]DeviceMapping, error) {
	out := []DeviceMapping{}
	for _, d := range devices {
		parts := strings.Split(d, ":")
		m := DeviceMapping{CgroupPermissions: "rwm"}
		switch len(parts) {
		case 3:
			m.CgroupPermissions = parts[2]
			fallthrough
		case 2:
			if validDeviceMode(parts[1]) {
				m.CgroupPermissions = parts[1]
			} else {
				m.PathInContainer = parts[1]
			}
			fallthrough
		case 1:
			m.PathOnHost = parts[0]
		default:
			return nil, fmt.Errorf("devices: invalid device specification %q", d)
		}
		if m.PathInContainer == "" {
			m.PathInContainer = m.PathOnHost
		}
		out = append(out, m)
	}
	return out, nil
}

func validDeviceMode(mode string) bool {
	if mode == "" {
		return false
	}
	seen := map[rune]bool{}
	for _, c := range mode {
		if (c != 'r' && c != 'w' && c != 'm') || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}

// blkioThrottles returns device_read_bps, device_write_bps, device_read_iops and device_write_iops as
// Docker throttle lists (null when absent), sorted by device path.
func blkioThrottles(c *compose.ServiceConfig) ([4][]ThrottleDevice, error) {
	var out [4][]ThrottleDevice
	for i, m := range []map[string]string{c.DeviceReadBps, c.DeviceWriteBps, c.DeviceReadIOps, c.DeviceWriteIOps} {
		paths := make([]string, 0, len(m))
		for p := range m {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			rate, err := throttleRate(m[p], i < 2)
			if err != nil {
				return out, fmt.Errorf("blkio rate of %s: %w", p, err)
			}
			out[i] = append(out[i], ThrottleDevice{Path: p, Rate: rate})
		}
	}
	return out, nil
}

func throttleRate(v string, bytes bool) (uint64, error) {
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		return n, nil
	}
	if bytes {
		n, err := compose.RAMInBytes(v)
		if err == nil && n >= 0 {
			return uint64(n), nil
		}
	}
	return 0, fmt.Errorf("invalid rate %q", v)
}

func blkioWeightDevices(devices []string) ([]WeightDevice, error) {
	out := []WeightDevice{}
	for _, d := range devices {
		path, w, ok := strings.Cut(d, ":")
		if !ok {
			return nil, fmt.Errorf("blkio_weight_device: %q is not path:weight", d)
		}
		weight, err := strconv.ParseUint(w, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("blkio_weight_device: invalid weight in %q", d)
		}
		out = append(out, WeightDevice{Path: path, Weight: uint16(weight)})
	}
	return out, nil
}
