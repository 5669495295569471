package engine

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/floedb/floe/plan"
)

// restartStrategy decides whether and when a failed pipeline restarts from its last
// checkpoint, as Flink's restart-strategy.* options describe.
type restartStrategy interface {
	// next is told that the pipeline failed at now after running since started; it returns
	// the pause before restarting, or ok=false when the pipeline must fail for good.
	next(now, started time.Time) (delay time.Duration, ok bool)
	// String names the strategy and its settings, for logs and errors.
	String() string
}

// newRestartStrategy builds the strategy the session's options describe.
func newRestartStrategy(c *plan.Config, checkpointing bool) (restartStrategy, error) {
	typ := c.Get("restart-strategy.type")
	if typ == "" {
		typ = "none"
		if checkpointing {
			typ = "exponential-delay"
		}
	}
	switch typ {
	case "none", "off", "disable":
		return noRestart{}, nil
	case "fixed-delay":
		n := c.Int("restart-strategy.fixed-delay.attempts")
		if n < 0 {
			return nil, fmt.Errorf("option 'restart-strategy.fixed-delay.attempts': %d is negative", n)
		}
		return &fixedDelay{attempts: n, delay: c.Duration("restart-strategy.fixed-delay.delay")}, nil
	case "failure-rate":
		n := c.Int("restart-strategy.failure-rate.max-failures-per-interval")
		if n < 1 {
			return nil, fmt.Errorf("option 'restart-strategy.failure-rate.max-failures-per-interval': %d is less than 1", n)
		}
		return &failureRate{max: n, interval: c.Duration("restart-strategy.failure-rate.failure-rate-interval"), delay: c.Duration("restart-strategy.failure-rate.delay")}, nil
	case "exponential-delay":
		e := &exponentialDelay{
			initial:    c.Duration("restart-strategy.exponential-delay.initial-backoff"),
			maxDelay:   c.Duration("restart-strategy.exponential-delay.max-backoff"),
			multiplier: c.Float("restart-strategy.exponential-delay.backoff-multiplier"),
			reset:      c.Duration("restart-strategy.exponential-delay.reset-backoff-threshold"),
			jitter:     c.Float("restart-strategy.exponential-delay.jitter-factor"),
			attempts:   c.Int("restart-strategy.exponential-delay.attempts-before-reset-backoff"),
		}
		if e.multiplier < 1 {
			return nil, fmt.Errorf("option 'restart-strategy.exponential-delay.backoff-multiplier': %g is less than 1", e.multiplier)
		}
		if e.jitter < 0 || e.jitter > 1 {
			return nil, fmt.Errorf("option 'restart-strategy.exponential-delay.jitter-factor': %g is outside 0..1", e.jitter)
		}
		return e, nil
	}
	return nil, fmt.Errorf("option 'restart-strategy.type': unknown strategy '%s'", typ)
}

type noRestart struct{}

func (noRestart) next(time.Time, time.Time) (time.Duration, bool) { return 0, false }
func (noRestart) String() string                                  { return "none" }

type fixedDelay struct {
	attempts, used int
	delay          time.Duration
}

func (f *fixedDelay) next(time.Time, time.Time) (time.Duration, bool) {
	if f.used >= f.attempts {
		return 0, false
	}
	f.used++
	return f.delay, true
}

func (f *fixedDelay) String() string {
	return fmt.Sprintf("fixed-delay (%d attempts, delay %s)", f.attempts, f.delay)
}

type failureRate struct {
	max             int
	interval, delay time.Duration
	failures        []time.Time
}

func (f *failureRate) next(now, _ time.Time) (time.Duration, bool) {
	keep := f.failures[:0]
	for _, t := range f.failures {
		if now.Sub(t) < f.interval {
			keep = append(keep, t)
		}
	}
	f.failures = append(keep, now)
	if len(f.failures) > f.max {
		return 0, false
	}
	return f.delay, true
}

func (f *failureRate) String() string {
	return fmt.Sprintf("failure-rate (at most %d failures per %s, delay %s)", f.max, f.interval, f.delay)
}

type exponentialDelay struct {
	initial, maxDelay, reset time.Duration
	multiplier, jitter       float64
	attempts, used           int
	current                  time.Duration
}

func (e *exponentialDelay) next(now, started time.Time) (time.Duration, bool) {
	if e.current == 0 || now.Sub(started) >= e.reset {
		e.current, e.used = e.initial, 0
	} else {
		e.current = min(time.Duration(float64(e.current)*e.multiplier), e.maxDelay)
	}
	if e.used >= e.attempts {
		return 0, false
	}
	e.used++
	d := e.current
	if e.jitter > 0 {
		d += time.Duration((rand.Float64()*2 - 1) * e.jitter * float64(d))
	}
	return max(d, 0), true
}

func (e *exponentialDelay) String() string {
	return fmt.Sprintf("exponential-delay (initial %s, max %s, multiplier %g)", e.initial, e.maxDelay, e.multiplier)
}
