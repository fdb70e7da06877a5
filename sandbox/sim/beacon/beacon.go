// Package beacon models the compromised instance's malware: the settings block
// its user data writes to /etc/gdlab-beacon.env, and the systemd timer that
// runs `ping -c COUNT -i SPACING TARGET` every INTERVAL seconds, first 10 s
// after boot (OnActiveSec=10s, OnUnitActiveSec=INTERVAL).
//
// Differences from a real host: the boot delay is a parameter, not measured;
// each ping is one echo request at an exact instant (no jitter, no timer
// AccuracySec slack); a run that would start while the previous one is still
// pinging is skipped, as systemd does for a still-active oneshot unit.
package beacon

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// TimerFirstDelay is the timer's OnActiveSec: the first run after boot.
const TimerFirstDelay = 10 * time.Second

// Config is what the user data says the beacon does.
type Config struct {
	Target   netip.Addr    // BEACON_TARGET
	Interval time.Duration // BEACON_INTERVAL_SECONDS
	Count    int           // BEACON_PING_COUNT
	Spacing  time.Duration // BEACON_PING_SPACING_SECONDS
}

const (
	keyTarget   = "BEACON_TARGET"
	keyInterval = "BEACON_INTERVAL_SECONDS"
	keyCount    = "BEACON_PING_COUNT"
	keySpacing  = "BEACON_PING_SPACING_SECONDS"
)

// maxSeconds bounds interval and spacing so durations cannot overflow.
const maxSeconds = 7 * 24 * 3600

// ParseUserData reads the beacon settings from user data as terraform
// rendered it (clear text, or base64 as user_data_base64 carries it). Each
// setting is a KEY=value line; other lines are ignored.
func ParseUserData(userData string) (Config, error) {
	values := settings(userData)
	if len(values) == 0 {
		if decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(userData)); err == nil {
			values = settings(string(decoded))
		}
	}
	if len(values) == 0 {
		return Config{}, fmt.Errorf("user data has no %s settings: not the compromised instance", "BEACON_*")
	}
	var cfg Config
	target, err := netip.ParseAddr(values[keyTarget])
	if err != nil {
		return Config{}, fmt.Errorf("%s=%q is not an IP address (is the template rendered?)", keyTarget, values[keyTarget])
	}
	cfg.Target = target.Unmap()
	interval, err := positiveInt(values, keyInterval, maxSeconds)
	if err != nil {
		return Config{}, err
	}
	cfg.Interval = time.Duration(interval) * time.Second
	if cfg.Count, err = positiveInt(values, keyCount, 1_000_000); err != nil {
		return Config{}, err
	}
	// ping's -i defaults to one second when the line is missing.
	spacing := 1
	if _, ok := values[keySpacing]; ok {
		if spacing, err = positiveInt(values, keySpacing, maxSeconds); err != nil {
			return Config{}, err
		}
	}
	cfg.Spacing = time.Duration(spacing) * time.Second
	return cfg, nil
}

// settings collects BEACON_* lines; the last occurrence of a key wins, as
// when the env file is read.
func settings(text string) map[string]string {
	values := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		key, value, ok := strings.Cut(line, "=")
		if !ok || !strings.HasPrefix(key, "BEACON_") {
			continue
		}
		values[key] = strings.Trim(strings.TrimSpace(value), `"'`)
	}
	return values
}

func positiveInt(values map[string]string, key string, max int) (int, error) {
	text, ok := values[key]
	if !ok {
		return 0, fmt.Errorf("user data lacks %s", key)
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || n > max {
		return 0, fmt.Errorf("%s=%q: want a whole number from 1 to %d", key, text, max)
	}
	return n, nil
}
