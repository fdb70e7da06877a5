package lambda_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/gdlab-dev/gdlab/lambda"
)

// TestHandlerAgainstMoto runs the handler with the real SDK clients, built
// from the environment exactly as in Lambda, against moto.
func TestHandlerAgainstMoto(t *testing.T) {
	w := newLabWorld(t)
	for _, kv := range [][2]string{{"INSTANCE_ID", w.instanceID}, {"FORENSICS_SG", w.forensicSG}, {"TOPIC_ARN", w.topicARN}} {
		t.Setenv(kv[0], kv[1])
	}
	h, err := lambda.NewFromEnvironment(context.Background(), slog.New(slog.NewJSONHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	event := w.findingEvent(t)

	res, err := h.Handle(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != lambda.OutcomeIsolated || !res.Notified {
		t.Fatalf("result %+v, want isolated and notified", res)
	}
	w.assertIsolated(t)
	w.assertNotified(t, "b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4")

	// EventBridge may deliver the same event again: nothing more happens.
	res, err = h.Handle(context.Background(), event)
	if err != nil || res.Outcome != lambda.OutcomeAlreadyIsolated {
		t.Fatalf("second delivery: %+v, %v; want already isolated", res, err)
	}
	w.assertIsolated(t)
}
