package sandbox

import (
	"context"

	"github.com/gdlab-dev/gdlab/sandbox/incident"
)

func init() { startEngine = startIncident }

// incidentEngine adapts *incident.Engine to Engine (its Clock is concrete).
type incidentEngine struct{ *incident.Engine }

func (e incidentEngine) Clock() Clock { return e.Engine.Clock() }

func startIncident(ctx context.Context, s *Sandbox, opts Options) (Engine, error) {
	eng, err := incident.Start(ctx, s.World, s.Endpoint(), incident.Options{
		TimeScale: opts.TimeScale,
		GdlabExe:  opts.GdlabExe,
		LabDir:    opts.Dir,
		Logger:    opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	return incidentEngine{eng}, nil
}
