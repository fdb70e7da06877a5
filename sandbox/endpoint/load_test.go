package endpoint

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// TestLoad: 1,000 requests from 20 concurrent clients (SDK calls of three
// protocols and the private API), none failing, and no goroutines or file
// descriptors left behind once the clients are gone.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	beforeG := runtime.NumGoroutine()
	beforeFD := openFDs()
	func() {
		w, err := world.Open(t.TempDir(), "us-west-2")
		if err != nil {
			t.Fatal(err)
		}
		s, err := Start(w, LoopbackAddr(0))
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := s.Close(ctx); err != nil {
				t.Errorf("close: %v", err)
			}
		}()
		l := buildLab(t, s)
		det, _ := create(t, s, "aws_guardduty_detector", map[string]any{})
		const clients, perClient = 20, 50
		var wg sync.WaitGroup
		errs := make(chan error, clients*perClient)
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				httpClient := &http.Client{Transport: &http.Transport{}}
				defer httpClient.CloseIdleConnections()
				cfg := sdkConfig(s)
				cfg.HTTPClient = httpClient
				e := ec2.NewFromConfig(cfg)
				g := guardduty.NewFromConfig(cfg)
				st := sts.NewFromConfig(cfg)
				for j := 0; j < perClient; j++ {
					var err error
					switch j % 4 {
					case 0:
						_, err = e.DescribeInstances(t.Context(), &ec2.DescribeInstancesInput{InstanceIds: []string{l.victim}})
					case 1:
						_, err = g.ListFindings(t.Context(), &guardduty.ListFindingsInput{DetectorId: aws.String(det)})
					case 2:
						_, err = st.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
					case 3:
						var resp *http.Response
						resp, err = httpClient.Get(s.URL + "/_gdlab/v1/resources/aws_vpc/" + l.vpc)
						if err == nil {
							resp.Body.Close()
							if resp.StatusCode != http.StatusOK {
								err = fmt.Errorf("private read: %d", resp.StatusCode)
							}
						}
					}
					if err != nil {
						errs <- fmt.Errorf("client %d request %d: %w", i, j, err)
					}
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}()
	// Server and clients are closed: everything they started must end.
	http.DefaultClient.CloseIdleConnections()
	func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			g, fd := runtime.NumGoroutine(), openFDs()
			if g <= beforeG && (fd < 0 || fd <= beforeFD) {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				n := runtime.Stack(buf, true)
				t.Errorf("goroutines %d→%d, fds %d→%d after load\n%s", beforeG, g, beforeFD, fd, buf[:n])
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
}

// openFDs counts this process's open file descriptors (-1 where unknown).
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}
