package engine

import (
	"testing"
	"time"

	"github.com/floedb/floe/plan"
)

func strategy(t *testing.T, ckpt bool, kv ...string) restartStrategy {
	t.Helper()
	c := plan.NewConfig()
	for i := 0; i < len(kv); i += 2 {
		if err := c.Set(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	s, err := newRestartStrategy(c, ckpt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRestartStrategies(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, ok := strategy(t, false).(noRestart); !ok {
		t.Fatal("without checkpoints the default is no restart")
	}
	if _, ok := strategy(t, true).(*exponentialDelay); !ok {
		t.Fatal("with checkpoints the default is exponential-delay")
	}

	fd := strategy(t, true, "restart-strategy.type", "fixed-delay", "restart-strategy.fixed-delay.attempts", "2", "restart-strategy.fixed-delay.delay", "3 s")
	for i := range 2 {
		if d, ok := fd.next(t0, t0); !ok || d != 3*time.Second {
			t.Fatalf("fixed-delay attempt %d: %v %v", i, d, ok)
		}
	}
	if _, ok := fd.next(t0, t0); ok {
		t.Fatal("fixed-delay restarted a third time")
	}

	fr := strategy(t, true, "restart-strategy.type", "failure-rate", "restart-strategy.failure-rate.max-failures-per-interval", "2",
		"restart-strategy.failure-rate.failure-rate-interval", "1 min", "restart-strategy.failure-rate.delay", "1 s")
	if _, ok := fr.next(t0, t0); !ok {
		t.Fatal("failure-rate: first failure")
	}
	if _, ok := fr.next(t0.Add(10*time.Second), t0); !ok {
		t.Fatal("failure-rate: second failure in the interval")
	}
	if _, ok := fr.next(t0.Add(20*time.Second), t0); ok {
		t.Fatal("failure-rate: a third failure within a minute must fail for good")
	}
	fr = strategy(t, true, "restart-strategy.type", "failure-rate", "restart-strategy.failure-rate.max-failures-per-interval", "1")
	fr.next(t0, t0)
	if _, ok := fr.next(t0.Add(2*time.Minute), t0); !ok {
		t.Fatal("failure-rate: failures further apart than the interval must restart")
	}

	ed := strategy(t, true, "restart-strategy.type", "exponential-delay", "restart-strategy.exponential-delay.initial-backoff", "1 s",
		"restart-strategy.exponential-delay.max-backoff", "5 s", "restart-strategy.exponential-delay.backoff-multiplier", "2",
		"restart-strategy.exponential-delay.jitter-factor", "0", "restart-strategy.exponential-delay.reset-backoff-threshold", "1 h",
		"restart-strategy.exponential-delay.attempts-before-reset-backoff", "5")
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i, w := range want {
		if d, ok := ed.next(t0, t0); !ok || d != w {
			t.Fatalf("exponential-delay attempt %d: %v %v, want %v", i, d, ok, w)
		}
	}
	if _, ok := ed.next(t0, t0); ok {
		t.Fatal("exponential-delay: attempts-before-reset-backoff exceeded")
	}
	// A job that ran longer than the reset threshold starts from the initial backoff again.
	if d, ok := ed.next(t0.Add(2*time.Hour), t0); !ok || d != time.Second {
		t.Fatalf("exponential-delay after a long run: %v %v", d, ok)
	}

	c := plan.NewConfig()
	if err := c.Set("restart-strategy.exponential-delay.jitter-factor", "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := newRestartStrategy(c, true); err == nil {
		t.Fatal("a jitter factor of 2 was accepted")
	}
}
