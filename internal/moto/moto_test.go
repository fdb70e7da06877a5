package moto

import (
	"net/http"
	"testing"
)

func TestStartServesAndStops(t *testing.T) {
	s := Start(t)
	resp, err := http.Get(s.Endpoint + "/moto-api/")
	if err != nil {
		t.Fatalf("moto not answering: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto-api status %d", resp.StatusCode)
	}
	s.Reset(t)
}
